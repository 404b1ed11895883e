"""Safe foundations for every Excel workbook the tracker writes or reads.

- :mod:`tracker.workbooks.safety` — reading workbooks from outside (period returns): checks a file
  before openpyxl parses anything (size, zip bombs, macros, encryption, XML attacks) and opens it
  read-only with formulas visible as formulas.
- :mod:`tracker.workbooks.cells` — writing exports: text never becomes a formula, control characters
  and over-long text are handled visibly, sheet titles are valid, every page carries the protective
  marking, drop-down lists live on a hidden sheet.

openpyxl is imported by these modules, so import them where a workbook is made or read, not at start-up.
"""
