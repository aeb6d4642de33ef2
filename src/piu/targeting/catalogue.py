"""The attributes a targeting rule may test, as data.

Each entry: name, type, whether it is *protected*, where the value comes from, and a
description an analyst and a reviewer can read. ``protected`` attributes describe who a
person is rather than what they do (nationality and its proxies, gender, age, name); a rule
may use them only together with a behavioural condition (see :mod:`piu.targeting.checker`).
There are deliberately **no** attributes for religion, ethnicity, health, sex life, political
opinion or trade-union membership, nor proxies of them such as meal or medical codes
(the EU PNR Directive art. 13(4) and C-817/19 para. 197); do not add any.

``source`` is ``domain`` for values :func:`piu.targeting.build_facts` derives from the
API/PNR data, and ``caller`` for values the caller supplies from the PIU's own data
(travel history, hits on co-travellers, links): pass them in ``extra``.

Text values are compared without regard to case: facts are upper-cased when built and text
literals when compiled. Country codes come in two forms because the sources differ:
documents carry ISO 3166 alpha-3 (``TUR``, ICAO Doc 9303), the airport table alpha-2 (``TR``);
the checker tells which one an attribute wants.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["CATALOGUE", "Attribute", "Type", "attribute", "describe_catalogue"]


class Type(enum.Enum):
    """Value types. Sets hold several values of their element type."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "yes/no"
    AIRPORT = "airport code"
    COUNTRY = "country code (alpha-3)"
    COUNTRY_A2 = "country code (alpha-2)"
    TEXT_SET = "set of text"
    AIRPORT_SET = "set of airport codes"
    COUNTRY_A2_SET = "set of country codes (alpha-2)"

    @property
    def element(self) -> Type | None:
        """The element type of a set type, else ``None``."""
        return _ELEMENTS.get(self)

    @property
    def is_code(self) -> bool:
        return self in (Type.AIRPORT, Type.COUNTRY, Type.COUNTRY_A2)

    @property
    def is_textual(self) -> bool:
        return self is Type.TEXT or self.is_code


_ELEMENTS = {
    Type.TEXT_SET: Type.TEXT,
    Type.AIRPORT_SET: Type.AIRPORT,
    Type.COUNTRY_A2_SET: Type.COUNTRY_A2,
}


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type: Type
    description: str
    protected: bool = False
    source: str = "domain"  # or "caller"
    unit: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "type": self.type.value,
            "description": self.description,
            "protected": self.protected,
            "source": self.source,
            "unit": self.unit,
        }


T, N, D, DT, B = Type.TEXT, Type.NUMBER, Type.DATE, Type.DATETIME, Type.BOOL
AP, C3, C2 = Type.AIRPORT, Type.COUNTRY, Type.COUNTRY_A2
P = True  # protected

# name, type, protected, description[, unit]   (one line per attribute; keep them sorted
# by group; "caller" attributes are in the last block)
_TABLE: tuple[tuple[str, Type, bool, str, str | None], ...] = (
    # -- the traveller: who they are (protected: identity, never a rule on its own) ------
    ("traveller.nationality", C3, P, "Nationality from the document (DOCS / NAT+2).", None),
    ("traveller.gender", T, P, "Gender as sent: M, F, U or X.", None),
    ("traveller.age", N, P, "Age in whole years on the day of departure.", "years"),
    ("traveller.date_of_birth", D, P, "Date of birth.", None),
    ("traveller.residence_country", C3, P, "Country of residence (LOC+174, DOCA/R).", None),
    ("traveller.surname", T, P, "Surname as sent (upper case).", None),
    ("traveller.given_names", T, P, "Given names as sent (upper case).", None),
    # -- the traveller: what they do -----------------------------------------------------
    ("traveller.role", T, False, "PASSENGER, CREW, TRANSIT_PASSENGER or TRANSIT_CREW.", None),
    ("traveller.transit", B, False, "In transit through the reporting country.", None),
    ("traveller.with_infant", B, False, "Travels with an infant on their lap.", None),
    ("traveller.frequent_flyer", B, False, "A frequent-flyer number is on the booking.", None),
    # -- the travel document -------------------------------------------------------------
    ("document.type", T, False, "First document type: P passport, I identity card, ...", None),
    ("document.issuing_state", C3, P, "State that issued the first document (alpha-3).", None),
    (
        "document.expiry_days",
        N,
        False,
        "Days from departure to the document's expiry (negative: already expired).",
        "days",
    ),
    ("document.count", N, False, "Number of documents given.", None),
    # -- the flight ----------------------------------------------------------------------
    ("flight.carrier", T, False, "Marketing carrier (IATA designator).", None),
    ("flight.number", T, False, "Flight number without the carrier, e.g. '123'.", None),
    ("flight.origin", AP, False, "Airport of departure (IATA).", None),
    ("flight.destination", AP, False, "Airport of arrival (IATA).", None),
    ("flight.origin_country", C2, False, "Country of the departure airport.", None),
    ("flight.destination_country", C2, False, "Country of the arrival airport.", None),
    ("flight.departure_date", D, False, "Local date of departure.", None),
    ("flight.departure_utc", DT, False, "Departure time in UTC.", None),
    ("flight.departure_hour", N, False, "Local hour of departure, 0 to 23.", "hour"),
    ("flight.weekday", T, False, "Local weekday of departure: MON, TUE, ... SUN.", None),
    ("flight.route", Type.AIRPORT_SET, False, "Every airport of the flight's route.", None),
    ("flight.code_share", B, False, "Operated by another carrier or flight number.", None),
    ("flight.booking_class", T, False, "Booking class (one letter).", None),
    # -- the itinerary of the booking ----------------------------------------------------
    ("itinerary.origin", AP, False, "First airport of the booked journey.", None),
    ("itinerary.destination", AP, False, "Last airport of the booked journey.", None),
    ("itinerary.one_way", B, False, "The journey does not return to its first airport.", None),
    ("itinerary.segments", N, False, "Number of flight segments booked.", None),
    ("itinerary.airports", Type.AIRPORT_SET, False, "Every airport of the journey.", None),
    (
        "itinerary.countries",
        Type.COUNTRY_A2_SET,
        False,
        "Every country of the journey's airports.",
        None,
    ),
    (
        "itinerary.stay_days",
        N,
        False,
        "Days between the first and the last departure of the journey.",
        "days",
    ),
    # -- the booking ---------------------------------------------------------------------
    ("booking.carrier", T, False, "Airline or system holding the booking.", None),
    ("booking.created", DT, False, "When the booking was made (UTC as sent).", None),
    (
        "booking.days_before_departure",
        N,
        False,
        "Whole days from the booking's creation to the flight's departure.",
        "days",
    ),
    (
        "booking.payment_types",
        Type.TEXT_SET,
        False,
        "Forms of payment as sent: CA cash, CC card, MS miscellaneous, ...",
        None,
    ),
    ("booking.paid_cash", B, False, "A form of payment is cash (CA).", None),
    ("booking.agency_id", T, False, "IATA number of the booking travel agency.", None),
    ("booking.booked_by_agency", B, False, "The booking was made by a travel agency.", None),
    ("booking.travellers", N, False, "Number of travellers on the booking.", None),
    ("booking.ticketed", B, False, "A ticket number is present for the traveller.", None),
    ("booking.split", B, False, "Travellers were split off to another booking.", None),
    ("booking.bags", N, False, "Checked bags of the traveller.", "bags"),
    ("booking.bag_weight", N, False, "Total weight of the checked bags.", "kg"),
    ("booking.seat", T, False, "Seat, e.g. '12A'.", None),
    ("booking.contacts", N, False, "Phone numbers and e-mail addresses given.", None),
    # -- supplied by the caller from the PIU's own data ----------------------------------
    ("history.trips_last_90_days", N, False, "Trips of this person seen in 90 days.", None),
    ("history.trips_last_365_days", N, False, "Trips of this person seen in a year.", None),
    ("history.previous_hits", N, False, "Confirmed hits on this person before.", None),
    ("co_travellers.hits", N, False, "Open or confirmed hits on co-travellers.", None),
    (
        "booking.shared_contact_hits",
        N,
        False,
        "Listed persons sharing a phone, e-mail or card with the booking.",
        None,
    ),
)

_CALLER = ("history.", "co_travellers.", "booking.shared_contact_hits")

CATALOGUE: dict[str, Attribute] = {
    name: Attribute(
        name=name,
        type=typ,
        description=desc,
        protected=prot,
        source="caller" if name.startswith(_CALLER) else "domain",
        unit=unit,
    )
    for name, typ, prot, desc, unit in _TABLE
}


def attribute(name: str) -> Attribute | None:
    """The catalogue entry for ``name`` (lower case), or ``None``."""
    return CATALOGUE.get(name)


def describe_catalogue() -> list[dict[str, object]]:
    """The catalogue as JSON-safe rows, for ``piu rules attributes`` and the HTTP API."""
    return [a.as_dict() for a in CATALOGUE.values()]
