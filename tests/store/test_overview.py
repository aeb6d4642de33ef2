"""The dashboard's sorting of today's flights into outbound and inbound."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from piu.store.overview import todays_flights

START = datetime(2026, 11, 28, tzinfo=UTC)
END = datetime(2026, 11, 29, tzinfo=UTC)


def _flight(code: str, origin: str, dest: str, dep_h: int, arr_h: int) -> dict[str, Any]:
    return {
        "flight_code": code,
        "origin": origin,
        "destination": dest,
        "departure_utc": START.replace(hour=dep_h) if dep_h >= 0 else None,
        "arrival_utc": START.replace(hour=arr_h) if arr_h >= 0 else None,
    }


OUT = _flight("KC101", "FRU", "ALA", 6, 8)  # leaves Kyrgyzstan
IN = _flight("TK345", "IST", "FRU", 1, 7)  # lands in Kyrgyzstan
DOMESTIC = _flight("QH1", "FRU", "OSS", 9, 10)
ELSEWHERE = _flight("EK1", "DXB", "IST", 2, 6)  # neither
UNKNOWN = _flight("ZZ9", "FRU", "IST", -1, -1)
ALL = [OUT, IN, DOMESTIC, ELSEWHERE, UNKNOWN]


def test_with_a_country_flights_are_outbound_or_inbound() -> None:
    t = todays_flights(ALL, START, END, "KG")
    assert [f["flight_code"] for f in t.leaving] == ["KC101", "QH1"]
    assert [f["flight_code"] for f in t.landing] == ["TK345", "QH1"]
    assert [f["flight_code"] for f in t.unknown_times] == ["ZZ9"]


def test_without_a_country_every_departure_and_arrival_of_the_day() -> None:
    t = todays_flights(ALL, START, END)
    assert [f["flight_code"] for f in t.leaving] == ["KC101", "TK345", "QH1", "EK1"]
    assert [f["flight_code"] for f in t.landing] == ["KC101", "TK345", "QH1", "EK1"]
