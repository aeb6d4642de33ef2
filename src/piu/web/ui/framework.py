"""The page framework: who is signed in, which roles a page needs, and how pages render.

The pages themselves live in one module per area (``login_pages``, ``travel_pages``, ...),
each with its own ``router`` that :func:`piu.web.ui.mount` includes. The table below is
the whole map of pages and roles; keep it current when adding one.

Who may open what (independent of the API table in :mod:`piu.web.deps`, same reasoning)::

    page                                  analyst supervisor dpo admin rule_mgr watchlist_mgr
    GET  /login, POST /login              public (the form; CSRF-checked)
    POST /logout                          any signed-in user, even one with no role
    GET  /password, POST /password        any signed-in user, even one with no role
    GET  /                                any signed-in user (counts for travel readers)
    GET  /flights, /flights/{id}             x        x       x    x      -           -
    GET  /travellers/{id}                    x        x       x    x      -           -
    GET  /queue, /hits/{id}                  x        x       x    x      -           -
    POST /hits/{id}/decision                 x        x       -    -      -           -
    GET  /messages                           x        x       x    x      -           -

Anonymous visitors (no cookie, a bad signature, an idle or expired session, a disabled
account) are sent to ``/login`` with a 303; a signed-in user without the role gets a 403
page. A user whose password must change is sent to ``/password`` first, whatever page
they asked for. The dashboard shows counts only (no personal data) to every role; the
travel panels are for the roles that read travel data.

Every page that shows personal data writes an audit entry (``page.flight``,
``page.traveller``, ``page.queue``, ``page.hit``, ``page.messages``) after it has found
what it shows, so a refused or missed request leaves none; the decision itself is
audited by :func:`piu.store.reviews.decide` (``hit.decide``).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from piu.accounts.roles import Role
from piu.accounts.users import User, user_by_id
from piu.store import audit
from piu.web.deps import MESSAGE_READERS, TRAVEL_READERS, get_engine, remote_address
from piu.web.ui import csrf
from piu.web.ui.sessions import (
    COOKIE,
    MAX_AGE,
    Session,
    SessionSigner,
    account_stamp,
    clear_cookie,
    set_cookie,
)

__all__ = [
    "CSP",
    "DECIDERS",
    "NAV",
    "AnyPageUser",
    "CsrfField",
    "DeciderPageUser",
    "LoginRequired",
    "MessagePageUser",
    "PageForbidden",
    "PageUser",
    "PasswordChangeRequired",
    "TravelPageUser",
    "audit_page",
    "not_found",
    "redirect",
    "render",
    "require_page_roles",
    "safe_next",
    "session_of",
    "signer",
    "templates",
]

DECIDERS = frozenset({Role.ANALYST, Role.SUPERVISOR})
PASSWORD_PATH = "/password"  # noqa: S105 - a URL path

# Navigation: (label, path, roles that see it). Only what the user may open is shown.
NAV: tuple[tuple[str, str, frozenset[Role] | None], ...] = (
    ("Dashboard", "/", None),
    ("Review queue", "/queue", TRAVEL_READERS),
    ("Flights", "/flights", TRAVEL_READERS),
    ("Rejected messages", "/messages", MESSAGE_READERS),
)


# --- templates ----------------------------------------------------------------------
def _fmt_dt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
            return value.strftime("%Y-%m-%d %H:%M UTC")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


templates = Environment(
    loader=PackageLoader("piu.web.ui", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html", "css"), default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["dt"] = _fmt_dt

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


# --- the page framework -------------------------------------------------------------
class LoginRequired(Exception):  # noqa: N818 - a control-flow signal, not a failure
    """No usable session: answered by a 303 to /login."""

    def __init__(self, next_path: str = "/") -> None:
        self.next_path = next_path


class PasswordChangeRequired(Exception):  # noqa: N818
    """The user must set a new password before anything else: a 303 to /password."""


class PageForbidden(Exception):  # noqa: N818
    """Signed in, but without a role the page needs: a 403 page."""

    def __init__(self, page_user: PageUser, allowed: frozenset[Role]) -> None:
        self.page_user = page_user
        self.allowed = allowed


@dataclass(frozen=True, slots=True)
class PageUser:
    user: User
    session: Session

    @property
    def name(self) -> str:
        return self.user.username


def signer(request: Request) -> SessionSigner:
    found: SessionSigner = request.app.state.ui_signer
    return found


def session_of(request: Request) -> Session | None:
    return signer(request).load(request.cookies.get(COOKIE))


def _page_user(request: Request) -> PageUser:
    session = session_of(request)
    if session is None:
        raise LoginRequired(request.url.path)
    engine = get_engine(request)
    with engine.connect() as conn:
        user = user_by_id(conn, session.user_id)
    if (
        user is None
        or not user.active
        or not user.has_password
        or not hmac.compare_digest(session.account, account_stamp(user.updated_at))
    ):
        raise LoginRequired(request.url.path)
    # The sliding idle window: the response re-issues the cookie with a fresh time.
    request.state.ui_session = session.touched(int(time.time()))
    return PageUser(user, session)


def require_page_roles(
    allowed: frozenset[Role] | None = None,
) -> Callable[[Request], PageUser]:
    """A page dependency: anonymous -> 303 /login; wrong role -> 403 page.

    ``allowed`` None lets in any signed-in user, even one holding no role (the dashboard,
    the password page, logout), as ``/api/v1/me`` does.

    A user whose password must change is sent to /password first.
    # TOTP: when a second factor is added, a session will carry "second factor done";
    # this is the one place that checks it (redirecting to /login/totp when missing).
    """

    def check(request: Request) -> PageUser:
        page_user = _page_user(request)
        if page_user.user.must_change_password and request.url.path != PASSWORD_PATH:
            raise PasswordChangeRequired()
        if allowed is not None and not page_user.user.has_any_role(allowed):
            raise PageForbidden(page_user, allowed)
        return page_user

    return check


AnyPageUser = Annotated[PageUser, Depends(require_page_roles(None))]
TravelPageUser = Annotated[PageUser, Depends(require_page_roles(TRAVEL_READERS))]
MessagePageUser = Annotated[PageUser, Depends(require_page_roles(MESSAGE_READERS))]
DeciderPageUser = Annotated[PageUser, Depends(require_page_roles(DECIDERS))]
CsrfField = Annotated[str, Form(alias=csrf.FIELD)]


def _nav(user: User | None) -> list[tuple[str, str]]:
    if user is None:
        return []
    return [
        (label, path) for label, path, roles in NAV if roles is None or user.has_any_role(roles)
    ]


def render(
    request: Request,
    template: str,
    page_user: PageUser | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page in the base layout, with the session cookie refreshed (idle window)."""
    user = page_user.user if page_user else None
    session = getattr(request.state, "ui_session", None) if page_user else None
    html = templates.get_template(template).render(
        user=user,
        nav=_nav(user),
        path=request.url.path,
        csrf_token=session.csrf if session else context.pop("csrf_token", ""),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if session is not None:
        set_cookie(response, request, COOKIE, signer(request).dump(session), MAX_AGE)
    return response


def redirect(request: Request, path: str) -> RedirectResponse:
    response = RedirectResponse(path, status_code=303)
    session = getattr(request.state, "ui_session", None)
    if session is not None:
        set_cookie(response, request, COOKIE, signer(request).dump(session), MAX_AGE)
    return response


def audit_page(
    request: Request,
    page_user: PageUser,
    action: str,
    *,
    subject_type: str | None = None,
    subject_id: int | str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        get_engine(request),
        actor=page_user.name,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
        remote=remote_address(request),
    )


def not_found(request: Request, page_user: PageUser, what: str) -> HTMLResponse:
    return render(
        request, "error.html", page_user, 404, title="Not found", message=f"There is no {what}."
    )


def safe_next(value: str | None) -> str:
    """Only a local path may follow the login (no open redirect to another host)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


# --- exception handlers, installed by piu.web.ui.mount --------------------------------
async def on_login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    target = "/login"
    if exc.next_path not in ("/", "/login", "/logout"):
        target += "?next=" + quote(exc.next_path, safe="/")
    response = RedirectResponse(target, status_code=303)
    if COOKIE in request.cookies:
        clear_cookie(response, request, COOKIE)
    return response


async def on_password_change(request: Request, exc: Exception) -> Response:
    return RedirectResponse(PASSWORD_PATH, status_code=303)


async def on_forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    names = ", ".join(sorted(r.value for r in exc.allowed))
    return render(
        request,
        "error.html",
        exc.page_user,
        403,
        title="Not allowed",
        message=f"This page needs one of the roles: {names}.",
    )


async def on_csrf(request: Request, exc: Exception) -> Response:
    return HTMLResponse(
        templates.get_template("error.html").render(
            user=None, nav=[], title="Form expired", message=str(exc), path=request.url.path
        ),
        status_code=403,
        headers={"Content-Security-Policy": CSP},
    )
