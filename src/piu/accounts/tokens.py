"""API tokens: how programs (and later the web UI's API calls) authenticate as a user.

A token is shown once, at creation; the database keeps its SHA-256 only (see
:mod:`piu.accounts.credentials`). It can expire, be revoked, and stops working when its
user is disabled. Checking one is a single indexed lookup. ``last_used_at`` is written at
most every :data:`LAST_USED_RESOLUTION` per token, so a busy client does not turn every read
into a write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, or_, select, update

from piu.accounts.credentials import USER_TOKEN_PREFIX, digest, new_secret
from piu.accounts.errors import AccountError, UnknownNameError
from piu.accounts.events import EventKind, record_event
from piu.accounts.users import User, require_user, user_by_id
from piu.errors import AccessError
from piu.store import audit
from piu.store.schema import api_tokens, users

__all__ = [
    "LAST_USED_RESOLUTION",
    "NewToken",
    "TokenInfo",
    "create_token",
    "list_tokens",
    "revoke_token",
    "verify_token",
]

LAST_USED_RESOLUTION = timedelta(minutes=5)
_MAX_TOKEN_LENGTH = 256


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class NewToken:
    """A freshly made token: ``token`` is the secret, shown to the person exactly once."""

    id: int
    username: str
    name: str
    token: str
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime | None = None) -> str:
        """``revoked``, ``expired`` or ``active``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or _now()):
            return "expired"
        return "active"


def create_token(
    engine: Engine,
    username: str,
    name: str,
    *,
    expires_in: timedelta | None = None,
    now: datetime | None = None,
    actor: str = "cli",
) -> NewToken:
    """Make a token for ``username`` labelled ``name`` (e.g. the program that will use it).

    The audit trail records who made it (``actor``), for whom, its id, label and expiry.
    """
    label = name.strip()
    if not 1 <= len(label) <= 64:
        raise AccountError("a token needs a name of 1-64 characters saying what uses it")
    if expires_in is not None and expires_in <= timedelta(0):
        raise AccountError("a token's lifetime must be positive")
    now = now or _now()
    expires_at = now + expires_in if expires_in is not None else None
    secret = new_secret(USER_TOKEN_PREFIX)
    with engine.begin() as conn:
        user = require_user(conn, username)
        token_id = conn.execute(
            insert(api_tokens)
            .values(
                user_id=user.id,
                name=label,
                token_hash=digest(secret),
                created_at=now,
                expires_at=expires_at,
            )
            .returning(api_tokens.c.id)
        ).scalar_one()
        audit.record(
            conn,
            actor=actor,
            action="token.create",
            subject_type="user",
            subject_id=user.username,
            detail={
                "token_id": token_id,
                "name": label,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
            now=now,
        )
    return NewToken(token_id, user.username, label, secret, expires_at)


def _info(row: Any) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        username=row.username,
        name=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _token_query() -> Any:
    return select(
        api_tokens.c.id,
        users.c.username,
        api_tokens.c.name,
        api_tokens.c.created_at,
        api_tokens.c.expires_at,
        api_tokens.c.last_used_at,
        api_tokens.c.revoked_at,
    ).select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))


def list_tokens(engine: Engine, username: str | None = None) -> list[TokenInfo]:
    """Tokens of one user (or of everyone), oldest first; secrets are not retrievable."""
    with engine.connect() as conn:
        query = _token_query().order_by(api_tokens.c.id)
        if username is not None:
            query = query.where(users.c.id == require_user(conn, username).id)
        return [_info(row) for row in conn.execute(query)]


def revoke_token(
    engine: Engine, token_id: int, *, now: datetime | None = None, actor: str = "cli"
) -> TokenInfo:
    """Revoke for good (idempotent: revoking twice keeps the first time)."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now or _now())
        ).rowcount
        row = conn.execute(_token_query().where(api_tokens.c.id == token_id)).first()
        if row is not None and changed:
            audit.record(
                conn,
                actor=actor,
                action="token.revoke",
                subject_type="user",
                subject_id=row.username,
                detail={"token_id": token_id, "name": row.name},
                now=now,
            )
    if row is None:
        raise UnknownNameError("token id", str(token_id))
    return _info(row)


def verify_token(
    engine: Engine, token: str, *, remote: str | None = None, now: datetime | None = None
) -> User:
    """The user a presented token belongs to, or AccessError (and a security event)."""
    now = now or _now()
    token = token.strip()
    row = user = None
    if 0 < len(token) <= _MAX_TOKEN_LENGTH:
        with engine.connect() as conn:
            row = conn.execute(
                select(api_tokens).where(api_tokens.c.token_hash == digest(token))
            ).first()
            if row is not None:
                user = user_by_id(conn, row.user_id)

    reason = None
    if row is None or user is None:
        reason, message = "unknown token", "invalid token"
    elif row.revoked_at is not None:
        reason = message = "token revoked"
    elif row.expires_at is not None and row.expires_at <= now:
        reason = message = "token expired"
    elif not user.active:
        reason = message = "account disabled"
    if reason is not None:
        record_event(
            engine,
            EventKind.TOKEN_AUTH_FAILED,
            subject=f"token {row.id} of {user.username}" if row and user else None,
            remote=remote,
            detail=reason,
            now=now,
        )
        raise AccessError(message)
    assert row is not None and user is not None

    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        with engine.begin() as conn:
            conn.execute(
                update(api_tokens)
                .where(
                    api_tokens.c.id == row.id,
                    or_(
                        api_tokens.c.last_used_at.is_(None),
                        api_tokens.c.last_used_at < now - LAST_USED_RESOLUTION,
                    ),
                )
                .values(last_used_at=now)
            )
    return user
