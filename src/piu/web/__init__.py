"""The HTTP edge: carrier push and the read-only API (the analyst UI comes later).

Build the application with :func:`piu.web.app.create_app`; :mod:`piu.web.deps` holds the
table of which role reads what.
"""

from piu.web.app import create_app as create_app

__all__ = ["create_app"]
