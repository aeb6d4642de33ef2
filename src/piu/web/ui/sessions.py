"""Session cookies for the analyst's pages: a signed pointer to a server-side session.

The cookie is a small JSON payload (the random session id and the session's CSRF token),
base64url-encoded and signed with HMAC-SHA256 under the deployment's secret key::

    piu_session = <payload b64url> "." <HMAC-SHA256(key, "session|" + payload) b64url>

* The session itself is a row of ``ui_sessions`` (:mod:`piu.accounts.ui_sessions`), keyed
  by the SHA-256 of the id: idle expiry (:data:`IDLE_TIMEOUT`), absolute expiry
  (:data:`MAX_AGE`), logout and revocation are decided there, so ending the row stops
  every copy of the cookie. The signature only keeps forged and altered cookies from
  reaching the database.
* The key lives in ``PIU_DATA_DIR/secret_key`` (32 random bytes, hex, mode 0600), made on
  first start and never in the repository. Deleting it ends every session, and makes the
  TOTP secrets sealed under it (:mod:`piu.accounts.sealed`) unreadable: each enrolled
  user then needs ``piu users reset-totp NAME``.
* The cookie is ``HttpOnly``, ``SameSite=Lax``, ``Path=/`` and ``Secure`` whenever the
  request came over HTTPS (directly, or through a proxy listed in ``trusted_proxies``,
  whose ``X-Forwarded-Proto`` uvicorn applies before we see the request).
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
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from piu.accounts import ui_sessions

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
IDLE_TIMEOUT = int(ui_sessions.IDLE_TIMEOUT.total_seconds())
MAX_AGE = int(ui_sessions.MAX_AGE.total_seconds())  # also the cookie's Max-Age
PRE_MAX_AGE = 60 * 60
_KEY_BYTES = 32


def load_or_create_secret(data_dir: Path) -> bytes:
    """The deployment's key from ``data_dir/secret_key``, created (0600) if missing.

    It signs the session cookies here and seals the TOTP secrets (:mod:`piu.accounts.sealed`).
    """
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
    """What the cookie carries: the server-side session's id and its CSRF token."""

    id: str  # random; the ui_sessions row is keyed by its SHA-256
    csrf: str


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
    def new_session(self, session_id: str) -> Session:
        """The cookie for a session just opened: a fresh CSRF token (no fixation)."""
        return Session(session_id, secrets.token_urlsafe(32))

    def dump(self, session: Session) -> str:
        return self.sign("session", {"k": session.id, "c": session.csrf})

    def load(self, token: str | None) -> Session | None:
        """The session pointer in ``token`` if the signature holds (liveness: the table)."""
        data = self.unsign("session", token)
        if data is None:
            return None
        key, csrf = data.get("k"), data.get("c")
        if not isinstance(key, str) or not isinstance(csrf, str) or not key or not csrf:
            return None
        return Session(key, csrf)

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
