"""Team mode on PostgreSQL: the server's roles, grants and row-level security, and its accounts.

``policies`` says what the server should hold (as data and SQL), ``server`` brings a database to it
(``server init``) and reports where it differs (``server check``), ``accounts`` adds, lists and
disables the logins. The server is the authority; the services check the same rules first only so
that a person gets a clear message.
"""
