"""Sign in, sign out and change one's password (the pages every user reaches)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from piu.accounts import passwords
from piu.accounts.errors import AccountError, PasswordPolicyError
from piu.accounts.users import authenticate_password, set_password
from piu.errors import AccessError
from piu.store import audit
from piu.web.deps import get_engine, remote_address
from piu.web.ui import csrf
from piu.web.ui.framework import (
    PASSWORD_PATH,
    AnyPageUser,
    CsrfField,
    render,
    safe_next,
    session_of,
    signer,
)
from piu.web.ui.sessions import (
    COOKIE,
    MAX_AGE,
    PRE_COOKIE,
    PRE_MAX_AGE,
    account_stamp,
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


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query()] = "/") -> Response:
    if session_of(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
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
    # A fresh session (new CSRF token) on every login: no session fixation.
    session = signer(request).new_session(user.id, account_stamp(user.updated_at))
    audit.record(
        engine,
        actor=user.username,
        action="ui.login",
        subject_type="user",
        subject_id=user.username,
        remote=remote_address(request),
    )
    target = PASSWORD_PATH if user.must_change_password else safe_next(next)
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, request, COOKIE, signer(request).dump(session), MAX_AGE)
    clear_cookie(response, request, PRE_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, page_user: AnyPageUser, csrf_token: CsrfField = "") -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    audit.record(
        get_engine(request),
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
    # A new session (new CSRF token, new account stamp) after the change; older sessions
    # of this account, in other browsers, end here.
    fresh = signer(request).new_session(changed.id, account_stamp(changed.updated_at))
    response = RedirectResponse("/", status_code=303)
    set_cookie(response, request, COOKIE, signer(request).dump(fresh), MAX_AGE)
    return response
