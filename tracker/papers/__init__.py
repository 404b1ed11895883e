"""Committee papers: the inspection-progress report to a board, drafted in Word from the register.

:mod:`.content` says what the paper says (plain sentences, each from a stored field); :mod:`.document`
writes it with python-docx in Word's own styles; :func:`.draft.draft_committee_paper` does both to a file.
"""
