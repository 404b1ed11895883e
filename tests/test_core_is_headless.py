"""The core must run with no display: importing all of it loads no Qt module."""

import subprocess
import sys


def test_importing_the_core_loads_no_qt():
    code = (
        "import pkgutil, importlib, sys, tracker\n"
        "for m in pkgutil.walk_packages(tracker.__path__, 'tracker.'):\n"
        "    if '.migrations.' not in m.name: importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in {'PySide6', 'pyqtgraph', 'ui', 'shiboken6'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"tracker imported Qt modules: {out.stdout}"
