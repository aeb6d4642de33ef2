"""Compiler: each operator's semantics, missing values, 'like' without regex, explain."""

from __future__ import annotations

import fnmatch
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piu.targeting import compile_rule
from piu.targeting.compiler import wildcard_match

FACTS = {
    "flight.origin": "IST",
    "flight.destination": "ALA",
    "flight.departure_date": date(2026, 1, 31),
    "flight.departure_utc": datetime(2026, 1, 31, 4, 30, tzinfo=UTC),
    "flight.departure_hour": 7,
    "flight.weekday": "SAT",
    "traveller.surname": "PETROV",
    "traveller.nationality": "KAZ",
    "traveller.age": 23,
    "booking.days_before_departure": 1,
    "booking.paid_cash": True,
    "booking.ticketed": False,
    "booking.payment_types": frozenset({"CA", "MS"}),
    "booking.bag_weight": 31.5,
    "itinerary.airports": frozenset({"IST", "ALA", "DXB"}),
    "itinerary.countries": frozenset({"TR", "KZ", "AE"}),
    "itinerary.one_way": True,
}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("flight.origin = 'ist'", True),
        ("flight.origin != 'IST'", False),
        ("flight.origin in ('DXB', 'IST')", True),
        ("flight.origin not in ('DXB', 'IST')", False),
        ("flight.origin like 'I*'", True),
        ("flight.origin like '?S?'", True),
        ("flight.origin not like 'I*'", False),
        ("traveller.surname contains 'TRO' and booking.paid_cash", True),
        ("traveller.surname like '*OV' and booking.paid_cash", True),
        ("traveller.surname like 'P*R*V' and booking.paid_cash", True),
        ("booking.days_before_departure < 2", True),
        ("booking.days_before_departure >= 2", False),
        ("booking.bag_weight between 30 and 32", True),
        ("booking.bag_weight not between 30 and 32", False),
        ("booking.days_before_departure in (0, 1)", True),
        ("booking.paid_cash", True),
        ("booking.paid_cash = false", False),
        ("booking.ticketed != true", True),
        ("not booking.ticketed", True),
        ("booking.payment_types contains 'CA'", True),
        ("booking.payment_types not contains 'CC'", True),
        ("itinerary.countries contains any ('SY', 'AE')", True),
        ("itinerary.countries not contains any ('SY', 'AE')", False),
        ("flight.departure_date = 2026-01-31", True),
        ("flight.departure_utc = 2026-01-31", True),
        ("flight.departure_utc < 2026-01-31T05:00", True),
        ("flight.departure_utc between 2026-01-31 and 2026-01-31T04:00", False),
        ("flight.departure_utc > 2026-01-30", True),
        ("traveller.age < 25 and booking.paid_cash", True),
        ("flight.origin = 'DXB' or flight.destination = 'ALA'", True),
        ("flight.weekday in ('FRI', 'SAT') and flight.departure_hour between 6 and 8", True),
    ],
)
def test_operators(rule: str, expected: bool) -> None:
    assert compile_rule(rule)(FACTS) is expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("booking.agency_id = 'X'", False),
        ("booking.agency_id != 'X'", False),
        ("booking.agency_id not in ('X')", False),
        ("booking.agency_id not like 'X*'", False),
        ("booking.bags < 3", False),
        ("booking.bags not between 1 and 2", False),
        ("booking.split", False),
        ("booking.split = false", False),
        ("booking.agency_id is empty", True),
        ("booking.bags is empty", True),
        ("booking.bags is not empty", False),
        ("not booking.agency_id = 'X'", True),
        ("flight.route contains 'IST'", False),
    ],
)
def test_missing_values_make_conditions_false(rule: str, expected: bool) -> None:
    assert compile_rule(rule)({}) is expected


def test_zero_and_false_are_not_empty() -> None:
    rule = compile_rule("booking.bags is empty or booking.split is empty")
    assert rule({"booking.bags": 0, "booking.split": False}) is False


def test_short_circuit_on_and_or() -> None:
    seen: list[str] = []

    class Spy(dict):  # type: ignore[type-arg]
        def get(self, key, default=None):  # type: ignore[no-untyped-def]
            seen.append(key)
            return super().get(key, default)

    compile_rule("booking.paid_cash and flight.origin = 'IST'")(Spy({"booking.paid_cash": False}))
    assert seen == ["booking.paid_cash"]


def test_explain_records_every_condition() -> None:
    rule = compile_rule(
        "traveller.age < 25 and (booking.paid_cash or flight.origin = 'DXB') "
        "and itinerary.countries contains 'AE'"
    )
    exp = rule.explain(FACTS)
    assert exp.matched is True
    assert [(c.attribute, c.result) for c in exp.conditions] == [
        ("traveller.age", True),
        ("booking.paid_cash", True),
        ("flight.origin", False),
        ("itinerary.countries", True),
    ]
    data = exp.as_dict()
    assert data["conditions"][2] == {
        "condition": "flight.origin = 'DXB'",
        "attribute": "flight.origin",
        "value": "IST",
        "result": False,
        "column": 46,
        "length": 21,
    }
    assert data["conditions"][3]["value"] == ["AE", "KZ", "TR"]
    assert "MATCH" in str(exp)


def test_compiled_rule_metadata() -> None:
    rule = compile_rule("Flight.Origin = 'ist' AND booking.paid_cash")
    assert rule.canonical == "flight.origin = 'IST' and booking.paid_cash"
    assert rule.attributes == ("flight.origin", "booking.paid_cash")
    assert compile_rule(rule.tree).canonical == rule.canonical


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="AB", max_size=12),
    st.text(alphabet="AB*?", max_size=8),
)
def test_wildcard_match_agrees_with_fnmatch(text: str, pattern: str) -> None:
    assert wildcard_match(text, pattern) == fnmatch.fnmatchcase(text, pattern)


def test_like_is_fast_on_hostile_patterns() -> None:
    rule = compile_rule("traveller.surname like '*A*A*A*A*A*A*A*B' and booking.paid_cash")
    facts = {"traveller.surname": "A" * 200, "booking.paid_cash": True}
    assert rule(facts) is False  # 200 x 16 steps at most, not exponential
