"""Start Delivery Plan Tracker: with no arguments the desktop app; with a command, the command line.

    python main.py                  # the app, on the default plan (created with sample progress)
    python main.py summary          # a command: see `python main.py --help`
"""

from __future__ import annotations

import sys


def run(argv: list[str]) -> int:
    if argv and not argv[0].startswith("-") or argv[:1] in (["-h"], ["--help"], ["--version"]):
        from tracker.cli import main as cli_main

        return cli_main(argv)
    from ui.app import main as app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
