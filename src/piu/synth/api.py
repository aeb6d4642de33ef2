"""API lists (UN/EDIFACT PAXLST) for a planned flight, as a departure control system sends them.

Why from :class:`FlightPlan` and not from the bookings directly: the API list is what
check-in saw. It holds only passengers who checked in, with the names and numbers read from
their passports' MRZ (ICAO transliteration, no titles, patronymic where the passport prints
it), seats and bags from check-in, and the booking's locator (RFF+AVF) so that a PIU can
join it to the PNR. Crew go in a list of their own (BGM 250), as carriers send them.

The PAXLST writer writes envelope facts faithfully, so every list here carries its own
sender, recipient, preparation time and references.
"""

from __future__ import annotations

from datetime import datetime

from piu.domain import (
    BagInfo,
    Flight,
    PassengerList,
    ReportingParty,
    Stop,
    TravelDocument,
    Traveller,
    TravellerRole,
)
from piu.synth.names import passport_name
from piu.synth.routes import Departure
from piu.synth.travellers import FlightPlan, Passenger, Person

__all__ = ["RECIPIENT_API", "crew_list", "passenger_list"]

RECIPIENT_API = "KGZAPI"


def _flight(dep: Departure) -> Flight:
    return Flight(
        flight_id=dep.flight_id,
        carrier=dep.carrier,
        number=dep.number,
        stops=[
            Stop(airport=dep.origin, qualifier="125", departure_local=dep.departure_local),
            Stop(airport=dep.destination, qualifier="87", arrival_local=dep.arrival_local),
        ],
    )


def _document(person: Person) -> TravelDocument:
    return TravelDocument(
        number=person.doc_number,
        doc_type="P",
        expiry=person.doc_expiry,
        issuing_state=person.nationality,
    )


def _traveller(
    person: Person, role: TravellerRole, dep: Departure, p: Passenger | None, locator: str | None
) -> Traveller:
    surname, given, middle = passport_name(person.name)
    t = Traveller(
        role=role,
        surname=surname,
        given_names=given,
        middle_names=middle,
        gender=person.gender,
        date_of_birth=person.dob,
        nationality=person.nationality,
        residence_country=person.nationality,
        embarkation=dep.origin,
        debarkation=dep.destination,
        documents=[_document(person)],
    )
    if p is not None:
        t.record_locator = locator
        t.passenger_ref = p.ref
        t.seat = p.seat
        t.ticket = p.ticket
        if p.transit_to:
            t.role = TravellerRole.TRANSIT_PASSENGER
            t.debarkation = p.transit_to
        if p.bags:
            t.bags = BagInfo(
                count=p.bags, weight=p.bag_weight, weight_unit="KGM", tags=list(p.bag_tags)
            )
    return t


def _envelope(dep: Departure, sent: datetime, serial: str, document: str) -> PassengerList:
    return PassengerList(
        message_ref=serial[-14:],
        interchange_ref=serial[-14:],
        sender=f"{dep.carrier}DCS",
        recipient=RECIPIENT_API,
        prepared_at=sent.replace(tzinfo=None, second=0, microsecond=0),
        document_code=document,
        reporting_party=ReportingParty(name=f"{dep.route.carrier_name} DCS", phone="996312000000"),
        flights=[_flight(dep)],
    )


def passenger_list(plan: FlightPlan, sent: datetime, serial: str) -> PassengerList:
    """The passengers who checked in (BGM 745), with CNT+42."""
    dep = plan.departure
    pl = _envelope(dep, sent, serial, "745")
    for booking, p in plan.boarded():
        pl.travellers.append(_traveller(p.person, TravellerRole.PASSENGER, dep, p, booking.locator))
    pl.declared_passengers = len(pl.travellers)
    return pl


def crew_list(plan: FlightPlan, sent: datetime, serial: str) -> PassengerList:
    """The operating crew (BGM 250), with CNT+41."""
    dep = plan.departure
    pl = _envelope(dep, sent, serial, "250")
    for member in plan.crew:
        pl.travellers.append(_traveller(member.person, TravellerRole.CREW, dep, None, None))
    pl.declared_crew = len(pl.travellers)
    return pl
