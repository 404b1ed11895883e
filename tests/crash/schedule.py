"""When to kill: each operation's share of the runs and a delay for each."""

from __future__ import annotations

import random
from collections.abc import Sequence

from tests.crash.prepare import Reference
from tests.crash.runner import Kill

STRETCH = 1.2  # delays are drawn across 0 .. 1.2 x the uncrashed duration, so some runs finish
MIN_WRITING = 0.05  # seconds: a window to draw in even when the writing was seen only once


def schedule(refs: Sequence[Reference], kills: int, rng: random.Random) -> list[Kill]:
    """Each operation's share of the kills, in a shuffled order so that a budget cut is fair.

    Half are timed from the start, spread evenly across 0 .. 1.2 x the uncrashed duration (one
    random draw in each slice). Half are timed from when the run is seen writing, across
    0 .. 1.2 x the time the uncrashed run spent writing: most of a short command's time is Python
    starting up or reading, and a busy machine stretches that unevenly, so a delay from the start
    alone lands in the writing too seldom (board-pack writes its PDF in the last 0.2 s of 2).
    """
    plan = []
    for i, ref in enumerate(refs):
        n = kills // len(refs) + (i < kills % len(refs))
        from_write = n // 2 if ref.writes_from is not None else 0
        whole = STRETCH * ref.duration
        writing = STRETCH * max((ref.writes_until or 0.0) - (ref.writes_from or 0.0), MIN_WRITING)
        plan += [
            Kill(ref, (k + rng.random()) * whole / (n - from_write), False) for k in range(n - from_write)
        ]
        plan += [Kill(ref, (k + rng.random()) * writing / from_write, True) for k in range(from_write)]
    rng.shuffle(plan)
    return plan
