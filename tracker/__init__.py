"""Delivery Plan Tracker core: domain, storage, rules, queries, import/export and CLI. No Qt here."""

__version__ = "0.1.0"
