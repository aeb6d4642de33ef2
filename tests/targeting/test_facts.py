"""Facts from the domain objects, and caller-supplied facts checked against the catalogue."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from piu.domain.booking import (
    BagDetail,
    CheckIn,
    CheckInEntry,
    DocsInfo,
    FlightSegment,
    Originator,
    Payment,
    Pnr,
    PnrTraveller,
    RecordLocator,
    Ticket,
)
from piu.domain.travel import BagInfo, Flight, Stop, TravelDocument, Traveller, TravellerRole
from piu.targeting import CATALOGUE, RuleError, build_facts, coerce_facts, compile_rule


def _pnr() -> tuple[Pnr, PnrTraveller]:
    who = PnrTraveller(
        surname="Petrov",
        given_names="Ivan",
        ref="1",
        docs=[
            DocsInfo(
                doc_type="P",
                issuing_state="KAZ",
                number="N123",
                nationality="KAZ",
                date_of_birth=date(2003, 2, 1),
                gender="M",
                expiry=date(2026, 2, 20),
            )
        ],
        tickets=[Ticket(number="4651234567890", payments=[Payment(fop_type="CA")])],
    )
    out = FlightSegment(
        departure_date=date(2026, 1, 31),
        departure_time=time(7, 15),
        departure_utc=datetime(2026, 1, 31, 4, 15, tzinfo=UTC),
        origin="IST",
        destination="ALA",
        marketing_carrier="KC",
        flight_number="912",
        booking_class="Y",
        check_ins=[
            CheckIn(
                entries=[
                    CheckInEntry(
                        traveller_ref="1",
                        seat="12A",
                        bags=BagDetail(count="2", weight="31", unit="700"),
                    )
                ]
            )
        ],
    )
    onward = FlightSegment(
        departure_date=date(2026, 2, 3), origin="ALA", destination="FRU", flight_number="101"
    )
    pnr = Pnr(
        locators=[RecordLocator(system="KC", locator="ABC123", created=datetime(2026, 1, 30, 9))],
        originator=Originator(agency_id="12345678", originator_type="T"),
        travellers=[who, PnrTraveller(surname="Petrova")],
        itinerary=[out, onward],
    )
    return pnr, who


def test_pnr_facts() -> None:
    pnr, who = _pnr()
    f = build_facts(pnr=pnr, pnr_traveller=who)
    assert f["flight.origin"] == "IST"
    assert f["flight.origin_country"] == "TR"
    assert f["flight.departure_hour"] == 7
    assert f["flight.weekday"] == "SAT"
    assert f["traveller.surname"] == "PETROV"
    assert f["traveller.nationality"] == "KAZ"
    assert f["traveller.age"] == 22
    assert f["document.expiry_days"] == 20
    assert f["document.type"] == "P"
    assert f["booking.days_before_departure"] == 1
    assert f["booking.paid_cash"] is True
    assert f["booking.payment_types"] == frozenset({"CA"})
    assert f["booking.agency_id"] == "12345678"
    assert f["booking.booked_by_agency"] is True
    assert f["booking.travellers"] == 2
    assert f["booking.ticketed"] is True
    assert f["booking.seat"] == "12A"
    assert (f["booking.bags"], f["booking.bag_weight"]) == (2, 31)
    assert f["itinerary.one_way"] is True
    assert f["itinerary.segments"] == 2
    assert f["itinerary.airports"] == frozenset({"IST", "ALA", "FRU"})
    assert f["itinerary.countries"] >= frozenset({"TR", "KZ", "KG"})
    assert f["itinerary.stay_days"] == 3
    assert f["booking.created"].tzinfo is not None
    assert set(f) <= set(CATALOGUE)


def test_api_facts_win_over_pnr() -> None:
    pnr, who = _pnr()
    flight = Flight(
        flight_id="KC912",
        carrier="KC",
        number="912",
        stops=[
            Stop(airport="IST", qualifier="125", departure_local=datetime(2026, 1, 31, 7, 15)),
            Stop(airport="ALA", qualifier="87"),
        ],
    )
    traveller = Traveller(
        role=TravellerRole.TRANSIT_PASSENGER,
        surname="PETROV",
        nationality="RUS",
        date_of_birth=date(2003, 2, 1),
        bags=BagInfo(count=1, weight=22.0, weight_unit="LBR"),
        documents=[TravelDocument(number="X1", doc_type="P", expiry=date(2026, 1, 1))],
    )
    f = build_facts(traveller=traveller, flight=flight, pnr=pnr, pnr_traveller=who)
    assert f["traveller.nationality"] == "RUS"
    assert f["traveller.transit"] is True
    assert f["flight.route"] == frozenset({"IST", "ALA"})
    assert f["document.expiry_days"] == -30
    assert f["booking.bag_weight"] == 10.0
    assert f["traveller.role"] == "TRANSIT_PASSENGER"


def test_rule_on_built_facts() -> None:
    pnr, who = _pnr()
    facts = build_facts(pnr=pnr, pnr_traveller=who, extra={"co_travellers.hits": 1})
    rule = compile_rule(
        "booking.days_before_departure <= 2 and booking.paid_cash and itinerary.one_way "
        "and itinerary.countries contains any ('KG', 'SY') and co_travellers.hits > 0"
    )
    assert rule(facts)
    assert all(c.result for c in rule.explain(facts).conditions)


def test_nothing_known_is_empty_facts() -> None:
    assert build_facts() == {}


def test_caller_facts_are_checked() -> None:
    assert coerce_facts({"history.trips_last_90_days": 3}) == {"history.trips_last_90_days": 3}
    assert coerce_facts({"booking.payment_types": ["ca"]}) == {
        "booking.payment_types": frozenset({"CA"})
    }
    with pytest.raises(RuleError, match="unknown fact"):
        coerce_facts({"traveller.religion": "X"})
    with pytest.raises(RuleError, match="must be number"):
        coerce_facts({"co_travellers.hits": "3"})
    with pytest.raises(RuleError, match="must be yes/no"):
        coerce_facts({"booking.paid_cash": 1})
