"""Writing API lists into flights, travellers and documents.

:func:`store_passenger_list` is called inside the transaction that also marks the message
stored, so a list is either fully applied or not at all. It updates rather than duplicates:
the flight is found by (carrier, number, origin, operating date) and travellers by
:mod:`piu.domain.identity`. Values a later list leaves out are kept (a closing list that only
names travellers must not erase their documents); values it carries replace older ones.

Speed matters (thousands of passengers a second): each list costs a fixed number of
statements, with travellers, documents and provenance written as ``executemany`` batches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from piu.domain import Flight, FlightStatus, ListKind, PassengerList, Traveller
from piu.domain.identity import KnownTraveller, match_key, name_key, same_person
from piu.domain.linking import Person
from piu.errors import MessageStructureError
from piu.store.dialect import insert_ignoring_conflicts
from piu.store.schema import (
    documents,
    flight_sources,
    flight_stops,
    flights,
    traveller_sources,
    travellers,
)

__all__ = [
    "StoredList",
    "flight_number",
    "recount_flight",
    "store_passenger_list",
    "upsert_flight",
]


@dataclass(frozen=True, slots=True)
class StoredList:
    flight_id: int
    travellers: int
    created: int
    updated: int
    traveller_ids: tuple[int, ...] = ()


def _operating_date(flight: Flight, pl: PassengerList) -> date:
    for stop in flight.stops:
        if stop.departure_local:
            return stop.departure_local.date()
    for stop in flight.stops:
        if stop.arrival_local:
            return stop.arrival_local.date()
    if pl.prepared_at:
        return pl.prepared_at.date()
    raise MessageStructureError(
        f"flight {flight.flight_id} has no departure or arrival date, and the interchange "
        "has no preparation date: cannot tell which day's flight it is",
        tag="TDT",
    )


def _connections(pl: PassengerList, reported: Flight) -> list[dict[str, Any]]:
    out = []
    for f in pl.flights:
        if f is reported:
            continue
        out.append(
            {
                "flight_code": f.flight_id,
                "carrier": f.carrier,
                "overflight": f.overflight,
                "stops": [
                    {
                        "airport": s.airport,
                        "qualifier": s.qualifier,
                        "departure_utc": s.departure_utc.isoformat() if s.departure_utc else None,
                        "arrival_utc": s.arrival_utc.isoformat() if s.arrival_utc else None,
                    }
                    for s in f.stops
                ],
            }
        )
    return out


_STATUS_BY_SUBCODE: dict[FlightStatus | None, str] = {
    FlightStatus.CLOSED_ON_BOARD: "on_board",
    FlightStatus.CLOSED_NOT_ON_BOARD: "not_on_board",
}


def flight_number(number: str) -> str:
    """The flight number as stored: without leading zeros (``"0006"`` and ``"6"`` are one
    flight; API lists and PNR pushes of the same carrier write it differently)."""
    return number.lstrip("0") or "0"


def upsert_flight(
    conn: Connection,
    flight: Flight,
    *,
    operating_date: date,
    message_id: int,
    now: datetime,
    status: FlightStatus | None = None,
    connections: list[dict[str, Any]] | None = None,
    replace_stops: bool = True,
) -> int:
    """Find the flight by (carrier, number, origin, operating date) or create it.

    Values the message does not carry are kept; stops are replaced only when
    ``replace_stops`` (API lists are authoritative for the route; a PNR push only fills a
    flight nobody described yet).
    """
    if not flight.stops:
        raise MessageStructureError(
            f"flight {flight.flight_id} has no airports (no LOC after TDT)", tag="LOC"
        )
    values: dict[str, Any] = {
        "flight_code": flight.flight_id,
        "destination": flight.destination,
        "departure_local": flight.departure_local,
        "departure_utc": flight.departure_utc,
        "arrival_local": next(
            (s.arrival_local for s in reversed(flight.stops) if s.arrival_local), None
        ),
        "arrival_utc": flight.arrival_utc,
        "overflight": flight.overflight,
        "connections": connections or [],
        "last_message_id": message_id,
        "updated_at": now,
    }
    if status is not None:
        values["status"] = status.value
    number = flight_number(flight.number)
    key = (
        (flights.c.carrier == flight.carrier)
        & (flights.c.number == number)
        & (flights.c.origin == flight.origin)
        & (flights.c.departure_date == operating_date)
    )
    flight_id = conn.execute(select(flights.c.id).where(key)).scalar()
    created = flight_id is None
    if flight_id is None:
        flight_id = conn.execute(
            flights.insert()
            .values(
                carrier=flight.carrier,
                number=number,
                origin=flight.origin,
                departure_date=operating_date,
                status=values.pop("status", FlightStatus.SCHEDULED.value),
                first_message_id=message_id,
                created_at=now,
                **values,
            )
            .returning(flights.c.id)
        ).scalar_one()
    else:
        # A sparse later notice (e.g. a closing message) must not erase times it omits.
        changes = {k: v for k, v in values.items() if v is not None}
        if not values["connections"]:
            changes.pop("connections")  # a single-flight list says nothing of connections
        if not replace_stops:
            for k in ("flight_code", "destination", "departure_local", "arrival_local"):
                changes.pop(k, None)
            changes.pop("departure_utc", None)
            changes.pop("arrival_utc", None)
        conn.execute(update(flights).where(flights.c.id == flight_id).values(**changes))
    if replace_stops or created:
        conn.execute(flight_stops.delete().where(flight_stops.c.flight_id == flight_id))
        conn.execute(
            flight_stops.insert(),
            [
                {
                    "flight_id": flight_id,
                    "seq": i,
                    "airport": s.airport,
                    "qualifier": s.qualifier,
                    "arrival_local": s.arrival_local,
                    "arrival_utc": s.arrival_utc,
                    "departure_local": s.departure_local,
                    "departure_utc": s.departure_utc,
                }
                for i, s in enumerate(flight.stops, start=1)
            ],
        )
    return int(flight_id)


def _upsert_flight(
    conn: Connection, pl: PassengerList, message_id: int, now: datetime
) -> tuple[int, Flight]:
    reported = pl.reported_flight
    if reported is None:
        raise MessageStructureError("the list names no flight (no TDT segment)", tag="TDT")
    if not reported.stops:
        raise MessageStructureError(
            f"flight {reported.flight_id} has no airports (no LOC after TDT)", tag="LOC"
        )
    flight_id = upsert_flight(
        conn,
        reported,
        operating_date=_operating_date(reported, pl),
        message_id=message_id,
        now=now,
        status=pl.status,
        connections=_connections(pl, reported),
    )
    return flight_id, reported


def _known_travellers(conn: Connection, flight_id: int) -> list[KnownTraveller]:
    rows = conn.execute(
        select(
            travellers.c.id,
            travellers.c.role,
            travellers.c.passenger_ref,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
        ).where(travellers.c.flight_id == flight_id)
    ).all()
    if not rows:
        return []
    docs: dict[int, set[str]] = {}
    for tid, number in conn.execute(
        select(documents.c.traveller_id, documents.c.number)
        .join(travellers, travellers.c.id == documents.c.traveller_id)
        .where(travellers.c.flight_id == flight_id)
    ):
        docs.setdefault(tid, set()).add(" ".join(number.upper().split()))
    out = []
    for r in rows:
        crew = r.role in ("crew", "transit_crew")
        out.append(
            KnownTraveller(
                id=r.id,
                crew=crew,
                passenger_ref=r.passenger_ref,
                name_key=name_key(r.surname, r.given_names, r.date_of_birth, crew),
                documents=docs.get(r.id, set()),
            )
        )
    return out


def _traveller_values(t: Traveller) -> dict[str, Any]:
    bags = t.bags
    return {
        "role": t.role.value,
        "surname": t.surname,
        "given_names": t.given_names,
        "middle_names": t.middle_names,
        "gender": t.gender,
        "date_of_birth": t.date_of_birth,
        "nationality": t.nationality,
        "residence_country": t.residence_country,
        "birth_place": t.birth_place,
        "embarkation": t.embarkation,
        "debarkation": t.debarkation,
        "address": asdict(t.address) if t.address else None,
        "record_locator": t.record_locator,
        "passenger_ref": t.passenger_ref,
        "seat": t.seat,
        "ticket": t.ticket,
        "customer_ref": t.customer_ref,
        "other_refs": dict(t.other_refs) or None,
        "bag_count": bags.count if bags else None,
        "bag_weight": bags.weight if bags else None,
        "bag_weight_unit": bags.weight_unit if bags else None,
        "bag_tags": list(bags.tags) if bags and bags.tags else None,
    }


def _list_status(pl: PassengerList) -> str | None:
    if pl.status in _STATUS_BY_SUBCODE:
        return _STATUS_BY_SUBCODE[pl.status]
    if pl.document_subcode == "XR":
        return "cancelled"
    return "listed" if pl.kind in (ListKind.PASSENGERS, ListKind.CREW) else None


def store_passenger_list(
    conn: Connection, pl: PassengerList, *, message_id: int, now: datetime
) -> StoredList:
    """Apply one parsed list to the store; returns the flight and traveller counts."""
    flight_id, _reported = _upsert_flight(conn, pl, message_id, now)
    known = _known_travellers(conn, flight_id) if pl.travellers else []
    status = _list_status(pl)

    new_rows: list[dict[str, Any]] = []
    new_docs: list[list[dict[str, Any]]] = []
    new_sources: list[dict[str, Any]] = []
    updates: list[tuple[int, Traveller]] = []
    used_keys: set[str] = set()
    claimed: set[int] = set()
    unmatched: list[Traveller] = []
    for t in pl.travellers:
        crew = t.role.is_crew
        key = name_key(t.surname, t.given_names, t.date_of_birth, crew)
        numbers = [d.number for d in t.documents]
        match = next(
            (
                k
                for k in known
                if k.id not in claimed
                and same_person(
                    k, crew=crew, passenger_ref=t.passenger_ref, key=key, documents=numbers
                )
            ),
            None,
        )
        if match is not None:
            claimed.add(match.id)
            updates.append((match.id, t))
        else:
            unmatched.append(t)
    # Passengers the carrier's bookings already told us of (PNR only, no API list yet).
    passengers = [t for t in unmatched if not t.role.is_crew]
    if passengers and known:
        from piu.store.bookings import claim_pnr_travellers

        found = claim_pnr_travellers(
            conn,
            flight_id,
            [
                (
                    i,
                    Person(
                        surname=t.surname,
                        given_names=t.given_names,
                        date_of_birth=t.date_of_birth,
                        gender=t.gender,
                        documents={d.number for d in t.documents},
                        record_locator=t.record_locator,
                    ),
                )
                for i, t in enumerate(passengers)
            ],
        )
        for i, (tid, _method, _confidence) in found.items():
            if tid not in claimed:
                claimed.add(tid)
                updates.append((tid, passengers[i]))
        taken = {id(passengers[i]) for i in found}
        unmatched = [t for t in unmatched if id(t) not in taken]
    for t in unmatched:
        crew = t.role.is_crew
        key = name_key(t.surname, t.given_names, t.date_of_birth, crew)
        numbers = [d.number for d in t.documents]
        mkey = match_key(t.passenger_ref, key, numbers)
        base, n = mkey, 1
        while mkey in used_keys:  # two same-looking entries in one list stay two people
            n += 1
            mkey = f"{base}#{n}"[:255]
        used_keys.add(mkey)
        row = _traveller_values(t)
        row.update(
            flight_id=flight_id,
            match_key=mkey,
            list_status=status or "listed",
            first_message_id=message_id,
            last_message_id=message_id,
            created_at=now,
            updated_at=now,
            other_refs=row["other_refs"] or {},
            bag_tags=row["bag_tags"] or [],
        )
        new_rows.append(row)
        new_docs.append(
            [
                {
                    "doc_type": d.doc_type,
                    "number": d.number,
                    "expiry": d.expiry,
                    "issued": d.issued,
                    "issuing_state": d.issuing_state,
                    "last_message_id": message_id,
                }
                for d in t.documents
            ]
        )
        new_sources.append({"segment_index": t.segment_index, "offset": t.offset})

    doc_rows: list[dict[str, Any]] = []
    source_rows: list[dict[str, Any]] = []
    # Existing keys must be avoided too when a name-matched row could not be reused.
    if new_rows and known:
        taken = set(
            conn.execute(
                select(travellers.c.match_key).where(travellers.c.flight_id == flight_id)
            ).scalars()
        )
        for row in new_rows:
            base, n = row["match_key"], 1
            while row["match_key"] in taken:
                n += 1
                row["match_key"] = f"{base}#{n}"[:255]
            taken.add(row["match_key"])
    ids: list[int] = []
    if new_rows:
        ids = list(
            conn.execute(
                travellers.insert().returning(travellers.c.id, sort_by_parameter_order=True),
                new_rows,
            )
            .scalars()
            .all()
        )
        for tid, docs, src in zip(ids, new_docs, new_sources, strict=True):
            for d in docs:
                d["traveller_id"] = tid
                doc_rows.append(d)
            source_rows.append({"traveller_id": tid, "message_id": message_id, **src})

    for tid, t in updates:
        changes = {k: v for k, v in _traveller_values(t).items() if v is not None}
        if status:
            changes["list_status"] = status
        changes.update(last_message_id=message_id, updated_at=now, screened_at=None, in_api=True)
        conn.execute(update(travellers).where(travellers.c.id == tid).values(**changes))
        doc_rows.extend(_merge_documents(conn, tid, t, message_id))
        source_rows.append(
            {
                "traveller_id": tid,
                "message_id": message_id,
                "segment_index": t.segment_index,
                "offset": t.offset,
            }
        )

    if doc_rows:
        conn.execute(documents.insert(), doc_rows)
    if source_rows:
        _insert_sources(conn, source_rows)

    recount_flight(conn, flight_id)
    _record_flight_source(conn, flight_id, pl, message_id, now)
    return StoredList(
        flight_id,
        len(pl.travellers),
        len(new_rows),
        len(updates),
        tuple(ids) + tuple(tid for tid, _ in updates),
    )


def recount_flight(conn: Connection, flight_id: int) -> None:
    """Refresh the flight's passenger and crew counts from its travellers."""
    counts: dict[str, int] = dict(
        conn.execute(
            select(travellers.c.role, func.count())
            .where(travellers.c.flight_id == flight_id)
            .group_by(travellers.c.role)
        ).all()
    )
    crew = counts.get("crew", 0) + counts.get("transit_crew", 0)
    conn.execute(
        update(flights)
        .where(flights.c.id == flight_id)
        .values(passenger_count=sum(counts.values()) - crew, crew_count=crew)
    )


def _merge_documents(
    conn: Connection, traveller_id: int, t: Traveller, message_id: int
) -> list[dict[str, Any]]:
    """Update documents already known (same number); return rows for the new ones."""
    if not t.documents:
        return []
    existing = {
        (" ".join(r.number.upper().split())): r.id
        for r in conn.execute(
            select(documents.c.id, documents.c.number).where(
                documents.c.traveller_id == traveller_id
            )
        )
    }
    fresh = []
    for d in t.documents:
        values = {
            "doc_type": d.doc_type,
            "expiry": d.expiry,
            "issued": d.issued,
            "issuing_state": d.issuing_state,
        }
        doc_id = existing.get(" ".join(d.number.upper().split()))
        if doc_id is None:
            fresh.append(
                {"traveller_id": traveller_id, "number": d.number, "last_message_id": message_id}
                | values
            )
        else:
            changes = {k: v for k, v in values.items() if v is not None}
            conn.execute(
                update(documents)
                .where(documents.c.id == doc_id)
                .values(last_message_id=message_id, **changes)
            )
    return fresh


def _insert_sources(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Provenance rows; a message re-applied by reprocessing keeps its first row."""
    conn.execute(insert_ignoring_conflicts(conn, traveller_sources), rows)


def _record_flight_source(
    conn: Connection, flight_id: int, pl: PassengerList, message_id: int, now: datetime
) -> None:
    exists = conn.execute(
        select(flight_sources.c.id).where(
            (flight_sources.c.flight_id == flight_id) & (flight_sources.c.message_id == message_id)
        )
    ).scalar()
    if exists:
        conn.execute(
            update(flight_sources)
            .where(flight_sources.c.id == exists)
            .values(traveller_count=len(pl.travellers))
        )
        return
    conn.execute(
        flight_sources.insert().values(
            flight_id=flight_id,
            message_id=message_id,
            list_kind=pl.kind.value,
            document_code=pl.document_code,
            document_subcode=pl.document_subcode,
            traveller_count=len(pl.travellers),
            received_at=now,
        )
    )
