"""Security events: failed authentication and lockouts, for people who watch the system.

Each row says what happened (``kind``), to whom (``subject``: a carrier code, a user name or
a token id), from where (``remote``) and why (``detail``). A secret is never written here:
callers pass reasons, not credentials. Values that came from the network are cut to the
column sizes and stripped of control characters, so an attacker cannot forge log lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection, Engine, insert, select

from piu.store.schema import security_events

__all__ = ["EventKind", "SecurityEvent", "list_events", "record_event"]


class EventKind(StrEnum):
    PUSH_AUTH_FAILED = "push_auth_failed"
    TOKEN_AUTH_FAILED = "token_auth_failed"  # noqa: S105 - an event name
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"


@dataclass(frozen=True, slots=True)
class SecurityEvent:
    id: int
    at: datetime
    kind: str
    subject: str | None
    remote: str | None
    detail: str | None


def _clean(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return text[:limit]


def record_event(
    target: Engine | Connection,
    kind: EventKind,
    *,
    subject: str | None = None,
    remote: str | None = None,
    detail: str | None = None,
    now: datetime | None = None,
) -> None:
    """Write one event; on an Engine in its own transaction, on a Connection in the caller's."""
    stmt = insert(security_events).values(
        at=now or datetime.now(UTC),
        kind=str(kind),
        subject=_clean(subject, 128),
        remote=_clean(remote, 64),
        detail=_clean(detail, 500),
    )
    if isinstance(target, Engine):
        with target.begin() as conn:
            conn.execute(stmt)
    else:
        target.execute(stmt)


def list_events(
    engine: Engine, *, kind: EventKind | None = None, limit: int = 100
) -> list[SecurityEvent]:
    """The newest events first."""
    query = select(security_events).order_by(security_events.c.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(security_events.c.kind == str(kind))
    with engine.connect() as conn:
        return [SecurityEvent(**row._mapping) for row in conn.execute(query)]
