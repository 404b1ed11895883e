"""The crash test: kill the command line with SIGKILL mid-write and check nothing is lost or faked.

    python -m tests.crash [--kills 120] [--seed N] [--budget-seconds 240] [--jobs 2] [--keep]

A script, not part of the pytest run (``norecursedirs`` in pyproject.toml); CI runs it as a step of
its own. ``tests/test_crash_harness.py`` runs it with a few kills so the harness itself is tested.
"""
