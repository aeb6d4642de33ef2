"""Read-only queries behind the HTTP API: flights, travellers, messages.

Nothing here writes. Results are plain dicts keyed by column name (``msg_type`` is spelled
``type``, as in :meth:`ReceiveResult.as_dict`), so this module knows nothing of the web
layer; :mod:`piu.web.models` gives them their public shape.

Lists are paged with ``limit``/``offset`` and answer ``next_offset`` instead of a total:
the query fetches one row more than asked to learn whether there is a next page, which
costs nothing, where a ``COUNT(*)`` over hundreds of millions of messages would not. The
raw bytes of a message are read only by :func:`get_message_raw`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, select

from piu.store import travel_history
from piu.store.schema import (
    booking_travellers,
    booking_versions,
    bookings,
    documents,
    flight_sources,
    flight_stops,
    flights,
    hits,
    messages,
    receipts,
    traveller_sources,
    travellers,
    watchlist_entries,
    watchlists,
)

__all__ = [
    "MAX_LIMIT",
    "Page",
    "flight_travellers",
    "get_flight",
    "get_message",
    "get_message_raw",
    "get_traveller",
    "list_flights",
    "list_messages",
]

MAX_LIMIT = 500

Row = dict[str, Any]

_FLIGHT_COLUMNS = [c for c in flights.c if c.name != "connections"]
_TRAVELLER_SUMMARY = [
    travellers.c[name]
    for name in (
        "id",
        "flight_id",
        "role",
        "surname",
        "given_names",
        "middle_names",
        "gender",
        "date_of_birth",
        "nationality",
        "residence_country",
        "embarkation",
        "debarkation",
        "record_locator",
        "seat",
        "list_status",
    )
]
_MESSAGE_SUMMARY = [
    messages.c.id,
    messages.c.sha256,
    messages.c.size,
    messages.c.received_at,
    messages.c.sender,
    messages.c.channel,
    messages.c.msg_type.label("type"),
    messages.c.status,
    messages.c.traveller_count,
    messages.c.processed_at,
]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list; ``next_offset`` is None on the last page."""

    items: list[Row]
    limit: int
    offset: int
    next_offset: int | None


def _check_paging(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")


def _page(conn: Connection, query: Select[Any], limit: int, offset: int) -> Page:
    _check_paging(limit, offset)
    rows = [dict(r._mapping) for r in conn.execute(query.limit(limit + 1).offset(offset))]
    more = len(rows) > limit
    return Page(rows[:limit], limit, offset, offset + limit if more else None)


def _one(conn: Connection, query: Select[Any]) -> Row | None:
    row = conn.execute(query).first()
    return dict(row._mapping) if row is not None else None


def list_flights(
    engine: Engine,
    *,
    departure_from: datetime | None = None,
    departure_to: datetime | None = None,
    carrier: str | None = None,
    origin: str | None = None,
    destination: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """Flights in departure order; ``departure_from`` inclusive, ``departure_to`` exclusive.

    The range applies to ``departure_utc``, so a flight whose UTC time is not known yet is
    left out of a ranged list (it still appears unranged). Codes compare upper-case.
    """
    query = select(*_FLIGHT_COLUMNS)
    if departure_from is not None:
        query = query.where(flights.c.departure_utc >= departure_from)
    if departure_to is not None:
        query = query.where(flights.c.departure_utc < departure_to)
    if carrier:
        query = query.where(flights.c.carrier == carrier.strip().upper())
    if origin:
        query = query.where(flights.c.origin == origin.strip().upper())
    if destination:
        query = query.where(flights.c.destination == destination.strip().upper())
    query = query.order_by(
        flights.c.departure_date, flights.c.departure_utc.nulls_last(), flights.c.id
    )
    with engine.connect() as conn:
        return _page(conn, query, limit, offset)


def get_flight(engine: Engine, flight_id: int) -> Row | None:
    """The flight with its ``stops`` (in route order) and ``sources`` (the lists it came in)."""
    with engine.connect() as conn:
        flight = _one(conn, select(flights).where(flights.c.id == flight_id))
        if flight is None:
            return None
        stops = conn.execute(
            select(flight_stops)
            .where(flight_stops.c.flight_id == flight_id)
            .order_by(flight_stops.c.seq)
        )
        flight["stops"] = [dict(r._mapping) for r in stops]
        sources = conn.execute(
            select(
                flight_sources.c.message_id,
                flight_sources.c.list_kind,
                flight_sources.c.document_code,
                flight_sources.c.document_subcode,
                flight_sources.c.traveller_count,
                flight_sources.c.received_at,
                messages.c.msg_type.label("type"),
                messages.c.status,
            )
            .select_from(
                flight_sources.join(messages, messages.c.id == flight_sources.c.message_id)
            )
            .where(flight_sources.c.flight_id == flight_id)
            .order_by(flight_sources.c.received_at, flight_sources.c.message_id)
        )
        flight["sources"] = [dict(r._mapping) for r in sources]
    return flight


def flight_travellers(
    engine: Engine, flight_id: int, *, limit: int = 100, offset: int = 0
) -> Page | None:
    """The travellers (passengers and crew) of a flight by name; None if no such flight."""
    with engine.connect() as conn:
        if conn.execute(select(flights.c.id).where(flights.c.id == flight_id)).first() is None:
            return None
        query = (
            select(*_TRAVELLER_SUMMARY)
            .where(travellers.c.flight_id == flight_id)
            .order_by(travellers.c.surname, travellers.c.given_names, travellers.c.id)
        )
        return _page(conn, query, limit, offset)


def get_traveller(engine: Engine, traveller_id: int) -> Row | None:
    """Every field, the ``flight`` summary, ``documents`` and the ``sources`` it was read from.

    ``sources`` gives, per message, the segment where the traveller starts, so an analyst
    can open the raw message at the right place. ``co_travellers`` and ``earlier_trips``
    come from :mod:`piu.store.travel_history` (the same booking or locator on this flight;
    the same person on other flights).
    """
    with engine.connect() as conn:
        traveller = _one(conn, select(travellers).where(travellers.c.id == traveller_id))
        if traveller is None:
            return None
        traveller["flight"] = _one(
            conn, select(*_FLIGHT_COLUMNS).where(flights.c.id == traveller["flight_id"])
        )
        docs = conn.execute(
            select(documents)
            .where(documents.c.traveller_id == traveller_id)
            .order_by(documents.c.id)
        )
        traveller["documents"] = [dict(r._mapping) for r in docs]
        sources = conn.execute(
            select(
                messages.c.id.label("message_id"),
                messages.c.sha256,
                messages.c.msg_type.label("type"),
                messages.c.status,
                messages.c.received_at,
                traveller_sources.c.segment_index,
                traveller_sources.c.offset,
            )
            .select_from(
                traveller_sources.join(messages, messages.c.id == traveller_sources.c.message_id)
            )
            .where(traveller_sources.c.traveller_id == traveller_id)
            .order_by(messages.c.received_at, messages.c.id)
        )
        traveller["sources"] = [dict(r._mapping) for r in sources]
        traveller["co_travellers"] = travel_history.co_travellers(conn, traveller_id)
        traveller["earlier_trips"] = travel_history.earlier_trips(conn, traveller_id)
    traveller["hits"] = traveller_hits(engine, traveller_id)
    traveller["bookings"] = traveller_bookings(engine, traveller_id)
    return traveller


def list_messages(
    engine: Engine,
    *,
    status: str | None = None,
    msg_type: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """Message metadata, newest first (never the raw bytes)."""
    query = select(*_MESSAGE_SUMMARY)
    if status:
        query = query.where(messages.c.status == status)
    if msg_type:
        query = query.where(messages.c.msg_type == msg_type)
    query = query.order_by(messages.c.received_at.desc(), messages.c.id.desc())
    with engine.connect() as conn:
        return _page(conn, query, limit, offset)


def get_message(engine: Engine, message_id: int) -> Row | None:
    """Metadata with ``error``, ``warnings``, ``parser_version`` and every delivery."""
    with engine.connect() as conn:
        message = _one(
            conn,
            select(
                *_MESSAGE_SUMMARY,
                messages.c.error,
                messages.c.warnings,
                messages.c.parser_version,
            ).where(messages.c.id == message_id),
        )
        if message is None:
            return None
        rows = conn.execute(
            select(
                receipts.c.id,
                receipts.c.received_at,
                receipts.c.sender,
                receipts.c.channel,
                receipts.c.origin,
                receipts.c.duplicate,
            )
            .where(receipts.c.message_id == message_id)
            .order_by(receipts.c.id)
        )
        message["receipts"] = [dict(r._mapping) for r in rows]
    return message


def get_message_raw(engine: Engine, message_id: int) -> bytes | None:
    with engine.connect() as conn:
        raw = conn.execute(select(messages.c.raw).where(messages.c.id == message_id)).scalar()
    return bytes(raw) if raw is not None else None


_HIT_SUMMARY = [
    hits.c.id,
    hits.c.kind,
    hits.c.status,
    hits.c.score,
    hits.c.severity,
    hits.c.algorithm,
    hits.c.created_at,
    hits.c.traveller_id,
    hits.c.message_id,
    travellers.c.surname,
    travellers.c.given_names,
    travellers.c.flight_id,
    flights.c.flight_code,
    flights.c.departure_utc,
    watchlists.c.name.label("watchlist"),
    watchlist_entries.c.entry_key.label("entry"),
]


def _hits_query() -> Select[Any]:
    return select(*_HIT_SUMMARY).select_from(
        hits.join(travellers, travellers.c.id == hits.c.traveller_id)
        .join(flights, flights.c.id == travellers.c.flight_id)
        .outerjoin(watchlists, watchlists.c.id == hits.c.watchlist_id)
        .outerjoin(watchlist_entries, watchlist_entries.c.id == hits.c.entry_id)
    )


def list_hits(
    engine: Engine,
    *,
    status: str | None = None,
    watchlist: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """Hits, most severe and newest first (the review queue comes with the analyst's desk)."""
    query = _hits_query().order_by(hits.c.created_at.desc(), hits.c.id.desc())
    if status is not None:
        query = query.where(hits.c.status == status)
    if watchlist is not None:
        query = query.where(watchlists.c.name == watchlist)
    with engine.connect() as conn:
        return _page(conn, query, limit, offset)


def get_hit(engine: Engine, hit_id: int) -> Row | None:
    """One hit with its full explanation."""
    with engine.connect() as conn:
        hit = _one(conn, _hits_query().add_columns(hits.c.explanation).where(hits.c.id == hit_id))
    return hit


def traveller_hits(engine: Engine, traveller_id: int) -> list[Row]:
    with engine.connect() as conn:
        rows = conn.execute(
            _hits_query().where(hits.c.traveller_id == traveller_id).order_by(hits.c.id)
        )
        return [dict(r._mapping) for r in rows]


def list_watchlist_summaries(engine: Engine) -> list[Row]:
    """Lists in force and their settings; no entries (those are personal data)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                watchlists.c.id,
                watchlists.c.name,
                watchlists.c.source,
                watchlists.c.legal_basis,
                watchlists.c.category,
                watchlists.c.severity,
                watchlists.c.format,
                watchlists.c.threshold,
                watchlists.c.valid_from,
                watchlists.c.valid_to,
                watchlists.c.active,
                watchlists.c.entry_count,
                watchlists.c.updated_at,
            ).order_by(watchlists.c.name)
        )
        return [dict(r._mapping) for r in rows]


def traveller_bookings(engine: Engine, traveller_id: int) -> list[Row]:
    """The bookings a traveller is on, with how the PNR traveller was linked."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                bookings.c.id,
                bookings.c.carrier,
                bookings.c.locator,
                bookings.c.current_version,
                booking_travellers.c.pnr_ref,
                booking_travellers.c.link_method,
                booking_travellers.c.confidence,
            )
            .join(booking_travellers, booking_travellers.c.booking_id == bookings.c.id)
            .where(booking_travellers.c.traveller_id == traveller_id)
            .order_by(bookings.c.id)
        )
        return [dict(r._mapping) for r in rows]


def get_booking(engine: Engine, booking_id: int) -> Row | None:
    """A booking with its current data, every version (newest first) and its travellers."""
    with engine.connect() as conn:
        booking = _one(conn, select(bookings).where(bookings.c.id == booking_id))
        if booking is None:
            return None
        versions = conn.execute(
            select(booking_versions)
            .where(booking_versions.c.booking_id == booking_id)
            .order_by(booking_versions.c.version.desc())
        )
        booking["versions"] = [dict(r._mapping) for r in versions]
        linked = conn.execute(
            select(
                booking_travellers.c.traveller_id,
                booking_travellers.c.flight_id,
                booking_travellers.c.pnr_ref,
                booking_travellers.c.link_method,
                booking_travellers.c.confidence,
                travellers.c.surname,
                travellers.c.given_names,
            )
            .join(travellers, travellers.c.id == booking_travellers.c.traveller_id)
            .where(booking_travellers.c.booking_id == booking_id)
            .order_by(booking_travellers.c.id)
        )
        booking["travellers"] = [dict(r._mapping) for r in linked]
    return booking
