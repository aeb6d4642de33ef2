"""PNRGOV XML (``IATA_PNRGOV_NotifRQ``) -> :class:`~piu.domain.booking.PnrPush`.

Why a reader of its own: ICAO Annex 9 (9.22.1, Note 3) lets States take the XML form of the
PNRGOV push as a supplement to EDIFACT, and the same booking must end up in the same domain
objects whichever form the carrier sends. The normative XSD was not available (see
``standards.md`` 3.5); the element names below are the documented ones, and values are read
from an attribute *or* a child element of that name, so both OTA styles are understood::

    IATA_PNRGOV_NotifRQ (namespace http://www.iata.org/IATA/2007/00, or none)
      Originator         AirlineCode SystemCode AirlineContactInfo        -> push.originator
      FlightLeg          CarrierCode FlightNumber DepartureDateTime ArrivalDateTime
                         DepartureAirport/ArrivalAirport@LocationCode      -> push.flight
      PNRs/PNR           NumberOfPassengers PNR_CreationDate PNR_TransDate -> push.pnrs
        BookingRefID@ID CompanyName@Code                                  -> locators
        POS/Source                                                        -> originator
        ContactInfo (Email, Telephone/PhoneNumber, Address)               -> contacts
        PrepaidBag                                                        -> excess_baggage
        Passenger@RPH    GivenName Surname CustLoyalty ExcessBaggage SSR
                         DOC_SSR/{DOCS,DOCO,DOCA} (attributes or AIRIMP text)
                         TicketDocument/{TotalFare,Taxes/Tax,PaymentInfo}  -> travellers
        Flight           DepartureAirport ArrivalAirport OperatingAirline
                         MarketingAirline SSR (SEAT, DOCS text ...) BookingRefID
                                                                          -> itinerary

Choices a caller should know:

* One :class:`PnrPush` per ``IATA_PNRGOV_NotifRQ`` element. The envelope may be wrapped in
  another element; bare ``PNR`` elements (as in community test files) are read as one push
  without header. Both are tolerances and warned about.
* Tolerant reading: whatever still has one meaning is read and reported as a warning
  ``"<element path>: reason"`` on the push (unknown elements, impossible dates, unknown
  airports, DOCS text shifted by a field, DOCS sent under ``Flight``).
* Strict errors, only :class:`~piu.errors.FormatError` subclasses, on any bytes:
  :class:`~piu.errors.UnknownMessageType` for data that is not XML or has no PNRGOV
  content, :class:`~piu.errors.MessageStructureError` for malformed XML (with the parser's
  line and column), a DOCTYPE or entity declaration (refused outright: ``defusedxml``), a
  passenger without surname.
* Times: ``Flight``/``FlightLeg`` date-times are local to their airport and converted to UTC
  with :func:`piu.reference.airports.to_utc` (an explicit offset is honoured). PNR creation
  and transaction dates are kept as sent (an explicit offset is converted to naive UTC).
* Card numbers are kept as sent, like the EDIFACT reader; use
  :attr:`~piu.domain.booking.Payment.card_number_masked` to show them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import fields
from datetime import UTC, date, datetime, time
from typing import Final

from defusedxml import DefusedXmlException  # type: ignore[import-untyped, unused-ignore]
from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped, unused-ignore]

from piu.domain.booking import (
    Contact,
    DocaInfo,
    DocoInfo,
    DocsInfo,
    ExcessBaggage,
    FlightSegment,
    FrequentFlyer,
    MonetaryAmount,
    Originator,
    Payment,
    Pnr,
    PnrAddress,
    PnrPush,
    PnrTraveller,
    RecordLocator,
    Remark,
    Ssr,
    SsrRef,
    Tax,
    Ticket,
)
from piu.domain.travel import Address
from piu.errors import MessageStructureError, UnknownMessageType
from piu.formats.pnrgov import _ssr
from piu.formats.pnrgov._ssr import CONTACT_KINDS, ParseProblem
from piu.reference.airports import to_utc

__all__ = ["IATA_NAMESPACE", "MAX_BYTES", "ROOT", "read"]

IATA_NAMESPACE: Final = "http://www.iata.org/IATA/2007/00"
ROOT: Final = "IATA_PNRGOV_NotifRQ"
MAX_BYTES: Final = 32 * 1024 * 1024  # same bound as the EDIFACT interchange limit

_CONTACT_SSR = {f"CTC{k}" for k in CONTACT_KINDS}
_SEAT = re.compile(r"^\s*(\d{1,3}[A-Z])\s*$")
_PAX_TYPES = {"ADT": "A", "CHD": "C", "CNN": "C", "INF": "IN", "INS": "IN"}
_KNOWN: Final[dict[str, frozenset[str]]] = {
    ROOT: frozenset({"Originator", "FlightLeg", "PNRs", "POS"}),
    "PNR": frozenset(
        {"BookingRefID", "POS", "ContactInfo", "PrepaidBag", "Passenger", "Flight", "SSR"}
        | {"OtherServiceInfo", "Remark", "RPH"}
    ),
    "Passenger": frozenset(
        {"GivenName", "Surname", "PersonName", "NamePrefix", "CustLoyalty", "ExcessBaggage"}
        | {"FareInfo", "SSR", "TicketDocument", "DOC_SSR", "ContactInfo", "PaymentInfo"}
        | {"MiddleName", "NameTitle"}
    ),
    "Flight": frozenset(
        {"DepartureAirport", "ArrivalAirport", "OperatingAirline", "MarketingAirline"}
        | {"SSR", "BookingRefID", "Equipment", "CheckInInfo"}
    ),
}


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _ns(tag: object) -> str | None:
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].partition("}")[0]
    return None


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if _local(c.tag) == name), None)


def _text(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    v = "".join(el.itertext()).strip()
    return v or None


def _v(el: ET.Element | None, *names: str) -> str | None:
    """The first non-empty attribute or child-element text among ``names``."""
    if el is None:
        return None
    for name in names:
        a = el.get(name)
        if a is not None and a.strip():
            return a.strip()
        c = _child(el, name)
        if c is not None:
            t = _text(c)
            if t:
                return t
    return None


def _code(el: ET.Element | None, name: str) -> str | None:
    """``<Name Code="XX"/>`` / ``<Name LocationCode="XXX"/>`` / ``<Name>XX</Name>``."""
    c = _child(el, name) if el is not None else None
    if c is None:
        return None
    return _v(c, "Code", "LocationCode", "CodeContext") or _text(c)


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "y", "yes")


class _Reader:
    def __init__(self, today: date | None) -> None:
        self.today = today
        self.warnings: list[str] = []
        self.unknown_airports: set[str] = set()
        self.anchor: date | None = None

    def warn(self, path: str, text: str) -> None:
        self.warnings.append(f"{path}: {text}")

    def _today(self) -> date:
        return self.today or self.anchor or date.today()

    def _unknown(self, el: ET.Element, kind: str, path: str) -> None:
        known = _KNOWN[kind]
        seen: set[str] = set()
        for c in el:
            name = _local(c.tag)
            if name and name not in known and name not in seen:
                seen.add(name)
                self.warn(path, f"unknown element {name}; skipped")

    # ------------------------------------------------------------------ entry

    def run(self, root: ET.Element) -> list[PnrPush]:
        name = _local(root.tag)
        if name == ROOT:
            return [self.push(root, name)]
        envelopes = [e for e in root.iter() if _local(e.tag) == ROOT]
        if envelopes:
            out = []
            for i, env in enumerate(envelopes, 1):
                self.warnings = []
                path = f"{name}/{ROOT}[{i}]"
                self.warn(path, f"{ROOT} wrapped in {name}; read as the message")
                out.append(self.push(env, path))
            return out
        pnrs = [e for e in root.iter() if _local(e.tag) == "PNR"]
        if not pnrs:
            raise UnknownMessageType(
                f"root element {name!r} is not {ROOT} and holds no PNR elements",
                tag=name,
            )
        push = PnrPush()
        self.warn(name, f"no {ROOT} envelope: {len(pnrs)} bare PNR element(s) read as one push")
        self._pnrs(push, pnrs, name)
        push.warnings = self.warnings
        return [push]

    def push(self, env: ET.Element, path: str) -> PnrPush:
        ns = _ns(env.tag)
        if ns is not None and ns != IATA_NAMESPACE:
            self.warn(path, f"namespace {ns!r} is not {IATA_NAMESPACE}; read by element name")
        self._unknown(env, ROOT, path)
        push = PnrPush(
            message_ref=_v(env, "EchoToken", "TransactionIdentifier"),
            version=_v(env, "Version"),
            sequence=_v(env, "SequenceNmbr"),
        )
        stamp = _v(env, "TimeStamp")
        if stamp:
            push.prepared_at = self._stamp(stamp, path, "TimeStamp")
            if push.prepared_at is not None:
                self.anchor = push.prepared_at.date()
        orig = _children(env, "Originator")
        if orig:
            push.originator = self._originator(orig[0])
            if len(orig) > 1:
                self.warn(path, "second Originator; ignored")
        else:
            self.warn(path, "no Originator: the sender is unknown")
        legs = _children(env, "FlightLeg")
        if legs:
            push.flight = self._flight(legs[0], f"{path}/FlightLeg")
            if len(legs) > 1:
                self.warn(path, "second FlightLeg; ignored")
        else:
            self.warn(path, "no FlightLeg: the reported flight is unknown")
        containers = _children(env, "PNRs")
        pnrs = [p for c in containers for p in _children(c, "PNR")]
        bare = _children(env, "PNR")
        if bare:
            self.warn(path, f"{len(bare)} PNR element(s) outside PNRs; read")
            pnrs.extend(bare)
        if containers:
            declared = _v(containers[0], "NumberOfPNRs", "Count")
            if declared is not None:
                if declared.isdigit():
                    push.declared_pnrs = int(declared)
                    if push.declared_pnrs != len(pnrs):
                        self.warn(f"{path}/PNRs", f"declared {declared} PNRs, counted {len(pnrs)}")
                else:
                    self.warn(f"{path}/PNRs", f"PNR count {declared!r} is not a number")
        self._pnrs(push, pnrs, f"{path}/PNRs")
        push.warnings = self.warnings
        return push

    def _pnrs(self, push: PnrPush, pnrs: list[ET.Element], path: str) -> None:
        for i, el in enumerate(pnrs, 1):
            push.pnrs.append(self._pnr(el, f"{path}/PNR[{i}]"))

    # ------------------------------------------------------------------ values

    def _iso(self, value: str, path: str, what: str) -> datetime | date | None:
        v = value.strip()
        try:
            if "T" in v or " " in v or len(v) > 10:
                return datetime.fromisoformat(v.replace(" ", "T", 1))
            return date.fromisoformat(v)
        except ValueError:
            pass
        try:  # AIRIMP forms that also occur: DDMMMYY, DDMMYY
            return _ssr.ddmmmyy(v) if len(v) == 7 else _ssr.ddmmyy(v)
        except ParseProblem:
            self.warn(path, f"{what} {value!r} is not an ISO 8601 date-time; not kept")
            return None

    def _stamp(self, value: str, path: str, what: str) -> datetime | None:
        """A booking date-time kept as sent (an explicit offset -> naive UTC)."""
        v = self._iso(value, path, what)
        if v is None:
            return None
        if not isinstance(v, datetime):
            return datetime.combine(v, time())
        if v.tzinfo is not None:
            return v.astimezone(UTC).replace(tzinfo=None)
        return v

    def _date(self, value: str | None, path: str, what: str, *, birth: bool = False) -> date | None:
        if not value:
            return None
        v = value.strip()
        if len(v) == 7:
            try:
                return _ssr.ddmmmyy(v, past_of=self._today() if birth else None)
            except ParseProblem as exc:
                self.warn(path, f"{what}: {exc}; not kept")
                return None
        d = self._iso(v, path, what)
        return d.date() if isinstance(d, datetime) else d

    def _local_time(
        self, f: FlightSegment, value: str | None, airport: str | None, path: str, arrival: bool
    ) -> None:
        what = "ArrivalDateTime" if arrival else "DepartureDateTime"
        if not value:
            return
        v = self._iso(value, path, what)
        if v is None:
            return
        utc: datetime | None = None
        if isinstance(v, datetime):
            d, t = v.date(), v.time().replace(tzinfo=None)
            if v.tzinfo is not None:
                utc = v.astimezone(UTC)
            elif airport:
                utc = to_utc(v, airport)
                if utc is None and airport not in self.unknown_airports:
                    self.unknown_airports.add(airport)
                    self.warn(path, f"unknown airport {airport!r}: UTC time not computed")
        else:
            d, t = v, None
        if arrival:
            f.arrival_date, f.arrival_time, f.arrival_utc = d, t, utc
        else:
            f.departure_date, f.departure_time, f.departure_utc = d, t, utc

    # ------------------------------------------------------------------ header

    def _originator(self, el: ET.Element) -> Originator:
        return Originator(
            airline=_v(el, "AirlineCode", "AirlineVendorID"),
            system_company=_v(el, "SystemCode"),
            location=_v(el, "AirportCode", "CityCode"),
        )

    def _flight(self, el: ET.Element, path: str) -> FlightSegment:
        f = FlightSegment(
            origin=_code(el, "DepartureAirport") or _v(el, "DepartureAirportCode"),
            destination=_code(el, "ArrivalAirport") or _v(el, "ArrivalAirportCode"),
            marketing_carrier=_code(el, "MarketingAirline") or _v(el, "CarrierCode"),
            operating_carrier=_code(el, "OperatingAirline"),
            flight_number=_v(el, "FlightNumber"),
            booking_class=_v(el, "ResBookDesigCode", "BookingClass"),
            party_size=_v(el, "NumberInParty"),
            status=_v(el, "Status"),
        )
        mkt = _child(el, "MarketingAirline")
        if f.flight_number is None and mkt is not None:
            f.flight_number = mkt.get("FlightNumber")
        op = _child(el, "OperatingAirline")
        if op is not None:
            num = op.get("FlightNumber")
            if num and (num != f.flight_number or f.operating_carrier != f.marketing_carrier):
                f.operating_flight_number = num
            if f.operating_carrier is None and num:
                self.warn(path, "OperatingAirline without a Code; carrier unknown")
        equip = _child(el, "Equipment")
        if equip is not None:
            f.equipment = _v(equip, "AirEquipType") or _text(equip)
        self._local_time(f, _v(el, "DepartureDateTime"), f.origin, path, arrival=False)
        self._local_time(f, _v(el, "ArrivalDateTime"), f.destination, path, arrival=True)
        if f.origin is None or f.destination is None:
            self.warn(path, "flight without DepartureAirport or ArrivalAirport")
        return f

    # ------------------------------------------------------------------ PNR

    def _pnr(self, el: ET.Element, path: str) -> Pnr:
        self._unknown(el, "PNR", path)
        pnr = Pnr()
        created = _v(el, "PNR_CreationDate", "CreationDate")
        trans = _v(el, "PNR_TransDate", "TransDate")
        created_at = self._stamp(created, path, "PNR_CreationDate") if created else None
        if trans:
            pnr.last_modified = self._stamp(trans, path, "PNR_TransDate")
            if pnr.last_modified is not None and self.today is None and self.anchor is None:
                self.anchor = pnr.last_modified.date()
        if created_at and pnr.last_modified and pnr.last_modified < created_at:
            self.warn(path, "PNR_TransDate is before PNR_CreationDate; both kept as sent")
        for i, ref in enumerate(_children(el, "BookingRefID"), 1):
            loc = self._locator(ref)
            if i == 1:
                loc.created = created_at
            pnr.locators.append(loc)
        if not pnr.locators:
            self.warn(path, "PNR without BookingRefID: the record locator is unknown")
            if created_at is not None:
                pnr.locators.append(RecordLocator(created=created_at))
        pos = _child(el, "POS")
        if pos is not None:
            pnr.originator = self._pos(pos)
        for c in _children(el, "ContactInfo"):
            self._contact_info(c, pnr.contacts, pnr.addresses, None)
        for bag in _children(el, "PrepaidBag"):
            pnr.excess_baggage.append(self._bag(bag))
        for i, s in enumerate(_children(el, "SSR"), 1):
            ssr = self._ssr(s, f"{path}/SSR[{i}]")
            if ssr is None:
                continue
            if ssr.code in _CONTACT_SSR and ssr.text:
                pnr.contacts.append(self._ssr_contact(ssr))
            else:
                pnr.ssrs.append(ssr)
        for r in _children(el, "Remark") + _children(el, "OtherServiceInfo"):
            t = _v(r, "Text") or _text(r)
            if t:
                pnr.remarks.append(Remark(info_type="28", carrier=_code(r, "Airline"), lines=[t]))
        for i, p in enumerate(_children(el, "Passenger"), 1):
            pnr.travellers.append(self._passenger(p, f"{path}/Passenger[{i}]"))
        declared = _v(el, "NumberOfPassengers")
        if declared is not None and declared.isdigit() and int(declared) != len(pnr.travellers):
            self.warn(path, f"declared {declared} passengers, counted {len(pnr.travellers)}")
        for i, fl in enumerate(_children(el, "Flight"), 1):
            pnr.itinerary.append(self._segment(fl, pnr, f"{path}/Flight[{i}]"))
        return pnr

    def _locator(self, el: ET.Element) -> RecordLocator:
        return RecordLocator(
            system=_code(el, "CompanyName") or _v(el, "CompanyShortName"),
            locator=_v(el, "ID"),
            control_type=_v(el, "Type"),
        )

    def _pos(self, pos: ET.Element) -> Originator:
        src = _child(pos, "Source")
        if src is None:
            src = pos
        req = _child(src, "RequestorID")
        chan = _child(src, "BookingChannel")
        return Originator(
            airline=_v(src, "AirlineVendorID"),
            location=_v(src, "AirportCode"),
            agency_id=_v(req, "ID") if req is not None else _v(src, "ISOAgencyCode"),
            office_id=_v(src, "PseudoCityCode"),
            system_company=_code(chan, "CompanyName") if chan is not None else None,
            originator_type=_v(chan, "Type") if chan is not None else None,
            country=_v(src, "ISOCountry"),
            currency=_v(src, "ISOCurrency"),
            agent_sign=_v(src, "AgentSine"),
            duty_code=_v(src, "AgentDutyCode"),
        )

    def _address(self, el: ET.Element) -> PnrAddress:
        country = _child(el, "CountryName")
        return PnrAddress(
            purpose=_v(el, "Type", "UseType"),
            address=Address(
                street=_v(el, "AddressLine", "StreetNmbr", "Street"),
                city=_v(el, "CityName", "City"),
                region=_v(el, "StateProv", "State"),
                postcode=_v(el, "PostalCode"),
                country=(_v(country, "Code") or _text(country)) if country is not None else None,
            ),
        )

    def _contact_info(
        self,
        el: ET.Element,
        contacts: list[Contact],
        addresses: list[PnrAddress],
        ref: str | None,
    ) -> None:
        for c in el:
            name = _local(c.tag)
            if name in ("Email", "EmailAddress"):
                v = _v(c, "EmailAddress") or _text(c)
                if v:
                    contacts.append(
                        Contact(
                            kind="email",
                            value=_ssr.decode_email(v) if "@" not in v else v,
                            source="ContactInfo",
                            traveller_ref=ref,
                        )
                    )
            elif name in ("Telephone", "PhoneNumber", "Phone"):
                v = _v(c, "PhoneNumber", "Number") or _text(c)
                use = (_v(c, "PhoneUseType", "PhoneLocationType", "Type") or "").upper()[:1]
                if v:
                    contacts.append(
                        Contact(
                            kind=CONTACT_KINDS.get(use, "phone"),
                            value=v,
                            source="ContactInfo",
                            traveller_ref=ref,
                        )
                    )
            elif name == "Address":
                addresses.append(self._address(c))
        if el.get("EmailAddress"):
            contacts.append(
                Contact(kind="email", value=el.get("EmailAddress", ""), source="ContactInfo")
            )
        if el.get("PhoneNumber"):
            contacts.append(
                Contact(kind="phone", value=el.get("PhoneNumber", ""), source="ContactInfo")
            )

    def _bag(self, el: ET.Element) -> ExcessBaggage:
        return ExcessBaggage(
            currency=_v(el, "CurrencyCode"),
            amount=_v(el, "Amount"),
            quantity=_v(el, "BagPieces", "Quantity", "UnitOfMeasureQuantity"),
            weight=_v(el, "Weight", "BagWeight"),
            unit=_v(el, "UnitOfMeasure", "UnitOfMeasureCode"),
        )

    # ------------------------------------------------------------------ SSR

    def _ssr(self, el: ET.Element, path: str) -> Ssr | None:
        code = _v(el, "SSRCode", "Code")
        if code is None:
            self.warn(path, "SSR without SSRCode; skipped")
            return None
        ref = _v(el, "RPH", "TravelerRPH", "PassengerRPH")
        seat = _v(el, "SeatNumber", "Seat")
        text = _v(el, "Text", "FreeText")
        if seat is None and code.upper() in ("SEAT", "NSST", "SMST", "RQST") and text:
            m = _SEAT.match(text)
            seat = m.group(1) if m else None
        refs = [SsrRef(seat=seat, traveller_ref=ref)] if (seat or ref) else []
        return Ssr(
            code=code.upper(),
            status=_v(el, "Status"),
            quantity=_v(el, "ServiceQuantity"),
            carrier=_code(el, "Airline") or _code(el, "FlightInfo"),
            board=_v(el, "BoardPoint"),
            off=_v(el, "OffPoint"),
            text=text,
            refs=refs,
        )

    def _ssr_contact(self, s: Ssr) -> Contact:
        kind = CONTACT_KINDS[s.code[3]]
        text = (s.text or "").strip()
        return Contact(
            kind=kind,
            value=_ssr.decode_email(text) if kind == "email" else text,
            source=f"SSR {s.code}",
            carrier=s.carrier,
            traveller_ref=s.refs[0].traveller_ref if s.refs else None,
        )

    def _traveller_ssr(self, t: PnrTraveller, s: Ssr, path: str) -> None:
        ref = s.refs[0].traveller_ref if s.refs else t.ref
        if s.code == "DOCS" and s.text:
            info, notes = _ssr.parse_docs(s.text, today=self._today())
            info.status, info.carrier, info.traveller_ref = s.status, s.carrier, ref
            _merge_docs(t, info)
        elif s.code == "DOCO" and s.text:
            doco, notes = _ssr.parse_doco(s.text)
            doco.status, doco.carrier, doco.traveller_ref = s.status, s.carrier, ref
            t.doco.append(doco)
        elif s.code == "DOCA" and s.text:
            doca, notes = _ssr.parse_doca(s.text)
            doca.status, doca.carrier, doca.traveller_ref = s.status, s.carrier, ref
            t.doca.append(doca)
        elif s.code == "FQTV" and s.text:
            t.frequent_flyer.append(
                FrequentFlyer(carrier=s.carrier, number=s.text.strip(), source="SSR FQTV")
            )
            return
        elif s.code in _CONTACT_SSR and s.text:
            t.contacts.append(self._ssr_contact(s))
            return
        else:
            t.ssrs.append(s)
            return
        for note in notes:
            self.warn(path, note)

    def _doc_ssr(self, t: PnrTraveller, el: ET.Element, path: str) -> None:
        status = _v(el, "Status")
        carrier = _code(el, "FlightInfo") or _code(el, "Airline")
        ref = _v(el, "RPH") or t.ref
        found = False
        for c in el:
            kind = _local(c.tag)
            if kind not in ("DOCS", "DOCO", "DOCA"):
                continue
            found = True
            text = (c.text or "").strip() or _v(c, "Text")
            if text:
                self._traveller_ssr(
                    t,
                    Ssr(
                        code=kind,
                        status=status,
                        carrier=carrier,
                        text=text,
                        refs=[SsrRef(traveller_ref=ref)],
                    ),
                    f"{path}/{kind}",
                )
                continue
            if kind == "DOCS":
                _merge_docs(t, self._docs_attrs(c, f"{path}/DOCS", status, carrier, ref))
            elif kind == "DOCO":
                t.doco.append(self._doco_attrs(c, f"{path}/DOCO", status, carrier, ref))
            else:
                t.doca.append(self._doca_attrs(c, status, carrier, ref))
        if not found:
            text = _v(el, "Text")
            code = (_v(el, "SSRCode") or "").upper()
            if text and code in ("DOCS", "DOCO", "DOCA"):
                self._traveller_ssr(
                    t,
                    Ssr(
                        code=code,
                        status=status,
                        carrier=carrier,
                        text=text,
                        refs=[SsrRef(traveller_ref=ref)],
                    ),
                    path,
                )
            else:
                self.warn(path, "DOC_SSR without DOCS, DOCO or DOCA; skipped")

    def _docs_attrs(
        self, el: ET.Element, path: str, status: str | None, carrier: str | None, ref: str | None
    ) -> DocsInfo:
        return DocsInfo(
            doc_type=_v(el, "DocType", "DocumentType"),
            issuing_state=_v(el, "DocIssueCountry", "IssuingCountry", "DocIssueStateProv"),
            number=_v(el, "DocID", "DocNumber", "DocumentNumber"),
            nationality=_v(el, "PaxNationality", "Nationality"),
            date_of_birth=self._date(
                _v(el, "DateOfBirth", "BirthDate"), path, "DateOfBirth", birth=True
            ),
            gender=_v(el, "Gender"),
            expiry=self._date(_v(el, "ExpireDate", "ExpiryDate", "DocExpireDate"), path, "expiry"),
            surname=_v(el, "Surname"),
            given_names=_v(el, "FirstGivenName", "GivenName"),
            middle_names=_v(el, "SecondGivenName", "MiddleName"),
            holder=_v(el, "DocHolderInd", "PrimaryDocHolderInd"),
            status=status,
            carrier=carrier,
            traveller_ref=ref,
        )

    def _doco_attrs(
        self, el: ET.Element, path: str, status: str | None, carrier: str | None, ref: str | None
    ) -> DocoInfo:
        return DocoInfo(
            birth_place=_v(el, "BirthPlace", "PlaceOfBirth"),
            doc_type=_v(el, "TravelDocType", "DocType"),
            number=_v(el, "DocID", "DocNumber", "VisaNumber"),
            issue_place=_v(el, "PlaceOfIssue", "IssuePlace"),
            issued=self._date(_v(el, "DateOfIssue", "IssueDate"), path, "DateOfIssue"),
            applicable_country=_v(el, "CountryOfApplicability", "ApplicableCountry"),
            infant=_bool(_v(el, "InfantInd")),
            status=status,
            carrier=carrier,
            traveller_ref=ref,
        )

    def _doca_attrs(
        self, el: ET.Element, status: str | None, carrier: str | None, ref: str | None
    ) -> DocaInfo:
        return DocaInfo(
            address_type=_v(el, "AddressType", "Type"),
            address=Address(
                street=_v(el, "Address", "AddressLine", "Street"),
                city=_v(el, "CityName", "City"),
                region=_v(el, "StateProv", "State"),
                postcode=_v(el, "PostalCode"),
                country=_v(el, "Country", "CountryCode", "CountryName"),
            ),
            infant=_bool(_v(el, "InfantInd")),
            status=status,
            carrier=carrier,
            traveller_ref=ref,
        )

    # ------------------------------------------------------------------ passenger

    def _passenger(self, el: ET.Element, path: str) -> PnrTraveller:
        self._unknown(el, "Passenger", path)
        name = _child(el, "PersonName")
        if name is None:
            name = el
        surname = _v(name, "Surname")
        if surname is None:
            raise MessageStructureError(
                "Passenger without Surname (PNRGOV: every traveller has a surname)", tag=path
            )
        ptype = _v(el, "PassengerTypeCode", "PaxType")
        t = PnrTraveller(
            surname=surname,
            given_names=_v(name, "GivenName"),
            traveller_type=_PAX_TYPES.get((ptype or "").upper(), ptype),
            ref=_v(el, "RPH"),
            unique_ref=_v(el, "SurnameRefNumber"),
            with_infant="1" if _bool(el.get("AccompaniedByInfantInd")) else None,
        )
        for c in _children(el, "CustLoyalty"):
            t.frequent_flyer.append(
                FrequentFlyer(
                    carrier=_v(c, "ProgramID", "Airline"),
                    number=_v(c, "MembershipID") or _text(c),
                    tier=_v(c, "LoyalLevel", "TierLevel"),
                    source="CustLoyalty",
                )
            )
        for c in _children(el, "ExcessBaggage"):
            t.excess_baggage.append(self._bag(c))
        for c in _children(el, "ContactInfo"):
            self._contact_info(c, t.contacts, t.addresses, t.ref)
        for i, c in enumerate(_children(el, "SSR"), 1):
            s = self._ssr(c, f"{path}/SSR[{i}]")
            if s is not None:
                self._traveller_ssr(t, s, f"{path}/SSR[{i}]")
        for i, c in enumerate(_children(el, "DOC_SSR"), 1):
            self._doc_ssr(t, c, f"{path}/DOC_SSR[{i}]")
        for i, c in enumerate(_children(el, "TicketDocument"), 1):
            t.tickets.append(self._ticket(c, f"{path}/TicketDocument[{i}]"))
        loose = _children(el, "PaymentInfo")
        if loose:
            self.warn(path, "PaymentInfo outside TicketDocument; kept on a ticket without number")
            tk = Ticket(payments=[self._payment(p) for p in loose])
            t.tickets.append(tk)
        return t

    def _ticket(self, el: ET.Element, path: str) -> Ticket:
        tk = Ticket(
            number=_v(el, "TicketDocumentNbr", "TicketDocumentNumber", "TicketNumber"),
            doc_type=_v(el, "Type", "TicketingStatus"),
            booklets=_v(el, "NumberOfBooklets"),
        )
        issued = _v(el, "DateOfIssue", "IssueDate", "TicketIssueDate")
        if issued:
            tk.issued = self._stamp(issued, path, "DateOfIssue")
        scopes = [el, *_children(el, "PricingInfo")]
        for scope in scopes:
            for name, qual in (("BaseFare", "B"), ("EquivFare", "E"), ("TotalFare", "T")):
                for c in _children(scope, name):
                    tk.amounts.append(
                        MonetaryAmount(
                            qualifier=qual,
                            amount=_v(c, "Amount") or _text(c),
                            currency=_v(c, "CurrencyCode"),
                        )
                    )
            for taxes in _children(scope, "Taxes"):
                for c in _children(taxes, "Tax"):
                    tk.taxes.append(
                        Tax(
                            amount=_v(c, "Amount"),
                            currency=_v(c, "CurrencyCode"),
                            code=_v(c, "TaxCode", "Code"),
                            detail=_v(c, "CountryCode", "TaxType"),
                        )
                    )
            for c in _children(scope, "PaymentInfo"):
                tk.payments.append(self._payment(c))
        return tk

    def _payment(self, el: ET.Element) -> Payment:
        card = _child(el, "PaymentCard")
        p = Payment(
            fop_type=_v(el, "PaymentType", "Type"),
            amount=_v(el, "PaymentAmount", "Amount"),
        )
        if card is not None:
            p.card_type = _v(card, "CardType", "CardCode", "VendorCode")
            p.card_number = _v(card, "CardNumber", "MaskedCardNumber")
            p.card_expiry = _v(card, "ExpireDate", "ExpiryDate")
            holder = _v(card, "CardHolderName")
            if holder:
                p.payer = Remark(qualifier="4", info_type="43", lines=[holder])
            addr = _child(card, "Address")
            if addr is not None:
                p.billing_address = self._address(addr)
        if p.fop_type is None and card is not None:
            p.fop_type = "CC"
        addr = _child(el, "Address")
        if addr is not None and p.billing_address is None:
            p.billing_address = self._address(addr)
        return p

    # ------------------------------------------------------------------ flight

    def _segment(self, el: ET.Element, pnr: Pnr, path: str) -> FlightSegment:
        self._unknown(el, "Flight", path)
        f = self._flight(el, path)
        by_ref = {t.ref: t for t in pnr.travellers if t.ref}
        for i, c in enumerate(_children(el, "SSR"), 1):
            spath = f"{path}/SSR[{i}]"
            s = self._ssr(c, spath)
            if s is None:
                continue
            ref = s.refs[0].traveller_ref if s.refs else None
            if s.code in ("DOCS", "DOCO", "DOCA") and s.text and ref in by_ref:
                self.warn(
                    spath,
                    f"SSR {s.code} under Flight; read as passenger RPH {ref}'s document data",
                )
                self._traveller_ssr(by_ref[ref], s, spath)
                continue
            if s.code in ("DOCS", "DOCO", "DOCA") and ref is not None and ref not in by_ref:
                self.warn(spath, f"SSR {s.code} for RPH {ref}, which no Passenger has")
            f.ssrs.append(s)
        for rid in _children(el, "BookingRefID"):
            f.locators.append(self._locator(rid))
        return f


def _merge_docs(t: PnrTraveller, new: DocsInfo) -> None:
    """Fill a compatible DOCS already on the traveller (the structured DOC_SSR and the free
    text of the same document often both arrive), else add ``new``."""
    names = [
        f.name for f in fields(DocsInfo) if f.name not in ("status", "carrier", "traveller_ref")
    ]
    for old in t.docs:
        if all(
            getattr(old, n) is None or getattr(new, n) is None or getattr(old, n) == getattr(new, n)
            for n in names
        ):
            for n in (*names, "status", "carrier", "traveller_ref"):
                if getattr(old, n) is None:
                    setattr(old, n, getattr(new, n))
            return
    t.docs.append(new)


def _parse(data: bytes) -> ET.Element:
    if len(data) > MAX_BYTES:
        raise MessageStructureError(f"{len(data)} bytes is more than the {MAX_BYTES} allowed")
    head = bytes(data[:4])
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        start = bytes(data[:256]).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not start.startswith(b"<"):
            raise UnknownMessageType("the data does not start with '<': not an XML message")
    try:
        return SafeET.fromstring(bytes(data), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise MessageStructureError(
            f"refused: {type(exc).__name__} ({exc}); DOCTYPE, entity declarations and "
            "external references are not allowed in a PNRGOV XML message"
        ) from None
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        where = f"line {line} column {col}" if line is not None else None
        raise MessageStructureError(f"not well-formed XML ({exc})", tag=where) from None
    except (ValueError, LookupError, UnicodeError) as exc:
        raise MessageStructureError(f"not readable XML ({type(exc).__name__}: {exc})") from None


def read(data: bytes, *, today: date | None = None) -> list[PnrPush]:
    """Every PNRGOV XML message in ``data`` (one :class:`PnrPush` per envelope).

    ``today`` anchors two-digit birth years in DOCS (default: the envelope ``TimeStamp``,
    else the first ``PNR_TransDate``, else today). Raises
    :class:`~piu.errors.FormatError` subclasses and nothing else on any bytes.
    """
    root = _parse(data)
    return _Reader(today).run(root)
