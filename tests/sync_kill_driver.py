"""Run one sync of a replica in this process and SIGKILL it at a named point (for tests/test_sync_kill.py).

    python -m tests.sync_kill_driver REPLICA.db POINT

POINT: ``before-push`` (nothing sent), ``after-push`` (the server has committed, the replica has not
heard), ``during-pull`` (the pulled rows written, the replica's transaction not committed), or
``none`` (run to the end; the test kills it at a random moment instead).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from tracker.sync import run


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(path: str, point: str) -> None:
    push, pull = run._push, run.apply_feed

    def push_then(*args: Any, **kwargs: Any) -> Any:
        if point == "before-push":
            _die()
        result = push(*args, **kwargs)
        if point == "after-push":
            _die()
        return result

    def pull_then(*args: Any, **kwargs: Any) -> Any:
        result = pull(*args, **kwargs)
        if point == "during-pull":
            _die()
        return result

    run._push = push_then  # type: ignore[assignment]
    run.apply_feed = pull_then  # type: ignore[assignment]
    run.sync_file(Path(path))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
