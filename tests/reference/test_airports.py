"""Airport time zones from airportsdata, and local -> UTC conversion."""

from __future__ import annotations

from datetime import UTC, datetime

from piu.reference import airports


def test_known_airports_have_time_zones() -> None:
    assert str(airports.timezone("ALA")) == "Asia/Almaty"
    assert str(airports.timezone("jfk")) == "America/New_York"  # case-insensitive
    assert str(airports.timezone("KJFK")) == "America/New_York"  # ICAO works too
    assert airports.country("IST") == "TR"
    assert airports.name("SCL") is not None
    assert airports.is_known("ATL")


def test_unknown_codes() -> None:
    for code in ("QQX", "", "X", "TOOLONG"):
        assert airports.timezone(code) is None
        assert airports.to_utc(datetime(2026, 1, 1), code) is None
        assert not airports.is_known(code)
    assert airports.country("QQX") is None


def test_to_utc_follows_daylight_saving() -> None:
    # Santiago: UTC-3 in the southern summer, UTC-4 in winter
    assert airports.to_utc(datetime(2020, 1, 19, 23, 0), "SCL") == datetime(
        2020, 1, 20, 2, 0, tzinfo=UTC
    )
    assert airports.to_utc(datetime(2020, 7, 19, 23, 0), "SCL") == datetime(
        2020, 7, 20, 3, 0, tzinfo=UTC
    )
    # New York: EST in February, EDT in July
    assert airports.to_utc(datetime(2007, 2, 19, 19, 55), "JFK") == datetime(
        2007, 2, 20, 0, 55, tzinfo=UTC
    )
    assert airports.to_utc(datetime(2007, 7, 19, 19, 55), "JFK") == datetime(
        2007, 7, 19, 23, 55, tzinfo=UTC
    )
