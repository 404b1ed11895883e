"""One way to reach the files in the top-level ``resources`` package."""

from __future__ import annotations

from importlib import resources as _res
from importlib.abc import Traversable


def path(*parts: str) -> Traversable:
    """A traversable for ``resources/<parts...>`` (works from a checkout, a wheel or a zip)."""
    node = _res.files("resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    return path(*parts).read_bytes()
