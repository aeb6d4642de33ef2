"""Storing API lists: flights found again, travellers updated not duplicated, provenance kept."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, select

from piu.domain import (
    BagInfo,
    Flight,
    FlightStatus,
    ListKind,
    PassengerList,
    Stop,
    TravelDocument,
    Traveller,
    TravellerRole,
)
from piu.store.messages import keep_raw
from piu.store.schema import documents, flight_sources, flights, traveller_sources, travellers
from piu.store.travel import store_passenger_list

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _flight() -> Flight:
    return Flight(
        flight_id="KC109",
        carrier="KC",
        number="109",
        stops=[
            Stop(
                airport="ALA",
                qualifier="125",
                departure_local=datetime(2026, 11, 29, 23, 30),
                departure_utc=datetime(2026, 11, 29, 18, 30, tzinfo=UTC),
            ),
            Stop(
                airport="FRU",
                qualifier="87",
                arrival_local=datetime(2026, 11, 30, 0, 40),
                arrival_utc=datetime(2026, 11, 29, 18, 40, tzinfo=UTC),
            ),
        ],
    )


def _pax(surname: str, given: str, dob: date, doc: str | None = None, **kw: object) -> Traveller:
    docs = [TravelDocument(number=doc, doc_type="P", issuing_state="KGZ")] if doc else []
    return Traveller(
        role=kw.pop("role", TravellerRole.PASSENGER),  # type: ignore[arg-type]
        surname=surname,
        given_names=given,
        date_of_birth=dob,
        documents=docs,
        **kw,  # type: ignore[arg-type]
    )


def _message(engine: Engine, label: str) -> int:
    raw = label.encode()
    with engine.begin() as conn:
        return keep_raw(
            conn,
            raw=raw,
            sha256=hashlib.sha256(raw).hexdigest(),
            sender="KC",
            channel="cli",
            origin=None,
            msg_type="paxlst",
            now=NOW,
        ).message_id


def _store(engine: Engine, pl: PassengerList, label: str) -> int:
    mid = _message(engine, label)
    with engine.begin() as conn:
        store_passenger_list(conn, pl, message_id=mid, now=NOW)
    return mid


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[arg-type]


def test_first_list_creates_flight_travellers_documents_and_provenance(engine: Engine) -> None:
    pl = PassengerList(
        flights=[_flight()],
        travellers=[
            _pax("ASANOV", "BAKYT", date(1980, 5, 1), "AC1234567", segment_index=12, offset=300),
            _pax(
                "ASANOVA",
                "AIGUL",
                date(1982, 7, 2),
                "AC7654321",
                bags=BagInfo(count=2, weight=31.5, weight_unit="KGM", tags=["KC123456"]),
                seat="12A",
                record_locator="ABC123",
            ),
        ],
        declared_passengers=2,
    )
    mid = _store(engine, pl, "first")
    with engine.connect() as conn:
        f = conn.execute(select(flights)).one()
        assert (f.carrier, f.number, f.origin, f.destination) == ("KC", "109", "ALA", "FRU")
        assert f.departure_date == date(2026, 11, 29)
        assert f.departure_utc == datetime(2026, 11, 29, 18, 30, tzinfo=UTC)
        assert f.passenger_count == 2 and f.crew_count == 0
        rows = {r.surname: r for r in conn.execute(select(travellers))}
        assert rows["ASANOVA"].bag_tags == ["KC123456"] and rows["ASANOVA"].seat == "12A"
        assert rows["ASANOVA"].bag_weight == 31.5
        src = conn.execute(
            select(traveller_sources).where(traveller_sources.c.traveller_id == rows["ASANOV"].id)
        ).one()
        assert (src.message_id, src.segment_index, src.offset) == (mid, 12, 300)
    assert _count(engine, documents) == 2


def test_change_list_updates_travellers_and_keeps_what_it_omits(engine: Engine) -> None:
    first = PassengerList(
        flights=[_flight()],
        travellers=[_pax("ASANOV", "BAKYT", date(1980, 5, 1), "AC1234567", seat="3C")],
    )
    _store(engine, first, "first")
    change = PassengerList(
        document_subcode="CP",
        flights=[_flight()],
        travellers=[
            _pax("ASANOV", "BAKYT", date(1980, 5, 1), None, seat="4D"),
            _pax("OSMONOVA", "ZHYLDYZ", date(1990, 1, 9), "AC5555555"),
        ],
    )
    second = _store(engine, change, "second")
    assert _count(engine, flights) == 1
    assert _count(engine, travellers) == 2
    with engine.connect() as conn:
        asanov = conn.execute(select(travellers).where(travellers.c.surname == "ASANOV")).one()
        assert asanov.seat == "4D"
        assert asanov.last_message_id == second
        # The change list carried no document: the one already known stays.
        docs = (
            conn.execute(select(documents.c.number).where(documents.c.traveller_id == asanov.id))
            .scalars()
            .all()
        )
        assert docs == ["AC1234567"]
        assert conn.execute(select(func.count()).select_from(flight_sources)).scalar_one() == 2


def test_crew_list_and_closing_notice_update_the_same_flight(engine: Engine) -> None:
    _store(
        engine,
        PassengerList(flights=[_flight()], travellers=[_pax("A", "B", date(1970, 1, 1))]),
        "pax",
    )
    crew = PassengerList(
        kind=ListKind.CREW,
        document_code="250",
        flights=[_flight()],
        travellers=[_pax("PILOT", "ONE", date(1975, 3, 3), "CR1", role=TravellerRole.CREW)],
    )
    _store(engine, crew, "crew")
    closing = PassengerList(
        kind=ListKind.FLIGHT_STATUS,
        document_code="266",
        document_subcode="CL",
        status=FlightStatus.CLOSED,
        flights=[_flight()],
    )
    _store(engine, closing, "close")
    with engine.connect() as conn:
        f = conn.execute(select(flights)).one()
    assert (f.status, f.passenger_count, f.crew_count) == ("closed", 1, 1)
    assert f.departure_utc is not None  # the sparse notice did not erase times


def test_namesakes_with_different_documents_stay_two_people(engine: Engine) -> None:
    twins = PassengerList(
        flights=[_flight()],
        travellers=[
            _pax("UULU", "TALANT", date(2000, 1, 1), "AC1111111"),
            _pax("UULU", "TALANT", date(2000, 1, 1), "AC2222222"),
        ],
    )
    _store(engine, twins, "twins")
    assert _count(engine, travellers) == 2
    # A later list naming both again updates both, still without merging them.
    _store(engine, twins, "twins again")
    assert _count(engine, travellers) == 2
    # Even with no documents at all, two entries of one list are two travellers.
    bare = PassengerList(
        flights=[_flight()],
        travellers=[_pax("BEK", "A", date(2001, 1, 1)), _pax("BEK", "A", date(2001, 1, 1))],
    )
    _store(engine, bare, "bare")
    assert _count(engine, travellers) == 4


def test_same_list_applied_twice_changes_nothing(engine: Engine) -> None:
    pl = PassengerList(
        flights=[_flight()],
        travellers=[_pax("ASANOV", "BAKYT", date(1980, 5, 1), "AC1234567")],
    )
    mid = _message(engine, "once")
    for _ in range(2):
        with engine.begin() as conn:
            store_passenger_list(conn, pl, message_id=mid, now=NOW)
    assert _count(engine, travellers) == 1
    assert _count(engine, documents) == 1
    assert _count(engine, traveller_sources) == 1
    assert _count(engine, flight_sources) == 1


def test_another_day_is_another_flight(engine: Engine) -> None:
    _store(engine, PassengerList(flights=[_flight()]), "day1")
    later = _flight()
    later.stops[0].departure_local = datetime(2026, 11, 30, 23, 30)
    _store(engine, PassengerList(flights=[later]), "day2")
    assert _count(engine, flights) == 2
