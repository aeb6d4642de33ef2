"""Checker: types against the catalogue, 'did you mean', and the non-discrimination check."""

from __future__ import annotations

import pytest

from piu.targeting import CATALOGUE, RuleError, check
from piu.targeting.catalogue import Type

GOOD = [
    "flight.origin in ('IST', 'DXB') and booking.paid_cash",
    "booking.days_before_departure <= 2 and itinerary.one_way",
    "itinerary.countries contains any ('SY', 'IQ') and booking.paid_cash",
    "flight.departure_utc between 2026-01-01 and 2026-01-31T23:59",
    "traveller.surname like 'AB*' and co_travellers.hits > 0",
    "document.expiry_days < 30 and booking.bag_weight > 30",
    "flight.weekday in ('FRI', 'SAT') and flight.departure_hour between 0 and 5",
    "booking.payment_types contains 'CA'",
    "booking.agency_id is not empty and booking.seat like '1?A'",
    "flight.booking_class = 'F' and not booking.ticketed",
    "history.trips_last_90_days >= 4 and flight.route contains 'IST'",
]


@pytest.mark.parametrize("text", GOOD)
def test_good_rules_pass(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("flight.origin > 'IST'", 15, "order tests"),
        ("flight.origin = 3", 17, "a number value"),
        ("flight.origin = 'ISTANBUL'", 17, "three letters"),
        ("traveller.nationality = 'TR' and booking.paid_cash", 25, "alpha-3"),
        ("itinerary.countries contains 'TUR'", 30, "alpha-2"),
        ("booking.days_before_departure = '3'", 33, "a text value"),
        ("booking.days_before_departure like '3*'", 31, "text tests"),
        ("flight.origin", 1, "not yes/no"),
        ("booking.paid_cash = 1", 21, "yes/no"),
        ("booking.paid_cash > true", 19, "'= true'"),
        ("itinerary.airports = 'IST'", 20, "'contains'"),
        ("flight.origin contains 'IS'", 15, "codes"),
        ("flight.departure_date = 2026-01-01T10:00", 25, "a datetime value"),
        ("flight.departure_utc in (2026-01-01)", 22, "between"),
        ("booking.bags between 5 and 1", 22, "lower bound"),
        ("flight.origin like 'I-*'", 20, "letters"),
        ("traveller.surname like '*?*?*?*?*?' and booking.paid_cash", 24, "wildcards"),
    ],
)
def test_type_errors(text: str, column: int, fragment: str) -> None:
    with pytest.raises(RuleError) as info:
        check(text)
    assert info.value.kind in ("type", "limit"), info.value
    assert info.value.column == column, info.value
    assert fragment in info.value.message, info.value


def test_unknown_attribute_suggests() -> None:
    with pytest.raises(RuleError) as info:
        check("booking.paid_cash and traveller.nationaility = 'SYR'")
    err = info.value
    assert err.kind == "unknown"
    assert (err.column, err.length) == (23, 22)
    assert err.suggestions[0] == "traveller.nationality"
    assert "did you mean 'traveller.nationality'" in str(err)


def test_bare_name_suggests_the_full_name() -> None:
    with pytest.raises(RuleError) as info:
        check("days_before_departure < 3")
    assert info.value.suggestions == ("booking.days_before_departure",)


@pytest.mark.parametrize("name", ["__class__", "flight.__class__.__mro__", "_x", "a._b"])
def test_internals_are_not_attributes(name: str) -> None:
    with pytest.raises(RuleError, match="never program internals"):
        check(f"{name} = 1")


def test_catalogue_has_no_sensitive_attributes() -> None:
    banned = ("relig", "ethnic", "race", "health", "medical", "meal", "sexual", "politic")
    for name, attr in CATALOGUE.items():
        text = (name + attr.description).lower()
        assert not any(b in text for b in banned), name


def test_protected_attributes() -> None:
    protected = {n for n, a in CATALOGUE.items() if a.protected}
    for must in ("traveller.nationality", "traveller.gender", "traveller.age"):
        assert must in protected
    assert "traveller.date_of_birth" in protected
    assert all(a.type in Type for a in CATALOGUE.values())


# -- non-discrimination ----------------------------------------------------------------

REFUSED = [
    # alone
    "traveller.nationality = 'SYR'",
    "traveller.gender = 'F'",
    "traveller.age between 18 and 25",
    "traveller.nationality = 'SYR' and traveller.gender = 'M' and traveller.age < 30",
    "document.issuing_state = 'SYR'",
    "traveller.surname like 'AL*'",
    # in an "or": one branch selects on identity alone
    "traveller.nationality = 'SYR' or flight.origin = 'IST'",
    "booking.paid_cash or traveller.gender = 'M'",
    "(traveller.nationality = 'SYR' and booking.paid_cash) or traveller.age < 20",
    "traveller.nationality in ('SYR', 'IRQ') and (booking.paid_cash or traveller.age < 30)",
    # with exclusions or presence tests only
    "traveller.nationality = 'SYR' and flight.origin != 'IST'",
    "traveller.nationality = 'SYR' and flight.origin not in ('IST', 'DXB')",
    "traveller.nationality = 'SYR' and booking.agency_id is empty",
    "traveller.nationality = 'SYR' and booking.paid_cash = false",
    "traveller.nationality = 'SYR' and not booking.paid_cash",
    "traveller.nationality = 'SYR' and not flight.origin = 'IST'",
    # under "not"
    "not traveller.nationality = 'SYR'",
    "not (traveller.gender != 'M' or booking.paid_cash)",
    "not (traveller.nationality != 'SYR' or flight.origin = 'IST')",
    "not (not traveller.gender = 'M' or not (booking.paid_cash or traveller.age < 9))",
    "not (booking.paid_cash and traveller.age > 60)",
]


@pytest.mark.parametrize("text", REFUSED)
def test_identity_alone_is_refused(text: str) -> None:
    with pytest.raises(RuleError) as info:
        check(text)
    err = info.value
    assert err.kind == "protected", err
    assert "behavioural" in err.message
    culprit = text[err.column - 1 : err.column - 1 + err.length]
    assert culprit.split()[0].startswith(("traveller.", "document.issuing_state")), culprit


ACCEPTED = [
    "traveller.nationality = 'SYR' and booking.paid_cash",
    "traveller.age < 25 and booking.days_before_departure <= 1 and itinerary.one_way",
    "(traveller.nationality = 'SYR' and booking.paid_cash) or "
    "(traveller.gender = 'M' and itinerary.countries contains 'SY')",
    "traveller.nationality = 'SYR' and (booking.paid_cash or itinerary.one_way)",
    "not (traveller.gender != 'M' or not booking.paid_cash)",
    "not (traveller.nationality != 'SYR' or flight.origin != 'IST')",
    "traveller.age < 25 and not (booking.days_before_departure > 2)",
    # no protected attribute: exclusions alone are not discrimination (the trial run
    # before approval catches a flood)
    "flight.origin != 'IST'",
    "booking.agency_id is empty",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_identity_with_behaviour_is_accepted(text: str) -> None:
    check(text)


def test_refusal_on_a_branch_says_so() -> None:
    with pytest.raises(RuleError, match="a branch of the rule"):
        check("traveller.nationality = 'SYR' or flight.origin = 'IST'")
    with pytest.raises(RuleError, match=r"^column 1: the rule selects"):
        check("traveller.nationality = 'SYR'")


def test_many_branches_do_not_blow_up() -> None:
    # 40 two-way "or"s under "and": 2**40 branches if expanded.
    parts = [f"(booking.bags = {i} or flight.departure_hour = {i % 24})" for i in range(40)]
    check(" and ".join(parts) + " and traveller.age > 20")
