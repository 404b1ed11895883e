"""Offline replicas of a team plan, and syncing them with it (issue 15; see docs/ARCHITECTURE.md).

A replica is a SQLite file holding the team plan as the server holds it, taken by a login
(:mod:`.replica`). Every change made in it is captured in its outbox in the same transaction
(:mod:`tracker.outbox`). A sync (:mod:`.run`) pushes the outbox to the team plan, where each
operation is applied once, merged field by field, and what cannot be merged is kept as a conflict
(:mod:`.push`); then pulls what changed on the team plan since its cursor, in commit order, and
applies it in one local transaction (:mod:`.pull`). There is no service to run: everything happens
on the user's own connection to PostgreSQL, under the same row-level security as in the app.
"""
