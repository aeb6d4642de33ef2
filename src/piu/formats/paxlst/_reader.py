"""PAXLST segments -> :class:`~piu.domain.travel.PassengerList`, one per UNH..UNT message.

Why a hand-written state machine: PAXLST is a flat run of segments whose meaning depends on
the group they fall in (a LOC is a flight stop in Gr3, a traveller's port in Gr4 and a
document's issuing state in Gr5), and airlines bend the order. One pass with an explicit
"zone" reads every known variant in linear time and can say exactly where a message breaks.

Message structure (PAXLST MIG v3.0, D02B/D05B; later directories read the same way)::

    UNA? UNB UNG?
      UNH BGM RFF? DTM*                                   header
      Gr1  NAD+MS CTA? COM?                               reporting party
      Gr2  TDT+20|34 DTM?                                 flight
        Gr3  LOC+125|87|92|130 DTM+189|232*               stops with local times
      Gr4  NAD+FL|FM|DDU|DDT ATT DTM MEA GEI FTX LOC COM EMP NAT RFF   traveller
        Gr5  DOC DTM+36|182 GEI LOC+91 CPI QTY            travel document
      CNT+41|42
      UNT
    UNE? UNZ

What is an error (:class:`~piu.errors.MessageStructureError`): a missing UNH, BGM or UNT,
no TDT in a passenger or crew list, a traveller without surname, a document without
number, an impossible date, a segment in a zone where it cannot be (a DOC before any
traveller, a TDT after the travellers). What is a warning (a string on the list, starting
with the segment position): control counts that disagree (UNT, CNT, UNE, UNZ), unknown
segments or qualifiers (skipped), unknown airports (UTC left empty), decoding fallbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from piu.domain.travel import (
    Address,
    BagInfo,
    Flight,
    ListKind,
    PassengerList,
    ReportingParty,
    Stop,
    TravelDocument,
    Traveller,
    TravellerRole,
)
from piu.errors import MessageStructureError, UnknownMessageType
from piu.formats.edifact import Decoded, Limits, Segment
from piu.formats.edifact._envelope import check_end
from piu.formats.edifact._tokenizer import _tokenize_decoded, gc_paused
from piu.formats.paxlst import _rules
from piu.formats.paxlst._rules import DateRuleError
from piu.reference.airports import to_utc

__all__ = ["read"]

# Zones: where in the message the reader is.
_OUTSIDE = -1  # between messages
_EXPECT_BGM = 0  # right after UNH
_HEADER = 1  # after BGM: RFF, DTM
_GR1 = 2  # reporting party
_GR2 = 3  # flights and their stops
_GR4 = 4  # traveller
_GR5 = 5  # traveller's document
_TRAILER = 6  # after CNT
_IN_TRAVELLER = frozenset((_GR4, _GR5))

_ZONE_NAMES = {
    _OUTSIDE: "outside a message (before UNH or after UNT)",
    _EXPECT_BGM: "before BGM (BGM must follow UNH)",
    _HEADER: "in the message header",
    _GR1: "in the reporting party group (Gr1)",
    _GR2: "in a flight group (Gr2/Gr3)",
    _GR4: "in a traveller group (Gr4)",
    _GR5: "in a document group (Gr5)",
    _TRAILER: "after the control totals (CNT)",
}

# RFF qualifiers kept in their own Traveller field (PAXLST MIG v3.0 Gr4 RFF, D05B).
_RFF_FIELDS = {
    "AVF": "record_locator",
    "ABO": "passenger_ref",
    "SEA": "seat",
    "YZY": "ticket",
    "CR": "customer_ref",
}
_PASSENGER_ROLES = (TravellerRole.PASSENGER, TravellerRole.TRANSIT_PASSENGER)
# Segments the MIG allows that PIU does not keep (Gr1 CTA contact name; Gr4 GEI processing
# indicator, EMP crew employment; Gr5 CPI, QTY): skipped without a warning.
_KNOWN_NOT_KEPT = ("CTA", "GEI", "EMP", "CPI", "QTY")


def _err(seg: Segment, reason: str, element: int | None = None) -> MessageStructureError:
    return MessageStructureError(
        reason, segment_index=seg.index, tag=seg.tag, element=element, offset=seg.offset
    )


def _comps(seg: Segment, element: int) -> list[str]:
    els = seg.elements
    return els[element - 1] if len(els) >= element else []


def _c(comps: list[str], component: int) -> str | None:
    return (comps[component - 1] or None) if len(comps) >= component else None


class _Reader:
    def __init__(self, decoded: Decoded) -> None:
        self.decoded = decoded
        self.lists: list[PassengerList] = []
        # interchange envelope
        self.unb_seen = False
        self.unz_seen = False
        self.env_warnings: list[str] = []
        self.interchange_ref: str | None = None
        self.sender: str | None = None
        self.recipient: str | None = None
        self.prepared_at: datetime | None = None
        self.syntax: str | None = None
        self.decimal = "."
        self.messages_in_interchange = 0
        self.groups_in_interchange = 0
        self.group_open = False
        self.group_ref: str | None = None
        self.messages_in_group = 0
        # current message
        self.zone = _OUTSIDE
        self.msg: PassengerList | None = None
        self.unh: Segment | None = None
        self.reference: date = _rules.reference_date(None)
        self.flight: Flight | None = None
        self.stop: Stop | None = None
        self.party: ReportingParty | None = None  # the message's reporting party
        self.party_target: ReportingParty | None = None  # where Gr1 COM goes (None: skip)
        self.trav: Traveller | None = None
        self.doc: TravelDocument | None = None
        self.cnt_seg: dict[str, Segment] = {}  # CNT qualifier -> the segment giving it
        self.unknown_airports: set[str] = set()
        self.handlers: dict[str, Callable[[Segment], None]] = {
            "UNA": self._una,
            "UNB": self._unb,
            "UNG": self._ung,
            "UNH": self._unh,
            "BGM": self._bgm,
            "RFF": self._rff,
            "DTM": self._dtm,
            "NAD": self._nad,
            "COM": self._com,
            "TDT": self._tdt,
            "LOC": self._loc,
            "ATT": self._att,
            "MEA": self._mea,
            "FTX": self._ftx,
            "NAT": self._nat,
            "DOC": self._doc,
            "CNT": self._cnt,
            "UNT": self._unt,
            "UNE": self._une,
            "UNZ": self._unz,
        }
        for tag in _KNOWN_NOT_KEPT:
            self.handlers[tag] = self._not_kept

    # ------------------------------------------------------------------ driver

    def run(self, segments: list[Segment]) -> list[PassengerList]:
        handlers = self.handlers
        unknown = self._unknown
        for seg in segments:
            handlers.get(seg.tag, unknown)(seg)
        return self._finish(segments)

    def _finish(self, segments: list[Segment]) -> list[PassengerList]:
        warning = check_end(
            segments,
            kind="PAXLST",
            open_ref=self.msg.message_ref if self.msg is not None else None,
            unh=self.unh,
            found=len(self.lists),
            unb_seen=self.unb_seen,
            unz_seen=self.unz_seen,
        )
        if warning:
            self.lists[-1].warnings.append(warning)
        return self.lists

    def _warn(self, seg: Segment, text: str) -> None:
        target = self.msg.warnings if self.msg is not None else self.env_warnings
        target.append(f"segment {seg.index} {seg.tag}: {text}")

    def _misplaced(self, seg: Segment, what: str) -> MessageStructureError:
        return _err(seg, f"{what} cannot be {_ZONE_NAMES[self.zone]}")

    def _unclosed(self, seg: Segment) -> MessageStructureError:
        ref = self.msg.message_ref if self.msg else None
        start = self.unh.index if self.unh else None
        return _err(
            seg, f"message {ref!r} (UNH at segment {start}) has no UNT before this {seg.tag}"
        )

    def _unknown(self, seg: Segment) -> None:
        """A tag PAXLST does not define: an error outside a message, else skipped."""
        if self.zone in (_OUTSIDE, _EXPECT_BGM):
            raise self._misplaced(seg, f"segment {seg.tag}")
        self._warn(seg, f"unknown segment {_ZONE_NAMES[self.zone]}; skipped")

    def _not_kept(self, seg: Segment) -> None:
        if self.zone in (_OUTSIDE, _EXPECT_BGM):
            raise self._misplaced(seg, seg.tag)

    # ------------------------------------------------------------------ envelope

    def _una(self, seg: Segment) -> None:
        if seg.index != 1:
            raise _err(seg, "UNA can only be the first segment")
        self.decimal = seg.elements[0][0][2]

    def _unb(self, seg: Segment) -> None:
        """UNB interchange header (ISO 9735 / PAXLST MIG v3.0 section 4.1)."""
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        if self.unb_seen and not self.unz_seen:
            self._warn_last(seg, "new interchange without the UNZ of the previous one")
        self.unb_seen, self.unz_seen = True, False
        self.env_warnings = []
        self.messages_in_interchange = self.groups_in_interchange = 0
        syntax = _comps(seg, 1)
        if not syntax or not syntax[0]:
            raise _err(seg, "UNB has no syntax identifier (UNOA, UNOC, UNOW...)", 1)
        self.syntax = ":".join(c for c in syntax[:2] if c)
        self.sender = seg.get(2)
        self.recipient = seg.get(3)
        self.interchange_ref = seg.get(5)
        self.prepared_at = None
        day = seg.get(4, 1)
        if day:
            try:
                self.prepared_at = _rules.unb_datetime(day, seg.get(4, 2))
            except DateRuleError as exc:
                self._warn(seg, f"{exc}; preparation time not kept")
        if self.decoded.note:
            self._warn(seg, self.decoded.note)

    def _ung(self, seg: Segment) -> None:
        """UNG functional group header (optional)."""
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        if self.group_open:
            self._warn(seg, "new functional group without the UNE of the previous one")
        self.group_open = True
        self.group_ref = seg.get(5)
        self.messages_in_group = 0
        self.groups_in_interchange += 1

    def _une(self, seg: Segment) -> None:
        """UNE+count+ref closes a functional group; the count is of messages."""
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        if not self.group_open:
            self._warn(seg, "UNE without UNG")
        declared = seg.get(1)
        if declared != str(self.messages_in_group):
            self._warn_last(
                seg, f"declared {declared} messages in the group, counted {self.messages_in_group}"
            )
        if seg.get(2) != self.group_ref:
            self._warn_last(
                seg, f"group reference {seg.get(2)!r} differs from UNG {self.group_ref!r}"
            )
        self.group_open = False

    def _unz(self, seg: Segment) -> None:
        """UNZ+count+ref: counts groups when UNG was used, else messages (ISO 9735)."""
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        if self.group_open:
            self._warn_last(seg, "functional group has no UNE")
            self.group_open = False
        counted = self.groups_in_interchange or self.messages_in_interchange
        what = "groups" if self.groups_in_interchange else "messages"
        declared = seg.get(1)
        if declared != str(counted):
            self._warn_last(seg, f"declared {declared} {what}, counted {counted}")
        if seg.get(2) != self.interchange_ref:
            self._warn_last(
                seg,
                f"interchange reference {seg.get(2)!r} differs from UNB {self.interchange_ref!r}",
            )
        self.unz_seen = True

    def _warn_last(self, seg: Segment, text: str) -> None:
        line = f"segment {seg.index} {seg.tag}: {text}"
        (self.lists[-1].warnings if self.lists else self.env_warnings).append(line)

    # ------------------------------------------------------------------ message header

    def _unh(self, seg: Segment) -> None:
        """UNH message header: 0062 reference, S009 PAXLST:D:05B:UN:IATA."""
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        mtype = _comps(seg, 2)
        name = _c(mtype, 1)
        if name != "PAXLST":
            raise UnknownMessageType(
                f"message type {name!r} is not PAXLST",
                segment_index=seg.index,
                tag="UNH",
                element=2,
                offset=seg.offset,
            )
        directory = (_c(mtype, 2) or "") + (_c(mtype, 3) or "")
        if not directory:
            raise _err(seg, "UNH has no directory version and release (e.g. D:05B)", 2)
        if not seg.get(1):
            raise _err(seg, "UNH has no message reference number (element 1)", 1)
        if not self.unb_seen:
            raise _err(seg, "no UNB interchange header before the message")
        self.msg = PassengerList(
            message_ref=seg.get(1),
            interchange_ref=self.interchange_ref,
            sender=self.sender,
            recipient=self.recipient,
            prepared_at=self.prepared_at,
            syntax=self.syntax,
            directory=directory,
            warnings=list(self.env_warnings),
        )
        self.reference = _rules.reference_date(self.prepared_at)
        self.unh = seg
        self.zone = _EXPECT_BGM
        self.flight = self.stop = None
        self.party = self.party_target = None
        self.trav = self.doc = None
        self.cnt_seg = {}
        self.unknown_airports = set()

    def _bgm(self, seg: Segment) -> None:
        """BGM: 1001 document code (745, 250, 266, 336...) and sub-code in element 2."""
        if self.zone != _EXPECT_BGM or self.msg is None:
            raise self._misplaced(seg, "BGM")
        code = seg.get(1)
        if not code:
            raise _err(seg, "BGM has no document name code (745, 250, 266...)", 1)
        sub = seg.get(2)
        msg = self.msg
        msg.document_code = code
        msg.document_subcode = sub
        msg.kind = _rules.kind_for(code)
        msg.status = _rules.status_for(code, sub)
        self.zone = _HEADER

    def _rff(self, seg: Segment) -> None:
        """RFF: TN in the header; AVF, ABO, SEA, YZY, CR and others in Gr4."""
        zone = self.zone
        els = seg.elements
        comps = els[0] if els else []
        qual = comps[0] if comps else ""
        value = (comps[1] or None) if len(comps) > 1 else None
        if zone in _IN_TRAVELLER:
            t = self.trav
            if t is None:
                return
            if not qual or value is None:
                self._warn(seg, "reference without qualifier or value; skipped")
                return
            attr = _RFF_FIELDS.get(qual)
            if attr is not None:
                if getattr(t, attr) is not None:
                    self._warn(seg, f"second RFF+{qual} for this traveller; the last one is kept")
                setattr(t, attr, value)
            else:
                if qual in t.other_refs:
                    self._warn(seg, f"second RFF+{qual} for this traveller; the last one is kept")
                t.other_refs[qual] = value
            return
        if zone == _HEADER and qual == "TN":
            if self.msg is not None:
                self.msg.transaction_ref = value
            return
        if zone in (_HEADER, _GR1, _GR2):
            self._warn(seg, f"reference {qual!r} {_ZONE_NAMES[zone]} not kept")
            return
        raise self._misplaced(seg, "RFF")

    # ------------------------------------------------------------------ Gr1

    def _nad(self, seg: Segment) -> None:
        """NAD: MS reporting party (Gr1) or a traveller (Gr4)."""
        zone = self.zone
        els = seg.elements
        qual = (els[0][0] or None) if els else None
        if zone in (_OUTSIDE, _EXPECT_BGM, _TRAILER):
            raise self._misplaced(seg, f"NAD+{qual}")
        if qual == "MS":
            if zone > _GR1:
                raise _err(
                    seg,
                    "NAD+MS (reporting party, Gr1) cannot come after the flight or traveller "
                    "groups",
                    1,
                )
            if self.party is not None:
                self._warn(seg, "second reporting party not kept")
                self.party_target = None
                self.zone = _GR1
                return
            party = ReportingParty(name=seg.get(4))
            assert self.msg is not None
            self.msg.reporting_party = self.party = self.party_target = party
            self.zone = _GR1
            return
        role = _rules.ROLE_BY_QUALIFIER.get(qual or "")
        self.zone = _GR4
        self.doc = None
        if role is None:
            self.trav = None
            self._warn(
                seg,
                f"party qualifier {qual!r} is not a traveller (FL, FM, DDU, DDT); this group "
                "is skipped",
            )
            return
        name = els[3] if len(els) > 3 else []
        surname = name[0] if name else ""
        if not surname.strip():
            raise _err(seg, f"NAD+{qual} has no surname (element 4, component 1)", 4)
        n = len(name)
        given = (name[1] or None) if n > 1 else None
        middle = (name[2] or None) if n == 3 else (" ".join(c for c in name[2:] if c) or None)
        address = None
        if len(els) > 4:
            street = " ".join(c for c in _comps(seg, 5) if c) or None
            region_comps = _comps(seg, 7)
            region = _c(region_comps, 1) or _c(region_comps, 4)
            city, postcode, country = seg.get(6), seg.get(8), seg.get(9)
            if street or city or region or postcode or country:
                address = Address(
                    street=street, city=city, region=region, postcode=postcode, country=country
                )
        trav = Traveller(
            role=role,
            surname=surname,
            given_names=given,
            middle_names=middle,
            address=address,
            segment_index=seg.index,
            offset=seg.offset,
        )
        assert self.msg is not None
        self.msg.travellers.append(trav)
        self.trav = trav

    def _com(self, seg: Segment) -> None:
        """COM: number:qualifier composites (TE phone, FX fax, EM e-mail)."""
        zone = self.zone
        if zone == _GR1:
            party = self.party_target
            if party is None:
                return
            for comps in seg.elements:
                number, qual = _c(comps, 1), _c(comps, 2)
                if number is None:
                    continue
                field = {"TE": "phone", "FX": "fax", "EM": "email"}.get(qual or "")
                if field is None:
                    self._warn(seg, f"reporting party contact qualifier {qual!r} not kept")
                    continue
                if getattr(party, field) is not None:
                    self._warn(seg, f"second {field} of the reporting party; the last is kept")
                setattr(party, field, number)
            return
        if zone in (_GR4, _GR5):
            t = self.trav
            if t is None:
                return
            for comps in seg.elements:
                number, qual = _c(comps, 1), _c(comps, 2)
                if number is None or qual is None:
                    self._warn(seg, "contact without number or qualifier; skipped")
                    continue
                if qual in t.contacts:
                    self._warn(seg, f"second contact {qual} for this traveller; the last is kept")
                t.contacts[qual] = number
            return
        if zone in (_HEADER, _GR2):
            self._warn(seg, f"contact {_ZONE_NAMES[zone]} not kept")
            return
        raise self._misplaced(seg, "COM")

    # ------------------------------------------------------------------ Gr2 / Gr3

    def _tdt(self, seg: Segment) -> None:
        """TDT+20 (or 34 overflight) +flight id+++carrier (C040, element 5)."""
        zone = self.zone
        if zone not in (_HEADER, _GR1, _GR2):
            if zone in (_GR4, _GR5):
                raise _err(
                    seg,
                    "TDT after the travellers: flight groups (Gr2) must come before traveller "
                    "groups (Gr4)",
                )
            raise self._misplaced(seg, "TDT")
        qual = seg.get(1)
        if qual not in ("20", "34"):
            self._warn(seg, f"transport stage qualifier {qual!r} (expected 20 or 34); read as 20")
        flight_id = seg.get(2)
        if flight_id is None or not flight_id.strip():
            raise _err(seg, "TDT has no flight identifier (element 2)", 2)
        carrier, number = _rules.split_flight(flight_id, seg.get(5))
        flight = Flight(
            flight_id=flight_id, carrier=carrier, number=number, overflight=qual == "34"
        )
        assert self.msg is not None
        self.msg.flights.append(flight)
        self.flight = flight
        self.stop = None
        self.zone = _GR2

    def _stop_time(self, seg: Segment, comps: list[str]) -> None:
        qual = _c(comps, 1)
        stop = self.stop
        if stop is None:
            self._warn(seg, "date/time before any LOC in the flight group; not kept")
            return
        if qual not in ("189", "232"):
            self._warn(seg, f"date/time qualifier {qual!r} in a flight group not kept")
            return
        value = _c(comps, 2)
        if value is None:
            raise _err(seg, f"DTM+{qual} has no date/time value", 1)
        try:
            local = _rules.stop_time(value)
        except DateRuleError as exc:
            raise _err(seg, str(exc), 1) from None
        utc = to_utc(local, stop.airport)
        if utc is None and stop.airport not in self.unknown_airports:
            self.unknown_airports.add(stop.airport)
            self._warn(
                seg,
                f"airport {stop.airport!r} is unknown: its time zone is not known, the time "
                "is kept as local only",
            )
        if qual == "189":
            stop.departure_local, stop.departure_utc = local, utc
        else:
            stop.arrival_local, stop.arrival_utc = local, utc

    def _loc(self, seg: Segment) -> None:
        """LOC: a stop in Gr3, a traveller's place in Gr4, the issuing state in Gr5."""
        zone = self.zone
        els = seg.elements
        qual = (els[0][0] or None) if els else None
        if zone == _GR2:
            if not qual:
                raise _err(seg, "LOC has no location function qualifier (element 1)", 1)
            airport = seg.get(2)
            if airport is None or not airport.strip():
                raise _err(seg, f"LOC+{qual} in a flight group has no airport (element 2)", 2)
            stop = Stop(airport=airport, qualifier=qual)
            assert self.flight is not None
            self.flight.stops.append(stop)
            self.stop = stop
            return
        place = els[1] if len(els) > 1 else []
        value = (place[0] or None) if place else None
        if zone == _GR5 and qual == "91":
            if self.doc is not None:
                self.doc.issuing_state = value
            return
        if zone in _IN_TRAVELLER:
            t = self.trav
            if t is None:
                return
            if qual == "178":
                t.embarkation = value
            elif qual == "179":
                t.debarkation = value
            elif qual == "174":
                t.residence_country = value
            elif qual == "180":
                t.birth_place = value or _c(place, 4)
            elif qual and value is not None:
                t.other_locations[qual] = value
            else:
                self._warn(seg, "location without qualifier or value; skipped")
            return
        raise self._misplaced(seg, f"LOC+{qual}")

    # ------------------------------------------------------------------ DTM

    def _dtm(self, seg: Segment) -> None:
        """DTM: 189/232 stop times (Gr3), 329 birth (Gr4), 36/182 document dates (Gr5)."""
        zone = self.zone
        els = seg.elements
        comps = els[0] if els else []
        if zone == _GR2:
            self._stop_time(seg, comps)
            return
        if zone in _IN_TRAVELLER:
            t = self.trav
            if t is None:
                return
            qual = comps[0] if comps else None
            value = (comps[1] or None) if len(comps) > 1 else None
            if qual not in ("329", "36", "182"):
                self._warn(seg, f"date qualifier {qual!r} not kept")
                return
            if value is None:
                self._warn(seg, f"DTM+{qual} without a date; skipped")
                return
            try:
                if qual == "329":
                    t.date_of_birth = _rules.dob(value, self.reference)
                    return
                doc = self.doc
                if doc is None:
                    self._warn(seg, f"document date DTM+{qual} before any DOC; not kept")
                    return
                if qual == "36":
                    doc.expiry = _rules.doc_date(value)
                else:
                    doc.issued = _rules.issue_date(value, self.reference)
            except DateRuleError as exc:
                raise _err(seg, str(exc), 1) from None
            return
        if zone in (_HEADER, _GR1):
            self._warn(seg, f"date {_ZONE_NAMES[zone]} not kept")
            return
        raise self._misplaced(seg, "DTM")

    # ------------------------------------------------------------------ Gr4

    def _traveller(self, seg: Segment, what: str) -> Traveller | None:
        """The traveller a Gr4 segment belongs to; ``None`` inside a skipped group."""
        zone = self.zone
        if zone not in _IN_TRAVELLER:
            raise self._misplaced(seg, what)
        return self.trav

    def _att(self, seg: Segment) -> None:
        """ATT+2++M: gender (attribute function 2, value in C956 element 3)."""
        t = self._traveller(seg, "ATT")
        if t is None:
            return
        els = seg.elements
        if not els or els[0][0] != "2":
            self._warn(seg, f"attribute {seg.get(1)!r} not kept")
            return
        t.gender = (els[2][0] or None) if len(els) > 2 else None

    def _nat(self, seg: Segment) -> None:
        """NAT+2+ISO3: nationality."""
        t = self._traveller(seg, "NAT")
        if t is None:
            return
        els = seg.elements
        if els and els[0][0] not in ("2", ""):
            self._warn(seg, f"nationality qualifier {els[0][0]!r} not kept")
            return
        t.nationality = (els[1][0] or None) if len(els) > 1 else None

    def _mea(self, seg: Segment) -> None:
        """MEA+CT++n bag count, MEA+WT++KGM:n weight (D05B Gr4; value in element 3)."""
        zone = self.zone
        if zone not in _IN_TRAVELLER:
            raise self._misplaced(seg, "MEA")
        t = self.trav
        if t is None:
            return
        els = seg.elements
        qual = els[0][0] if els else ""
        comps = els[2] if len(els) > 2 else [""]
        try:
            if qual == "CT":
                # seen as MEA+CT++1 (value alone) and MEA+CT++PCE:1 (unit, value)
                value = comps[1] if len(comps) > 1 else comps[0]
                if not value:
                    self._warn(seg, "bag count without value; skipped")
                    return
                count = _rules.parse_count(value, self.decimal)  # may refuse: no empty bags
                bags = t.bags
                if bags is None:
                    bags = t.bags = BagInfo()
                bags.count = count
            elif qual == "WT":
                if len(comps) > 1:
                    unit, value = comps[0] or None, comps[1]
                else:
                    unit, value = None, comps[0]
                if not value:
                    self._warn(seg, "bag weight without value; skipped")
                    return
                weight = _rules.parse_number(value, self.decimal)  # may refuse, see above
                bags = t.bags
                if bags is None:
                    bags = t.bags = BagInfo()
                bags.weight = weight
                bags.weight_unit = unit
            else:
                self._warn(seg, f"measurement {qual!r} not kept")
        except DateRuleError as exc:
            self._warn(seg, f"{exc}; skipped")

    def _ftx(self, seg: Segment) -> None:
        """FTX+BAG+++first:count bag tags (C108 in element 4)."""
        t = self._traveller(seg, "FTX")
        if t is None:
            return
        els = seg.elements
        if els[0][0] != "BAG":
            self._warn(seg, f"free text {els[0][0]!r} not kept")
            return
        text = els[3] if len(els) > 3 else [""]
        first = text[0]
        if not first:
            self._warn(seg, "bag tag text is empty; skipped")
            return
        bags = t.bags
        if bags is None:
            bags = t.bags = BagInfo()
        if len(text) == 1:
            bags.tags.append(first)
            return
        tags, problem = _rules.expand_tags(first, text[1])
        if problem:
            self._warn(seg, problem)
        bags.tags.extend(tags)

    # ------------------------------------------------------------------ Gr5

    def _doc(self, seg: Segment) -> None:
        """DOC+type+number: C002 type (P, V, I...; may be empty), C503 number."""
        t = self._traveller(seg, "DOC")
        self.zone = _GR5
        if t is None:
            self.doc = None
            return
        els = seg.elements
        number = els[1][0] if len(els) > 1 else ""
        if not number:
            raise _err(seg, "DOC has no document number (element 2)", 2)
        doc = TravelDocument(number=number, doc_type=els[0][0] or None)
        t.documents.append(doc)
        self.doc = doc

    # ------------------------------------------------------------------ trailer

    def _cnt(self, seg: Segment) -> None:
        """CNT+42:n passengers, CNT+41:n crew (control totals)."""
        if self.zone in (_OUTSIDE, _EXPECT_BGM):
            raise self._misplaced(seg, "CNT")
        msg = self.msg
        assert msg is not None
        for comps in seg.elements:
            qual, value = _c(comps, 1), _c(comps, 2)
            if qual not in ("41", "42"):
                self._warn(seg, f"control total {qual!r} not kept")
                continue
            if value is None or not (value.isascii() and value.isdigit()):
                self._warn(seg, f"control total {qual} value {value!r} is not a number")
                continue
            if qual == "42":
                msg.declared_passengers = int(value)
            else:
                msg.declared_crew = int(value)
            self.cnt_seg[qual] = seg
        self.zone = _TRAILER

    def _unt(self, seg: Segment) -> None:
        """UNT+count+ref: closes the message; counts UNH..UNT inclusive."""
        msg, unh = self.msg, self.unh
        if self.zone == _OUTSIDE or msg is None or unh is None:
            raise _err(seg, "UNT without UNH")
        if self.zone == _EXPECT_BGM:
            raise _err(seg, "message has no BGM (PAXLST MIG v3.0: BGM is mandatory)")
        if msg.kind in (ListKind.PASSENGERS, ListKind.CREW) and not msg.flights:
            raise _err(
                seg,
                f"list BGM {msg.document_code} has no TDT flight segment (Gr2 is mandatory)",
            )
        counted = seg.index - unh.index + 1
        declared = seg.get(1)
        if declared != str(counted):
            self._warn(seg, f"declared {declared} segments, counted {counted}")
        if seg.get(2) != msg.message_ref:
            self._warn(
                seg, f"message reference {seg.get(2)!r} differs from UNH {msg.message_ref!r}"
            )
        if self.cnt_seg:
            pax = sum(1 for t in msg.travellers if t.role in _PASSENGER_ROLES)
            crew = len(msg.travellers) - pax
            declared_pax = msg.declared_passengers
            if declared_pax is not None and declared_pax != pax:
                self._warn(
                    self.cnt_seg["42"], f"declared {declared_pax} passengers (CNT+42), read {pax}"
                )
            if msg.declared_crew is not None and msg.declared_crew != crew:
                self._warn(
                    self.cnt_seg["41"], f"declared {msg.declared_crew} crew (CNT+41), read {crew}"
                )
        self.lists.append(msg)
        self.messages_in_interchange += 1
        self.messages_in_group += 1
        self.msg = None
        self.unh = None
        self.zone = _OUTSIDE


def read(data: bytes, *, limits: Limits = Limits.DEFAULT) -> list[PassengerList]:
    """Every PAXLST message in an interchange, in order.

    Raises :class:`~piu.errors.FormatError` (syntax or structure, with the position) and
    nothing else on any input.
    """
    with gc_paused():
        segments, decoded = _tokenize_decoded(data, limits, shared=True)
        lists = _Reader(decoded).run(segments)
        del segments  # freed before the collector resumes, so it need not scan them
    return lists
