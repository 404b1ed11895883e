"""Data shipped with the app: plan templates, icons and stylesheets.

Read them through :func:`tracker.resources.read_text` / :func:`tracker.resources.path`, never by a
path relative to the checkout, so that an installed wheel works from any folder.
"""
