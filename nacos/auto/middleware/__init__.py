"""Explicit middleware: :mod:`.wsgi` (any WSGI app, Python 2.7 and 3) and :mod:`.asgi` (Python 3)."""
