"""Facts: the flat mapping of catalogue attribute -> value that a rule reads.

:func:`build_facts` derives them from the domain objects of one traveller on one flight:
the API :class:`~piu.domain.travel.Traveller` and :class:`~piu.domain.travel.Flight`,
and/or the PNR :class:`~piu.domain.booking.Pnr`, its
:class:`~piu.domain.booking.PnrTraveller` and the booked
:class:`~piu.domain.booking.FlightSegment`. Where both say something, API data (checked at
the gate) wins over PNR data (declared at booking). Values the PIU knows from its own data
(``source = caller`` in the catalogue: travel history, hits on co-travellers, shared
contacts) come in ``extra`` and are checked against the catalogue by :func:`coerce_facts`.

A value that is unknown is left out, never guessed: conditions on it are false (``is
empty`` is true). Text is upper case, sets are frozensets, date-times are UTC-aware.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from piu.domain.booking import FlightSegment, Pnr, PnrTraveller
from piu.domain.travel import Flight, Traveller, TravellerRole
from piu.reference import airports
from piu.targeting._errors import RuleError
from piu.targeting.catalogue import CATALOGUE, Type

__all__ = ["build_facts", "coerce_facts"]

_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_LB_TO_KG = 0.45359237


def build_facts(
    *,
    traveller: Traveller | None = None,
    flight: Flight | None = None,
    pnr: Pnr | None = None,
    pnr_traveller: PnrTraveller | None = None,
    segment: FlightSegment | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The facts of one traveller on one flight; any argument may be missing.

    ``segment`` is the booked flight segment the assessment is about; when it is missing
    and ``pnr`` is given, the segment matching ``flight`` (by origin, destination and
    number), else the first, is used.
    """
    f: dict[str, Any] = {}
    if pnr is not None and segment is None and pnr.itinerary:
        segment = _matching_segment(pnr.itinerary, flight)
    if segment is not None:
        _segment_facts(f, segment)
    if flight is not None:
        _flight_facts(f, flight)
    departure = _departure_day(f)
    if pnr is not None:
        _pnr_facts(f, pnr, pnr_traveller, segment, departure)
    if pnr_traveller is not None:
        _pnr_traveller_facts(f, pnr_traveller, segment, departure)
    if traveller is not None:
        _api_traveller_facts(f, traveller, departure)
    if extra:
        f.update(coerce_facts(extra))
    return {k: v for k, v in f.items() if v is not None and v != ""}


def coerce_facts(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check caller-supplied facts against the catalogue and normalise them.

    Raises :class:`RuleError` (kind ``type``) for an unknown attribute or a value of the
    wrong type, so a bad caller cannot make a compiled rule fail at evaluation.
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        attr = CATALOGUE.get(key)
        if attr is None:
            raise RuleError(f"unknown fact {key!r}", kind="unknown")
        if value is None:
            continue
        out[key] = _coerce(key, attr.type, value)
    return out


def _coerce(key: str, typ: Type, value: Any) -> Any:
    bad = RuleError(f"fact {key!r} must be {typ.value}, not {type(value).__name__}", kind="type")
    if typ is Type.BOOL:
        if not isinstance(value, bool):
            raise bad
        return value
    if typ is Type.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad
        return value
    if typ is Type.DATETIME:
        if not isinstance(value, datetime):
            raise bad
        return _utc(value)
    if typ is Type.DATE:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise bad
        return value
    if typ.element is not None:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise bad
        items = list(value)
        if not all(isinstance(v, str) for v in items):
            raise bad
        return frozenset(v.strip().upper() for v in items if v.strip())
    if not isinstance(value, str):
        raise bad
    return value.strip().upper()


# -- helpers -------------------------------------------------------------------------


def _up(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().upper()
    return value or None


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _num(value: str | int | float | None) -> float | int | None:
    if value is None or isinstance(value, int | float):
        return value
    try:
        text = value.strip()
        return int(text) if text.isdigit() else float(text)
    except ValueError:
        return None


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _set_departure(f: dict[str, Any], local: datetime | None, utc: datetime | None) -> None:
    if local is not None:
        f["flight.departure_date"] = local.date()
        f["flight.departure_hour"] = local.hour
        f["flight.weekday"] = _WEEKDAYS[local.weekday()]
    if utc is not None:
        f["flight.departure_utc"] = _utc(utc)


def _departure_day(f: dict[str, Any]) -> date | None:
    day = f.get("flight.departure_date")
    if day is None and f.get("flight.departure_utc") is not None:
        day = f["flight.departure_utc"].date()
    return day


def _countries(codes: Iterable[str]) -> frozenset[str]:
    return frozenset(c for c in (airports.country(a) for a in codes) if c)


def _matching_segment(itinerary: list[FlightSegment], flight: Flight | None) -> FlightSegment:
    if flight is not None:
        for s in itinerary:
            if (s.origin, s.destination) == (flight.origin, flight.destination) or (
                s.flight_number and s.flight_number.lstrip("0") == flight.number.lstrip("0")
            ):
                return s
    return itinerary[0]


# -- per source ----------------------------------------------------------------------


def _segment_facts(f: dict[str, Any], s: FlightSegment) -> None:
    f["flight.carrier"] = _up(s.marketing_carrier or s.operating_carrier)
    f["flight.number"] = _up(s.flight_number)
    f["flight.origin"] = _up(s.origin)
    f["flight.destination"] = _up(s.destination)
    f["flight.code_share"] = s.is_code_share
    f["flight.booking_class"] = _up(s.booking_class)
    f["flight.route"] = frozenset(x for x in (_up(s.origin), _up(s.destination)) if x)
    _set_departure(f, s.departure_local, s.departure_utc)


def _flight_facts(f: dict[str, Any], fl: Flight) -> None:
    f["flight.carrier"] = _up(fl.carrier)
    f["flight.number"] = _up(fl.number)
    f["flight.origin"] = _up(fl.origin)
    f["flight.destination"] = _up(fl.destination)
    f["flight.route"] = frozenset(a for a in (_up(s.airport) for s in fl.stops) if a)
    _set_departure(f, fl.departure_local, fl.departure_utc)
    for key, code in (("origin", fl.origin), ("destination", fl.destination)):
        if code:
            f[f"flight.{key}_country"] = airports.country(code)
    f.setdefault("traveller.transit", False)


def _pnr_facts(
    f: dict[str, Any],
    pnr: Pnr,
    who: PnrTraveller | None,
    segment: FlightSegment | None,
    departure: date | None,
) -> None:
    legs = [s for s in pnr.itinerary if s.origin or s.destination]
    if legs:
        first, last = _up(legs[0].origin), _up(legs[-1].destination)
        airports_ = frozenset(a for s in legs for a in (_up(s.origin), _up(s.destination)) if a)
        f["itinerary.origin"] = first
        f["itinerary.destination"] = last
        f["itinerary.one_way"] = first is None or first != last
        f["itinerary.segments"] = len(legs)
        f["itinerary.airports"] = airports_
        f["itinerary.countries"] = _countries(airports_)
        days = [s.departure_date for s in legs if s.departure_date]
        if days:
            f["itinerary.stay_days"] = (max(days) - min(days)).days
        if segment is not None and "flight.origin_country" not in f:
            for key, code in (("origin", segment.origin), ("destination", segment.destination)):
                if code:
                    f[f"flight.{key}_country"] = airports.country(code)
    f["booking.carrier"] = _up(pnr.carrier)
    created = _utc(pnr.created)
    f["booking.created"] = created
    if created is not None and departure is not None:
        f["booking.days_before_departure"] = (departure - created.date()).days
    org = pnr.originator
    agency = _up(org.agency_id) if org else None
    f["booking.agency_id"] = agency
    f["booking.booked_by_agency"] = bool(agency) or bool(org and org.originator_type == "T")
    f["booking.travellers"] = len(pnr.travellers)
    f["booking.split"] = bool(pnr.splits)
    f["booking.contacts"] = len({(c.kind, c.value) for c in pnr.all_contacts()})
    tickets = (
        who.tickets
        if who is not None and who.tickets
        else [t for p in pnr.travellers for t in p.tickets]
    )
    types = frozenset(t for t in (_up(p.fop_type) for tk in tickets for p in tk.payments) if t)
    f["booking.payment_types"] = types
    f["booking.paid_cash"] = "CA" in types


def _pnr_traveller_facts(
    f: dict[str, Any], t: PnrTraveller, segment: FlightSegment | None, departure: date | None
) -> None:
    f["traveller.surname"] = _up(t.surname)
    f["traveller.given_names"] = _up(t.given_names)
    f["traveller.nationality"] = _up(t.nationality)
    f["traveller.gender"] = _up(t.gender)
    dob = t.date_of_birth
    f["traveller.date_of_birth"] = dob
    if dob is not None and departure is not None:
        f["traveller.age"] = _years(dob, departure)
    residence = next(
        (d.address.country for d in t.doca if d.address_type == "R" and d.address.country), None
    )
    f["traveller.residence_country"] = _up(residence)
    f["traveller.with_infant"] = t.with_infant == "1"
    f["traveller.frequent_flyer"] = bool(t.frequent_flyer)
    f["traveller.role"] = "PASSENGER"
    f["booking.ticketed"] = any(tk.number for tk in t.tickets)
    _document_facts(f, [(d.doc_type, d.issuing_state, d.expiry) for d in t.docs], departure)
    if segment is not None and t.ref:
        seat = next((s for ref, s in segment.seats if ref == t.ref), None)
        f["booking.seat"] = _up(seat)
        for c in segment.check_ins:
            for e in c.entries:
                if e.traveller_ref == t.ref and e.bags is not None:
                    _bag_facts(f, _num(e.bags.count), _num(e.bags.weight), e.bags.unit)


def _api_traveller_facts(f: dict[str, Any], t: Traveller, departure: date | None) -> None:
    for key, value in (
        ("traveller.surname", t.surname),
        ("traveller.given_names", t.given_names),
        ("traveller.nationality", t.nationality),
        ("traveller.gender", t.gender),
        ("traveller.residence_country", t.residence_country),
        ("booking.seat", t.seat),
    ):
        if _up(value):
            f[key] = _up(value)
    if t.date_of_birth is not None:
        f["traveller.date_of_birth"] = t.date_of_birth
        if departure is not None:
            f["traveller.age"] = _years(t.date_of_birth, departure)
    f["traveller.role"] = t.role.value.upper()
    f["traveller.transit"] = t.role in (
        TravellerRole.TRANSIT_PASSENGER,
        TravellerRole.TRANSIT_CREW,
    )
    if t.ticket:
        f["booking.ticketed"] = True
    if t.documents:
        _document_facts(
            f, [(d.doc_type, d.issuing_state, d.expiry) for d in t.documents], departure
        )
    if t.bags is not None:
        unit = "L" if (t.bags.weight_unit or "").upper().startswith("L") else "K"
        _bag_facts(f, t.bags.count, t.bags.weight, unit)


def _document_facts(
    f: dict[str, Any], docs: list[tuple[str | None, str | None, date | None]], day: date | None
) -> None:
    if not docs:
        return
    f["document.count"] = len(docs)
    doc_type, state, expiry = docs[0]
    f["document.type"] = _up(doc_type)
    f["document.issuing_state"] = _up(state)
    if expiry is not None and day is not None:
        f["document.expiry_days"] = (expiry - day).days


def _bag_facts(
    f: dict[str, Any], count: float | None, weight: float | None, unit: str | None
) -> None:
    if count is not None:
        f["booking.bags"] = int(count)
    if weight is not None:
        pounds = (unit or "").upper() in ("L", "LB", "LBR", "701")
        f["booking.bag_weight"] = round(weight * _LB_TO_KG, 1) if pounds else weight
