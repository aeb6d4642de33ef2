"""Signed, expiring session cookies for the analyst's pages (no server-side session table).

A session is a small JSON payload (user id, issue time, last activity, CSRF token),
base64url-encoded and signed with HMAC-SHA256 under the deployment's secret key::

    piu_session = <payload b64url> "." <HMAC-SHA256(key, "piu-session|" + payload) b64url>

* The key lives in ``PIU_DATA_DIR/secret_key`` (32 random bytes, hex, mode 0600), made on
  first start and never in the repository. Deleting it ends every session.
* **Idle expiry**: a session unused for :data:`IDLE_TIMEOUT` is refused; each page view
  re-issues the cookie with a fresh ``seen`` time (sliding window). **Absolute expiry**:
  :data:`MAX_AGE` after login, whatever the activity.
* The user is read from the database on every request, so a disabled account or a
  removed role takes effect at once. The cookie carries the user id and a fingerprint of
  the account's last change (:func:`account_stamp`): a password reset, a role change or
  disabling the account ends the sessions opened before it.
* The cookie is ``HttpOnly``, ``SameSite=Lax``, ``Path=/`` and ``Secure`` whenever the
  request came over HTTPS (directly, or through a proxy listed in ``trusted_proxies``,
  whose ``X-Forwarded-Proto`` uvicorn applies before we see the request).

Known limit of a stateless cookie: logout deletes the cookie in the browser, but a copy
taken earlier stays valid until it idles out. A server-side session table (a schema
change) would allow revocation; see docs/dev/web-ui.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

__all__ = [
    "COOKIE",
    "IDLE_TIMEOUT",
    "MAX_AGE",
    "Session",
    "SessionSigner",
    "load_or_create_secret",
]

COOKIE = "piu_session"
PRE_COOKIE = "piu_login"  # carries the login form's CSRF token before anyone is signed in
IDLE_TIMEOUT = 30 * 60
MAX_AGE = 12 * 60 * 60
PRE_MAX_AGE = 60 * 60
_KEY_BYTES = 32


def load_or_create_secret(data_dir: Path) -> bytes:
    """The signing key from ``data_dir/secret_key``, created (0600) if missing."""
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(_KEY_BYTES) + "\n")
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ValueError(f"{path} is not a hex key; delete it to make a new one") from None
    if len(key) < 16:
        raise ValueError(f"{path} holds a key shorter than 16 bytes; delete it to make a new one")
    if os.name == "posix" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # someone loosened it: tighten rather than refuse to start
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Session:
    user_id: int
    issued: int  # unix seconds of the login
    seen: int  # unix seconds of the last request
    csrf: str
    account: str = ""  # fingerprint of the account's last change (see account_stamp)

    def touched(self, now: int) -> Session:
        return Session(self.user_id, self.issued, now, self.csrf, self.account)


class SessionSigner:
    """Signs and checks session (and pre-login) cookies under one key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, purpose: str, payload: str) -> str:
        digest = hmac.new(self._key, f"{purpose}|{payload}".encode(), hashlib.sha256).digest()
        return _b64(digest)

    def sign(self, purpose: str, data: dict[str, object]) -> str:
        payload = _b64(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())
        return f"{payload}.{self._mac(purpose, payload)}"

    def unsign(self, purpose: str, token: str | None) -> dict[str, object] | None:
        if not token or token.count(".") != 1 or len(token) > 4096:
            return None
        payload, mac = token.split(".")
        if not hmac.compare_digest(mac, self._mac(purpose, payload)):
            return None
        try:
            data = json.loads(_unb64(payload))
        except (ValueError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None

    # --- sessions -------------------------------------------------------------------
    def new_session(self, user_id: int, account: str = "", now: int | None = None) -> Session:
        now = int(time.time()) if now is None else now
        return Session(user_id, now, now, secrets.token_urlsafe(32), account)

    def dump(self, session: Session) -> str:
        return self.sign(
            "session",
            {
                "u": session.user_id,
                "i": session.issued,
                "s": session.seen,
                "c": session.csrf,
                "a": session.account,
            },
        )

    def load(self, token: str | None, now: int | None = None) -> Session | None:
        """The session in ``token`` if the signature holds and it has not expired."""
        data = self.unsign("session", token)
        if data is None:
            return None
        try:
            session = Session(
                int(data["u"]),  # type: ignore[call-overload]
                int(data["i"]),  # type: ignore[call-overload]
                int(data["s"]),  # type: ignore[call-overload]
                str(data["c"]),
                str(data.get("a", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None
        now = int(time.time()) if now is None else now
        if now - session.seen > IDLE_TIMEOUT or now - session.issued > MAX_AGE:
            return None
        if session.seen > now + 60:  # from the future: a clock jump or a forgery attempt
            return None
        return session

    # --- the login form's CSRF token, before there is a session -------------------------
    def new_pre_token(self) -> tuple[str, str]:
        """``(cookie value, form token)`` for the login form."""
        token = secrets.token_urlsafe(32)
        return self.sign("login", {"c": token, "t": int(time.time())}), token

    def pre_token(self, cookie: str | None) -> str | None:
        data = self.unsign("login", cookie)
        if data is None or int(time.time()) - int(data.get("t", 0)) > PRE_MAX_AGE:  # type: ignore[call-overload]
            return None
        token = data.get("c")
        return token if isinstance(token, str) else None


def account_stamp(updated_at: datetime) -> str:
    """A short fingerprint of an account's last change (password, roles, enabled).

    A session carries the stamp of its login; when an admin resets the password or
    disables the account, the stamp changes and every older session stops working.
    """
    return hashlib.sha256(updated_at.isoformat().encode()).hexdigest()[:16]


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=is_https(request))
