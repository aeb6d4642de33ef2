"""The analyst's web UI: server-rendered pages (Jinja2), session login, CSRF, no scripts.

:func:`mount` adds the pages to the FastAPI app made by :func:`piu.web.app.create_app`:
it loads (or creates) the deployment's key in the data folder once (it signs the session
cookies and seals the TOTP secrets, :mod:`piu.accounts.sealed`), includes each page
module's router and installs the handlers that turn "not signed in" into a redirect to
``/login`` and "wrong role" into a 403 page. :mod:`piu.web.ui.framework` holds the
page/role table and the pieces every page uses.
"""

from __future__ import annotations

from fastapi import FastAPI

from piu.config import Settings
from piu.web.ui import (
    admin_pages,
    audit_pages,
    case_pages,
    csrf,
    framework,
    login_pages,
    message_pages,
    rule_pages,
    totp_pages,
    travel_pages,
    watchlist_pages,
)
from piu.web.ui.sessions import SessionSigner, load_or_create_secret

__all__ = ["mount"]

# One router per area of pages; a new area adds its module here.
PAGE_MODULES = (
    login_pages,
    totp_pages,
    travel_pages,
    admin_pages,
    message_pages,
    watchlist_pages,
    rule_pages,
    audit_pages,
    case_pages,
)


def mount(app: FastAPI, settings: Settings) -> None:
    key = load_or_create_secret(settings.data_dir)
    app.state.deployment_key = key  # framework.deployment_key(request)
    app.state.ui_signer = SessionSigner(key)
    app.add_exception_handler(framework.LoginRequired, framework.on_login_required)
    app.add_exception_handler(framework.PasswordChangeRequired, framework.on_password_change)
    app.add_exception_handler(framework.SecondFactorRequired, framework.on_second_factor)
    app.add_exception_handler(framework.PageForbidden, framework.on_forbidden)
    app.add_exception_handler(csrf.CsrfError, framework.on_csrf)
    for module in PAGE_MODULES:
        app.include_router(module.router)
