"""The main window's pages, in navigation order.

A page is a ``QWidget`` built as ``Page(ctx)`` from an :class:`ui.context.AppContext`. It reads
through ``ctx.read()``, writes through ``ctx.write(service, **kwargs)...run(initiator=self)`` (off
the UI thread), and reloads what it shows when ``ctx.changed`` (a :class:`tracker.services.Changes`
and the view that asked) touches the kinds in its ``reload_on``, or when ``ctx.period_changed`` fires. Optional methods the window calls when they exist:

- ``show_filters(filters: dict)``: show the page filtered, for ``ctx.navigate(key, **filters)``
  (a chart click opening a register, say);
- ``focus_find()``: Edit > Find (Ctrl+F) puts the cursor in the page's filter box;
- ``new_item()``: File > New item (Ctrl+N) on pages that create things.

Each entry is (key, title, icon name in resources/icons, "module:Class"). The window imports a
page when it is first shown, so start-up pays only for the page it opens on.
"""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    key: str
    title: str
    icon: str
    target: str  # "ui.pages.module:Class"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", "Dashboard", "dashboard", "ui.pages.dashboard:DashboardPage"),
    PageSpec("plan", "Plan", "plan", "ui.pages.plan:PlanPage"),
    PageSpec("milestones", "Milestones", "milestones", "ui.pages.registers.milestones:MilestonesPage"),
    PageSpec("risks", "Risks", "risks", "ui.pages.registers.risks:RisksPage"),
    PageSpec(
        "recommendations",
        "Recommendations",
        "recommendations",
        "ui.pages.registers.recommendations:RecommendationsPage",
    ),
    PageSpec("people", "People", "people", "ui.pages.people:PeoplePage"),
    PageSpec("periods", "Periods and returns", "periods", "ui.pages.periods:PeriodsPage"),
    PageSpec("audit", "Audit log", "audit", "ui.pages.audit:AuditPage"),
    PageSpec("conflicts", "Conflicts", "conflicts", "ui.pages.conflicts:ConflictsPage"),
)
