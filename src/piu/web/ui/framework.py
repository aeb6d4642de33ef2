"""The page framework: who is signed in, which roles a page needs, and how pages render.

The pages themselves live in one module per area (``login_pages``, ``travel_pages``, ...),
each with its own ``router`` that :func:`piu.web.ui.mount` includes. The table below is
the whole map of pages and roles; keep it current when adding one.

Who may open what (independent of the API table in :mod:`piu.web.deps`, same reasoning)::

    page                                  analyst supervisor dpo admin rule_mgr watchlist_mgr
    GET  /login, POST /login              public (the form; CSRF-checked)
    POST /logout                          any signed-in user, even one with no role
    GET  /password, POST /password        any signed-in user, even one with no role
    GET  /login/totp, POST /login/totp    a session whose user has TOTP, awaiting the code
    GET  /account/totp, POST /account/totp, POST /account/totp/disable
                                          any signed-in user, even one with no role
    GET  /                                any signed-in user (counts for travel readers)
    GET  /flights, /flights/{id}             x        x       x    x      -           -
    GET  /travellers/{id}                    x        x       x    x      -           -
    GET  /queue, /hits/{id}                  x        x       x    x      -           -
    POST /hits/{id}/decision                 x        x       -    -      -           -
    GET  /cases, /cases/{id}, /cases/{id}/attachments/{a}
                                             x        x       x    x      -           -
    GET  /cases/new                          x        x       -    -      -           -
    POST /cases, /cases/{id}/hits, /notes, /attachments, /status, /disseminations
                                             x        x       -    -      -           -
    POST /hits/{id}/case (add to a case)     x        x       -    -      -           -
    GET  /disseminations, /disseminations/{id}
                                             x        x       x    x      -           -
    POST /disseminations/{id}/export         x        x       -    -      -           -
    POST /disseminations/{id}/decision       -        x       -    -      -           -
    GET  /messages, /messages/{id}           x        x       x    x      -           -
    POST /messages/{id}/reprocess            -        x       -    x      -           -
    GET  /watchlists, /watchlists/{id}       x        x       x    x      -           x
    GET  /watchlists/import                  -        -       -    -      -           x
    POST /watchlists/import, .../confirm     -        -       -    -      -           x
    GET  /rules, /rules/{name}               x        x       x    x      x           -
    GET  /ui-static/rule-check.js            x        x       x    x      x           -
    POST /rules/check (JSON, live check)     x        x       x    x      x           -
    GET  /rules/new, /rules/{name}/edit      -        -       -    -      x           -
    POST /rules/edit (check, try, save)      -        -       -    -      x           -
    POST /rules/{name}/versions/{v}/{step}   -        -       -    -      x           -
    GET  /audit, /audit/verify, /audit/export
                                             -        -       x    x      -           -
    GET  /admin/users, POST /admin/users     -        -       -    x      -           -
    GET  /admin/users/{username}             -        -       -    x      -           -
    POST /admin/users/{username}/roles, /password, /active, /totp-reset
                                             -        -       -    x      -           -
    GET  /admin/sessions, POST /admin/sessions/end
                                             -        -       -    x      -           -
    GET  /admin/carriers, POST /admin/carriers, /admin/carriers/{code}/rotate, .../revoke
                                             -        -       -    x      -           -

Anonymous visitors (no cookie, a bad signature, a session ended, idle or expired, a
disabled account) are sent to ``/login`` with a 303; a signed-in user without the role
gets a 403 page. A user with a second factor whose session has not yet passed it is sent
to ``/login/totp``, and then a user whose password must change to ``/password``, whatever
page they asked for. The dashboard shows counts only (no personal data) to every role; the
travel panels are for the roles that read travel data.

Every page that shows personal data writes an audit entry (``page.flight``,
``page.traveller``, ``page.queue``, ``page.hit``, ``page.messages``, ``page.message``,
``page.watchlist``, ``page.watchlist_preview``, ``page.rule_trial``, ``page.audit``) after
it has found what it shows, so a refused or missed request leaves none; the decision
itself is audited by :func:`piu.store.reviews.decide` (``hit.decide``), a list import by
:func:`piu.ingest.lists.import_list` (``watchlist.import``), rule steps by
:mod:`piu.store.rules` (``rule.*``), and the pages add ``message.reprocess`` and
``audit.export``. Roles mirror :mod:`piu.web.deps` for watchlists and rules;
reprocessing is for supervisors and admins, the audit log for the DPO and admins.
The case pages (:mod:`piu.web.ui.case_pages`) add ``page.cases``, ``page.case``,
``page.attachment``, ``page.disseminations`` and ``page.dissemination``; their changes are
audited by :mod:`piu.store.cases` (``case.*``) and :mod:`piu.store.disseminations`
(``dissemination.*``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from piu.accounts import ui_sessions
from piu.accounts.roles import Role
from piu.accounts.ui_sessions import UiSession
from piu.accounts.users import User, user_by_id
from piu.store import audit
from piu.web.deps import (
    MESSAGE_READERS,
    RULE_READERS,
    TRAVEL_READERS,
    WATCHLIST_READERS,
    get_engine,
    remote_address,
)
from piu.web.ui import csrf
from piu.web.ui.sessions import COOKIE, Session, SessionSigner, clear_cookie

__all__ = [
    "ADMINS",
    "AUDITORS",
    "CSP",
    "DECIDERS",
    "NAV",
    "AdminPageUser",
    "AnyPageUser",
    "CsrfField",
    "DeciderPageUser",
    "LoginRequired",
    "MessagePageUser",
    "PageForbidden",
    "PageUser",
    "PasswordChangeRequired",
    "SecondFactorRequired",
    "SignedInPageUser",
    "TravelPageUser",
    "audit_page",
    "current_page_user",
    "deployment_key",
    "not_found",
    "redirect",
    "render",
    "require_page_roles",
    "safe_next",
    "session_of",
    "signed_in",
    "signer",
    "templates",
]

DECIDERS = frozenset({Role.ANALYST, Role.SUPERVISOR})
ADMINS = frozenset({Role.ADMIN})
AUDITORS = frozenset({Role.DPO, Role.ADMIN})  # the audit log: who oversees, who runs it
PASSWORD_PATH = "/password"  # noqa: S105 - a URL path
TOTP_LOGIN_PATH = "/login/totp"

# Navigation: (label, path, roles that see it). Only what the user may open is shown.
NAV: tuple[tuple[str, str, frozenset[Role] | None], ...] = (
    ("Dashboard", "/", None),
    ("Review queue", "/queue", TRAVEL_READERS),
    ("Flights", "/flights", TRAVEL_READERS),
    ("Cases", "/cases", TRAVEL_READERS),
    ("Rejected messages", "/messages", MESSAGE_READERS),
    ("Watchlists", "/watchlists", WATCHLIST_READERS),
    ("Rules", "/rules", RULE_READERS),
    ("Audit log", "/audit", AUDITORS),
    ("Administration", "/admin/users", ADMINS),
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


class SecondFactorRequired(Exception):  # noqa: N818
    """The password was right but the TOTP code is still due: a 303 to /login/totp."""

    def __init__(self, next_path: str = "/") -> None:
        self.next_path = next_path


class PageForbidden(Exception):  # noqa: N818
    """Signed in, but without a role the page needs: a 403 page."""

    def __init__(self, page_user: PageUser, allowed: frozenset[Role]) -> None:
        self.page_user = page_user
        self.allowed = allowed


@dataclass(frozen=True, slots=True)
class PageUser:
    user: User
    session: Session  # the cookie: session id and CSRF token
    record: UiSession  # the server-side row behind it

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def second_factor_pending(self) -> bool:
        """The user has TOTP and this session has not proved a code yet."""
        return self.user.totp_enabled and self.record.second_factor_at is None


def signer(request: Request) -> SessionSigner:
    found: SessionSigner = request.app.state.ui_signer
    return found


def deployment_key(request: Request) -> bytes:
    """The key from ``PIU_DATA_DIR/secret_key``, loaded once by :func:`piu.web.ui.mount`."""
    found: bytes = request.app.state.deployment_key
    return found


def session_of(request: Request) -> Session | None:
    """The cookie's session pointer if its signature holds (not yet whether it is live)."""
    return signer(request).load(request.cookies.get(COOKIE))


def current_page_user(request: Request) -> PageUser | None:
    """Who is signed in: a live session row behind a good cookie, of a usable account.

    Reading the row on every request is what lets logout and an administrator end a
    session for good; :func:`ui_sessions.find_live` also applies the idle and absolute
    expiry and moves ``last_seen_at`` (at most once a minute).
    """
    cookie = session_of(request)
    if cookie is None:
        return None
    engine = get_engine(request)
    record = ui_sessions.find_live(engine, cookie.id)
    if record is None:
        return None
    with engine.connect() as conn:
        user = user_by_id(conn, record.user_id)
    if user is None or not user.active or not user.has_password:
        return None
    page_user = PageUser(user, cookie, record)
    if page_user.second_factor_pending and (
        datetime.now(UTC) - record.created_at > ui_sessions.PENDING_TIMEOUT
    ):
        ui_sessions.end_session(engine, record.id_hash, "expired")
        return None
    return page_user


def signed_in(request: Request) -> PageUser:
    """A dependency for the few pages a half-finished login may reach (logout, the TOTP
    step): a live session is enough, whatever the second factor or the password's state."""
    page_user = current_page_user(request)
    if page_user is None:
        raise LoginRequired(request.url.path)
    return page_user


def require_page_roles(
    allowed: frozenset[Role] | None = None,
) -> Callable[[Request], PageUser]:
    """A page dependency: anonymous -> 303 /login; wrong role -> 403 page.

    ``allowed`` None lets in any signed-in user, even one holding no role (the dashboard,
    the password page), as ``/api/v1/me`` does.

    This is the one place that holds a login to its steps, in order: a user with TOTP
    whose session has not proved a code is sent to /login/totp (``second_factor_at`` is
    set only there), then a user whose password must change to /password.
    """

    def check(request: Request) -> PageUser:
        page_user = signed_in(request)
        if page_user.second_factor_pending:
            raise SecondFactorRequired(request.url.path)
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
AdminPageUser = Annotated[PageUser, Depends(require_page_roles(ADMINS))]
SignedInPageUser = Annotated[PageUser, Depends(signed_in)]
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
    """A page in the base layout (navigation for the user's roles, their CSRF token)."""
    user = page_user.user if page_user else None
    session = page_user.session if page_user else None
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
    return response


def redirect(request: Request, path: str) -> RedirectResponse:
    """A 303 after a form post (the session lives server-side: no cookie to refresh)."""
    return RedirectResponse(path, status_code=303)


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


async def on_second_factor(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SecondFactorRequired)
    target = TOTP_LOGIN_PATH
    if exc.next_path != "/":
        target += "?next=" + quote(exc.next_path, safe="/")
    return RedirectResponse(target, status_code=303)


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
