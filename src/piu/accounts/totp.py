"""Optional second factor: time-based one-time passwords (RFC 6238 over RFC 4226).

The parameters are the ones every authenticator app understands: HMAC-SHA-1, 30-second
steps, 6 digits. Built on :mod:`hmac` rather than a package, as it is a dozen lines.

* **Enrolment** is two steps so that nobody is locked out by a secret their app never
  stored: :func:`new_secret` is shown (as text, URI and QR code), and only
  :func:`enable` with a first right code saves it in ``users.totp_secret``.
* **Checking** a code accepts the step before and after the current one (clocks drift)
  and refuses a step at or before ``users.totp_last_step``: a code seen over a shoulder
  or in a proxy log cannot be used again. The step is claimed with a conditional UPDATE,
  so two requests racing with the same code cannot both win.
* A wrong code at login counts towards the password lockout
  (:data:`~piu.accounts.users.MAX_FAILED_LOGINS`): a stolen password does not give an
  unlimited number of guesses at the code.
* **Storage**: the server must read the secret back to compute codes, so it cannot be
  hashed; it is sealed (:mod:`piu.accounts.sealed`, AES-GCM) under a key derived from the
  deployment's ``PIU_DATA_DIR/secret_key`` and bound to the user's row. A copy of the
  database alone gives no codes, and a sealed secret copied into another user's row does
  not open there. The functions that read or write it take that key (``key=``).

Secrets stored before sealing (plain base32) are still accepted, and sealed in the same
UPDATE that claims the step of their first right code. If ``secret_key`` is deleted or
replaced, every enrolled secret becomes unreadable: the code step refuses those users
(a failed login, ``second factor unreadable``, and a warning in the log) until an
administrator removes the factor with ``piu users reset-totp NAME`` and they enrol again.

Limit: whoever holds both the database and ``secret_key`` (the server itself, or a full
backup of the data folder) can still compute the codes.
"""

from __future__ import annotations

import base64
import hmac
import logging
import secrets
import struct
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy import Engine, or_, select, update

from piu.accounts import sealed
from piu.accounts.errors import AccountError
from piu.accounts.events import EventKind, record_event
from piu.accounts.ui_sessions import end_user_sessions
from piu.accounts.users import (
    MAX_FAILED_LOGINS,
    User,
    count_failed_login,
    require_user,
    user_by_id,
)
from piu.errors import AccessError
from piu.store import audit
from piu.store.schema import users

__all__ = [
    "DIGITS",
    "ISSUER",
    "MAX_SECRET_CHARS",
    "STEP_SECONDS",
    "TotpCodeError",
    "code_at",
    "disable",
    "enable",
    "matching_step",
    "new_secret",
    "provisioning_uri",
    "reset",
    "step_of",
    "verify_login_code",
]

log = logging.getLogger(__name__)

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
ISSUER = "PIU"
_SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA-1
# The longest base32 secret accepted: sealed (+28 bytes, base64url, "v1.") it is 126
# characters, within users.totp_secret's 128. Ours are 32 (new_secret).
MAX_SECRET_CHARS = 64
_PURPOSE = b"piu totp secret v1"  # derives the sealing key from the deployment's key
WRONG_CODE = "wrong or already used code"
UNREADABLE = "second factor unreadable (secret_key replaced?)"


class TotpCodeError(AccessError):
    """A TOTP code was wrong, replayed, or the account is locked."""


def new_secret() -> str:
    """A fresh random secret, base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(_SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    text = secret.strip().replace(" ", "").upper()
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        raise AccountError("the TOTP secret is not valid base32") from None


def step_of(at: datetime | float) -> int:
    """The RFC 6238 time step (T) of an instant: whole 30-second periods since 1970."""
    seconds = at.timestamp() if isinstance(at, datetime) else at
    return int(seconds // STEP_SECONDS)


def code_at(secret: str | bytes, step: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """The code for one time step (RFC 4226 HOTP with the step as counter).

    ``secret`` is base32 text, or raw key bytes (the RFC test vectors give raw ASCII keys,
    and use SHA-256 / SHA-512 and 8 digits too, hence the parameters).
    """
    key = secret if isinstance(secret, bytes) else _key(secret)
    mac = hmac.new(key, struct.pack(">Q", step), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFF_FFFF
    return str(number % 10**digits).zfill(digits)


def _clean_code(code: str) -> str | None:
    text = code.replace(" ", "").strip()
    return text if len(text) == DIGITS and text.isascii() and text.isdigit() else None


def matching_step(
    secret: str, code: str, now: datetime, last_step: int | None = None
) -> int | None:
    """The newest step within ±1 of ``now`` whose code is ``code`` and is after ``last_step``.

    Every candidate is computed and compared in constant time, so the answer's timing does
    not say which step (if any) came close.
    """
    clean = _clean_code(code)
    if clean is None:
        return None
    current = step_of(now)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), clean) and (
            last_step is None or step > last_step
        ):
            found = step
    return found


def provisioning_uri(secret: str, username: str, issuer: str = ISSUER) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{username}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def _seal(key: bytes, user_id: int, secret: str) -> str:
    return sealed.seal(sealed.purpose_key(key, _PURPOSE), secret, _place(user_id))


def _open(key: bytes, user_id: int, stored: str) -> str:
    """The base32 secret from its stored form: sealed, or plain if stored before sealing.

    Raises :class:`~piu.accounts.sealed.SealedValueError` when it does not open.
    """
    if not sealed.is_sealed(stored):
        return stored
    return sealed.unseal(sealed.purpose_key(key, _PURPOSE), stored, _place(user_id))


def _place(user_id: int) -> str:
    """The associated data a secret is sealed with: it opens in this user's row only."""
    return f"users.totp_secret:{user_id}"


def _claim_step(engine: Engine, user_id: int, stored: str, step: int, **also: Any) -> bool:
    """Record ``step`` as used unless a request already used it or a later one.

    Only while the row still holds ``stored``, the secret the code was checked against:
    a factor reset and enrolled again meanwhile is neither claimed nor overwritten.
    """
    with engine.begin() as conn:
        result = conn.execute(
            update(users)
            .where(
                users.c.id == user_id,
                users.c.totp_secret == stored,
                or_(users.c.totp_last_step.is_(None), users.c.totp_last_step < step),
            )
            .values(totp_last_step=step, **also)
        )
        return result.rowcount > 0


def _refuse(engine: Engine, row: Any, reason: str, remote: str | None, now: datetime) -> None:
    """A failed code step: a ``login_failed`` event, and one more failure to the lockout."""
    record_event(
        engine, EventKind.LOGIN_FAILED, subject=row.username, remote=remote, detail=reason, now=now
    )
    count_failed_login(engine, row.id, row.username, remote, now)


def verify_login_code(
    engine: Engine,
    user_id: int,
    code: str,
    *,
    key: bytes,
    remote: str | None = None,
    now: datetime | None = None,
) -> User:
    """Check a user's current code (the login's second step, or disabling TOTP).

    A right code resets the failure count; a wrong or replayed one counts towards the
    lockout and is a ``login_failed`` security event. Raises :class:`TotpCodeError`.
    ``key`` is the deployment's key; a secret it does not open is refused like a wrong
    code, with its own event detail and a warning for the administrator. A secret stored
    before sealing is sealed by its first right code.
    """
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None or row.totp_secret is None or not row.active:
        raise TotpCodeError(WRONG_CODE)
    if row.locked_until is not None and row.locked_until > now:
        record_event(
            engine,
            EventKind.LOGIN_FAILED,
            subject=row.username,
            remote=remote,
            detail="account locked (second factor)",
            now=now,
        )
        raise TotpCodeError(
            f"account locked after {MAX_FAILED_LOGINS} failed logins; try again after "
            f"{row.locked_until:%H:%M} UTC"
        )
    try:
        secret = _open(key, row.id, row.totp_secret)
    except sealed.SealedValueError:
        log.warning(
            "the second factor of user %r does not open under this deployment's key "
            "(PIU_DATA_DIR/secret_key replaced?); they cannot sign in until an "
            "administrator runs: piu users reset-totp %s",
            row.username,
            row.username,
        )
        _refuse(engine, row, UNREADABLE, remote, now)
        raise TotpCodeError(WRONG_CODE) from None
    also: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
    if not sealed.is_sealed(row.totp_secret):
        also["totp_secret"] = _seal(key, row.id, secret)
    step = matching_step(secret, code, now, row.totp_last_step)
    if step is None or not _claim_step(engine, row.id, row.totp_secret, step, **also):
        replayed = step is not None or matching_step(secret, code, now) is not None
        reason = "replayed second-factor code" if replayed else "wrong second-factor code"
        _refuse(engine, row, reason, remote, now)
        raise TotpCodeError(WRONG_CODE)
    with engine.connect() as conn:
        user = user_by_id(conn, row.id)
    if user is None:  # deleted meanwhile
        raise TotpCodeError(WRONG_CODE)
    return user


def enable(
    engine: Engine,
    username: str,
    secret: str,
    code: str,
    *,
    key: bytes,
    now: datetime | None = None,
    actor: str | None = None,
) -> User:
    """Save ``secret`` as the user's second factor once ``code`` proves the app holds it.

    It is stored sealed under ``key`` (the deployment's key) and bound to the user's row.
    Raises AccountError for a wrong code (nothing is saved) or when TOTP is on already.
    """
    now = now or datetime.now(UTC)
    user = _require(engine, username)
    if user.totp_enabled:
        raise AccountError(f"{user.username} has a second factor already; disable it first")
    step = matching_step(secret, code, now)
    if step is None:
        raise AccountError(
            "the code does not match: check the phone's clock and enter the newest code"
        )
    with engine.begin() as conn:
        conn.execute(
            update(users)
            .where(users.c.id == user.id, users.c.totp_secret.is_(None))
            .values(totp_secret=_seal(key, user.id, _normal(secret)), totp_last_step=step)
        )
        _audit(conn, actor or user.username, "user.totp_enable", user.username)
        return require_user(conn, user.username)


def disable(
    engine: Engine,
    username: str,
    code: str,
    *,
    key: bytes,
    remote: str | None = None,
    now: datetime | None = None,
) -> User:
    """The user turns their own second factor off, proving a current code first."""
    user = _require(engine, username)
    if not user.totp_enabled:
        raise AccountError(f"{user.username} has no second factor")
    verify_login_code(engine, user.id, code, key=key, remote=remote, now=now)
    with engine.begin() as conn:
        _clear(conn, user.id)
        _audit(conn, user.username, "user.totp_disable", user.username)
        return require_user(conn, user.username)


def reset(engine: Engine, username: str, *, actor: str = "cli") -> User:
    """An administrator removes a user's second factor (a lost phone); audited.

    The user's open sessions end too: whoever sits at them passed the factor that is now
    gone. The user signs in with the password alone and may enrol again.
    """
    with engine.begin() as conn:
        user = require_user(conn, username)
        if not user.totp_enabled:
            raise AccountError(f"{user.username} has no second factor to reset")
        _clear(conn, user.id)
        ended = end_user_sessions(conn, user.id, "revoked")
        _audit(conn, actor, "user.totp_reset", user.username, sessions_ended=ended)
        return require_user(conn, user.username)


def _require(engine: Engine, username: str) -> User:
    with engine.connect() as conn:
        return require_user(conn, username)


def _normal(secret: str) -> str:
    _key(secret)  # refuse what is not base32
    text = secret.strip().replace(" ", "").upper().rstrip("=")
    if len(text) > MAX_SECRET_CHARS:
        raise AccountError(f"the TOTP secret is longer than {MAX_SECRET_CHARS} characters")
    return text


def _clear(conn: Any, user_id: int) -> None:
    conn.execute(
        update(users).where(users.c.id == user_id).values(totp_secret=None, totp_last_step=None)
    )


def _audit(conn: Any, actor: str, action: str, username: str, **detail: Any) -> None:
    """Never the secret or a code: only who did what to whom."""
    audit.record(
        conn, actor=actor, action=action, subject_type="user", subject_id=username, detail=detail
    )
