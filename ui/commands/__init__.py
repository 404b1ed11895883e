"""Command-line sub-commands that need Qt (imported lazily inside each handler); importing registers them."""

from ui.commands import boardpack  # noqa: F401
