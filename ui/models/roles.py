"""The item-data roles our models serve beyond Qt's own, each with its own number.

Every model and delegate takes its roles from here, so two names never share a number and a view
can ask any model the same question. A model returns None for a role it does not serve.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

_USER = Qt.ItemDataRole.UserRole

ROW_ROLE = _USER + 1  # the plain row (a tuple from tracker.queries) behind a table row
ID_ROLE = _USER + 2  # the row's id
KIND_ROLE = _USER + 3  # what a plan-tree item is: "theme", "outcome" or "objective"
CHIP_ROLE = _USER + 4  # a status key (a tracker.enums.Brag value or NO_UPDATE): the cell is a chip
COUNTS_ROLE = _USER + 5  # a roll-up tally (tracker.queries.BragCounts): the cell is a row of chips
CHOICE_ROLE = _USER + 6  # how a return's conflict is settled: None, KEEP_OURS or TAKE_THEIRS
