"""piu.store.travel_history on SQLite and PostgreSQL, and the same lists in the JSON API.

The data (tests.web.support.add_history) put ASANOV among companions and strangers, and
his other trips among namesakes and borrowed document numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from piu.accounts import Role
from piu.store import audit, read, travel_history
from tests.web.support import History, Travel, add_history


@pytest.fixture
def history(engine: Engine, travel: Travel) -> History:
    return add_history(engine, travel)


def _co(engine: Engine, traveller_id: int, **kwargs: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return travel_history.co_travellers(conn, traveller_id, **kwargs)


def _trips(engine: Engine, traveller_id: int, **kwargs: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return travel_history.earlier_trips(conn, traveller_id, **kwargs)


def test_co_travellers_share_a_booking_or_a_locator_on_the_same_flight(
    engine: Engine, travel: Travel, history: History
) -> None:
    found = {c["id"]: c for c in _co(engine, travel.asanov)}
    # By name: ASANOV TIMUR, ASANOVA AIDA, OMUROV TALANT. The stranger (another locator),
    # ZHUMABAEVA (nothing shared) and AIDA's row on the return flight are not companions.
    assert list(found) == [history.timur, history.aida, history.omurov]
    assert found[history.aida]["linked_by"] == ["booking", "record_locator"]
    assert found[history.aida]["bookings"] == [
        {"id": travel.booking, "carrier": "KC", "locator": "ABC123"}
    ]
    assert found[history.aida]["seat"] == "12B"
    assert (found[history.timur]["linked_by"], found[history.timur]["seat"]) == (["booking"], "12C")
    assert (found[history.omurov]["linked_by"], found[history.omurov]["bookings"]) == (
        ["record_locator"],
        [],
    )
    # It works both ways: AIDA sees ASANOV (and TIMUR, OMUROV).
    assert travel.asanov in [c["id"] for c in _co(engine, history.aida)]
    assert _co(engine, travel.zhumabaeva) == []
    assert _co(engine, 999_999) == []
    assert [c["id"] for c in _co(engine, travel.asanov, limit=2)] == [history.timur, history.aida]


def test_earlier_trips_by_document_or_folded_name_and_birth_date_newest_first(
    engine: Engine, travel: Travel, history: History
) -> None:
    trips = _trips(engine, travel.asanov)
    assert [t["id"] for t in trips] == history.asanov_trips
    by_id = {t["id"]: t for t in trips}

    kc999 = by_id[history.trip_kc999]  # BAKIT ~ BAKYT once folded
    assert (kc999["matched_by"], kc999["document"]) == (["name+dob"], None)
    assert (kc999["flight_code"], kc999["origin"], kc999["destination"]) == ("KC999", "ALA", "NQZ")
    assert kc999["given_names"] == "BAKIT"

    tk350 = by_id[history.trip_tk350]
    assert tk350["matched_by"] == ["document", "name+dob"]
    assert tk350["document"] == {"number": "AC1234567", "issuing_state": "KGZ"}
    assert (tk350["role"], tk350["flight_id"]) == ("crew", travel.tk350)

    kc110 = by_id[history.trip_kc110]  # another spelling, no birth date: the passport alone
    assert kc110["matched_by"] == ["document"]
    assert kc110["document"] == {"number": "AC1234567", "issuing_state": None}

    assert by_id[history.trip_kc105]["matched_by"] == ["name+dob"]  # "BAKYT MR"

    # Newest first, bounded.
    assert [t["id"] for t in _trips(engine, travel.asanov, limit=2)] == history.asanov_trips[:2]


def test_namesakes_and_borrowed_numbers_are_not_earlier_trips(
    engine: Engine, travel: Travel, history: History
) -> None:
    shown = {t["id"] for t in _trips(engine, travel.asanov)}
    # Same name, another birth date; same name and birth date but a woman; the same number
    # in another state's passport; the second row on his own flight.
    for other in (history.namesake, history.other_gender, history.other_state, history.twin_row):
        assert other not in shown
    # The namesake's own trips do not include ASANOV either (born another day).
    assert travel.asanov not in {t["id"] for t in _trips(engine, history.namesake)}
    # A two-character "document" ties no one.
    assert _trips(engine, travel.zhumabaeva) == []
    assert history.short_doc not in {t["id"] for t in _trips(engine, travel.zhumabaeva)}
    assert _trips(engine, 999_999) == []


def test_a_cyrillic_name_meets_its_latin_spelling(
    engine: Engine, travel: Travel, history: History
) -> None:
    [trip] = _trips(engine, history.cyrillic)
    assert (trip["id"], trip["surname"], trip["matched_by"]) == (
        travel.zhumabaeva,
        "ZHUMABAEVA",
        ["name+dob"],
    )


def test_get_traveller_carries_both_lists(engine: Engine, travel: Travel, history: History) -> None:
    traveller = read.get_traveller(engine, travel.asanov)
    assert traveller is not None
    assert [c["id"] for c in traveller["co_travellers"]] == [
        history.timur,
        history.aida,
        history.omurov,
    ]
    assert [t["id"] for t in traveller["earlier_trips"]] == history.asanov_trips


@contextmanager
def _statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_every_query_can_start_from_an_index(
    engine: Engine, travel: Travel, history: History
) -> None:
    """No query needs a full scan of travellers, documents or booking_travellers.

    SQLite: its plan for these tables says SEARCH (an index or the key), never SCAN.
    PostgreSQL: with sequential scans priced out, the plan still avoids them, which it can
    only do if an index answers the condition (on these few rows it would scan otherwise).
    """
    with _statements(engine) as seen:
        _co(engine, travel.asanov)
        _trips(engine, travel.asanov)
    assert len(seen) >= 5
    big = ("travellers", "documents", "booking_travellers")
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in seen:
            if engine.dialect.name == "sqlite":
                plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                lines = [str(r[-1]) for r in plan]
                scans = [line for line in lines if line.split()[:2] in (["SCAN", t] for t in big)]
            else:
                plan = conn.exec_driver_sql("EXPLAIN " + statement, parameters)
                lines = [str(r[0]) for r in plan]
                scans = [line for line in lines if any(f"Seq Scan on {t} " in line for t in big)]
            assert not scans, (statement, lines)
        if engine.dialect.name == "postgresql":
            conn.execute(text("RESET enable_seqscan"))


API = "/api/v1"


def test_the_api_answers_both_lists_and_audits_their_ids(
    client: TestClient,
    engine: Engine,
    auth_for: Callable[..., dict[str, str]],
    travel: Travel,
    history: History,
) -> None:
    response = client.get(f"{API}/travellers/{travel.asanov}", headers=auth_for(Role.ANALYST))
    assert response.status_code == 200, response.text
    body = response.json()
    co = {c["id"]: c for c in body["co_travellers"]}
    assert list(co) == [history.timur, history.aida, history.omurov]
    assert co[history.aida]["linked_by"] == ["booking", "record_locator"]
    assert co[history.aida]["bookings"] == [
        {"id": travel.booking, "carrier": "KC", "locator": "ABC123"}
    ]
    trips = body["earlier_trips"]
    assert [t["id"] for t in trips] == history.asanov_trips
    assert trips[1]["matched_by"] == ["document", "name+dob"]
    assert trips[1]["document"] == {"number": "AC1234567", "issuing_state": "KGZ"}
    assert trips[0]["departure_date"] == "2026-12-02" and trips[0]["departure_utc"] is None
    [entry] = audit.search(engine, action="read.traveller")
    assert entry.detail["co_travellers"] == [history.timur, history.aida, history.omurov]
    assert entry.detail["earlier_trips"] == history.asanov_trips
