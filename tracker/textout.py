"""Plain-text tables for the terminal: aligned columns, numbers on the right, no colour needed to read."""

from __future__ import annotations

from collections.abc import Sequence


def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, footer: Sequence[object] | None = None
) -> str:
    body = [[_cell(v) for v in row] for row in rows]
    foot = [_cell(v) for v in footer] if footer is not None else None
    every = [list(headers), *body, *([foot] if foot else [])]
    widths = [max(len(r[i]) for r in every) for i in range(len(headers))]
    numeric = [all(_is_number(row[i]) for row in rows) and bool(rows) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        out = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric, strict=True)]
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [line(list(headers)), rule, *(line(r) for r in body)]
    if foot:
        lines += [rule, line(foot)]
    return "\n".join(lines)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
