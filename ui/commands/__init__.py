"""Sub-commands that need the app (Qt): imported by ui.cli before the core's command line runs."""

from ui.commands import boardpack, screenshots  # noqa: F401
