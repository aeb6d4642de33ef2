"""Raw message keeping: the first thing that happens to every inbound message.

A message is keyed by the SHA-256 of its bytes. :func:`keep_raw` inserts it if new (one
statement, safe against two doors receiving the same bytes at once) and always records the
delivery in ``receipts``, so repeats are visible but change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from piu.store.dialect import insert_ignoring_conflicts
from piu.store.schema import messages, receipts

__all__ = ["KeptMessage", "keep_raw", "load_raw", "mark_rejected", "mark_stored", "message_ids"]


@dataclass(frozen=True, slots=True)
class KeptMessage:
    message_id: int
    receipt_id: int
    duplicate: bool
    status: str
    msg_type: str


def keep_raw(
    conn: Connection,
    *,
    raw: bytes,
    sha256: str,
    sender: str,
    channel: str,
    origin: str | None,
    msg_type: str,
    now: datetime,
    filtering: Sequence[str] = (),
) -> KeptMessage:
    """Store ``raw`` unless the same bytes are already kept; record the delivery either way.

    ``sha256`` is the hash of the bytes *as received*; ``raw`` may be a redacted form of
    them (sensitive PNR data removed on receipt, logged in ``filtering``), so a repeat of
    the original bytes is still recognised."""
    # RETURNING yields a row only when the insert happened (rowcount is not reliable for
    # INSERT ... ON CONFLICT on every driver: psycopg reports -1).
    stmt = (
        insert_ignoring_conflicts(conn, messages, index_elements=["sha256"])
        .values(
            sha256=sha256,
            size=len(raw),
            raw=raw,
            received_at=now,
            sender=sender,
            channel=channel,
            msg_type=msg_type,
            status="received",
            warnings=[],
            traveller_count=0,
        )
        .returning(messages.c.id)
    )
    inserted = conn.execute(stmt).first() is not None
    row = conn.execute(
        select(messages.c.id, messages.c.status, messages.c.msg_type).where(
            messages.c.sha256 == sha256
        )
    ).one()
    receipt_id = conn.execute(
        receipts.insert()
        .values(
            message_id=row.id,
            received_at=now,
            sender=sender,
            channel=channel,
            origin=origin,
            duplicate=not inserted,
        )
        .returning(receipts.c.id)
    ).scalar_one()
    return KeptMessage(row.id, receipt_id, not inserted, row.status, row.msg_type)


def mark_stored(
    conn: Connection,
    message_id: int,
    *,
    msg_type: str,
    warnings: Sequence[str],
    traveller_count: int,
    parser_version: str,
    now: datetime,
    booking_count: int = 0,
    filtering: Sequence[str] | None = None,
) -> None:
    extra: dict[str, Any] = {} if filtering is None else {"filtering": list(filtering)}
    conn.execute(
        update(messages)
        .where(messages.c.id == message_id)
        .values(
            status="stored",
            msg_type=msg_type,
            error=None,
            warnings=list(warnings),
            traveller_count=traveller_count,
            booking_count=booking_count,
            **extra,
            processed_at=now,
            parser_version=parser_version,
        )
    )


def mark_rejected(
    conn: Connection,
    message_id: int,
    *,
    msg_type: str,
    error: dict[str, Any],
    warnings: Sequence[str],
    parser_version: str,
    now: datetime,
) -> None:
    conn.execute(
        update(messages)
        .where(messages.c.id == message_id)
        .values(
            status="rejected",
            msg_type=msg_type,
            error=error,
            warnings=list(warnings),
            traveller_count=0,
            processed_at=now,
            parser_version=parser_version,
        )
    )


def load_raw(conn: Connection, message_id: int) -> tuple[bytes, str, datetime] | None:
    """The raw bytes, first sender and first receipt time of a kept message."""
    row = conn.execute(
        select(messages.c.raw, messages.c.sender, messages.c.received_at).where(
            messages.c.id == message_id
        )
    ).first()
    return (bytes(row.raw), row.sender, row.received_at) if row else None


def message_ids(
    conn: Connection, *, statuses: Iterable[str] | None = None, ids: Iterable[int] | None = None
) -> list[int]:
    """Ids of kept messages in receipt order, optionally limited by status or id."""
    query = select(messages.c.id).order_by(messages.c.id)
    if statuses is not None:
        query = query.where(messages.c.status.in_(list(statuses)))
    if ids is not None:
        query = query.where(messages.c.id.in_(list(ids)))
    return list(conn.execute(query).scalars())
