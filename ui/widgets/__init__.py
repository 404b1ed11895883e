"""The pieces pages share, one module each: ``forms`` (fields and their errors, combos that shrink),
``tables`` (a list's table view and find box), ``dialogs`` (confirm and tell), ``layout`` (a page's
title and hint) and ``chips`` (status chips and their delegate)."""
