"""The crash test (issue 11): kill the command line with SIGKILL mid-write, check nothing is lost or faked.

    python -m tests.crash [--kills 120] [--seed N] [--budget-seconds 300] [--jobs 2] [--ops a,b] [--keep]

Once: a template store (the sample plan, its open period's returns issued, one filled in), and each
command run uncrashed to learn its duration, when it writes, the store it leaves and its outputs.
Then each run copies the template to a fresh folder (with a space in its path), starts the command
with TMPDIR in that folder, SIGKILLs its process group after a delay (half timed from the start,
half from when it is seen writing), and checks: `check` passes; the store is wholly as before or
as after an uncrashed run (content fingerprints, fresh ids and times masked); every output under
its final name is whole (PDF pages, workbook sheets, backup rows); anything else left in the
folder or its temp folder is still there after the command runs again (partial files left).

A script, not part of the pytest run (``norecursedirs`` in pyproject.toml); CI runs it as a step of
its own. ``tests/test_crash_harness.py`` runs it with a few kills so the harness itself is tested.
"""
