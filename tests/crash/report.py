"""The summary table and the list of failures, each precise enough to reproduce."""

from __future__ import annotations

from collections.abc import Sequence

from tests.crash.prepare import Reference
from tests.crash.runner import CHECK, HALF, KINDS, LITTER, RunResult

COLUMNS = ("operation", "runs", "killed", "before/after", "store ok", *KINDS, "cleaned on rerun")


def summary(results: Sequence[RunResult], ops: Sequence[str]) -> str:
    rows = [_row(name, [r for r in results if r.op == name]) for name in ops]
    rows.append(_row("total", list(results)))
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(COLUMNS), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _row(name: str, results: list[RunResult]) -> list[str]:
    def count(kind: str) -> int:
        return sum(any(p.kind == kind for p in r.problems) for r in results)

    store_ok = sum(
        r.store in ("before", "after") and not any(p.kind in (CHECK, HALF) for p in r.problems)
        for r in results
    )
    before = sum(r.store == "before" for r in results)
    after = sum(r.store == "after" for r in results)
    cleaned = sum(bool(r.left_by_kill) and not any(p.kind == LITTER for p in r.problems) for r in results)
    return [
        name,
        str(len(results)),
        str(sum(r.killed for r in results)),
        f"{before}/{after}",
        str(store_ok),
        *(str(count(k)) for k in KINDS),
        str(cleaned),
    ]


def failures(results: Sequence[RunResult]) -> list[str]:
    lines = []
    for r in sorted(results, key=lambda r: (r.op, r.index)):
        for p in r.problems:
            lines.append(f"FAIL {r.headline()}: {p.kind}: {p.detail}")
    return lines


def references(refs: Sequence[Reference]) -> str:
    lines = []
    for ref in refs:
        outs = ", ".join(f"{p} ({_shape(v)})" for p, v in ref.outputs.items()) or "the store only"
        if len(ref.outputs) > 3:
            outs = f"{len(ref.outputs)} files in {next(iter(ref.outputs)).parent}"
        lines.append(
            f"  {ref.op.name:<14} {ref.duration:5.2f} s uncrashed"
            + (
                f", writing {ref.writes_from:.2f}-{ref.writes_until or ref.writes_from:.2f} s"
                if ref.writes_from is not None
                else ""
            )
            + f"; writes {outs}"
            + ("; takes --force" if ref.force else "")
        )
    return "\n".join(lines)


def _shape(value: object) -> str:
    if isinstance(value, int):
        return f"{value} pages"
    if isinstance(value, list):
        return f"{len(value)} sheets"
    if isinstance(value, dict):
        return f"{sum(value.values()):,} rows in {len(value)} tables"
    return str(value)
