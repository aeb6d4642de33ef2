"""Data minimisation at ingest: keep only the PNR data the law lists, drop sensitive data.

Why here and pure: EU Directive 2016/681 Art. 6(1) and Art. 13(4) say data not on the
Annex I list, and data revealing racial or ethnic origin, political opinions, religion or
philosophical beliefs, trade union membership, health, sex life or sexual orientation, are
deleted "immediately and permanently" on receipt (standards.md 4.3 and 5.1). Doing it on
plain domain objects, before anything is stored, makes it testable, and the same decision
drives :func:`redact_raw`, so the stored raw message cannot bring the data back.

Three parts:

(a) :data:`ANNEX_I` - the 19 Annex I elements, each mapped to the domain fields it allows.
    :data:`NOT_LISTED` names the fields no element allows (Gr9 non-air segments: hotel
    and car bookings are not "travel itinerary" of a flight); they are always dropped.
(b) :class:`SensitiveRules` - a configurable list of SSR codes and free-text words. The
    default (:data:`DEFAULT_RULES`) is reasoned code by code below.
(c) :func:`minimise` - the push without them plus a log. The log names the element (by
    position: PNR n, traveller n, flight segment n) and the rule group, never the value
    and never the code or word that matched: "MOML removed" would itself reveal religion,
    so the log says ``sensitive-ssr`` or ``sensitive-text`` and the rules version.

Default sensitive SSR codes (IATA meal and service codes, AIRIMP / Resolution 700):

* Religion or philosophical belief: MOML Muslim, KSML kosher, HNML Hindu, VJML Jain
  vegetarian, and the vegetarian and vegan codes AVML, VGML, VLML, VOML, RVML: Asian
  vegetarian is booked above all for Hindu and Jain travellers, and ethical veganism is a
  philosophical belief in European case law; none of them helps fight serious crime.
* Health: DBML diabetic, GFML gluten-free (coeliac disease), LCML low calorie, LFML low
  fat, LSML low salt, BLML bland, NLML non-lactose, PRML low purine, LPML low protein,
  HFML high fibre; SPML is "special meal" with free text that may say anything.
* Health and disability: MEDA medical case, WCHR/WCHS/WCHC and the other wheelchair codes
  (WCBD WCBW WCMP WCOB WCLB), BLND, DEAF, DPNA (disabled passenger needing assistance),
  STCR stretcher, OXYG/POXY/PPOC oxygen, MEQT medical equipment, ESAN/SVAN emotional
  support and service animals, MAAS meet and assist (booked overwhelmingly for disabled
  or frail travellers).
* Not in the default list: child and infant meals (CHML, BBML: age is in the PNR anyway),
  UMNR (Annex I item 12 lists unaccompanied-minor information explicitly), pets,
  extra seats. "PRNT" is no IATA code we know of; it can be added by configuration.

Free-text words (whole words, upper case) for religion, health, ethnic origin, political
opinion and sex life are listed in :data:`DEFAULT_KEYWORDS`; every sensitive SSR code is
also searched for in free text ("PAX NEEDS WCHR"). Words that are common given names
(CHRISTIAN) are left out on purpose: a keyword never removes a DOCS, a name or a contact.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from piu.domain.booking import (
    HistoryItem,
    Payment,
    Pnr,
    PnrPush,
    Remark,
    Ssr,
)

__all__ = [
    "ANNEX_I",
    "DEFAULT_KEYWORDS",
    "DEFAULT_RULES",
    "DEFAULT_SSR_CODES",
    "NOT_LISTED",
    "Removal",
    "SensitiveRules",
    "minimise",
    "plan",
    "redact_raw",
]

ANNEX_I: dict[int, tuple[str, tuple[str, ...]]] = {
    1: (
        "PNR record locator",
        ("Pnr.locators", "FlightSegment.locators", "PnrTraveller.unique_ref"),
    ),
    2: (
        "Date of reservation / issue of ticket",
        ("Pnr.last_modified", "Pnr.ticketed", "Pnr.other_dates", "Ticket.issued"),
    ),
    3: (
        "Date(s) of intended travel",
        ("FlightSegment.departure_date", "FlightSegment.arrival_date"),
    ),
    4: (
        "Name(s)",
        ("PnrTraveller.surname", "PnrTraveller.surname_qualifier", "PnrTraveller.given_names"),
    ),
    5: (
        "Address and contact information",
        (
            "Pnr.addresses",
            "Pnr.contacts",
            "PnrTraveller.addresses",
            "PnrTraveller.contacts",
            "PnrTraveller.doca",
        ),
    ),
    6: (
        "All forms of payment information, including billing address",
        ("Ticket.payments", "Payment.payer", "Payment.billing_address"),
    ),
    7: (
        "Complete travel itinerary",
        ("Pnr.itinerary", "PnrPush.flight", "FlightSegment.equipment"),
    ),
    8: ("Frequent flyer information", ("PnrTraveller.frequent_flyer",)),
    9: ("Travel agency / travel agent", ("Pnr.originator", "PnrPush.originator")),
    10: (
        "Travel status, check-in, no-show, go-show",
        ("FlightSegment.status", "FlightSegment.party_size", "FlightSegment.check_ins"),
    ),
    11: ("Split/divided PNR information", ("Pnr.splits",)),
    12: (
        "General remarks (incl. unaccompanied minors)",
        (
            "Pnr.remarks",
            "Pnr.ssrs",
            "PnrTraveller.remarks",
            "PnrTraveller.ssrs",
            "FlightSegment.remarks",
            "FlightSegment.ssrs",
        ),
    ),
    13: (
        "Ticketing field information (ticket number, issue date, one-way, ATFQ)",
        (
            "PnrTraveller.tickets",
            "PnrTraveller.fare",
            "Ticket.amounts",
            "Ticket.pricing",
            "Ticket.taxes",
        ),
    ),
    14: (
        "Seat number and other seat information",
        ("FlightSegment.ssrs", "CheckInEntry.seat", "CheckInEntry.cabin"),
    ),
    15: (
        "Code share information",
        (
            "FlightSegment.operating_carrier",
            "FlightSegment.operating_flight_number",
            "FlightSegment.operating_class",
        ),
    ),
    16: (
        "All baggage information",
        ("Pnr.excess_baggage", "PnrTraveller.excess_baggage", "CheckInEntry.bags"),
    ),
    17: (
        "Number and other names of travellers on the PNR",
        (
            "Pnr.travellers",
            "PnrTraveller.traveller_type",
            "PnrTraveller.ref",
            "PnrTraveller.with_infant",
            "PnrPush.declared_pnrs",
        ),
    ),
    18: ("Any API data collected", ("PnrTraveller.docs", "PnrTraveller.doco")),
    19: ("All historical changes to items 1-18", ("Pnr.history", "Pnr.history_text")),
}
"""Annex I element number -> (title, domain fields it allows)."""

NOT_LISTED: dict[str, str] = {
    "Pnr.non_air": "Gr9 non-air segments (hotel, car): not a data element of Annex I",
}
"""Domain fields that no Annex I element allows: always dropped, with the reason."""

DEFAULT_SSR_CODES: dict[str, str] = {
    **dict.fromkeys(
        ("MOML", "KSML", "HNML", "VJML", "AVML", "VGML", "VLML", "VOML", "RVML"),
        "religion or belief",
    ),
    **dict.fromkeys(
        ("DBML", "GFML", "LCML", "LFML", "LSML", "BLML", "NLML", "PRML", "LPML", "HFML", "SPML"),
        "health",
    ),
    **dict.fromkeys(
        (
            "MEDA", "WCHR", "WCHS", "WCHC", "WCBD", "WCBW", "WCMP", "WCOB", "WCLB", "BLND",
            "DEAF", "DPNA", "STCR", "OXYG", "POXY", "PPOC", "MEQT", "ESAN", "SVAN", "MAAS",
        ),
        "health",
    ),
}  # fmt: skip

DEFAULT_KEYWORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "MUSLIM", "ISLAM", "ISLAMIC", "HALAL", "KOSHER", "JEWISH", "HINDU", "SIKH",
            "BUDDHIST", "CATHOLIC", "PROTESTANT", "ORTHODOX JEW", "PRAYER", "PRAYERS",
            "MOSQUE", "SYNAGOGUE", "CHURCH", "HAJJ", "UMRAH", "PILGRIM", "PILGRIMAGE",
            "RAMADAN", "RELIGION", "RELIGIOUS", "VEGAN",
        ),
        "religion or belief",
    ),
    **dict.fromkeys(
        (
            "WHEELCHAIR", "MEDICAL", "MEDICATION", "MEDICINE", "OXYGEN", "PREGNANT",
            "PREGNANCY", "DIABETIC", "DIABETES", "EPILEPSY", "EPILEPTIC", "BLIND", "DEAF",
            "DISABLED", "DISABILITY", "HIV", "AIDS", "CANCER", "DIALYSIS", "STRETCHER",
            "ALLERGY", "ALLERGIC", "AUTISM", "AUTISTIC", "DEMENTIA", "INSULIN", "CRUTCHES",
            "PACEMAKER", "SURGERY", "HOSPITAL", "PSYCHIATRIC", "ILLNESS", "SICK",
        ),
        "health",
    ),
    **dict.fromkeys(("ETHNIC", "ETHNICITY", "RACIAL"), "ethnic origin"),
    **dict.fromkeys(("POLITICAL", "TRADE UNION", "ASYLUM"), "political opinion"),
    **dict.fromkeys(
        ("GAY", "LESBIAN", "HOMOSEXUAL", "BISEXUAL", "TRANSGENDER", "SEXUAL"), "sex life"
    ),
}  # fmt: skip

# SSRs whose text is a structured identity or contact field: free-text words never remove
# them (a given name "ISLAM" or an address "CHURCH STREET" is not a sensitive datum).
_STRUCTURED_SSR = frozenset(
    ("DOCS", "DOCO", "DOCA", "FQTV", "CTCE", "CTCM", "CTCH", "CTCB", "CTCT", "CTCA", "CTCR")
)


@dataclass(frozen=True, slots=True)
class SensitiveRules:
    """Which SSR codes and free-text words are sensitive; ``version`` goes into the log so
    every removal can be traced to the rule list in force."""

    ssr_codes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SSR_CODES))
    keywords: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYWORDS))
    drop_not_listed: bool = True
    version: str = "default-1"

    def pattern(self) -> re.Pattern[str]:
        words = sorted({*self.keywords, *self.ssr_codes}, key=len, reverse=True)
        if not words:
            return re.compile(r"(?!x)x")
        body = "|".join(re.escape(w.upper()).replace(r"\ ", r"\s+") for w in words)
        return re.compile(rf"(?<![A-Z0-9])(?:{body})(?![A-Z0-9])")


DEFAULT_RULES = SensitiveRules()


@dataclass(frozen=True, slots=True)
class Removal:
    """One removal: where (a path of positions), what kind of element, which rule."""

    path: str
    element: str  # "SSR", "IFT", "LTS", "history item", "non-air segment", "payer IFT"
    rule: str  # "sensitive-ssr", "sensitive-text", "annex-i"
    rules_version: str

    def __str__(self) -> str:
        return f"{self.path}: {self.element} removed (rule {self.rule}, rules {self.rules_version})"


class _Matcher:
    def __init__(self, rules: SensitiveRules) -> None:
        self.codes = {c.upper() for c in rules.ssr_codes}
        self.pattern = rules.pattern()
        self.version = rules.version

    def text(self, value: str | None) -> bool:
        return bool(value) and self.pattern.search(value.upper()) is not None  # type: ignore[union-attr]

    def ssr(self, s: Ssr) -> str | None:
        if s.code.upper() in self.codes:
            return "sensitive-ssr"
        if s.code.upper() not in _STRUCTURED_SSR and self.text(s.text):
            return "sensitive-text"
        return None

    def remark(self, r: Remark) -> str | None:
        return "sensitive-text" if any(self.text(line) for line in r.lines) else None


# (parent object, attribute, item or None for a scalar, path, element, rule)
_Step = tuple[Any, str, Any, str, str, str]


def _walk(push: PnrPush, m: _Matcher, rules: SensitiveRules) -> Iterator[_Step]:
    for pi, pnr in enumerate(push.pnrs, 1):
        base = f"PNR {pi}"
        yield from _pnr_steps(pnr, base, m, rules)


def _ssrs(parent: Any, where: str, m: _Matcher) -> Iterator[_Step]:
    for s in parent.ssrs:
        rule = m.ssr(s)
        if rule:
            yield (parent, "ssrs", s, where, "SSR", rule)


def _remarks(parent: Any, where: str, m: _Matcher) -> Iterator[_Step]:
    for r in parent.remarks:
        rule = m.remark(r)
        if rule:
            yield (parent, "remarks", r, where, "IFT", rule)


def _pnr_steps(pnr: Pnr, base: str, m: _Matcher, rules: SensitiveRules) -> Iterator[_Step]:
    yield from _ssrs(pnr, base, m)
    yield from _remarks(pnr, base, m)
    for ti, t in enumerate(pnr.travellers, 1):
        where = f"{base} traveller {ti}"
        yield from _ssrs(t, where, m)
        yield from _remarks(t, where, m)
        for ki, tk in enumerate(t.tickets, 1):
            for fi, pay in enumerate(tk.payments, 1):
                if pay.payer is not None and m.remark(pay.payer):
                    yield (
                        pay,
                        "payer",
                        None,
                        f"{where} ticket {ki} payment {fi}",
                        "payer IFT",
                        "sensitive-text",
                    )
    for si, seg in enumerate(pnr.itinerary, 1):
        where = f"{base} flight segment {si}"
        yield from _ssrs(seg, where, m)
        yield from _remarks(seg, where, m)
    if rules.drop_not_listed:
        for ni, na in enumerate(pnr.non_air, 1):
            yield (pnr, "non_air", na, f"{base} non-air segment {ni}", "non-air segment", "annex-i")
    for hi, h in enumerate(pnr.history, 1):
        for ii, item in enumerate(h.items, 1):
            rule = (m.ssr(item.ssr) if item.ssr else None) or (
                m.remark(item.remark) if item.remark else None
            )
            if rule:
                yield (h, "items", item, f"{base} history {hi} item {ii}", "history item", rule)
    for li, line in enumerate(pnr.history_text, 1):
        if m.text(line):
            yield (pnr, "history_text", line, f"{base} history text {li}", "LTS", "sensitive-text")


def plan(
    push: PnrPush, rules: SensitiveRules = DEFAULT_RULES
) -> list[tuple[object, int | None, Removal]]:
    """What :func:`minimise` would remove from ``push``: (object, index, removal).

    The object is the removed SSR, remark, history item or non-air segment as it sits in
    ``push``; for a history text line (LTS) it is the :class:`Pnr` and ``index`` the
    line's position in :attr:`Pnr.history_text`."""
    m = _Matcher(rules)
    out: list[tuple[object, int | None, Removal]] = []
    for parent, attr, item, path, element, rule in _walk(push, m, rules):
        removal = Removal(path, element, rule, rules.version)
        if item is None:
            out.append((getattr(parent, attr), None, removal))
        elif isinstance(item, str):
            out.append((parent, int(path.rsplit(" ", 1)[1]) - 1, removal))
        else:
            out.append((item, None, removal))
    return out


def redact_raw(raw: bytes, rules: SensitiveRules = DEFAULT_RULES) -> tuple[bytes, list[Removal]]:
    """The raw PNRGOV EDIFACT interchange with the segments :func:`minimise` removes, and
    the segments the reader does not keep, cut out; UNT counts lowered to match.

    ``read(redact_raw(raw)[0])`` equals ``minimise(read(raw))`` up to positions, warnings
    and the log, so reprocessing the stored raw message can never bring the data back.
    Untouched segments are copied byte for byte. The PNRGOV XML form is not redacted here
    (see :mod:`piu.privacy`): the caller must not store XML raw before this is provided.
    Raises :class:`~piu.errors.FormatError` when the message cannot be read.
    """
    from piu.formats.pnrgov._reader import read_with_provenance

    prov = read_with_provenance(raw)
    drop: set[int] = set(prov.skipped)
    log: list[Removal] = []
    for push in prov.pushes:
        for target, index, removal in plan(push, rules):
            if index is not None:
                drop.add(prov.lts[id(target)][index])
            else:
                drop.update(prov.objects.get(id(target), ()))
            log.append(removal)
    segs = prov.segments
    by_index = {s.index: s for s in segs}
    for i in sorted(prov.skipped):
        seg = by_index[i]
        log.append(Removal(f"segment {i}", seg.tag, "not-read", rules.version))
    if not drop:
        return raw, log
    first = segs[0]
    sep = first.elements[0][0][1] if first.tag == "UNA" and first.elements[0][0] else "+"
    unt_count = re.compile(rb"^(UNT" + re.escape(sep.encode()) + rb")(\d+)")
    out = [raw[: first.offset]]
    dropped_in_message = 0
    for n, seg in enumerate(segs):
        end = segs[n + 1].offset if n + 1 < len(segs) else len(raw)
        chunk = raw[seg.offset : end]
        if seg.tag == "UNH":
            dropped_in_message = 0
        if seg.index in drop:
            dropped_in_message += 1
            continue
        if seg.tag == "UNT" and dropped_in_message:
            mo = unt_count.match(chunk)
            if mo is not None:
                count = str(max(int(mo.group(2)) - dropped_in_message, 0)).encode()
                chunk = mo.group(1) + count + chunk[mo.end() :]
        out.append(chunk)
    return b"".join(out), log


def minimise(push: PnrPush, rules: SensitiveRules = DEFAULT_RULES) -> tuple[PnrPush, list[Removal]]:
    """``push`` without the data the law does not allow to keep, and the removal log.

    ``push`` itself is not changed. The returned push carries the log as strings in
    :attr:`PnrPush.filtering` (appended to any earlier entries).
    """
    m = _Matcher(rules)
    steps = list(_walk(push, m, rules))
    if not steps:  # the common case: nothing to remove, no copy needed
        return push, []
    memo: dict[int, Any] = {}
    out = copy.deepcopy(push, memo)
    log = []
    for parent, attr, item, path, element, rule in steps:
        p = memo[id(parent)]
        if item is None:
            setattr(p, attr, None)
        else:
            container = getattr(p, attr)
            if isinstance(item, str):
                # strings are shared by deepcopy: remove the first equal line still there
                container.remove(item)
            else:
                twin = memo[id(item)]
                for i, x in enumerate(container):
                    if x is twin:
                        del container[i]
                        break
        removal = Removal(path, element, rule, rules.version)
        log.append(removal)
        out.filtering.append(str(removal))
    return out, log


def _field_names() -> set[str]:
    """Every ``Class.field`` of the booking domain (for the completeness test)."""
    from piu.domain import booking

    names: set[str] = set()
    for cls_name in ("PnrPush", "Pnr", "PnrTraveller", "FlightSegment", "Ticket", "Payment"):
        cls = getattr(booking, cls_name)
        names.update(f"{cls_name}.{f.name}" for f in fields(cls))
    return names


_ = (HistoryItem, Payment)  # documented types of removal targets
