"""Server-side sessions of the analyst's web UI (table ``ui_sessions``).

A signed cookie alone cannot be taken back: logout deletes it in one browser, but a copy
taken earlier keeps working. So every login opens a row here and the cookie carries only
a random session id; the row is keyed by the id's SHA-256, so a copy of the database does
not yield a usable cookie. A session is *live* while its row is not ended, it has been
used within :data:`IDLE_TIMEOUT` and it is younger than :data:`MAX_AGE`. Ending a row
(logout, an administrator's revocation, a password change, a disabled account) stops
every copy of the cookie at once.

``last_seen_at`` is moved forward at most every :data:`TOUCH_INTERVAL`, so a busy analyst
costs one write a minute, not one per page; the idle window is therefore exact to within
that interval.

``second_factor_at`` is set when the session's user proved a TOTP code (or enrolled one
inside the session); the web layer refuses pages to a TOTP user's session until then.

A row holds the address and browser a staff member signed in from: personal data, kept
only as long as it serves. Each sign-in deletes the rows older than :data:`RETENTION` (all
long dead, since none lives beyond :data:`MAX_AGE`), except each user's latest, which
tells administrators when the user last signed in. The audit log keeps every sign-in.

This module knows the table only: the web layer decides what a session may open.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from piu.store import audit
from piu.store.schema import ui_sessions, users

__all__ = [
    "IDLE_TIMEOUT",
    "MAX_AGE",
    "PENDING_TIMEOUT",
    "RETENTION",
    "TOUCH_INTERVAL",
    "OpenSession",
    "UiSession",
    "end_session",
    "end_user_sessions",
    "find_live",
    "hash_id",
    "last_logins",
    "list_open",
    "mark_second_factor",
    "open_session",
    "revoke_session",
]

IDLE_TIMEOUT = timedelta(minutes=30)
MAX_AGE = timedelta(hours=12)
# A password accepted but no TOTP code yet: the second step must follow soon.
PENDING_TIMEOUT = timedelta(minutes=5)
RETENTION = timedelta(days=90)
TOUCH_INTERVAL = timedelta(seconds=60)
_ID_BYTES = 32


@dataclass(frozen=True, slots=True)
class UiSession:
    id_hash: str
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    second_factor_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None
    remote: str | None
    user_agent: str | None


@dataclass(frozen=True, slots=True)
class OpenSession:
    """A live session as an administrator sees it (with the user's name)."""

    session: UiSession
    username: str


def _now() -> datetime:
    return datetime.now(UTC)


def hash_id(session_id: str) -> str:
    """The row key for a session id: its SHA-256 (hex). The id itself is never stored."""
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


def _build(row: Any) -> UiSession:
    return UiSession(
        id_hash=row.id_hash,
        user_id=row.user_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        second_factor_at=row.second_factor_at,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
        remote=row.remote,
        user_agent=row.user_agent,
    )


def _cut(value: str | None, limit: int) -> str | None:
    """A value from the network, shortened to its column and stripped of control chars."""
    if value is None:
        return None
    return "".join(ch if ch.isprintable() else "?" for ch in value)[:limit]


def open_session(
    engine: Engine,
    user_id: int,
    *,
    remote: str | None = None,
    user_agent: str | None = None,
    second_factor: bool = False,
    now: datetime | None = None,
) -> tuple[str, UiSession]:
    """A new session for ``user_id``: ``(session id for the cookie, its row)``.

    ``second_factor`` marks the session as having passed the second step already (a
    password change inside a session that had).
    """
    now = now or _now()
    session_id = secrets.token_urlsafe(_ID_BYTES)
    values = {
        "id_hash": hash_id(session_id),
        "user_id": user_id,
        "created_at": now,
        "last_seen_at": now,
        "second_factor_at": now if second_factor else None,
        "remote": _cut(remote, 64),
        "user_agent": _cut(user_agent, 256),
    }
    with engine.begin() as conn:
        _purge(conn, now)
        conn.execute(insert(ui_sessions).values(**values))
        row = conn.execute(select(ui_sessions).where(ui_sessions.c.id_hash == values["id_hash"]))
        return session_id, _build(row.one())


def _purge(conn: Connection, now: datetime) -> None:
    """Delete the sessions started before :data:`RETENTION`, but each user's latest."""
    newer = ui_sessions.alias("newer")
    has_newer = (
        select(newer.c.id_hash)
        .where(
            (newer.c.user_id == ui_sessions.c.user_id)
            & (newer.c.created_at > ui_sessions.c.created_at)
        )
        .exists()
    )
    conn.execute(
        ui_sessions.delete().where((ui_sessions.c.created_at < now - RETENTION) & has_newer)
    )


def _expired(session: UiSession, now: datetime) -> bool:
    return now - session.last_seen_at > IDLE_TIMEOUT or now - session.created_at > MAX_AGE


def find_live(engine: Engine, session_id: str, now: datetime | None = None) -> UiSession | None:
    """The live session with this id, its ``last_seen_at`` moved forward; else None.

    An idle or too old session found here is ended (``expired``) so that the table and the
    administrator's list agree with what the user experiences.
    """
    now = now or _now()
    key = hash_id(session_id)
    with engine.connect() as conn:
        row = conn.execute(select(ui_sessions).where(ui_sessions.c.id_hash == key)).first()
    if row is None:
        return None
    session = _build(row)
    if session.ended_at is not None:
        return None
    if _expired(session, now):
        end_session(engine, key, "expired", now=now)
        return None
    if now - session.last_seen_at >= TOUCH_INTERVAL:
        with engine.begin() as conn:
            conn.execute(
                update(ui_sessions)
                .where(and_(ui_sessions.c.id_hash == key, ui_sessions.c.ended_at.is_(None)))
                .values(last_seen_at=now)
            )
    return session


def mark_second_factor(engine: Engine, id_hash: str, now: datetime | None = None) -> None:
    """Record that the session's user proved a second factor now."""
    with engine.begin() as conn:
        conn.execute(
            update(ui_sessions)
            .where(and_(ui_sessions.c.id_hash == id_hash, ui_sessions.c.ended_at.is_(None)))
            .values(second_factor_at=now or _now())
        )


def end_session(
    target: Engine | Connection, id_hash: str, reason: str, *, now: datetime | None = None
) -> bool:
    """End one session (if still open); True when this call ended it."""
    stmt = (
        update(ui_sessions)
        .where(and_(ui_sessions.c.id_hash == id_hash, ui_sessions.c.ended_at.is_(None)))
        .values(ended_at=now or _now(), end_reason=reason)
    )
    if isinstance(target, Engine):
        with target.begin() as conn:
            return conn.execute(stmt).rowcount > 0
    return target.execute(stmt).rowcount > 0


def end_user_sessions(
    conn: Connection,
    user_id: int,
    reason: str,
    *,
    keep: Iterable[str] = (),
    now: datetime | None = None,
) -> int:
    """End every open session of a user except those in ``keep`` (id hashes); the count.

    Runs in the caller's transaction, so the sessions end with the change that ends them
    (a new password, a disabled account, a reset second factor).
    """
    where = [ui_sessions.c.user_id == user_id, ui_sessions.c.ended_at.is_(None)]
    kept = list(keep)
    if kept:
        where.append(ui_sessions.c.id_hash.not_in(kept))
    stmt = update(ui_sessions).where(and_(*where)).values(ended_at=now or _now(), end_reason=reason)
    return conn.execute(stmt).rowcount


def list_open(
    engine: Engine, *, user_id: int | None = None, now: datetime | None = None
) -> list[OpenSession]:
    """Live sessions (not ended, not idle, not too old), the most recently used first."""
    now = now or _now()
    query = (
        select(ui_sessions, users.c.username)
        .join(users, users.c.id == ui_sessions.c.user_id)
        .where(
            ui_sessions.c.ended_at.is_(None),
            ui_sessions.c.last_seen_at >= now - IDLE_TIMEOUT,
            ui_sessions.c.created_at >= now - MAX_AGE,
        )
        .order_by(ui_sessions.c.last_seen_at.desc())
    )
    if user_id is not None:
        query = query.where(ui_sessions.c.user_id == user_id)
    with engine.connect() as conn:
        return [OpenSession(_build(row), row.username) for row in conn.execute(query)]


def revoke_session(
    engine: Engine, id_hash: str, *, actor: str, remote: str | None = None
) -> OpenSession | None:
    """An administrator ends someone's session; audited. None if it was not open."""
    now = _now()
    with engine.begin() as conn:
        row = conn.execute(
            select(ui_sessions, users.c.username)
            .join(users, users.c.id == ui_sessions.c.user_id)
            .where(ui_sessions.c.id_hash == id_hash)
        ).first()
        if row is None or not end_session(conn, id_hash, "revoked", now=now):
            return None
        audit.record(
            conn,
            actor=actor,
            action="session.revoke",
            subject_type="user",
            subject_id=row.username,
            detail={"session": id_hash[:12], "opened": row.created_at.isoformat()},
            remote=remote,
        )
        return OpenSession(_build(row), row.username)


def last_logins(engine: Engine) -> dict[int, datetime]:
    """Each user's latest session start (a sign-in through the UI), by user id."""
    query = select(ui_sessions.c.user_id, func.max(ui_sessions.c.created_at)).group_by(
        ui_sessions.c.user_id
    )
    with engine.connect() as conn:
        found: dict[int, datetime] = {}
        for user_id, at in conn.execute(query):
            # func.max bypasses the column type on SQLite: make it an aware UTC instant.
            found[user_id] = at if at.tzinfo else at.replace(tzinfo=UTC)
        return found
