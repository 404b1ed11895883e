"""The command line with the app's own commands (screenshots) added to the core's."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    import ui.commands  # noqa: F401  (registers the app's sub-commands)
    from tracker.cli import main as cli_main

    return cli_main(argv)
