"""The administrator's pages: users (with their API tokens), open sessions, carriers (role
``admin`` only).

Each change calls the same function as the ``piu users`` / ``piu carriers`` commands
(:mod:`piu.accounts`), with the administrator as ``actor``, so the rules (password
policy, the last active admin, audit entries in the change's own transaction) are the
same whichever door is used. Generated passwords and carrier tokens are shown once, in
the answer to the POST that made them, and never stored or logged in clear. Every POST
checks the session's CSRF token before anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import Response

from piu.accounts import totp, ui_sessions
from piu.accounts.carriers import (
    CarrierToken,
    add_carrier,
    list_carriers,
    revoke_carrier,
    rotate_carrier,
)
from piu.accounts.errors import AccountError, PasswordPolicyError
from piu.accounts.passwords import generate_password
from piu.accounts.roles import Role, parse_roles
from piu.accounts.tokens import create_token, list_tokens, revoke_token
from piu.accounts.users import (
    User,
    create_user,
    get_user,
    list_users,
    set_active,
    set_password,
    set_roles,
)
from piu.web.deps import get_engine, remote_address
from piu.web.ui import csrf
from piu.web.ui.framework import AdminPageUser, CsrfField, PageUser, redirect, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

USERS = "/admin/users"
SESSIONS = "/admin/sessions"
CARRIERS = "/admin/carriers"
UserName = Annotated[str, Path(min_length=1, max_length=64)]
CarrierCode = Annotated[str, Path(min_length=2, max_length=3)]
RolesField = Annotated[list[str] | None, Form()]


@dataclass(frozen=True, slots=True)
class UserRow:
    """A user as the list shows it."""

    user: User
    locked: bool
    last_login: datetime | None


def _problem(exc: AccountError) -> str:
    if isinstance(exc, PasswordPolicyError):
        return "; ".join(exc.problems)
    return str(exc)


def _secret_page(
    request: Request, page_user: PageUser, *, title: str, what: str, secret: str, back: str
) -> Response:
    """A one-time secret (new password, carrier token): shown in this answer only."""
    return render(
        request, "admin_secret.html", page_user, title=title, what=what, secret=secret, back=back
    )


# --- users --------------------------------------------------------------------------
def _users_page(
    request: Request, page_user: PageUser, status_code: int = 200, error: str | None = None
) -> Response:
    engine = get_engine(request)
    now = datetime.now(UTC)
    last = ui_sessions.last_logins(engine)
    rows = [UserRow(u, u.locked_at(now), last.get(u.id)) for u in list_users(engine)]
    return render(
        request,
        "admin_users.html",
        page_user,
        status_code,
        title="Users",
        rows=rows,
        roles=list(Role),
        error=error,
    )


@router.get(USERS)
def users_page(request: Request, page_user: AdminPageUser) -> Response:
    return _users_page(request, page_user)


@router.post(USERS)
def create_user_page(
    request: Request,
    page_user: AdminPageUser,
    csrf_token: CsrfField = "",
    username: Annotated[str, Form(max_length=64)] = "",
    display_name: Annotated[str, Form(max_length=128)] = "",
    roles: RolesField = None,
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    password = generate_password()
    try:
        user = create_user(
            get_engine(request),
            username,
            roles=parse_roles(roles or []),
            password=password,
            display_name=display_name.strip() or None,
            must_change_password=True,
            actor=page_user.name,
        )
    except AccountError as exc:
        return _users_page(request, page_user, 400, _problem(exc))
    return _secret_page(
        request,
        page_user,
        title="User created",
        what=f"The first password of {user.username}; they must change it when signing in.",
        secret=password,
        back=f"{USERS}/{user.username}",
    )


def _user_page(
    request: Request,
    page_user: PageUser,
    username: str,
    status_code: int = 200,
    *,
    error: str | None = None,
    done: str | None = None,
) -> Response:
    engine = get_engine(request)
    try:
        user = get_user(engine, username)
    except AccountError as exc:
        return render(request, "error.html", page_user, 404, title="Not found", message=str(exc))
    return render(
        request,
        "admin_user.html",
        page_user,
        status_code,
        title=f"User {user.username}",
        subject=user,
        locked=user.locked_at(datetime.now(UTC)),
        last_login=ui_sessions.last_logins(engine).get(user.id),
        sessions=ui_sessions.list_open(engine, user_id=user.id),
        own_session=page_user.record.id_hash,
        tokens=list_tokens(engine, user.username),
        now=datetime.now(UTC),
        roles=list(Role),
        error=error,
        done=done,
    )


DONE = {
    "roles": "Roles saved.",
    "enabled": "Account enabled.",
    "disabled": "Account disabled; its sessions have ended.",
    "totp": "Second factor removed; the user signs in with the password and may enrol again.",
    "session": "Session ended.",
    "token": "API token revoked: it no longer works.",
}


@router.get(USERS + "/{username}")
def user_page(
    request: Request,
    page_user: AdminPageUser,
    username: UserName,
    done: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    return _user_page(request, page_user, username, done=DONE.get(done))


def _change(
    request: Request, page_user: PageUser, username: str, done: str, action: Callable[[], User]
) -> Response:
    """Run one account change; its refusal (a person can fix it) is shown on the page,
    its success answered with a redirect (reloading the page does not repeat it)."""
    try:
        user = action()
    except AccountError as exc:
        return _user_page(request, page_user, username, 400, error=_problem(exc))
    return redirect(request, f"{USERS}/{user.username}?done={done}")


@router.post(USERS + "/{username}/roles")
def user_roles(
    request: Request,
    page_user: AdminPageUser,
    username: UserName,
    csrf_token: CsrfField = "",
    roles: RolesField = None,
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    return _change(
        request,
        page_user,
        username,
        "roles",
        lambda: set_roles(engine, username, parse_roles(roles or []), actor=page_user.name),
    )


@router.post(USERS + "/{username}/password")
def user_password(
    request: Request, page_user: AdminPageUser, username: UserName, csrf_token: CsrfField = ""
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    password = generate_password()
    try:
        user = set_password(engine, username, password, must_change=True, actor=page_user.name)
    except AccountError as exc:
        return _user_page(request, page_user, username, 400, error=_problem(exc))
    return _secret_page(
        request,
        page_user,
        title="Password reset",
        what=(
            f"The new password of {user.username}; they must change it when signing in. "
            "Their open sessions have ended and a lockout is lifted."
        ),
        secret=password,
        back=f"{USERS}/{user.username}",
    )


@router.post(USERS + "/{username}/active")
def user_active(
    request: Request,
    page_user: AdminPageUser,
    username: UserName,
    csrf_token: CsrfField = "",
    active: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    if active not in ("0", "1"):
        return _user_page(request, page_user, username, 400, error="say enable or disable")
    engine = get_engine(request)
    on = active == "1"
    return _change(
        request,
        page_user,
        username,
        "enabled" if on else "disabled",
        lambda: set_active(engine, username, on, actor=page_user.name),
    )


@router.post(USERS + "/{username}/totp-reset")
def user_totp_reset(
    request: Request, page_user: AdminPageUser, username: UserName, csrf_token: CsrfField = ""
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    return _change(
        request,
        page_user,
        username,
        "totp",
        lambda: totp.reset(engine, username, actor=page_user.name),
    )


@router.post(USERS + "/{username}/tokens")
def user_token_create(
    request: Request,
    page_user: AdminPageUser,
    username: UserName,
    csrf_token: CsrfField = "",
    name: Annotated[str, Form(max_length=64)] = "",
    days: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """A new API token for the user (a program acting as them), shown once."""
    csrf.check(page_user.session.csrf, csrf_token)
    lifetime = None
    if days.strip():
        if not days.strip().isdigit() or not 1 <= int(days) <= 3650:
            return _user_page(
                request, page_user, username, 400, error="days: a whole number, 1 to 3650"
            )
        lifetime = timedelta(days=int(days))
    try:
        new = create_token(
            get_engine(request), username, name, expires_in=lifetime, actor=page_user.name
        )
    except AccountError as exc:
        return _user_page(request, page_user, username, 400, error=_problem(exc))
    until = f"until {new.expires_at:%Y-%m-%d %H:%M} UTC" if new.expires_at else "without expiry"
    return _secret_page(
        request,
        page_user,
        title="API token created",
        what=(
            f"API token '{new.name}' of {new.username}, {until}. A program sends it as "
            "'Authorization: Bearer <token>' and acts with the user's roles."
        ),
        secret=new.token,
        back=f"{USERS}/{new.username}",
    )


@router.post(USERS + "/{username}/tokens/{token_id}/revoke")
def user_token_revoke(
    request: Request,
    page_user: AdminPageUser,
    username: UserName,
    token_id: Annotated[int, Path(ge=1)],
    csrf_token: CsrfField = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    try:
        held = {t.id for t in list_tokens(engine, username)}
    except AccountError:  # no such user: the page says so
        return _user_page(request, page_user, username, 404)
    if token_id not in held:
        return _user_page(request, page_user, username, 404, error="no such token of this user")
    revoke_token(engine, token_id, actor=page_user.name)
    return redirect(request, f"{USERS}/{username}?done=token")


# --- sessions -----------------------------------------------------------------------
def _sessions_page(
    request: Request, page_user: PageUser, status_code: int = 200, **context: Any
) -> Response:
    return render(
        request,
        "admin_sessions.html",
        page_user,
        status_code,
        title="Open sessions",
        sessions=ui_sessions.list_open(get_engine(request)),
        own_session=page_user.record.id_hash,
        **context,
    )


@router.get(SESSIONS)
def sessions_page(
    request: Request, page_user: AdminPageUser, done: Annotated[str, Query(max_length=1)] = ""
) -> Response:
    return _sessions_page(request, page_user, done=DONE["session"] if done else None)


@router.post(SESSIONS + "/end")
def end_session_page(
    request: Request,
    page_user: AdminPageUser,
    csrf_token: CsrfField = "",
    session: Annotated[str, Form(pattern="^[0-9a-f]{64}$")] = "",
    back: Annotated[str, Form(max_length=80)] = SESSIONS,
) -> Response:
    """End (revoke) someone's session: every copy of its cookie stops at once."""
    csrf.check(page_user.session.csrf, csrf_token)
    ended = ui_sessions.revoke_session(
        get_engine(request), session, actor=page_user.name, remote=remote_address(request)
    )
    if ended is None:
        return _sessions_page(request, page_user, 404, error="That session is not open any more.")
    # Back to the user's page when the button was there (a local admin path only).
    if back == f"{USERS}/{ended.username}":
        return redirect(request, back + "?done=session")
    return redirect(request, SESSIONS + "?done=1")


# --- carriers -----------------------------------------------------------------------
def _carriers_page(
    request: Request, page_user: PageUser, status_code: int = 200, error: str | None = None
) -> Response:
    settings = request.app.state.settings
    return render(
        request,
        "admin_carriers.html",
        page_user,
        status_code,
        title="Carriers",
        carriers=list_carriers(get_engine(request), settings.carriers),
        error=error,
    )


@router.get(CARRIERS)
def carriers_page(request: Request, page_user: AdminPageUser) -> Response:
    return _carriers_page(request, page_user)


def _token_page(
    request: Request,
    page_user: PageUser,
    issue: Callable[[], CarrierToken],
    *,
    title: str,
    what: str,
) -> Response:
    """Issue a carrier's push token (``issue``: add or rotate) and show it once, ``what``
    naming the carrier as ``{code}``; a refusal is shown on the carriers page."""
    try:
        new = issue()
    except AccountError as exc:
        return _carriers_page(request, page_user, 400, _problem(exc))
    return _secret_page(
        request,
        page_user,
        title=title,
        what=what.format(code=new.code),
        secret=new.token,
        back=CARRIERS,
    )


@router.post(CARRIERS)
def add_carrier_page(
    request: Request,
    page_user: AdminPageUser,
    csrf_token: CsrfField = "",
    code: Annotated[str, Form(max_length=8)] = "",
    name: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    return _token_page(
        request,
        page_user,
        lambda: add_carrier(
            get_engine(request), code, name=name.strip() or None, actor=page_user.name
        ),
        title="Carrier added",
        what="The push token of {code}; give it to the carrier over a safe channel.",
    )


@router.post(CARRIERS + "/{code}/rotate")
def rotate_carrier_page(
    request: Request, page_user: AdminPageUser, code: CarrierCode, csrf_token: CsrfField = ""
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    return _token_page(
        request,
        page_user,
        lambda: rotate_carrier(get_engine(request), code, actor=page_user.name),
        title="Carrier token replaced",
        what="The new push token of {code}; the old one no longer works.",
    )


@router.post(CARRIERS + "/{code}/revoke")
def revoke_carrier_page(
    request: Request, page_user: AdminPageUser, code: CarrierCode, csrf_token: CsrfField = ""
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    try:
        revoke_carrier(get_engine(request), code, actor=page_user.name)
    except AccountError as exc:
        return _carriers_page(request, page_user, 400, _problem(exc))
    return redirect(request, CARRIERS)
