"""Sign in, sign out and change one's password (the pages every user reaches).

Every login opens a server-side session (:mod:`piu.accounts.ui_sessions`) and puts its
random id, signed, in the cookie; logout ends the row, so a copied cookie dies with it.
A user with a second factor is sent on to ``/login/totp`` (:mod:`piu.web.ui.totp_pages`)
before any other page opens.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from piu.accounts import passwords, ui_sessions
from piu.accounts.errors import AccountError, PasswordPolicyError
from piu.accounts.users import User, authenticate_password, set_password
from piu.errors import AccessError
from piu.store import audit
from piu.web.deps import get_engine, remote_address
from piu.web.ui import csrf
from piu.web.ui.framework import (
    PASSWORD_PATH,
    TOTP_LOGIN_PATH,
    AnyPageUser,
    CsrfField,
    SignedInPageUser,
    current_page_user,
    render,
    safe_next,
    signer,
)
from piu.web.ui.sessions import (
    COOKIE,
    MAX_AGE,
    PRE_COOKIE,
    PRE_MAX_AGE,
    clear_cookie,
    set_cookie,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _login_form(
    request: Request, *, error: str | None = None, next_path: str = "/", status_code: int = 200
) -> HTMLResponse:
    cookie, token = signer(request).new_pre_token()
    response = render(
        request,
        "login.html",
        None,
        status_code,
        csrf_token=token,
        error=error,
        next_path=safe_next(next_path),
        title="Sign in",
    )
    set_cookie(response, request, PRE_COOKIE, cookie, PRE_MAX_AGE)
    return response


def _after_password(user: User, next_path: str) -> str:
    """Where a login goes once the password is right: the code, a new password, the page."""
    if user.totp_enabled:
        target = safe_next(next_path)
        return TOTP_LOGIN_PATH + ("" if target == "/" else "?next=" + quote(target, safe="/"))
    return PASSWORD_PATH if user.must_change_password else safe_next(next_path)


def start_session(
    request: Request, response: Response, user: User, *, second_factor: bool = False
) -> None:
    """Open a server-side session for ``user`` and hand its signed id to the browser.

    A fresh id and CSRF token on every login and password change: no session fixation.
    """
    session_id, _ = ui_sessions.open_session(
        get_engine(request),
        user.id,
        remote=remote_address(request),
        user_agent=request.headers.get("user-agent"),
        second_factor=second_factor,
    )
    cookie = signer(request).dump(signer(request).new_session(session_id))
    set_cookie(response, request, COOKIE, cookie, MAX_AGE)


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query()] = "/") -> Response:
    page_user = current_page_user(request)
    if page_user is not None:
        target = TOTP_LOGIN_PATH if page_user.second_factor_pending else safe_next(next)
        return RedirectResponse(target, status_code=303)
    return _login_form(request, next_path=next)


@router.post("/login")
def login(
    request: Request,
    csrf_token: CsrfField = "",
    username: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    csrf.check(signer(request).pre_token(request.cookies.get(PRE_COOKIE)), csrf_token)
    engine = get_engine(request)
    try:
        user = authenticate_password(engine, username, password, remote=remote_address(request))
    except AccessError as exc:
        return _login_form(request, error=str(exc), next_path=next, status_code=401)
    audit.record(
        engine,
        actor=user.username,
        action="ui.login",
        subject_type="user",
        subject_id=user.username,
        detail={"second_factor": "due"} if user.totp_enabled else None,
        remote=remote_address(request),
    )
    response = RedirectResponse(_after_password(user, next), status_code=303)
    start_session(request, response, user)
    clear_cookie(response, request, PRE_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, page_user: SignedInPageUser, csrf_token: CsrfField = "") -> Response:
    """End the session row (every copy of the cookie stops) and delete the cookie.

    Open to a half-finished login too (code not yet given, password still to change), so
    that anyone can walk away from a signed-in browser.
    """
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    ui_sessions.end_session(engine, page_user.record.id_hash, "logout")
    audit.record(
        engine,
        actor=page_user.name,
        action="ui.logout",
        subject_type="user",
        subject_id=page_user.name,
        remote=remote_address(request),
    )
    response = RedirectResponse("/login", status_code=303)
    clear_cookie(response, request, COOKIE)
    return response


@router.get(PASSWORD_PATH)
def password_form(request: Request, page_user: AnyPageUser) -> Response:
    return render(request, "password.html", page_user, title="Change password", problems=[])


@router.post(PASSWORD_PATH)
def change_password(
    request: Request,
    page_user: AnyPageUser,
    csrf_token: CsrfField = "",
    current: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
    new: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
    repeat: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    problems: list[str] = []
    try:
        # The current password is checked like a login: failures count towards lockout.
        authenticate_password(engine, page_user.name, current, remote=remote_address(request))
    except AccessError as exc:
        problems.append(f"current password: {exc}")
    if new != repeat:
        problems.append("the new password and its repetition differ")
    if new and new == current:
        problems.append("the new password is the same as the current one")
    changed = None
    if not problems:
        try:
            changed = set_password(
                engine, page_user.name, new, must_change=False, actor=page_user.name
            )
        except PasswordPolicyError as exc:
            problems.extend(exc.problems)
        except AccountError as exc:
            problems.append(str(exc))
    if problems or changed is None:
        return render(
            request, "password.html", page_user, 400, title="Change password", problems=problems
        )
    # set_password ended every session of the account (other browsers, a stolen copy,
    # and this one); the person who changed it continues in a fresh session, which keeps
    # the second factor this session had proved.
    response = RedirectResponse("/", status_code=303)
    proved = page_user.record.second_factor_at is not None
    start_session(request, response, changed, second_factor=proved)
    return response
