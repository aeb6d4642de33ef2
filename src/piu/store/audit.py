"""The audit trail: an append-only log whose entries are chained by SHA-256 hashes.

Every read of a traveller's personal data, every decision and every change to lists,
rules and users is one row of ``audit_log`` (DESIGN principle 5). Each entry's ``hash``
covers its own content and the previous entry's hash (``prev_hash``; :data:`GENESIS` for
the first), so changing, deleting, inserting or reordering any entry after the fact breaks
the chain, and :func:`verify` (``piu audit verify``) says where.

What the chain cannot show on its own: the newest entries being cut off the end (the
remaining chain is still consistent). Exporting the log regularly, or noting the last
hash elsewhere, closes that gap.

Appends are serialised so that concurrent writers cannot fork the chain: PostgreSQL takes
a transaction-level advisory lock before reading the last hash; SQLite takes its single
write lock first (a no-op write) so that the read of the last hash happens under it. The
entry is written in the caller's transaction when given a Connection, so it commits or
rolls back with the change it records.

Never put passwords, tokens or message contents in ``detail``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, insert, select, text

from piu.store.schema import audit_log

__all__ = [
    "EXPORT_FIELDS",
    "GENESIS",
    "LOCK_KEY",
    "AuditEntry",
    "VerifyResult",
    "csv_lines",
    "entry_hash",
    "export",
    "jsonl_lines",
    "parse_instant",
    "record",
    "search",
    "verify",
]

GENESIS = "0" * 64
# pg_advisory_xact_lock key for appends: "PIUAUDIT" read as a 63-bit integer.
LOCK_KEY = int.from_bytes(b"PIUAUDIT", "big") & 0x7FFF_FFFF_FFFF_FFFF

EXPORT_FIELDS = (
    "id",
    "at",
    "actor",
    "action",
    "subject_type",
    "subject_id",
    "detail",
    "remote",
    "prev_hash",
    "hash",
)

_BATCH = 1000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject_type: str | None
    subject_id: str | None
    detail: dict[str, Any]
    remote: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    entries: int  # entries checked (all of them when ok)
    first_bad_id: int | None = None
    reason: str | None = None


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _clean(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    return "".join(ch if ch.isprintable() else "?" for ch in str(value))[:limit]


def _normal_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The detail as it will read back from the JSON column (so the hash can be recomputed)."""
    if not detail:
        return {}
    value = json.loads(json.dumps(detail, default=str, ensure_ascii=False))
    if not isinstance(value, dict):
        raise TypeError("audit detail must be a mapping")
    return value


def entry_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject_type: str | None,
    subject_id: str | None,
    detail: dict[str, Any] | None,
    remote: str | None,
) -> str:
    """SHA-256 (hex) over the canonical JSON of an entry's content and its predecessor."""
    canonical = json.dumps(
        [prev_hash, _iso(at), actor, action, subject_type, subject_id, detail or {}, remote],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_chain(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        # pysqlite starts its transaction at the first write: a no-op write takes the
        # database's write lock now, so no other writer can append between our read of
        # the last hash and our insert.
        conn.execute(audit_log.update().where(audit_log.c.id == -1).values(actor=audit_log.c.actor))


def _append(
    conn: Connection,
    *,
    actor: str,
    action: str,
    subject_type: str | None,
    subject_id: str | int | None,
    detail: dict[str, Any] | None,
    remote: str | None,
    now: datetime | None,
) -> int:
    at = (now or datetime.now(UTC)).astimezone(UTC)
    values: dict[str, Any] = {
        "actor": _clean(actor, 80) or "system",
        "action": _clean(action, 48) or "unknown",
        "subject_type": _clean(subject_type, 32),
        "subject_id": _clean(None if subject_id is None else str(subject_id), 64),
        "detail": _normal_detail(detail),
        "remote": _clean(remote, 64),
    }
    _lock_chain(conn)
    prev = conn.execute(
        select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev_hash = prev or GENESIS
    digest = entry_hash(prev_hash, at, **values)
    return int(
        conn.execute(
            insert(audit_log)
            .values(at=at, prev_hash=prev_hash, hash=digest, **values)
            .returning(audit_log.c.id)
        ).scalar_one()
    )


def record(
    conn: Connection | Engine,
    *,
    actor: str,
    action: str,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    remote: str | None = None,
    now: datetime | None = None,
) -> int:
    """Append one entry and return its id.

    On a Connection the entry joins the caller's transaction (it commits or rolls back with
    the change it records); on an Engine it is written in a transaction of its own.
    """
    kwargs: dict[str, Any] = {
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "detail": detail,
        "remote": remote,
        "now": now,
    }
    if isinstance(conn, Engine):
        with conn.begin() as own:
            return _append(own, **kwargs)
    return _append(conn, **kwargs)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        detail=row.detail or {},
        remote=row.remote,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def verify(conn: Connection | Engine) -> VerifyResult:
    """Walk the chain in id order; stop at the first entry that does not fit.

    A changed field shows as an entry whose hash no longer matches its content; a deleted,
    inserted or reordered entry as one whose ``prev_hash`` is not its predecessor's hash.
    """
    if isinstance(conn, Engine):
        with conn.connect() as own:
            return verify(own)
    expected = GENESIS
    count = 0
    last_id = 0
    while True:
        rows = conn.execute(
            select(audit_log).where(audit_log.c.id > last_id).order_by(audit_log.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return VerifyResult(True, count)
        for row in rows:
            count += 1
            last_id = row.id
            if row.prev_hash != expected:
                what = "the start of the log" if expected == GENESIS else "the entry before it"
                return VerifyResult(
                    False,
                    count,
                    row.id,
                    f"entry {row.id} does not follow {what} (prev_hash mismatch): an entry "
                    "was deleted, inserted or reordered here",
                )
            actual = entry_hash(
                row.prev_hash,
                row.at,
                row.actor,
                row.action,
                row.subject_type,
                row.subject_id,
                row.detail or {},
                row.remote,
            )
            if actual != row.hash:
                return VerifyResult(
                    False,
                    count,
                    row.id,
                    f"entry {row.id} was changed after it was written (hash mismatch)",
                )
            expected = row.hash


def _filtered(
    query: Select[Any],
    *,
    actor: str | None,
    action: str | None,
    subject_type: str | None,
    subject_id: str | int | None,
    since: datetime | None,
    until: datetime | None,
) -> Select[Any]:
    if actor is not None:
        query = query.where(audit_log.c.actor == actor)
    if action is not None:
        if action.endswith("*"):  # "read.*": every read
            query = query.where(audit_log.c.action.startswith(action[:-1], autoescape=True))
        else:
            query = query.where(audit_log.c.action == action)
    if subject_type is not None:
        query = query.where(audit_log.c.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(audit_log.c.subject_id == str(subject_id))
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if until is not None:
        query = query.where(audit_log.c.at < until)
    return query


def search(
    conn: Connection | Engine,
    *,
    actor: str | None = None,
    action: str | None = None,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Matching entries, newest first. ``action`` ending in ``*`` matches a prefix;
    ``since`` is inclusive, ``until`` exclusive."""
    if isinstance(conn, Engine):
        with conn.connect() as own:
            return search(
                own,
                actor=actor,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                since=since,
                until=until,
                limit=limit,
                offset=offset,
            )
    query = _filtered(
        select(audit_log),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        since=since,
        until=until,
    )
    query = query.order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    return [_entry(row) for row in conn.execute(query)]


def export(
    conn: Connection,
    *,
    actor: str | None = None,
    action: str | None = None,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[dict[str, Any]]:
    """Matching entries oldest first as plain dicts (``at`` as ISO text), read in batches,
    for JSON lines or CSV. The hashes are included so an export can be verified alone."""
    last_id = 0
    while True:
        query = _filtered(
            select(audit_log).where(audit_log.c.id > last_id),
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            since=since,
            until=until,
        )
        rows = conn.execute(query.order_by(audit_log.c.id).limit(_BATCH)).all()
        if not rows:
            return
        for row in rows:
            last_id = row.id
            item = {name: getattr(row, name) for name in EXPORT_FIELDS}
            item["at"] = _iso(row.at)
            item["detail"] = row.detail or {}
            yield item


def parse_instant(value: str) -> datetime:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO time (UTC when no zone is given), as the
    CLI options and the audit page's search fields take it. Raises ``ValueError``."""
    value = value.strip()
    if len(value) == 10:
        d = date.fromisoformat(value)
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Exported entries as JSON lines (one entry a line, keys sorted)."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Exported entries as CSV: a header of :data:`EXPORT_FIELDS`, ``detail`` as JSON text.

    Values are written as stored (no spreadsheet-formula escaping), so an export can be
    verified against the hashes it carries."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(EXPORT_FIELDS))

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield flush()
    for row in rows:
        writer.writerow(
            {**row, "detail": json.dumps(row["detail"], ensure_ascii=False, sort_keys=True)}
        )
        yield flush()
