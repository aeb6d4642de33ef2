"""The analyst's web UI: server-rendered pages (Jinja2), session login, CSRF, no scripts.

:func:`mount` adds the pages to the FastAPI app made by :func:`piu.web.app.create_app`:
it loads (or creates) the session signing key in the data folder, includes the router and
installs the handlers that turn "not signed in" into a redirect to ``/login`` and "wrong
role" into a 403 page. See :mod:`piu.web.ui.pages` for the page/role table.
"""

from __future__ import annotations

from fastapi import FastAPI

from piu.config import Settings
from piu.web.ui import csrf, pages
from piu.web.ui.sessions import SessionSigner, load_or_create_secret

__all__ = ["mount"]


def mount(app: FastAPI, settings: Settings) -> None:
    app.state.ui_signer = SessionSigner(load_or_create_secret(settings.data_dir))
    app.add_exception_handler(pages.LoginRequired, pages.on_login_required)
    app.add_exception_handler(pages.PasswordChangeRequired, pages.on_password_change)
    app.add_exception_handler(pages.PageForbidden, pages.on_forbidden)
    app.add_exception_handler(csrf.CsrfError, pages.on_csrf)
    app.include_router(pages.router)
