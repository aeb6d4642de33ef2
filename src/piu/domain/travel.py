"""Flights, travellers and their documents as read from an API (PAXLST) message.

These are plain dataclasses: the format readers build them, the writers serialise them, the
store persists them. Field names follow the meaning, not the segment; the comments name the
PAXLST segment each one comes from so the mapping can be checked against the WCO/IATA/ICAO
PAXLST implementation guide (v3.0 / v5.0).

Times: ``*_local`` is what the message said (local time at the airport, naive);
``*_utc`` is that time converted with the airport's time zone (aware, UTC), or ``None`` when
the airport is unknown. Storage keeps both; everything downstream uses UTC.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class ListKind(enum.StrEnum):
    """What a PAXLST message carries (BGM document name code)."""

    PASSENGERS = "passengers"  # BGM 745
    CREW = "crew"  # BGM 250 (and 336, master crew list)
    FLIGHT_STATUS = "flight_status"  # BGM 266: a closing or cancelling notice, no travellers
    OTHER = "other"  # any other code we keep but do not interpret


class FlightStatus(enum.StrEnum):
    """State of a flight as the carrier last reported it (BGM 266 sub-codes)."""

    SCHEDULED = "scheduled"  # nothing said yet beyond lists
    CLOSED = "closed"  # CL
    CLOSED_ON_BOARD = "closed_on_board"  # CLOB: list of passengers on board
    CLOSED_NOT_ON_BOARD = "closed_not_on_board"  # CLNB: passengers who did not board
    CANCELLED = "cancelled"  # XF
    CHANGED = "changed"  # CF: flight details changed


class TravellerRole(enum.StrEnum):
    """Passenger or crew, and whether in transit (NAD party qualifier)."""

    PASSENGER = "passenger"  # NAD+FL
    CREW = "crew"  # NAD+FM
    TRANSIT_PASSENGER = "transit_passenger"  # NAD+DDU
    TRANSIT_CREW = "transit_crew"  # NAD+DDT

    @property
    def is_crew(self) -> bool:
        return self in (TravellerRole.CREW, TravellerRole.TRANSIT_CREW)


@dataclass(slots=True, kw_only=True)
class ReportingParty:
    """Who sent the list (Gr1: NAD+MS, COM)."""

    name: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None


@dataclass(slots=True, kw_only=True)
class Stop:
    """One airport of a flight with the times given there (Gr3: LOC then DTM).

    ``qualifier`` is the LOC function code: 125 last departure before the border, 87 first
    arrival after it, 92 other point of the route, 130 final destination.
    """

    airport: str
    qualifier: str
    arrival_local: datetime | None = None  # DTM+232
    arrival_utc: datetime | None = None
    departure_local: datetime | None = None  # DTM+189
    departure_utc: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Leg:
    """A hop between two consecutive stops, derived from the stops for convenience."""

    departure_airport: str
    arrival_airport: str
    departure_local: datetime | None = None
    departure_utc: datetime | None = None
    arrival_local: datetime | None = None
    arrival_utc: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Flight:
    """One TDT group: a flight with its stops in route order.

    ``flight_id`` is the identifier as transmitted (``"AA123"``); ``carrier`` comes from the
    TDT carrier element when present, else from the identifier's airline prefix.
    """

    flight_id: str
    carrier: str
    number: str
    overflight: bool = False  # TDT+34
    stops: list[Stop] = field(default_factory=list)

    @property
    def legs(self) -> list[Leg]:
        """Consecutive stops paired into legs (a final-destination LOC 130 without times ends
        the route like any other stop)."""
        legs = []
        for a, b in zip(self.stops, self.stops[1:], strict=False):
            legs.append(
                Leg(
                    departure_airport=a.airport,
                    arrival_airport=b.airport,
                    departure_local=a.departure_local,
                    departure_utc=a.departure_utc,
                    arrival_local=b.arrival_local,
                    arrival_utc=b.arrival_utc,
                )
            )
        return legs

    @property
    def origin(self) -> str | None:
        return self.stops[0].airport if self.stops else None

    @property
    def destination(self) -> str | None:
        return self.stops[-1].airport if self.stops else None

    @property
    def departure_local(self) -> datetime | None:
        return next((s.departure_local for s in self.stops if s.departure_local), None)

    @property
    def departure_utc(self) -> datetime | None:
        return next((s.departure_utc for s in self.stops if s.departure_utc), None)

    @property
    def arrival_utc(self) -> datetime | None:
        return next((s.arrival_utc for s in reversed(self.stops) if s.arrival_utc), None)

    @property
    def crosses_border(self) -> bool:
        """True when a stop is the border departure (125) or arrival (87) point."""
        return any(s.qualifier in ("125", "87") for s in self.stops)


@dataclass(slots=True, kw_only=True)
class TravelDocument:
    """Gr5: DOC, DTM+36 expiry, DTM+182 issue, LOC+91 issuing state."""

    number: str
    doc_type: str | None = None  # P passport, V visa, I identity card, A, C, ... as sent
    expiry: date | None = None
    issued: date | None = None
    issuing_state: str | None = None  # ISO 3166 alpha-3 as sent


@dataclass(slots=True, kw_only=True)
class Address:
    """NAD address elements (street, city, sub-entity, postcode, country)."""

    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None


@dataclass(slots=True, kw_only=True)
class BagInfo:
    """Checked bags: MEA+CT count, MEA+WT weight, FTX+BAG tag numbers (D05B era)."""

    count: int | None = None
    weight: float | None = None
    weight_unit: str | None = None  # KGM or LBR
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Traveller:
    """One Gr4 group: a passenger or crew member with their documents.

    ``segment_index`` and ``offset`` point at the NAD segment in the raw message, so every
    stored traveller can be traced to the bytes it came from.
    """

    role: TravellerRole
    surname: str
    given_names: str | None = None
    middle_names: str | None = None
    gender: str | None = None  # ATT+2: M, F, U, X as sent
    date_of_birth: date | None = None  # DTM+329
    nationality: str | None = None  # NAT+2
    residence_country: str | None = None  # LOC+174
    birth_place: str | None = None  # LOC+180
    embarkation: str | None = None  # LOC+178
    debarkation: str | None = None  # LOC+179
    address: Address | None = None
    record_locator: str | None = None  # RFF+AVF (PNR locator)
    passenger_ref: str | None = None  # RFF+ABO (carrier's unique passenger reference)
    seat: str | None = None  # RFF+SEA
    ticket: str | None = None  # RFF+YZY
    customer_ref: str | None = None  # RFF+CR
    other_refs: dict[str, str] = field(default_factory=dict)  # any other RFF qualifier
    other_locations: dict[str, str] = field(default_factory=dict)  # other Gr4 LOC (22, ...)
    contacts: dict[str, str] = field(default_factory=dict)  # Gr4 COM by qualifier (TE, EM)
    bags: BagInfo | None = None
    documents: list[TravelDocument] = field(default_factory=list)
    segment_index: int | None = None
    offset: int | None = None

    @property
    def full_name(self) -> str:
        parts = [self.given_names, self.middle_names, self.surname]
        return " ".join(p for p in parts if p)


@dataclass(slots=True, kw_only=True)
class PassengerList:
    """One PAXLST message (UNH..UNT) with its interchange envelope facts."""

    message_ref: str | None = None  # UNH 0062
    interchange_ref: str | None = None  # UNB 0020
    sender: str | None = None  # UNB sender id
    recipient: str | None = None
    prepared_at: datetime | None = None  # UNB date/time, as sent (naive)
    syntax: str | None = None  # e.g. "UNOA:4"
    directory: str | None = None  # e.g. "D02B", "D05B"
    document_code: str = "745"  # BGM 1001
    document_subcode: str | None = None  # BGM 1004 / 1225 (CL, CLOB, CP, ...)
    kind: ListKind = ListKind.PASSENGERS
    status: FlightStatus | None = None  # set for BGM 266 notices
    transaction_ref: str | None = None  # RFF+TN
    reporting_party: ReportingParty | None = None
    flights: list[Flight] = field(default_factory=list)
    travellers: list[Traveller] = field(default_factory=list)
    declared_passengers: int | None = None  # CNT+42
    declared_crew: int | None = None  # CNT+41
    warnings: list[str] = field(default_factory=list)

    @property
    def reported_flight(self) -> Flight | None:
        """The flight this list is about: the TDT group that crosses the border (has LOC 125
        or 87); failing that the last TDT group, which for an inbound itinerary is the flight
        that arrives in the reporting country."""
        for f in self.flights:
            if f.crosses_border and not f.overflight:
                return f
        return self.flights[-1] if self.flights else None
