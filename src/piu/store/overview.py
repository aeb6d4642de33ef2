"""Read-only summaries for the analyst's dashboard and message monitor.

Counts and short lists only; nothing here writes. Times are UTC: "today" is the UTC day
``[day_start, day_start + 1 day)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from piu.reference import airports
from piu.store.read import MAX_LIMIT, Page
from piu.store.schema import booking_travellers, flights, hits, messages

__all__ = [
    "TodaysFlights",
    "flights_between",
    "open_hits_by_severity",
    "rejected_messages",
    "rejected_since",
    "todays_flights",
]

OPEN_STATUSES = ("open", "more_info")


def flights_between(
    engine: Engine, start: datetime, end: datetime, limit: int = 200
) -> list[dict[str, Any]]:
    """Flights departing or arriving in ``[start, end)`` with their API and PNR counts.

    ``pnr_travellers`` counts the flight's travellers tied to a booking (PNR data seen);
    ``api_travellers`` is passengers plus crew as the latest API list said.
    """
    pnr = (
        select(func.count(func.distinct(booking_travellers.c.traveller_id)))
        .where(booking_travellers.c.flight_id == flights.c.id)
        .scalar_subquery()
    )
    in_window = ((flights.c.departure_utc >= start) & (flights.c.departure_utc < end)) | (
        (flights.c.arrival_utc >= start) & (flights.c.arrival_utc < end)
    )
    query = (
        select(
            flights.c.id,
            flights.c.flight_code,
            flights.c.origin,
            flights.c.destination,
            flights.c.departure_date,
            flights.c.departure_utc,
            flights.c.arrival_utc,
            flights.c.status,
            flights.c.passenger_count,
            flights.c.crew_count,
            pnr.label("pnr_travellers"),
        )
        .where(
            in_window
            | ((flights.c.departure_utc.is_(None)) & (flights.c.departure_date == start.date()))
        )
        .order_by(flights.c.departure_utc.nulls_last(), flights.c.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def open_hits_by_severity(engine: Engine) -> dict[str, int]:
    """Hits waiting for a person (open or more_info), counted by severity."""
    query = (
        select(hits.c.severity, func.count())
        .where(hits.c.status.in_(OPEN_STATUSES))
        .group_by(hits.c.severity)
    )
    with engine.connect() as conn:
        return {str(sev): int(n) for sev, n in conn.execute(query)}


def rejected_since(engine: Engine, since: datetime) -> int:
    query = (
        select(func.count())
        .select_from(messages)
        .where(messages.c.status == "rejected", messages.c.received_at >= since)
    )
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def rejected_messages(engine: Engine, *, limit: int = 100, offset: int = 0) -> Page:
    """Rejected messages, newest first, with their error (never the raw bytes)."""
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValueError("bad paging")
    query = (
        select(
            messages.c.id,
            messages.c.received_at,
            messages.c.sender,
            messages.c.channel,
            messages.c.msg_type.label("type"),
            messages.c.size,
            messages.c.error,
            messages.c.parser_version,
        )
        .where(messages.c.status == "rejected")
        .order_by(messages.c.received_at.desc(), messages.c.id.desc())
        .limit(limit + 1)
        .offset(offset)
    )
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    more = len(rows) > limit
    return Page(rows[:limit], limit, offset, offset + limit if more else None)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TodaysFlights:
    """The day's flights as the dashboard shows them.

    With the PIU's ``country`` known, ``leaving`` are the flights taking off from one of
    its airports today (outbound) and ``landing`` those landing at one today (inbound); a
    domestic flight is in both. Without it, every flight that departs or arrives today.
    ``unknown_times``: flights of today's date whose UTC times could not be computed.
    """

    country: str
    leaving: list[dict[str, Any]]
    landing: list[dict[str, Any]]
    unknown_times: list[dict[str, Any]]


def todays_flights(
    found: list[dict[str, Any]], start: datetime, end: datetime, country: str = ""
) -> TodaysFlights:
    """Sort :func:`flights_between`'s rows into outbound and inbound (see above)."""

    def ours(airport: str | None) -> bool:
        return not country or (airport is not None and airports.country(airport) == country)

    leaving = [
        f
        for f in found
        if f["departure_utc"] and start <= f["departure_utc"] < end and ours(f["origin"])
    ]
    landing = [
        f
        for f in found
        if f["arrival_utc"] and start <= f["arrival_utc"] < end and ours(f["destination"])
    ]
    unknown = [f for f in found if f["departure_utc"] is None]
    return TodaysFlights(country, leaving, landing, unknown)
