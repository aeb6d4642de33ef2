"""piu.store.read directly: the queries behind the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from piu.store import read
from tests.web.support import Travel, add_travel


@pytest.fixture
def travel(engine: Engine) -> Travel:
    return add_travel(engine)


def test_list_flights_pages_without_counting(engine: Engine, travel: Travel) -> None:
    page = read.list_flights(engine, limit=2)
    assert [f["id"] for f in page.items] == [travel.kc109, travel.kc110]
    assert page.next_offset == 2
    last = read.list_flights(engine, limit=2, offset=2)
    assert [f["id"] for f in last.items] == [travel.tk350, travel.kc999]
    assert last.next_offset is None


def test_flight_range_leaves_out_unknown_utc(engine: Engine, travel: Travel) -> None:
    page = read.list_flights(engine, departure_from=datetime(2026, 1, 1, tzinfo=UTC))
    assert travel.kc999 not in [f["id"] for f in page.items]
    assert len(page.items) == 3


def test_times_come_back_aware_utc(engine: Engine, travel: Travel) -> None:
    flight = read.get_flight(engine, travel.kc109)
    assert flight is not None
    assert flight["departure_utc"] == datetime(2026, 11, 29, 17, 30, tzinfo=UTC)
    assert flight["sources"][0]["received_at"].tzinfo is not None


def test_missing_rows_are_none(engine: Engine) -> None:
    assert read.get_flight(engine, 1) is None
    assert read.flight_travellers(engine, 1) is None
    assert read.get_traveller(engine, 1) is None
    assert read.get_message(engine, 1) is None
    assert read.get_message_raw(engine, 1) is None


def test_raw_bytes_only_from_get_message_raw(engine: Engine, travel: Travel) -> None:
    assert read.get_message_raw(engine, travel.stored_message) == travel.raw
    message = read.get_message(engine, travel.stored_message)
    assert message is not None and "raw" not in message
    assert all("raw" not in m for m in read.list_messages(engine).items)


def test_traveller_sources_join_messages(engine: Engine, travel: Travel) -> None:
    traveller = read.get_traveller(engine, travel.zhumabaeva)
    assert traveller is not None
    assert traveller["documents"] == []
    [source] = traveller["sources"]
    assert source["message_id"] == travel.stored_message
    assert source["segment_index"] == 20


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (read.MAX_LIMIT + 1, 0), (10, -1)])
def test_bad_paging_is_a_programming_error(engine: Engine, limit: int, offset: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        read.list_messages(engine, limit=limit, offset=offset)
