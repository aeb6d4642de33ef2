"""PNRGOV segments -> :class:`~piu.domain.booking.PnrPush`, one per UNH..UNT message.

Why a zone machine like the PAXLST reader: the meaning of TVL, DAT, ORG, EQN, RCI, MSG,
IFT, SSR and TIF depends on the group they fall in, and airlines bend the order (GTAS,
whose grammar was strict, failed 7% of real PNRs: its issue #801). One pass with an
explicit zone reads every variant in linear time and can say exactly where a message breaks.

Message structure (PNRGOV EDIFACT Implementation Guide 13.1; 10.1, 11.1, 14.1 and 15.1
read the same; later versions are read with the same table)::

    UNA? UNB UNG?
      UNH MSG ORG TVL(level 0) EQN                                    header
      Gr1  SRC RCI SSR* DAT IFT* ORG ADD* EBD*                         one PNR
        Gr2  TIF FTI IFT* REF EBD FAR SSR* ADD*                        traveller
          Gr3  TKT MON PTK TXD* DAT                                   ticket
            Gr4  FOP IFT ADD                                          payment
        Gr5  TVL TRA RPI APD SSR* RCI IFT*                             flight segment
          Gr6  DAT ORG                                                 check-in
            Gr7  TRI TIF SSD TBD                                      checked-in traveller
        Gr8  EQN RCI                                                   split PNR
        Gr9  MSG TVL*                                                  non-air segment
        Gr10 ABI DAT                                                   history credit
          Gr11 SAC TIF SSR IFT TBD                                    history item
            Gr12 TVL RPI                                              historical flight
        LTS*                                                           history text
      UNT
    UNE? UNZ

What is an error (:class:`~piu.errors.MessageStructureError`): no UNH or UNT, a message
that is not PNRGOV, PNR data before the first SRC, a TIF in Gr2 without surname. Everything
else a sender gets wrong becomes a warning on the push (``"segment N TAG: ..."``) and the
value is left out: control counts (UNT, EQN, UNE, UNZ), missing MSG/ORG/TVL header
segments, segments out of their group (read where they can be placed, else skipped),
unknown segments, impossible dates, unknown airports (UTC left empty), field-shifted
DOCS, text after the interchange trailer.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from piu.domain.booking import (
    BagDetail,
    BagTag,
    CheckIn,
    CheckInEntry,
    Contact,
    ExcessBaggage,
    Fare,
    FlightSegment,
    FrequentFlyer,
    HistoryEntry,
    HistoryItem,
    MonetaryAmount,
    NonAirSegment,
    Originator,
    Payment,
    Pnr,
    PnrAddress,
    PnrPush,
    PnrTraveller,
    Pricing,
    RecordLocator,
    Remark,
    SplitPnr,
    Ssr,
    SsrRef,
    Tax,
    Ticket,
)
from piu.domain.travel import Address
from piu.errors import MessageStructureError, UnknownMessageType
from piu.formats.edifact import Decoded, Limits, Segment
from piu.formats.edifact._envelope import check_end
from piu.formats.edifact._tokenizer import _tokenize_decoded, gc_paused
from piu.formats.pnrgov import _ssr
from piu.formats.pnrgov._ssr import CONTACT_KINDS, ParseProblem
from piu.reference.airports import to_utc

__all__ = ["Provenance", "read", "read_with_provenance"]

# Zones
_OUTSIDE, _HEADER, _GR1, _GR2, _GR3, _GR4, _GR5, _GR6, _GR7 = range(9)
_GR8, _GR9, _GR10, _GR11, _GR12, _LTS = range(9, 15)
_ZONE_NAMES = {
    _OUTSIDE: "outside a message",
    _HEADER: "in the message header (before the first SRC)",
    _GR1: "in a PNR (Gr1)",
    _GR2: "in a traveller (Gr2)",
    _GR3: "in a ticket (Gr3)",
    _GR4: "in a form of payment (Gr4)",
    _GR5: "in a flight segment (Gr5)",
    _GR6: "in a check-in block (Gr6)",
    _GR7: "in a checked-in traveller (Gr7)",
    _GR8: "in a split PNR (Gr8)",
    _GR9: "in a non-air segment (Gr9)",
    _GR10: "in a history credit (Gr10)",
    _GR11: "in a history item (Gr11)",
    _GR12: "in a historical flight (Gr12)",
    _LTS: "in the history text (LTS)",
}
_IN_TRAVELLER = frozenset((_GR2, _GR3, _GR4))
_IN_SEGMENT = frozenset((_GR5, _GR6, _GR7))
_IN_HISTORY = frozenset((_GR10, _GR11, _GR12))
# SSR codes parsed into traveller fields (Gr2).
_CONTACT_SSR = {f"CTC{k}" for k in CONTACT_KINDS}
_PNR_TAGS = frozenset(
    {"RCI", "SSR", "DAT", "IFT", "ADD", "EBD", "TIF", "FTI", "REF", "FAR", "TKT", "MON"}
    | {"PTK", "TXD", "FOP", "TRA", "RPI", "APD", "TRI", "SSD", "TBD", "ABI", "SAC", "LTS"}
)


def _err(seg: Segment, reason: str, element: int | None = None) -> MessageStructureError:
    return MessageStructureError(
        reason, segment_index=seg.index, tag=seg.tag, element=element, offset=seg.offset
    )


def _el(seg: Segment, n: int) -> list[str]:
    els = seg.elements
    return els[n - 1] if len(els) >= n else []


def _c(comps: list[str], n: int) -> str | None:
    if len(comps) >= n:
        v = comps[n - 1]
        return v or None
    return None


def _text(comps: list[str]) -> str:
    return ":".join(comps)


class _Reader:
    def __init__(self, decoded: Decoded, today: date | None) -> None:
        self.decoded = decoded
        self.today = today
        self.pushes: list[PnrPush] = []
        self.unb_seen = self.unz_seen = False
        self.env_warnings: list[str] = []
        self.interchange_ref: str | None = None
        self.sender: str | None = None
        self.recipient: str | None = None
        self.prepared_at: datetime | None = None
        self.messages = self.groups = self.group_messages = 0
        self.group_open = False
        self.group_ref: str | None = None
        self.zone = _OUTSIDE
        self.push: PnrPush | None = None
        self.unh: Segment | None = None
        self.pnr: Pnr | None = None
        self.trav: PnrTraveller | None = None
        self.ticket: Ticket | None = None
        self.payment: Payment | None = None
        self.seg: FlightSegment | None = None
        self.checkin: CheckIn | None = None
        self.entry: CheckInEntry | None = None
        self.split: SplitPnr | None = None
        self.nonair: NonAirSegment | None = None
        self.hist: HistoryEntry | None = None
        self.item: HistoryItem | None = None
        self.unknown_airports: set[str] = set()
        # provenance for redaction: id(domain object) -> segment indexes it was read from,
        # and the segments skipped; only recorded when ``prov`` is a dict
        self.prov: dict[int, list[int]] | None = None
        self.skipped: list[int] = []
        self.lts: dict[int, list[int]] = {}
        self._alive: list[object] = []  # keeps ids in ``prov`` unique
        self.handlers: dict[str, Callable[[Segment], None]] = {
            "UNA": self._ignore,
            "UNB": self._unb,
            "UNG": self._ung,
            "UNH": self._unh,
            "UNT": self._unt,
            "UNE": self._une,
            "UNZ": self._unz,
            "MSG": self._msg,
            "ORG": self._org,
            "TVL": self._tvl,
            "EQN": self._eqn,
            "SRC": self._src,
            "RCI": self._rci,
            "SSR": self._ssr,
            "DAT": self._dat,
            "IFT": self._ift,
            "ADD": self._add,
            "EBD": self._ebd,
            "TIF": self._tif,
            "FTI": self._fti,
            "REF": self._ref,
            "FAR": self._far,
            "TKT": self._tkt,
            "MON": self._mon,
            "PTK": self._ptk,
            "TXD": self._txd,
            "FOP": self._fop,
            "TRA": self._tra,
            "RPI": self._rpi,
            "APD": self._apd,
            "TRI": self._tri,
            "SSD": self._ssd,
            "TBD": self._tbd,
            "ABI": self._abi,
            "SAC": self._sac,
            "LTS": self._lts,
        }

    # ------------------------------------------------------------------ driver

    def run(self, segments: list[Segment]) -> list[PnrPush]:
        handlers = self.handlers
        unknown = self._unknown
        for seg in segments:
            handlers.get(seg.tag, unknown)(seg)
        warning = check_end(
            segments,
            kind="PNRGOV",
            open_ref=self.push.message_ref if self.push is not None else None,
            unh=self.unh,
            found=len(self.pushes),
            unb_seen=self.unb_seen,
            unz_seen=self.unz_seen,
        )
        if warning:
            self.pushes[-1].warnings.append(warning)
        return self.pushes

    def _warn(self, seg: Segment, text: str) -> None:
        target = self.push.warnings if self.push is not None else self.env_warnings
        target.append(f"segment {seg.index} {seg.tag}: {text}")

    def _warn_last(self, seg: Segment, text: str) -> None:
        line = f"segment {seg.index} {seg.tag}: {text}"
        (self.pushes[-1].warnings if self.pushes else self.env_warnings).append(line)

    def _mark(self, obj: object, seg: Segment) -> None:
        prov = self.prov
        if prov is not None:
            prov.setdefault(id(obj), []).append(seg.index)
            self._alive.append(obj)

    def _misplaced(self, seg: Segment) -> None:
        """A known segment where the guide does not allow it: skipped with a warning,
        except before the first SRC where PNR data has no PNR to belong to."""
        self.skipped.append(seg.index)
        if self.zone == _HEADER and seg.tag in _PNR_TAGS:
            raise _err(
                seg,
                f"{seg.tag} before the first SRC: PNR data must follow SRC (PNRGOV IG 13.1 Gr1)",
            )
        if self.zone == _OUTSIDE:
            raise _err(seg, f"{seg.tag} outside a message (before UNH or after UNT)")
        self._warn(seg, f"{seg.tag} cannot be {_ZONE_NAMES[self.zone]}; skipped")

    def _unknown(self, seg: Segment) -> None:
        self.skipped.append(seg.index)
        if self.zone == _OUTSIDE:
            raise _err(seg, f"segment {seg.tag} outside a message (before UNH or after UNT)")
        self._warn(seg, f"unknown segment {_ZONE_NAMES[self.zone]}; skipped")

    def _ignore(self, seg: Segment) -> None:
        if seg.index != 1:
            raise _err(seg, "UNA can only be the first segment")

    def _dt(self, seg: Segment, day: str | None, clock: str | None, what: str) -> datetime | None:
        try:
            return _ssr.datetime_of(day, clock)
        except ParseProblem as exc:
            self._warn(seg, f"{what}: {exc}; not kept")
            return None

    def _today(self) -> date:
        if self.today is not None:
            return self.today
        if self.prepared_at is not None:
            return self.prepared_at.date()
        return date.today()

    # ------------------------------------------------------------------ envelope

    def _unb(self, seg: Segment) -> None:
        """UNB interchange header (ISO 9735; PNRGOV IG 13.1 uses syntax id ``IATA:1``)."""
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        if self.unb_seen and not self.unz_seen:
            self._warn_last(seg, "new interchange without the UNZ of the previous one")
        self.unb_seen, self.unz_seen = True, False
        self.env_warnings = []
        self.messages = self.groups = 0
        self.sender = seg.get(2)
        self.recipient = seg.get(3)
        self.interchange_ref = seg.get(5)
        self.prepared_at = None
        day, clock = seg.get(4, 1), seg.get(4, 2)
        if day:
            try:
                d = date(2000 + int(day[:2]), int(day[2:4]), int(day[4:6]))
                if len(day) != 6:
                    raise ValueError
                self.prepared_at = datetime.combine(d, _ssr.hhmm(clock) if clock else time())
            except (ValueError, ParseProblem):
                self._warn(seg, f"preparation date {day!r} {clock!r} is not YYMMDD:HHMM; not kept")
        if self.decoded.note:
            self._warn(seg, self.decoded.note)

    def _unclosed(self, seg: Segment) -> MessageStructureError:
        ref = self.push.message_ref if self.push else None
        start = self.unh.index if self.unh else None
        return _err(
            seg, f"message {ref!r} (UNH at segment {start}) has no UNT before this {seg.tag}"
        )

    def _ung(self, seg: Segment) -> None:
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        if self.group_open:
            self._warn(seg, "new functional group without the UNE of the previous one")
        self.group_open = True
        self.group_ref = seg.get(5)
        self.group_messages = 0
        self.groups += 1

    def _une(self, seg: Segment) -> None:
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        if not self.group_open:
            self._warn_last(seg, "UNE without UNG")
        if seg.get(1) != str(self.group_messages):
            self._warn_last(
                seg, f"declared {seg.get(1)} messages in the group, counted {self.group_messages}"
            )
        if seg.get(2) != self.group_ref:
            self._warn_last(seg, "group reference differs from UNG")
        self.group_open = False

    def _unz(self, seg: Segment) -> None:
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        if self.group_open:
            self._warn_last(seg, "functional group has no UNE")
            self.group_open = False
        counted = self.groups or self.messages
        what = "groups" if self.groups else "messages"
        if seg.get(1) != str(counted):
            self._warn_last(seg, f"declared {seg.get(1)} {what}, counted {counted}")
        ref = seg.get(2) or ""
        if ref != self.interchange_ref:
            head = ref.split(None, 1)[0] if ref.strip() else ref
            if self.interchange_ref and head == self.interchange_ref:
                self._warn_last(
                    seg,
                    f"{len(ref) - len(head)} characters of text follow the interchange "
                    "reference (text after the interchange trailer); ignored",
                )
            else:
                self._warn_last(seg, "interchange reference differs from UNB")
        self.unz_seen = True

    def _unh(self, seg: Segment) -> None:
        """UNH: 0062 reference, S009 PNRGOV:13:1:IA, 0068 common access reference,
        S010 sequence of transfers (number and C/F mark) when a push spans messages."""
        if self.zone != _OUTSIDE:
            raise self._unclosed(seg)
        mtype = _el(seg, 2)
        name = _c(mtype, 1)
        if name != "PNRGOV":
            raise UnknownMessageType(
                f"message type {name!r} is not PNRGOV",
                segment_index=seg.index,
                tag="UNH",
                element=2,
                offset=seg.offset,
            )
        if not self.unb_seen:
            raise _err(seg, "no UNB interchange header before the message")
        major, minor = _c(mtype, 2), _c(mtype, 3)
        version = f"{major}.{minor}" if major and minor else major
        push = PnrPush(
            message_ref=seg.get(1),
            interchange_ref=self.interchange_ref,
            sender=self.sender,
            recipient=self.recipient,
            prepared_at=self.prepared_at,
            version=version,
            common_access_ref=seg.get(3),
            sequence=seg.get(4, 1),
            sequence_mark=seg.get(4, 2),
            warnings=list(self.env_warnings),
        )
        self.push = push
        if not push.message_ref:
            self._warn(seg, "UNH has no message reference number")
        if version is None:
            self._warn(seg, "UNH names no PNRGOV version; read as 13.1")
        elif major is not None and major.isdigit() and not 10 <= int(major) <= 15:
            self._warn(seg, f"PNRGOV version {version} is outside 10.1-15.1; read as 15.1")
        self.unh = seg
        self.zone = _HEADER
        self.pnr = None
        self._reset_pnr()
        self.unknown_airports = set()

    def _reset_pnr(self) -> None:
        self.trav = None
        self.ticket = None
        self.payment = None
        self.seg = None
        self.checkin = None
        self.entry = None
        self.split = None
        self.nonair = None
        self.hist = None
        self.item = None

    def _unt(self, seg: Segment) -> None:
        if self.push is None or self.unh is None:
            raise _err(seg, "UNT without UNH")
        push = self.push
        counted = seg.index - self.unh.index + 1
        declared = seg.get(1)
        if declared != str(counted):
            self._warn(seg, f"declared {declared} segments in the message, counted {counted}")
        if seg.get(2) != push.message_ref:
            self._warn(
                seg,
                "UNT has no message reference"
                if not seg.get(2)
                else "message reference differs from UNH",
            )
        self._end_header_checks(seg)
        found = len(push.pnrs)
        if push.declared_pnrs is not None and push.declared_pnrs != found:
            if found < push.declared_pnrs and push.sequence_mark == "C":
                pass  # more messages of the same push follow; reconcile() checks the total
            else:
                self._warn(
                    seg,
                    f"declared {push.declared_pnrs} PNRs (EQN), found {found} in this message"
                    + (" (shortfall)" if found < push.declared_pnrs else ""),
                )
        self.pushes.append(push)
        self.messages += 1
        self.group_messages += 1
        self.push = None
        self.unh = None
        self.zone = _OUTSIDE

    def _end_header_checks(self, seg: Segment) -> None:
        push = self.push
        assert push is not None
        if getattr(self, "_header_checked", None) is push:
            return
        self._header_checked = push
        if push.push_type is None:
            self._warn(
                seg, "the message has no MSG segment (mandatory, IG 13.1); push type unknown"
            )
        if push.flight is None:
            self._warn(seg, "the message has no level-0 TVL: the reported flight is unknown")
        if push.originator is None:
            self._warn(seg, "the message has no level-0 ORG: the sender is unknown")

    # ------------------------------------------------------------------ header / groups

    def _msg(self, seg: Segment) -> None:
        """MSG: level 0 ``MSG+:22`` (full) or ``MSG+:141`` (update); in a PNR, Gr9
        ``MSG+8`` (hotel) etc. starts a non-air segment."""
        zone = self.zone
        if zone == _HEADER:
            assert self.push is not None
            if self.push.push_type is not None:
                self._warn(seg, "second MSG in the header; ignored")
                return
            code = seg.get(1, 2) or seg.get(1, 1)
            if code not in ("22", "141"):
                self._warn(seg, f"message function {code!r} is neither 22 (full) nor 141 (update)")
            self.push.push_type = code
        elif self.pnr is not None:
            self.nonair = NonAirSegment(kind=seg.get(1, 1) or seg.get(1, 2))
            self._mark(self.nonair, seg)
            self.pnr.non_air.append(self.nonair)
            self.zone = _GR9
        else:
            self._misplaced(seg)

    def _org_of(self, seg: Segment) -> Originator:
        e1, e2, e4, e6 = _el(seg, 1), _el(seg, 2), _el(seg, 4), _el(seg, 6)
        if len(seg.elements) > 9:
            self._warn(
                seg,
                f"ORG has {len(seg.elements)} elements, 9 defined; elements 10 on are not kept "
                "(a missing segment terminator?)",
            )
        return Originator(
            airline=_c(e1, 1),
            location=_c(e1, 2),
            agency_id=_c(e2, 1),
            office_id=_c(e2, 2),
            office_location=seg.get(3),
            system_company=_c(e4, 1),
            system_location=_c(e4, 2),
            originator_type=seg.get(5),
            country=_c(e6, 1),
            currency=_c(e6, 2),
            language=_c(e6, 3),
            agent_sign=seg.get(7),
            ersp=seg.get(8),
            duty_code=seg.get(9),
        )

    def _org(self, seg: Segment) -> None:
        zone = self.zone
        if zone == _HEADER:
            assert self.push is not None
            if self.push.originator is not None:
                self._warn(seg, "second ORG in the header; ignored")
                return
            self.push.originator = self._org_of(seg)
        elif zone == _GR1 and self.pnr is not None:
            if self.pnr.originator is not None:
                self._warn(seg, "second ORG in the PNR; ignored")
                return
            self.pnr.originator = self._org_of(seg)
        elif zone == _GR6 and self.checkin is not None:
            self.checkin.agent = self._org_of(seg)
        else:
            self._misplaced(seg)

    def _flight(self, seg: Segment) -> FlightSegment:
        """TVL C310 dates/times (local), board, off, carriers, flight number and class."""
        e1 = _el(seg, 1)
        f = FlightSegment(
            origin=seg.get(2),
            destination=seg.get(3),
            marketing_carrier=seg.get(4, 1),
            operating_carrier=seg.get(4, 2),
            flight_number=seg.get(5, 1),
            booking_class=seg.get(5, 2),
        )
        dd, dt, ad, at = _c(e1, 1), _c(e1, 2), _c(e1, 3), _c(e1, 4)
        if ad and len(ad) == 4 and ad.isdigit() and at is None:
            self._warn(
                seg,
                "arrival date is a 4-digit value and no arrival time follows: read as the "
                "arrival time on the departure date",
            )
            ad, at = None, ad
            if dd:
                ad = dd
        try:
            f.departure_date = _ssr.ddmmyy(dd) if dd else None
            f.departure_time = _ssr.hhmm(dt) if dt else None
        except ParseProblem as exc:
            self._warn(seg, f"departure: {exc}; not kept")
            f.departure_date = f.departure_time = None
        try:
            f.arrival_date = _ssr.ddmmyy(ad) if ad else None
            f.arrival_time = _ssr.hhmm(at) if at else None
        except ParseProblem as exc:
            self._warn(seg, f"arrival: {exc}; not kept")
            f.arrival_date = f.arrival_time = None
        if f.arrival_date is None and f.arrival_time is not None:
            f.arrival_date = f.departure_date
        f.departure_utc = self._utc(seg, f.departure_date, f.departure_time, f.origin)
        f.arrival_utc = self._utc(seg, f.arrival_date, f.arrival_time, f.destination)
        return f

    def _utc(
        self, seg: Segment, d: date | None, t: time | None, airport: str | None
    ) -> datetime | None:
        if d is None or t is None or not airport:
            return None
        utc = to_utc(datetime.combine(d, t), airport)
        if utc is None and airport not in self.unknown_airports:
            self.unknown_airports.add(airport)
            self._warn(seg, f"unknown airport {airport!r}: UTC time not computed")
        return utc

    def _tvl(self, seg: Segment) -> None:
        zone = self.zone
        if zone == _HEADER:
            assert self.push is not None
            if self.push.flight is not None:
                self._warn(seg, "second level-0 TVL in the header; ignored")
                return
            self.push.flight = self._flight(seg)
            return
        if self.pnr is None:
            self._misplaced(seg)
            return
        bare = not seg.get(1) and not seg.get(2) and not seg.get(3) and seg.get(5)
        if bare and zone in _IN_SEGMENT and self.seg is not None:
            # A TVL with only a flight number after a Gr5 TVL: the operating flight of a
            # code share (IG 13.1 Gr5 note; same meaning as TRA).
            if self.seg.operating_flight_number is not None:
                self._warn(seg, "second operating flight for the segment; ignored")
                return
            self.seg.operating_flight_number = seg.get(5, 1)
            self.seg.operating_class = seg.get(5, 2)
            if seg.get(4):
                self.seg.operating_carrier = seg.get(4, 1)
            return
        if zone == _GR9 and self.nonair is not None:
            self.nonair.details.append([list(e) for e in seg.elements])
            self._mark(self.nonair, seg)
            return
        if zone in (_GR11, _GR12) and self.item is not None:
            if self.item.flight is not None:
                self._warn(seg, "second TVL in a history item; skipped")
                return
            self.item.flight = self._flight(seg)
            self._mark(self.item, seg)
            self.zone = _GR12
            return
        if zone in (_GR10, _LTS, _GR8):
            self._warn(seg, f"flight TVL {_ZONE_NAMES[zone]}: read as a new itinerary segment")
        self._close_traveller()
        self.seg = self._flight(seg)
        self.pnr.itinerary.append(self.seg)
        self.checkin = self.entry = None
        self.zone = _GR5

    def _eqn(self, seg: Segment) -> None:
        zone = self.zone
        if zone == _HEADER:
            assert self.push is not None
            value = seg.get(1)
            try:
                self.push.declared_pnrs = int(value or "")
            except ValueError:
                self._warn(seg, f"EQN count {value!r} is not a number; not kept")
            return
        if self.pnr is None:
            self._misplaced(seg)
            return
        self.split = SplitPnr(count=seg.get(1))
        self.pnr.splits.append(self.split)
        self.zone = _GR8

    def _src(self, seg: Segment) -> None:
        if self.push is None:
            self._misplaced(seg)
            return
        if self.zone == _HEADER:
            self._end_header_checks(seg)
        self._reset_pnr()
        self.pnr = Pnr(segment_index=seg.index, offset=seg.offset)
        self.push.pnrs.append(self.pnr)
        self.zone = _GR1

    def _close_traveller(self) -> None:
        self.trav = self.ticket = self.payment = None

    # ------------------------------------------------------------------ Gr1 data

    def _locators(self, seg: Segment) -> list[RecordLocator]:
        out = []
        for comps in seg.elements:
            if not any(comps):
                continue
            system, loc, ctype, day, clock = (_c(comps, i) for i in range(1, 6))
            if ctype and len(ctype) == 6 and ctype.isdigit() and (clock is None or day is None):
                # RCI+UA:7C789A:230818:1220: the creation date sits one component early
                self._warn(seg, "RCI creation date/time one component early; read in place")
                ctype, day, clock = None, ctype, day
            out.append(
                RecordLocator(
                    system=system,
                    locator=loc,
                    control_type=ctype,
                    created=self._dt(seg, day, clock, "RCI creation date"),
                )
            )
        if not out:
            self._warn(seg, "RCI without any locator")
        return out

    def _rci(self, seg: Segment) -> None:
        zone = self.zone
        if zone == _GR1 and self.pnr is not None:
            self.pnr.locators.extend(self._locators(seg))
        elif zone in _IN_TRAVELLER and self.pnr is not None and not self.pnr.locators:
            self._warn(seg, "RCI after the travellers; read as the PNR's locators")
            self.pnr.locators.extend(self._locators(seg))
        elif zone == _GR5 and self.seg is not None:
            self.seg.locators.extend(self._locators(seg))
        elif zone == _GR8 and self.split is not None:
            self.split.locators.extend(self._locators(seg))
        else:
            self._misplaced(seg)

    def _ssr_of(self, seg: Segment) -> Ssr | None:
        e1 = _el(seg, 1)
        code = _c(e1, 1)
        if code is None:
            self._warn(seg, "SSR without a code; skipped")
            return None
        text = ":".join(e1[8:]) if len(e1) > 8 else None
        refs = []
        for comps in seg.elements[1:]:
            if not any(comps):
                continue
            refs.append(SsrRef(seat=_c(comps, 1), detail=_c(comps, 2), traveller_ref=_c(comps, 3)))
        return Ssr(
            code=code,
            status=_c(e1, 2),
            quantity=_c(e1, 3),
            carrier=_c(e1, 4),
            board=_c(e1, 7),
            off=_c(e1, 8),
            text=text or None,
            refs=refs,
        )

    def _ssr(self, seg: Segment) -> None:
        s = self._ssr_of(seg)
        if s is None:
            return
        self._mark(s, seg)
        zone = self.zone
        if zone == _GR1 and self.pnr is not None:
            if s.code in _CONTACT_SSR and s.text:
                self.pnr.contacts.append(self._ssr_contact(s))
            else:
                self.pnr.ssrs.append(s)
        elif zone in _IN_TRAVELLER and self.trav is not None:
            if zone != _GR2:
                self._warn(seg, f"SSR {_ZONE_NAMES[zone]}; read as the traveller's")
            self._traveller_ssr(seg, self.trav, s)
        elif zone in _IN_SEGMENT and self.seg is not None:
            if zone != _GR5:
                self._warn(seg, f"SSR {_ZONE_NAMES[zone]}; read as the flight segment's")
            self.seg.ssrs.append(s)
        elif zone in (_GR11, _GR12) and self.item is not None and self.item.ssr is None:
            self.item.ssr = s
            self._mark(self.item, seg)
        else:
            self._misplaced(seg)

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

    def _traveller_ssr(self, seg: Segment, t: PnrTraveller, s: Ssr) -> None:
        code = s.code
        ref = s.refs[0].traveller_ref if s.refs else None
        if code == "DOCS" and s.text:
            info, notes = _ssr.parse_docs(s.text, today=self._today())
            info.status, info.carrier, info.traveller_ref = s.status, s.carrier, ref
            t.docs.append(info)
        elif code == "DOCO" and s.text:
            doco, notes = _ssr.parse_doco(s.text)
            doco.status, doco.carrier, doco.traveller_ref = s.status, s.carrier, ref
            t.doco.append(doco)
        elif code == "DOCA" and s.text:
            doca, notes = _ssr.parse_doca(s.text)
            doca.status, doca.carrier, doca.traveller_ref = s.status, s.carrier, ref
            t.doca.append(doca)
        elif code == "FQTV" and s.text:
            t.frequent_flyer.append(
                FrequentFlyer(carrier=s.carrier, number=s.text.strip(), source="SSR FQTV")
            )
            return
        elif code in _CONTACT_SSR and s.text:
            t.contacts.append(self._ssr_contact(s))
            return
        else:
            t.ssrs.append(s)
            return
        for note in notes:
            self._warn(seg, note)

    def _dat(self, seg: Segment) -> None:
        zone = self.zone
        pairs = [(_c(e, 1), _c(e, 2), _c(e, 3)) for e in seg.elements]
        if zone == _GR1 and self.pnr is not None:
            for qual, day, clock in pairs:
                when = self._dt(seg, day, clock, f"DAT {qual}")
                if when is None:
                    continue
                if qual == "700":
                    self.pnr.last_modified = when
                elif qual == "710":
                    self.pnr.ticketed = when
                elif qual:
                    self.pnr.other_dates[qual] = when
                else:
                    self._warn(seg, "DAT without qualifier; skipped")
        elif zone in (_GR3, _GR4) and self.ticket is not None:
            qual, day, clock = pairs[0] if pairs else (None, None, None)
            if qual != "710":
                self._warn(seg, f"ticket DAT qualifier {qual!r} is not 710 (issue)")
            self.ticket.issued = self._dt(seg, day, clock, "ticket issue date")
        elif zone in _IN_SEGMENT and self.seg is not None:
            qual, day, clock = pairs[0] if pairs else (None, None, None)
            self.checkin = CheckIn(
                qualifier=qual, checked_in=self._dt(seg, day, clock, "check-in date")
            )
            self.seg.check_ins.append(self.checkin)
            self.entry = None
            self.zone = _GR6
        elif zone == _GR10 and self.hist is not None:
            qual, day, clock = pairs[0] if pairs else (None, None, None)
            self.hist.date_qualifier = qual
            self.hist.when = self._dt(seg, day, clock, "history date")
        else:
            self._misplaced(seg)

    def _remark_of(self, seg: Segment) -> Remark:
        e1 = _el(seg, 1)
        return Remark(
            qualifier=_c(e1, 1),
            info_type=_c(e1, 2),
            subcode=_c(e1, 3),
            carrier=_c(e1, 4),
            lines=[_text(e) for e in seg.elements[1:]],
        )

    def _osi_contact(self, r: Remark) -> Contact | None:
        if r.info_type != "28" or len(r.lines) != 1:
            return None
        return _ssr.osi_contact(r.lines[0], r.carrier)

    def _ift(self, seg: Segment) -> None:
        r = self._remark_of(seg)
        self._mark(r, seg)
        zone = self.zone
        if zone == _GR1 and self.pnr is not None:
            c = self._osi_contact(r)
            if c is not None:
                self.pnr.contacts.append(c)
            else:
                self.pnr.remarks.append(r)
        elif zone in (_GR2, _GR3) and self.trav is not None:
            if zone == _GR3:
                self._warn(seg, "IFT in a ticket (Gr3); read as the traveller's")
            c = self._osi_contact(r)
            if c is not None:
                self.trav.contacts.append(c)
            else:
                self.trav.remarks.append(r)
        elif zone == _GR4 and self.payment is not None:
            if self.payment.payer is not None:
                self._warn(seg, "second IFT in a form of payment; skipped")
                return
            self.payment.payer = r
        elif zone == _GR5 and self.seg is not None:
            self.seg.remarks.append(r)
        elif zone in (_GR11, _GR12) and self.item is not None and self.item.remark is None:
            self.item.remark = r
            self._mark(self.item, seg)
        else:
            self._misplaced(seg)

    def _address_of(self, seg: Segment) -> PnrAddress:
        e = _el(seg, 2)
        if not e and seg.get(1):
            e = _el(seg, 1)
            self._warn(seg, "ADD address in element 1 instead of 2; read in place")
        return PnrAddress(
            purpose=_c(e, 1),
            address=Address(
                street=_c(e, 2),
                city=_c(e, 3),
                region=_c(e, 4),
                country=_c(e, 6),
                postcode=_c(e, 7),
            ),
            county=_c(e, 5),
            phone=_c(e, 8),
        )

    def _add(self, seg: Segment) -> None:
        zone = self.zone
        if zone == _GR1 and self.pnr is not None:
            self.pnr.addresses.append(self._address_of(seg))
        elif zone in (_GR2, _GR3) and self.trav is not None:
            self.trav.addresses.append(self._address_of(seg))
        elif zone == _GR4 and self.payment is not None and self.payment.billing_address is None:
            self.payment.billing_address = self._address_of(seg)
        else:
            self._misplaced(seg)

    def _ebd_of(self, seg: Segment) -> ExcessBaggage:
        e1, e2 = _el(seg, 1), _el(seg, 2)
        return ExcessBaggage(
            currency=_c(e1, 1),
            amount=_c(e1, 2),
            quantity=_c(e2, 1),
            weight=_c(e2, 2),
            unit=_c(e2, 3),
        )

    def _ebd(self, seg: Segment) -> None:
        zone = self.zone
        if zone == _GR1 and self.pnr is not None:
            self.pnr.excess_baggage.append(self._ebd_of(seg))
        elif zone in _IN_TRAVELLER and self.trav is not None:
            self.trav.excess_baggage.append(self._ebd_of(seg))
        else:
            self._misplaced(seg)

    # ------------------------------------------------------------------ Gr2-Gr4

    def _tif_names(self, seg: Segment) -> tuple[str | None, str | None, str | None, str | None]:
        return seg.get(1, 1), seg.get(2, 1), seg.get(2, 2), seg.get(2, 3)

    def _tif(self, seg: Segment) -> None:
        zone = self.zone
        if zone in (_GR6, _GR7) and self.checkin is not None:
            if zone == _GR7 and self.entry is not None and self.entry.surname is None:
                entry = self.entry
            else:
                if zone == _GR6:
                    self._warn(seg, "TIF in a check-in block without TRI; read as a new entry")
                entry = CheckInEntry()
                self.checkin.entries.append(entry)
                self.entry = entry
                self.zone = _GR7
            entry.surname, entry.given_names, entry.traveller_type, entry.tif_ref = self._tif_names(
                seg
            )
            return
        if zone in (_GR11, _GR12) and self.item is not None and self.item.traveller is None:
            s, g, ty, ref = self._tif_names(seg)
            self.item.traveller = CheckInEntry(
                surname=s, given_names=g, traveller_type=ty, tif_ref=ref
            )
            self._mark(self.item, seg)
            return
        if self.pnr is None or zone not in (_GR1, _GR2, _GR3, _GR4):
            if self.pnr is not None and zone in (_GR5, _GR8, _GR9, _GR10, _LTS):
                self._warn(seg, f"traveller TIF {_ZONE_NAMES[zone]}; read as a new traveller")
            else:
                self._misplaced(seg)
                return
        surname = seg.get(1, 1)
        if not surname:
            raise _err(seg, "traveller (TIF) without surname", 1)
        e2 = _el(seg, 2)
        t = PnrTraveller(
            surname=surname,
            surname_qualifier=seg.get(1, 2),
            given_names=_c(e2, 1),
            traveller_type=_c(e2, 2),
            ref=_c(e2, 3),
            with_infant=_c(e2, 4),
            segment_index=seg.index,
            offset=seg.offset,
        )
        self.pnr.travellers.append(t)
        self.trav = t
        self.ticket = self.payment = None
        self.zone = _GR2

    def _fti(self, seg: Segment) -> None:
        if self.zone in _IN_TRAVELLER and self.trav is not None:
            for comps in seg.elements:
                if not any(comps):
                    continue
                tier = next((c for c in comps[2:] if c), None)
                self.trav.frequent_flyer.append(
                    FrequentFlyer(carrier=_c(comps, 1), number=_c(comps, 2), tier=tier)
                )
        else:
            self._misplaced(seg)

    def _ref(self, seg: Segment) -> None:
        if self.zone in _IN_TRAVELLER and self.trav is not None:
            self.trav.unique_ref = seg.get(1, 2) or seg.get(1, 1)
        else:
            self._misplaced(seg)

    def _far(self, seg: Segment) -> None:
        if self.zone in _IN_TRAVELLER and self.trav is not None:
            codes = [e[0] if e else "" for e in seg.elements[2:]]
            while codes and not codes[-1]:
                codes.pop()
            self.trav.fare = Fare(indicator=seg.get(1), age=seg.get(2), codes=codes)
        else:
            self._misplaced(seg)

    def _tkt(self, seg: Segment) -> None:
        if self.zone in _IN_TRAVELLER and self.trav is not None:
            e1 = _el(seg, 1)
            self.ticket = Ticket(number=_c(e1, 1), doc_type=_c(e1, 2), booklets=_c(e1, 3))
            self.trav.tickets.append(self.ticket)
            self.payment = None
            self.zone = _GR3
        else:
            self._misplaced(seg)

    def _mon(self, seg: Segment) -> None:
        if self.zone in (_GR3, _GR4) and self.ticket is not None:
            for comps in seg.elements:
                if not any(comps):
                    continue
                self.ticket.amounts.append(
                    MonetaryAmount(qualifier=comps[0], amount=_c(comps, 2), currency=_c(comps, 3))
                )
        else:
            self._misplaced(seg)

    def _ptk(self, seg: Segment) -> None:
        if self.zone in (_GR3, _GR4) and self.ticket is not None:
            self.ticket.pricing = Pricing(
                indicator=seg.get(1),
                issued=self._dt(seg, seg.get(3, 1), seg.get(3, 2), "PTK date"),
                carrier=seg.get(4),
                airline_code=seg.get(5),
                location=seg.get(6),
            )
        else:
            self._misplaced(seg)

    def _txd(self, seg: Segment) -> None:
        if self.zone in (_GR3, _GR4) and self.ticket is not None:
            for comps in seg.elements[1:]:
                if not any(comps):
                    continue
                self.ticket.taxes.append(
                    Tax(
                        amount=_c(comps, 1),
                        detail=_c(comps, 2),
                        currency=_c(comps, 3),
                        code=_c(comps, 4),
                    )
                )
        else:
            self._misplaced(seg)

    def _fop(self, seg: Segment) -> None:
        zone = self.zone
        if zone in _IN_TRAVELLER and self.trav is not None:
            if self.ticket is None:
                self._warn(seg, "FOP without TKT; read into a ticket without number")
                self.ticket = Ticket()
                self.trav.tickets.append(self.ticket)
            for comps in seg.elements:
                if not any(comps):
                    continue
                self.payment = Payment(
                    fop_type=_c(comps, 1),
                    indicator=_c(comps, 2),
                    amount=_c(comps, 3),
                    card_type=_c(comps, 4),
                    card_number=_c(comps, 5),
                    card_expiry=_c(comps, 6),
                )
                self.ticket.payments.append(self.payment)
            self.zone = _GR4
        else:
            self._misplaced(seg)

    # ------------------------------------------------------------------ Gr5-Gr7

    def _tra(self, seg: Segment) -> None:
        if self.zone == _GR5 and self.seg is not None:
            self.seg.operating_carrier = seg.get(1) or self.seg.operating_carrier
            self.seg.operating_flight_number = seg.get(2, 1)
            self.seg.operating_class = seg.get(2, 2)
        else:
            self._misplaced(seg)

    def _rpi(self, seg: Segment) -> None:
        zone = self.zone
        target = None
        if zone in _IN_SEGMENT and self.seg is not None:
            target = self.seg
            if zone != _GR5:
                self._warn(seg, f"RPI {_ZONE_NAMES[zone]}; read as the flight segment's")
        elif zone == _GR12 and self.item is not None:
            target = self.item.flight
        if target is None:
            self._misplaced(seg)
            return
        target.party_size, target.status = seg.get(1), seg.get(2)
        if zone == _GR12 and self.item is not None:
            self._mark(self.item, seg)

    def _apd(self, seg: Segment) -> None:
        if self.zone in _IN_SEGMENT and self.seg is not None:
            self.seg.equipment = seg.get(1)
        else:
            self._misplaced(seg)

    def _tri(self, seg: Segment) -> None:
        zone = self.zone
        if zone == _GR5 and self.seg is not None:
            self._warn(seg, "TRI without a check-in DAT; read into a check-in block without date")
            self.checkin = CheckIn()
            self.seg.check_ins.append(self.checkin)
            zone = _GR6
        if zone in (_GR6, _GR7) and self.checkin is not None:
            self.entry = CheckInEntry(sequence=seg.get(2, 1), traveller_ref=seg.get(2, 4))
            self.checkin.entries.append(self.entry)
            self.zone = _GR7
        else:
            self._misplaced(seg)

    def _ssd(self, seg: Segment) -> None:
        if self.zone == _GR7 and self.entry is not None:
            self.entry.seat = seg.get(1)
            self.entry.cabin = seg.get(5)
        else:
            self._misplaced(seg)

    def _bags_of(self, seg: Segment) -> BagDetail:
        e2 = _el(seg, 2)
        tags = []
        for comps in seg.elements[4:]:
            if not any(comps):
                continue
            tags.append(
                BagTag(
                    issuer=_c(comps, 1),
                    number=(_c(comps, 2) or "").strip() or None,
                    count=_c(comps, 3),
                    destination=_c(comps, 4),
                    extra=_c(comps, 5),
                )
            )
        return BagDetail(
            status=seg.get(1),
            count=_c(e2, 1),
            weight=_c(e2, 2),
            unit=_c(e2, 3),
            third=seg.get(3),
            pool=seg.get(4),
            tags=tags,
        )

    def _tbd(self, seg: Segment) -> None:
        zone = self.zone
        if zone == _GR7 and self.entry is not None and self.entry.bags is None:
            self.entry.bags = self._bags_of(seg)
        elif zone in (_GR11, _GR12) and self.item is not None and self.item.bags is None:
            self.item.bags = self._bags_of(seg)
            self._mark(self.item, seg)
        else:
            self._misplaced(seg)

    # ------------------------------------------------------------------ Gr10-Gr12, LTS

    def _abi(self, seg: Segment) -> None:
        if self.pnr is None or self.zone == _HEADER:
            self._misplaced(seg)
            return
        self._close_traveller()
        self.hist = HistoryEntry(
            action=seg.get(1),
            agent=seg.get(2, 1),
            office=seg.get(2, 2),
            location=seg.get(3),
            company=seg.get(5),
        )
        self.pnr.history.append(self.hist)
        self.item = None
        self.zone = _GR10

    def _sac(self, seg: Segment) -> None:
        if self.zone in _IN_HISTORY and self.hist is not None:
            self.item = HistoryItem(action=seg.get(3))
            self._mark(self.item, seg)
            self.hist.items.append(self.item)
            self.zone = _GR11
        else:
            self._misplaced(seg)

    def _lts(self, seg: Segment) -> None:
        if self.pnr is None or self.zone == _HEADER:
            self._misplaced(seg)
            return
        self.pnr.history_text.append("+".join(_text(e) for e in seg.elements))
        if self.prov is not None:
            self.lts.setdefault(id(self.pnr), []).append(seg.index)
        self.zone = _LTS


_KNOWN_TAGS = sorted(
    set(_PNR_TAGS) | {"UNB", "UNG", "UNH", "UNT", "UNE", "UNZ", "MSG", "ORG", "TVL", "EQN", "SRC"}
)


def check_swallowed(data: bytes, segments: list[Segment]) -> None:
    """Refuse a message in which a segment swallowed the next one.

    Documents copied from PDFs carry a typographic quote (U+2019) where the terminator
    should be, or lose the terminator at a line end; the tokenizer then reads the next
    segment as more elements of this one (GTAS ``pnrMessagePg75.txt``). Reading on would
    attach a flight to a DOCS text or a traveller to an ORG, so the message is rejected:
    a line break followed by a PNRGOV tag and the element separator, at a place that is
    not the start of a segment, is the sign.
    """
    if not segments or b"\n" not in data:
        return
    first = segments[0]
    sep = first.elements[0][0][1] if first.tag == "UNA" and first.elements[0][0] else "+"
    pattern = re.compile(
        rb"[\r\n][ \t]*((?:"
        + "|".join(_KNOWN_TAGS).encode()
        + rb")"
        + re.escape(sep.encode())
        + rb")"
    )
    starts = {s.offset for s in segments}
    offsets = [s.offset for s in segments]
    for m in pattern.finditer(data):
        pos = m.start(1)
        if pos in starts:
            continue
        i = bisect.bisect_right(offsets, pos) - 1
        if i < 0:
            continue
        seg = segments[i]
        raise _err(
            seg,
            f"a line break and {m.group(1).decode()!r} at byte {pos} fall inside this "
            "segment: the segment terminator before them is missing or mistyped (a "
            "typographic quote instead of the terminator?)",
        )


@dataclass(slots=True)
class Provenance:
    """Where each removable domain object came from, for :func:`piu.privacy.redact_raw`:
    ``objects`` maps ``id(obj)`` to the indexes of its segments (SSR, IFT, a Gr9 non-air
    segment, a Gr11 history item with its Gr12 flight); ``skipped`` lists the segments the
    reader did not keep (unknown or misplaced)."""

    segments: list[Segment]
    decoded: Decoded
    pushes: list[PnrPush]
    objects: dict[int, list[int]]
    lts: dict[int, list[int]]  # id(pnr) -> LTS segment indexes, in order
    skipped: list[int]
    alive: list[object]


def read_with_provenance(
    data: bytes, *, limits: Limits = Limits.DEFAULT, today: date | None = None
) -> Provenance:
    """:func:`read` plus the segment provenance that redaction needs."""
    with gc_paused():
        segments, decoded = _tokenize_decoded(data, limits)
        check_swallowed(data, segments)
        reader = _Reader(decoded, today)
        reader.prov = {}
        pushes = reader.run(segments)
    return Provenance(
        segments, decoded, pushes, reader.prov, reader.lts, reader.skipped, reader._alive
    )


def read(
    data: bytes, *, limits: Limits = Limits.DEFAULT, today: date | None = None
) -> list[PnrPush]:
    """Every PNRGOV message in an interchange, in order (one :class:`PnrPush` each).

    ``today`` anchors two-digit birth years (default: the UNB date). Raises
    :class:`~piu.errors.FormatError` (syntax or structure, with the position) and nothing
    else on any input.
    """
    with gc_paused():
        segments, decoded = _tokenize_decoded(data, limits, shared=True)
        check_swallowed(data, segments)
        pushes = _Reader(decoded, today).run(segments)
        del segments
    return pushes
