"""The registers: one module each, holding its spec and its page (see :mod:`ui.pages.register_page`).

A new register is a module here and an entry in :data:`ui.pages.PAGES` (docs/ARCHITECTURE.md walks
through one).
"""
