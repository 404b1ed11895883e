"""Start Delivery Plan Tracker: with no arguments the desktop app; with a command, the command line.

python main.py                  # the app, on the default plan (created with sample progress)
python main.py summary          # a command: see `python main.py --help`
"""

from __future__ import annotations

import sys


def wants_command_line(argv: list[str]) -> bool:
    """A sub-command or a help/version flag anywhere after the global options means the command line."""
    rest = list(argv)
    while rest[:1] in (["--db"], ["--as"]):
        rest = rest[2:]
    rest = [a for a in rest if not a.startswith(("--db=", "--as="))]
    return bool(rest) and (not rest[0].startswith("-") or rest[0] in ("-h", "--help", "--version"))


def run(argv: list[str]) -> int:
    if wants_command_line(argv):
        from ui.cli import main as cli_main

        return cli_main(argv)
    from ui.start import main as app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
