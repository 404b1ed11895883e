"""The Qt binding we pin must not leak references to Python's singletons.

PySide6 6.12.0 on Python 3.11 dropped a reference to ``None`` on every call returning ``None``
(``setEnabled``, ``setText``, painting ...) until the interpreter aborted with "deallocating None";
pyproject pins PySide6-Essentials below 6.12 for that reason. This test fails on such a build.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_calls_returning_none_keep_none_alive(qapp) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setEnabled(True)
        label.setText("x")
    assert sys.getrefcount(None) - before_none > -100
    assert sys.getrefcount(True) - before_true > -100
