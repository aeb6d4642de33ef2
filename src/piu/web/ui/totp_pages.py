"""The second factor's pages: the login's code step and the user's own enrolment.

* ``/login/totp``: after a right password, a user with TOTP gives a code here; only then
  is the session's ``second_factor_at`` set and do other pages open
  (:func:`~piu.web.ui.framework.require_page_roles`). Wrong codes count towards the
  lockout; when the account locks, the half-finished session ends and the password must
  be given again.
* ``/account/totp``: a signed-in user turns TOTP on (secret as text, ``otpauth://`` URI
  and a QR code drawn on the server as SVG; a first code confirms) or off (a current
  code confirms).

The secret offered during enrolment is not stored until confirmed: it travels in a
hidden field, signed with the deployment's key and bound to the user and a time, so the
form cannot be given a secret of someone else's choosing.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from piu.accounts import totp, ui_sessions
from piu.accounts.errors import AccountError
from piu.accounts.users import MAX_FAILED_LOGINS, get_user
from piu.store import audit
from piu.web.deps import get_engine, remote_address
from piu.web.ui import csrf
from piu.web.ui.framework import (
    PASSWORD_PATH,
    TOTP_LOGIN_PATH,
    AnyPageUser,
    CsrfField,
    PageUser,
    SignedInPageUser,
    deployment_key,
    redirect,
    render,
    safe_next,
    signer,
)
from piu.web.ui.sessions import COOKIE, clear_cookie

__all__ = ["ACCOUNT_TOTP_PATH", "ENROL_MAX_AGE", "router"]

router = APIRouter(include_in_schema=False)

ACCOUNT_TOTP_PATH = "/account/totp"
ENROL_MAX_AGE = 15 * 60  # seconds to scan the code and confirm it
_ENROL_PURPOSE = "totp-enrol"
CodeField = Annotated[str, Form(max_length=16)]


# --- the login's second step --------------------------------------------------------
def _code_form(
    request: Request, page_user: PageUser, next_path: str, error: str | None = None
) -> Response:
    return render(
        request,
        "login_totp.html",
        page_user,
        401 if error else 200,
        title="Sign-in code",
        error=error,
        next_path=safe_next(next_path),
    )


@router.get(TOTP_LOGIN_PATH)
def code_form(
    request: Request, page_user: SignedInPageUser, next: Annotated[str, Query()] = "/"
) -> Response:
    if not page_user.second_factor_pending:
        return redirect(request, safe_next(next))
    return _code_form(request, page_user, next)


@router.post(TOTP_LOGIN_PATH)
def check_code(
    request: Request,
    page_user: SignedInPageUser,
    csrf_token: CsrfField = "",
    code: CodeField = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    if not page_user.second_factor_pending:
        return redirect(request, safe_next(next))
    engine = get_engine(request)
    remote = remote_address(request)
    try:
        user = totp.verify_login_code(
            engine, page_user.user.id, code, key=deployment_key(request), remote=remote
        )
    except totp.TotpCodeError as exc:
        now_user = get_user(engine, page_user.name)
        if now_user.locked_until is None or not now_user.locked_at(datetime.now(UTC)):
            return _code_form(request, page_user, next, str(exc))
        # Locked: this half-finished session ends; after the lockout, password again.
        ui_sessions.end_session(engine, page_user.record.id_hash, "locked")
        message = (
            f"account locked after {MAX_FAILED_LOGINS} failed logins; try again after "
            f"{now_user.locked_until:%H:%M} UTC"
        )
        response = render(request, "error.html", None, 401, title="Account locked", message=message)
        clear_cookie(response, request, COOKIE)
        return response
    ui_sessions.mark_second_factor(engine, page_user.record.id_hash)
    audit.record(
        engine,
        actor=user.username,
        action="ui.login_totp",
        subject_type="user",
        subject_id=user.username,
        remote=remote,
    )
    target = PASSWORD_PATH if user.must_change_password else safe_next(next)
    return RedirectResponse(target, status_code=303)


# --- enrolment and removal, by the user ---------------------------------------------
def _qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG data URI (the CSP allows ``img-src data:``)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=4))


def _offer(request: Request, page_user: PageUser, secret: str | None = None) -> dict[str, Any]:
    """The enrolment form's values: a (new) secret, its signed carrier, URI and QR code."""
    secret = secret or totp.new_secret()
    token = signer(request).sign(
        _ENROL_PURPOSE, {"u": page_user.user.id, "s": secret, "t": int(time.time())}
    )
    uri = totp.provisioning_uri(secret, page_user.name)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"secret": grouped, "enrolment": token, "uri": uri, "qr": _qr_data_uri(uri)}


def _offered_secret(request: Request, page_user: PageUser, token: str) -> str | None:
    """The secret this user was offered (signature, owner and age checked), else None."""
    data = signer(request).unsign(_ENROL_PURPOSE, token)
    if data is None or data.get("u") != page_user.user.id:
        return None
    issued, secret = data.get("t"), data.get("s")
    if not isinstance(issued, int) or not isinstance(secret, str):
        return None
    return secret if 0 <= int(time.time()) - issued <= ENROL_MAX_AGE else None


def _account_page(
    request: Request,
    page_user: PageUser,
    status_code: int = 200,
    *,
    error: str | None = None,
    done: str | None = None,
    secret: str | None = None,
) -> Response:
    offer = None if page_user.user.totp_enabled else _offer(request, page_user, secret)
    return render(
        request,
        "account_totp.html",
        page_user,
        status_code,
        title="Second factor",
        offer=offer,
        error=error,
        done=done,
    )


@router.get(ACCOUNT_TOTP_PATH)
def account_totp(
    request: Request, page_user: AnyPageUser, done: Annotated[str, Query(max_length=16)] = ""
) -> Response:
    messages = {"on": "The second factor is on.", "off": "The second factor is off."}
    return _account_page(request, page_user, done=messages.get(done))


@router.post(ACCOUNT_TOTP_PATH)
def enable_totp(
    request: Request,
    page_user: AnyPageUser,
    csrf_token: CsrfField = "",
    enrolment: Annotated[str, Form(max_length=1024)] = "",
    code: CodeField = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    secret = _offered_secret(request, page_user, enrolment)
    if secret is None:
        error = "the offer expired: add the new secret below to your app and try again"
        return _account_page(request, page_user, 400, error=error)
    engine = get_engine(request)
    try:
        totp.enable(engine, page_user.name, secret, code, key=deployment_key(request))
    except AccountError as exc:
        return _account_page(request, page_user, 400, error=str(exc), secret=secret)
    # The person just proved a code in this session: it must not ask for one again.
    ui_sessions.mark_second_factor(engine, page_user.record.id_hash)
    return redirect(request, ACCOUNT_TOTP_PATH + "?done=on")


@router.post(ACCOUNT_TOTP_PATH + "/disable")
def disable_totp(
    request: Request, page_user: AnyPageUser, csrf_token: CsrfField = "", code: CodeField = ""
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    try:
        totp.disable(
            get_engine(request),
            page_user.name,
            code,
            key=deployment_key(request),
            remote=remote_address(request),
        )
    except (AccountError, totp.TotpCodeError) as exc:
        return _account_page(request, page_user, 400, error=str(exc))
    return redirect(request, ACCOUNT_TOTP_PATH + "?done=off")
