"""Writing PNR pushes: booking versions, and travellers shared with the API lists.

Each push of a booking (carrier + record locator) is a new row in ``booking_versions``
holding the minimised booking as JSON; ``bookings.current_version`` points at the latest,
and earlier versions stay as its history. A message re-applied by reprocessing finds its
version again (unique per booking and message) instead of adding one.

The travellers of a booking on the reported flight are tied to the flight's ``travellers``
rows through ``booking_travellers``: a PNR traveller already tied keeps its row; otherwise
:func:`piu.domain.linking.link` looks for the API traveller that is the same person
(locator and name, name and date of birth, document, and as a last resort a fuzzy name
with its confidence). Whoever cannot be linked gets a row of their own (``in_api`` false),
which a later API list may claim (see :func:`claim_pnr_travellers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from piu.domain import Flight, Stop
from piu.domain.booking import FlightSegment, Pnr, PnrPush, PnrTraveller
from piu.domain.jsonable import to_json
from piu.domain.linking import Person, link
from piu.errors import MessageStructureError
from piu.store.schema import (
    booking_travellers,
    booking_versions,
    bookings,
    documents,
    traveller_sources,
    travellers,
)
from piu.store.travel import recount_flight, upsert_flight

__all__ = ["StoredPush", "claim_pnr_travellers", "store_pnr_push"]


@dataclass(frozen=True, slots=True)
class StoredPush:
    flight_id: int
    bookings: int
    travellers: int
    traveller_ids: tuple[int, ...]
    warnings: tuple[str, ...] = ()


def _reported_flight(push: PnrPush) -> tuple[Flight, date]:
    seg: FlightSegment | None = push.flight
    if seg is None or not seg.origin or not seg.destination:
        raise MessageStructureError("the push names no flight (no level-0 TVL)", tag="TVL")
    carrier = seg.marketing_carrier or seg.operating_carrier
    number = seg.flight_number or seg.operating_flight_number
    if not carrier or not number:
        raise MessageStructureError("the level-0 TVL has no carrier or flight number", tag="TVL")
    op_date = seg.departure_date or seg.arrival_date
    if op_date is None:
        raise MessageStructureError("the level-0 TVL has no date", tag="TVL")
    flight = Flight(
        flight_id=f"{carrier}{number}",
        carrier=carrier,
        number=number,
        stops=[
            Stop(
                airport=seg.origin,
                qualifier="125",
                departure_local=seg.departure_local,
                departure_utc=seg.departure_utc,
            ),
            Stop(
                airport=seg.destination,
                qualifier="87",
                arrival_local=seg.arrival_local,
                arrival_utc=seg.arrival_utc,
            ),
        ],
    )
    return flight, op_date


def _person(t: PnrTraveller, locator: str | None) -> Person:
    return Person(
        surname=t.surname,
        given_names=t.given_names,
        date_of_birth=t.date_of_birth,
        gender=t.gender,
        documents={d.number for d in t.documents if d.number},
        record_locator=locator,
    )


def _flight_people(conn: Connection, flight_id: int) -> tuple[list[int], list[Person]]:
    rows = conn.execute(
        select(
            travellers.c.id,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            travellers.c.gender,
            travellers.c.record_locator,
        ).where(
            (travellers.c.flight_id == flight_id)
            & travellers.c.in_api.is_(True)
            & travellers.c.role.in_(("passenger", "transit_passenger"))
        )
    ).all()
    docs: dict[int, set[str]] = {}
    for tid, number in conn.execute(
        select(documents.c.traveller_id, documents.c.number)
        .join(travellers, travellers.c.id == documents.c.traveller_id)
        .where(travellers.c.flight_id == flight_id)
    ):
        docs.setdefault(tid, set()).add(number)
    ids = [r.id for r in rows]
    people = [
        Person(
            surname=r.surname,
            given_names=r.given_names,
            date_of_birth=r.date_of_birth,
            gender=r.gender,
            documents=docs.get(r.id, set()),
            record_locator=r.record_locator,
        )
        for r in rows
    ]
    return ids, people


def _pnr_ref(t: PnrTraveller, position: int) -> str:
    return (t.ref or t.unique_ref or f"#{position}")[:32]


def _fill_values(t: PnrTraveller, locator: str | None) -> dict[str, Any]:
    """What a PNR adds to a traveller row: only values it has (API data wins elsewhere)."""
    values = {
        "date_of_birth": t.date_of_birth,
        "gender": t.gender,
        "nationality": t.nationality,
        "record_locator": locator,
    }
    return {k: v for k, v in values.items() if v is not None}


def _add_documents(
    conn: Connection, traveller_id: int, t: PnrTraveller, message_id: int, *, fresh: bool
) -> None:
    if not t.documents:
        return
    known: set[str] = (
        set()
        if fresh  # a row created a moment ago has no documents yet
        else {
            "".join(ch for ch in n.upper() if ch.isalnum())
            for n in conn.execute(
                select(documents.c.number).where(documents.c.traveller_id == traveller_id)
            ).scalars()
        }
    )
    rows = []
    for d in t.documents:
        key = "".join(ch for ch in d.number.upper() if ch.isalnum())
        if key and key not in known:
            known.add(key)
            rows.append(
                {
                    "traveller_id": traveller_id,
                    "doc_type": d.doc_type,
                    "number": d.number,
                    "expiry": d.expiry,
                    "issued": d.issued,
                    "issuing_state": d.issuing_state,
                    "last_message_id": message_id,
                }
            )
    if rows:
        conn.execute(documents.insert(), rows)


def _version(
    conn: Connection,
    pnr: Pnr,
    carrier: str,
    locator: str,
    *,
    flight_id: int,
    push: PnrPush,
    message_id: int,
    now: datetime,
) -> int:
    booking = conn.execute(
        select(bookings).where((bookings.c.carrier == carrier) & (bookings.c.locator == locator))
    ).first()
    if booking is None:
        booking_id = conn.execute(
            bookings.insert()
            .values(
                carrier=carrier,
                locator=locator,
                created_local=pnr.created,
                current_version=0,
                first_message_id=message_id,
                last_message_id=message_id,
                first_seen=now,
                last_seen=now,
            )
            .returning(bookings.c.id)
        ).scalar_one()
        current = 0
    else:
        booking_id, current = booking.id, booking.current_version
    existing = conn.execute(
        select(booking_versions.c.id).where(
            (booking_versions.c.booking_id == booking_id)
            & (booking_versions.c.message_id == message_id)
        )
    ).scalar()
    data = to_json(pnr)
    if existing is not None:  # reprocessing the same message: refresh, do not add
        conn.execute(
            update(booking_versions).where(booking_versions.c.id == existing).values(data=data)
        )
        return int(booking_id)
    conn.execute(
        booking_versions.insert().values(
            booking_id=booking_id,
            version=current + 1,
            message_id=message_id,
            flight_id=flight_id,
            push_type=push.push_type,
            received_at=now,
            last_modified_local=pnr.last_modified,
            traveller_count=len(pnr.travellers),
            data=data,
        )
    )
    conn.execute(
        update(bookings)
        .where(bookings.c.id == booking_id)
        .values(current_version=current + 1, last_message_id=message_id, last_seen=now)
    )
    return int(booking_id)


def store_pnr_push(
    conn: Connection, push: PnrPush, *, message_id: int, now: datetime
) -> StoredPush:
    """Apply one (minimised) PNR push: flight, booking versions, linked travellers."""
    flight, op_date = _reported_flight(push)
    flight_id = upsert_flight(
        conn,
        flight,
        operating_date=op_date,
        message_id=message_id,
        now=now,
        replace_stops=False,
    )
    warnings: list[str] = []
    touched: list[int] = []
    stored_bookings = 0
    # Link targets: the flight's API travellers not yet tied to a booking. Loaded once per
    # push and kept current as PNR travellers claim them.
    api_ids, api_people = _flight_people(conn, flight_id)
    tied_anywhere = set(
        conn.execute(
            select(booking_travellers.c.traveller_id).where(
                booking_travellers.c.flight_id == flight_id
            )
        ).scalars()
    )
    free = {
        tid: person
        for tid, person in zip(api_ids, api_people, strict=True)
        if tid not in tied_anywhere
    }
    for n, pnr in enumerate(push.pnrs, start=1):
        locator = pnr.record_locator
        carrier = (pnr.carrier or flight.carrier)[:3]
        if not locator:
            warnings.append(f"PNR {n}: no record locator; booking not stored")
            continue
        booking_id = _version(
            conn,
            pnr,
            carrier,
            locator,
            flight_id=flight_id,
            push=push,
            message_id=message_id,
            now=now,
        )
        stored_bookings += 1
        touched.extend(
            _link_travellers(
                conn,
                pnr,
                booking_id,
                locator,
                free=free,
                flight_id=flight_id,
                message_id=message_id,
                now=now,
            )
        )
    recount_flight(conn, flight_id)
    return StoredPush(
        flight_id,
        stored_bookings,
        push.traveller_count,
        tuple(dict.fromkeys(touched)),
        tuple(warnings),
    )


def _link_travellers(
    conn: Connection,
    pnr: Pnr,
    booking_id: int,
    locator: str,
    *,
    free: dict[int, Person],
    flight_id: int,
    message_id: int,
    now: datetime,
) -> list[int]:
    """Tie each PNR traveller to a stored traveller: the one this booking already ties
    the reference to, else an API traveller of ``free`` (the flight's, not yet tied to a
    booking) that :func:`~piu.domain.linking.link` finds, who is then taken out of
    ``free``, else a new booked-only row. Returns the travellers' ids."""
    refs = [_pnr_ref(t, i) for i, t in enumerate(pnr.travellers, start=1)]
    tied = dict(
        conn.execute(
            select(booking_travellers.c.pnr_ref, booking_travellers.c.traveller_id).where(
                (booking_travellers.c.booking_id == booking_id)
                & (booking_travellers.c.flight_id == flight_id)
            )
        ).all()
    )
    todo = [i for i, ref in enumerate(refs) if ref not in tied]
    targets = list(free.items())
    links = link([_person(pnr.travellers[i], locator) for i in todo], [p for _, p in targets])
    by_pnr = {todo[lk.pnr_index]: (targets[lk.api_index][0], lk) for lk in links}
    for tid, _ in by_pnr.values():
        del free[tid]  # claimed: no other booking of the push links to this traveller

    touched: list[int] = []
    for i, t in enumerate(pnr.travellers):
        ref = refs[i]
        if ref in tied:
            tid, method, confidence = tied[ref], None, None
        elif i in by_pnr:
            tid, lk = by_pnr[i]
            method, confidence = lk.method, lk.confidence
        else:
            tid = conn.execute(
                travellers.insert()
                .values(
                    flight_id=flight_id,
                    match_key=f"pnr|{booking_id}|{ref}"[:255],
                    role="passenger",
                    surname=t.surname,
                    given_names=t.given_names,
                    other_refs={},
                    bag_tags=[],
                    list_status="booked",
                    in_api=False,
                    in_pnr=True,
                    first_message_id=message_id,
                    last_message_id=message_id,
                    created_at=now,
                    updated_at=now,
                    **_fill_values(t, locator),
                )
                .returning(travellers.c.id)
            ).scalar_one()
            method, confidence = "new", 1.0
        if method != "new":  # an existing row learns what the booking adds
            conn.execute(
                update(travellers)
                .where(travellers.c.id == tid)
                .values(
                    in_pnr=True,
                    last_message_id=message_id,
                    updated_at=now,
                    screened_at=None,
                    **{k: v for k, v in _fill_values(t, locator).items() if k != "record_locator"},
                )
            )
        _add_documents(conn, tid, t, message_id, fresh=method == "new")
        if method is not None:
            conn.execute(
                booking_travellers.insert().values(
                    booking_id=booking_id,
                    flight_id=flight_id,
                    pnr_ref=ref,
                    traveller_id=tid,
                    link_method=method,
                    confidence=confidence,
                    updated_at=now,
                )
            )
        _source(conn, tid, message_id, t.segment_index, t.offset, fresh=method == "new")
        touched.append(int(tid))
    return touched


def _source(
    conn: Connection,
    tid: int,
    message_id: int,
    segment: int | None,
    offset: int | None,
    *,
    fresh: bool = False,
) -> None:
    exists = (
        None
        if fresh
        else conn.execute(
            select(traveller_sources.c.traveller_id).where(
                (traveller_sources.c.traveller_id == tid)
                & (traveller_sources.c.message_id == message_id)
            )
        ).first()
    )
    if exists is None:
        conn.execute(
            traveller_sources.insert().values(
                traveller_id=tid, message_id=message_id, segment_index=segment, offset=offset
            )
        )


def claim_pnr_travellers(
    conn: Connection, flight_id: int, api_people: Sequence[tuple[int, Person]]
) -> dict[int, tuple[int, str, float]]:
    """For API travellers not matched otherwise: PNR-only rows of the flight that are the
    same person. Returns {index into api_people: (traveller id, method, confidence)}."""
    rows = conn.execute(
        select(
            travellers.c.id,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            travellers.c.gender,
            travellers.c.record_locator,
        ).where((travellers.c.flight_id == flight_id) & travellers.c.in_api.is_(False))
    ).all()
    if not rows:
        return {}
    docs: dict[int, set[str]] = {}
    for tid, number in conn.execute(
        select(documents.c.traveller_id, documents.c.number).where(
            documents.c.traveller_id.in_([r.id for r in rows])
        )
    ):
        docs.setdefault(tid, set()).add(number)
    pnr_people = [
        Person(
            r.surname,
            r.given_names,
            r.date_of_birth,
            r.gender,
            docs.get(r.id, set()),
            r.record_locator,
        )
        for r in rows
    ]
    links = link(pnr_people, [p for _, p in api_people])
    out = {}
    for lk in links:
        tid = rows[lk.pnr_index].id
        out[lk.api_index] = (int(tid), lk.method, lk.confidence)
        conn.execute(
            update(booking_travellers)
            .where(
                (booking_travellers.c.traveller_id == tid)
                & (booking_travellers.c.link_method == "new")
            )
            .values(link_method=lk.method, confidence=lk.confidence)
        )
    return out
