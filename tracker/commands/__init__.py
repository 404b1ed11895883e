"""Sub-commands of the command line, one module per area; importing this package registers them."""

from tracker.commands import (  # noqa: F401
    maintenance,
    offline,
    papers,
    periods,
    plan,
    plan_sheets,
    returns,
    rollover,
    team,
    workbooks,
)
