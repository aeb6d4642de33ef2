""":class:`PnrPush` -> PNRGOV 13.1 EDIFACT, the inverse of :mod:`._reader`.

Why: round trips (``read(write(x)) == x``) prove the reader loses nothing it claims to
keep, and benchmarks and demos need realistic pushes. The writer emits the canonical form
of each segment (PNRGOV IG 13.1 element positions; DOCS/DOCO/DOCA in the AIRIMP order;
e-mails in the ``//`` transport form), one UNH..UNT per push, all in one UNB..UNZ.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from piu.domain.booking import (
    BagDetail,
    Contact,
    FlightSegment,
    Originator,
    PnrAddress,
    PnrPush,
    Remark,
    Ssr,
)
from piu.formats.edifact import Separators, write_segments
from piu.formats.pnrgov import _ssr

__all__ = ["write"]

_Seg = tuple[str, list[list[str]]]


def _s(v: str | None) -> str:
    return v or ""


def _trim(elements: list[list[str]]) -> list[list[str]]:
    out = [list(e) for e in elements]
    for e in out:
        while len(e) > 1 and not e[-1]:
            e.pop()
    while out and not any(out[-1]):
        out.pop()
    return out


def _ddmmyy(d: date) -> str:
    return f"{d.day:02d}{d.month:02d}{d.year % 100:02d}"


def _hhmm(t: time) -> str:
    return f"{t.hour:02d}{t.minute:02d}" + (f"{t.second:02d}" if t.second else "")


def _dt(v: datetime | None) -> list[str]:
    if v is None:
        return ["", ""]
    return [_ddmmyy(v.date()), _hhmm(v.time()) if v.time() != time() else ""]


def _org(o: Originator) -> _Seg:
    return (
        "ORG",
        _trim(
            [
                [_s(o.airline), _s(o.location)],
                [_s(o.agency_id), _s(o.office_id)],
                [_s(o.office_location)],
                [_s(o.system_company), _s(o.system_location)],
                [_s(o.originator_type)],
                [_s(o.country), _s(o.currency), _s(o.language)],
                [_s(o.agent_sign)],
                [_s(o.ersp)],
                [_s(o.duty_code)],
            ]
        ),
    )


def _tvl(f: FlightSegment) -> _Seg:
    return (
        "TVL",
        _trim(
            [
                [
                    _ddmmyy(f.departure_date) if f.departure_date else "",
                    _hhmm(f.departure_time) if f.departure_time else "",
                    _ddmmyy(f.arrival_date) if f.arrival_date else "",
                    _hhmm(f.arrival_time) if f.arrival_time else "",
                ],
                [_s(f.origin)],
                [_s(f.destination)],
                [_s(f.marketing_carrier), _s(f.operating_carrier)],
                [_s(f.flight_number), _s(f.booking_class)],
            ]
        ),
    )


def _ssr_seg(s: Ssr) -> _Seg:
    first = [_s(s.code), _s(s.status), _s(s.quantity), _s(s.carrier), "", "", _s(s.board)]
    first += [_s(s.off), _s(s.text)]
    els = [first] + [[_s(r.seat), _s(r.detail), _s(r.traveller_ref)] for r in s.refs]
    out = _trim(els)
    # keep reference elements even when the first is shorter
    return ("SSR", out if out else [[s.code]])


def _ift(r: Remark) -> _Seg:
    head = [_s(r.qualifier), _s(r.info_type), _s(r.subcode), _s(r.carrier)]
    while len(head) > 1 and not head[-1]:
        head.pop()
    return ("IFT", [head] + [[line] for line in r.lines])


def _contact(c: Contact) -> _Seg:
    kind, _, code = c.source.partition(" ")
    value = _ssr.encode_email(c.value) if c.kind == "email" else c.value
    if kind == "SSR":
        refs = [["", "", c.traveller_ref]] if c.traveller_ref else []
        first = [code, "HK", "", _s(c.carrier), "", "", "", "", value]
        return ("SSR", [first, *refs])
    return ("IFT", [["4", "28", "", _s(c.carrier)], [f"{code} {value}"]])


def _add(a: PnrAddress) -> _Seg:
    ad = a.address
    return (
        "ADD",
        _trim(
            [
                [""],
                [
                    _s(a.purpose),
                    _s(ad.street),
                    _s(ad.city),
                    _s(ad.region),
                    _s(a.county),
                    _s(ad.country),
                    _s(ad.postcode),
                    _s(a.phone),
                ],
            ]
        )
        or [[""], [""]],
    )


def _tbd(b: BagDetail) -> _Seg:
    els = [
        [_s(b.status)],
        [_s(b.count), _s(b.weight), _s(b.unit)],
        [_s(b.third)],
        [_s(b.pool)],
    ]
    els += [
        [_s(t.issuer), _s(t.number), _s(t.count), _s(t.destination), _s(t.extra)] for t in b.tags
    ]
    return ("TBD", _trim(els))


def _tif(
    surname: str | None,
    given: str | None,
    ttype: str | None,
    ref: str | None,
    qual: str | None = None,
    inf: str | None = None,
) -> _Seg:
    return ("TIF", _trim([[_s(surname), _s(qual)], [_s(given), _s(ttype), _s(ref), _s(inf)]]))


def _push_segments(push: PnrPush, today: date) -> list[_Seg]:
    out: list[_Seg] = []
    add = out.append
    add(("MSG", [["", _s(push.push_type)]]))
    if push.originator is not None:
        add(_org(push.originator))
    if push.flight is not None:
        add(_tvl(push.flight))
    if push.declared_pnrs is not None:
        add(("EQN", [[str(push.declared_pnrs)]]))
    for pnr in push.pnrs:
        add(("SRC", []))
        if pnr.locators:
            add(
                (
                    "RCI",
                    [
                        [_s(r.system), _s(r.locator), _s(r.control_type), *_dt(r.created)]
                        for r in pnr.locators
                    ],
                )
            )
        for s in pnr.ssrs:
            add(_ssr_seg(s))
        dates = []
        if pnr.last_modified:
            dates.append(["700", *_dt(pnr.last_modified)])
        if pnr.ticketed:
            dates.append(["710", *_dt(pnr.ticketed)])
        dates += [[q, *_dt(v)] for q, v in pnr.other_dates.items()]
        if dates:
            add(("DAT", _trim(dates)))
        for c in pnr.contacts:
            add(_contact(c))
        for r in pnr.remarks:
            add(_ift(r))
        if pnr.originator is not None:
            add(_org(pnr.originator))
        for a in pnr.addresses:
            add(_add(a))
        for e in pnr.excess_baggage:
            add(
                (
                    "EBD",
                    [[_s(e.currency), _s(e.amount)], [_s(e.quantity), _s(e.weight), _s(e.unit)]],
                )
            )
        for t in pnr.travellers:
            add(
                _tif(
                    t.surname,
                    t.given_names,
                    t.traveller_type,
                    t.ref,
                    t.surname_qualifier,
                    t.with_infant,
                )
            )
            if t.frequent_flyer:
                fti = [f for f in t.frequent_flyer if f.source == "FTI"]
                if fti:
                    add(("FTI", [[_s(f.carrier), _s(f.number), "", "", _s(f.tier)] for f in fti]))
            for r in t.remarks:
                add(_ift(r))
            for c in t.contacts:
                add(_contact(c))
            if t.unique_ref:
                add(("REF", [["", t.unique_ref]]))
            for e in t.excess_baggage:
                add(
                    (
                        "EBD",
                        [
                            [_s(e.currency), _s(e.amount)],
                            [_s(e.quantity), _s(e.weight), _s(e.unit)],
                        ],
                    )
                )
            if t.fare is not None:
                add(
                    (
                        "FAR",
                        [[_s(t.fare.indicator)], [_s(t.fare.age)], *[[c] for c in t.fare.codes]],
                    )
                )
            for f in t.frequent_flyer:
                if f.source != "FTI":
                    add(("SSR", [["FQTV", "HK", "", _s(f.carrier), "", "", "", "", _s(f.number)]]))
            for d in t.docs:
                ref = [["", "", d.traveller_ref]] if d.traveller_ref else []
                add(
                    (
                        "SSR",
                        [
                            [
                                "DOCS",
                                _s(d.status),
                                "",
                                _s(d.carrier),
                                "",
                                "",
                                "",
                                "",
                                _ssr.format_docs(d),
                            ],
                            *ref,
                        ],
                    )
                )
            for o in t.doco:
                ref = [["", "", o.traveller_ref]] if o.traveller_ref else []
                add(
                    (
                        "SSR",
                        [
                            [
                                "DOCO",
                                _s(o.status),
                                "",
                                _s(o.carrier),
                                "",
                                "",
                                "",
                                "",
                                _ssr.format_doco(o),
                            ],
                            *ref,
                        ],
                    )
                )
            for a2 in t.doca:
                ref = [["", "", a2.traveller_ref]] if a2.traveller_ref else []
                add(
                    (
                        "SSR",
                        [
                            [
                                "DOCA",
                                _s(a2.status),
                                "",
                                _s(a2.carrier),
                                "",
                                "",
                                "",
                                "",
                                _ssr.format_doca(a2),
                            ],
                            *ref,
                        ],
                    )
                )
            for s in t.ssrs:
                add(_ssr_seg(s))
            for a in t.addresses:
                add(_add(a))
            for k in t.tickets:
                add(("TKT", _trim([[_s(k.number), _s(k.doc_type), _s(k.booklets)]]) or [[""]]))
                if k.amounts:
                    add(("MON", [[m.qualifier, _s(m.amount), _s(m.currency)] for m in k.amounts]))
                if k.pricing is not None:
                    p = k.pricing
                    add(
                        (
                            "PTK",
                            _trim(
                                [
                                    [_s(p.indicator)],
                                    [""],
                                    _dt(p.issued),
                                    [_s(p.carrier)],
                                    [_s(p.airline_code)],
                                    [_s(p.location)],
                                ]
                            )
                            or [[""]],
                        )
                    )
                if k.taxes:
                    add(
                        (
                            "TXD",
                            [[""]]
                            + [
                                [_s(x.amount), _s(x.detail), _s(x.currency), _s(x.code)]
                                for x in k.taxes
                            ],
                        )
                    )
                if k.issued is not None:
                    add(("DAT", [["710", *_dt(k.issued)]]))
                for pay in k.payments:
                    add(
                        (
                            "FOP",
                            _trim(
                                [
                                    [
                                        _s(pay.fop_type),
                                        _s(pay.indicator),
                                        _s(pay.amount),
                                        _s(pay.card_type),
                                        _s(pay.card_number),
                                        _s(pay.card_expiry),
                                    ]
                                ]
                            )
                            or [[""]],
                        )
                    )
                    if pay.payer is not None:
                        add(_ift(pay.payer))
                    if pay.billing_address is not None:
                        add(_add(pay.billing_address))
        for seg in pnr.itinerary:
            add(_tvl(seg))
            if seg.operating_flight_number or seg.operating_class:
                add(
                    (
                        "TRA",
                        [
                            [_s(seg.operating_carrier)],
                            [_s(seg.operating_flight_number), _s(seg.operating_class)],
                        ],
                    )
                )
            if seg.party_size or seg.status:
                add(("RPI", [[_s(seg.party_size)], [_s(seg.status)]]))
            if seg.equipment:
                add(("APD", [[seg.equipment]]))
            for s in seg.ssrs:
                add(_ssr_seg(s))
            if seg.locators:
                add(
                    (
                        "RCI",
                        [
                            [_s(r.system), _s(r.locator), _s(r.control_type), *_dt(r.created)]
                            for r in seg.locators
                        ],
                    )
                )
            for r in seg.remarks:
                add(_ift(r))
            for ci in seg.check_ins:
                add(("DAT", [[_s(ci.qualifier), *_dt(ci.checked_in)]]))
                if ci.agent is not None:
                    add(_org(ci.agent))
                for entry in ci.entries:
                    add(("TRI", [[""], [_s(entry.sequence), "", "", _s(entry.traveller_ref)]]))
                    if entry.surname is not None:
                        add(
                            _tif(
                                entry.surname,
                                entry.given_names,
                                entry.traveller_type,
                                entry.tif_ref,
                            )
                        )
                    if entry.seat or entry.cabin:
                        add(("SSD", [[_s(entry.seat)], [""], [""], [""], [_s(entry.cabin)]]))
                    if entry.bags is not None:
                        add(_tbd(entry.bags))
        for sp in pnr.splits:
            add(("EQN", [[_s(sp.count)]]))
            if sp.locators:
                add(
                    (
                        "RCI",
                        [
                            [_s(r.system), _s(r.locator), _s(r.control_type), *_dt(r.created)]
                            for r in sp.locators
                        ],
                    )
                )
        for na in pnr.non_air:
            add(("MSG", [[_s(na.kind)]]))
            for detail in na.details:
                add(("TVL", detail))
        for h in pnr.history:
            add(
                (
                    "ABI",
                    _trim(
                        [
                            [_s(h.action)],
                            [_s(h.agent), _s(h.office)],
                            [_s(h.location)],
                            [""],
                            [_s(h.company)],
                        ]
                    )
                    or [[""]],
                )
            )
            if h.when is not None or h.date_qualifier:
                add(("DAT", [[_s(h.date_qualifier), *_dt(h.when)]]))
            for it in h.items:
                add(("SAC", [[""], [""], [_s(it.action)]]))
                if it.traveller is not None:
                    who = it.traveller
                    add(_tif(who.surname, who.given_names, who.traveller_type, who.tif_ref))
                if it.ssr is not None:
                    add(_ssr_seg(it.ssr))
                if it.remark is not None:
                    add(_ift(it.remark))
                if it.bags is not None:
                    add(_tbd(it.bags))
                if it.flight is not None:
                    add(_tvl(it.flight))
                    if it.flight.party_size or it.flight.status:
                        add(("RPI", [[_s(it.flight.party_size)], [_s(it.flight.status)]]))
        for line in pnr.history_text:
            add(("LTS", [[line]]))
    return out


def write(
    pushes: Iterable[PnrPush],
    *,
    separators: Separators = Separators.DEFAULT,
    newline: bool = True,
) -> bytes:
    """One interchange holding every push as a PNRGOV 13.1 message, UTF-8 encoded.

    The envelope (sender, recipient, interchange reference, preparation time) comes from
    the first push.
    """
    pushes = list(pushes)
    if not pushes:
        raise ValueError("write() needs at least one push")
    head = pushes[0]
    prep = head.prepared_at
    segs: list[_Seg] = [
        (
            "UNB",
            [
                ["IATA", "1"],
                [_s(head.sender)],
                [_s(head.recipient)],
                [prep.strftime("%y%m%d"), prep.strftime("%H%M")] if prep else [""],
                [_s(head.interchange_ref)],
            ],
        )
    ]
    for _n, push in enumerate(pushes, 1):
        ref = _s(push.message_ref)
        # Faithful: a push read without a version is written without one (the reader warns
        # and reads it as 13.1 either way); new pushes should set version="13.1".
        version = push.version.split(".") if push.version else ["", ""]
        unh: list[list[str]] = [
            [ref],
            ["PNRGOV", version[0], version[1] if len(version) > 1 else "", "IA"],
        ]
        unh.append([_s(push.common_access_ref)])
        if push.sequence or push.sequence_mark:
            unh.append([_s(push.sequence), _s(push.sequence_mark)])
        body = _push_segments(push, prep.date() if prep else date.today())
        segs.append(("UNH", _trim(unh)))
        segs.extend(body)
        segs.append(("UNT", [[str(len(body) + 2)], [ref]]))
    segs.append(("UNZ", [[str(len(pushes))], [_s(head.interchange_ref)]]))
    return write_segments(segs, separators, una=True, newline=newline).encode("utf-8")
