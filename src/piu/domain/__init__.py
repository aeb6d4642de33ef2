"""Plain data that every layer shares: no I/O, no storage, no web."""

from piu.domain.travel import (
    Address,
    BagInfo,
    Flight,
    FlightStatus,
    Leg,
    ListKind,
    PassengerList,
    ReportingParty,
    Stop,
    TravelDocument,
    Traveller,
    TravellerRole,
)

__all__ = [
    "Address",
    "BagInfo",
    "Flight",
    "FlightStatus",
    "Leg",
    "ListKind",
    "PassengerList",
    "ReportingParty",
    "Stop",
    "TravelDocument",
    "Traveller",
    "TravellerRole",
]

# PNR (PNRGOV) domain objects: see piu.domain.booking
from piu.domain.booking import (
    FlightSegment,
    Pnr,
    PnrPush,
    PnrTraveller,
)

__all__ += ["FlightSegment", "Pnr", "PnrPush", "PnrTraveller"]
