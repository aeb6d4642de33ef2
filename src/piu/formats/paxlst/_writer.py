""":class:`~piu.domain.travel.PassengerList` -> a complete PAXLST interchange (bytes).

Why: round-trip tests prove the reader keeps everything it claims to, and benchmarks and
demos need realistic traffic. The writer emits the D05B layout of the PAXLST MIG v3.0
(UNA, UNB, optional UNG, then per list UNH BGM RFF Gr1 Gr2/Gr3 Gr4/Gr5 CNT UNT, then UNE,
UNZ) and chooses every value format with the reader's own rules (:mod:`._rules`), so
``read(write(x))`` gives back ``x`` for anything :func:`~piu.formats.paxlst.read` returns,
except the positions and warnings, which describe the bytes rather than the data.

Derived fields are not written but recomputed by the reader: ``kind`` and ``status`` from
BGM, ``*_utc`` from the airports' time zones, the carrier's flight number from TDT.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from piu.domain.travel import Flight, PassengerList, ReportingParty, Traveller
from piu.formats.edifact import Separators, write_segments
from piu.formats.edifact._charset import codec_for
from piu.formats.paxlst import _rules

__all__ = ["write"]

_Seg = tuple[str, list[list[str]]]


def _seg(tag: str, *elements: Sequence[str | None] | str | None) -> _Seg:
    """A segment with trailing empty components and elements dropped."""
    out: list[list[str]] = []
    for element in elements:
        comps = [element] if element is None or isinstance(element, str) else element
        values = [c or "" for c in comps]
        while values and not values[-1]:
            values.pop()
        out.append(values)
    while out and not out[-1]:
        out.pop()
    return tag, [e if e else [""] for e in out]


def _directory(directory: str | None) -> tuple[str, str]:
    d = directory or "D05B"
    return d[:1], d[1:]


def _party(party: ReportingParty) -> list[_Seg]:
    segs = [_seg("NAD", "MS", None, None, party.name)]
    contacts = [
        [number, qual]
        for number, qual in ((party.phone, "TE"), (party.fax, "FX"), (party.email, "EM"))
        if number
    ]
    if contacts:
        segs.append(_seg("COM", *contacts))
    return segs


def _flight(flight: Flight) -> list[_Seg]:
    segs = [
        _seg(
            "TDT", "34" if flight.overflight else "20", flight.flight_id, None, None, flight.carrier
        )
    ]
    for stop in flight.stops:
        segs.append(_seg("LOC", stop.qualifier, stop.airport))
        if stop.arrival_local is not None:
            value, fmt = _rules.format_stop_time(stop.arrival_local)
            segs.append(_seg("DTM", ["232", value, fmt]))
        if stop.departure_local is not None:
            value, fmt = _rules.format_stop_time(stop.departure_local)
            segs.append(_seg("DTM", ["189", value, fmt]))
    return segs


def _traveller(t: Traveller, reference: date, decimal: str) -> list[_Seg]:
    a = t.address
    name = [t.surname, t.given_names, t.middle_names]
    if a is not None:
        nad = _seg(
            "NAD",
            _rules.QUALIFIER_BY_ROLE[t.role],
            None,
            None,
            name,
            a.street,
            a.city,
            a.region,
            a.postcode,
            a.country,
        )
    else:
        nad = _seg("NAD", _rules.QUALIFIER_BY_ROLE[t.role], None, None, name)
    segs = [nad]
    if t.gender is not None:
        segs.append(_seg("ATT", "2", None, t.gender))
    if t.date_of_birth is not None:
        value, fmt = _rules.format_dob(t.date_of_birth, reference)
        segs.append(_seg("DTM", ["329", value, fmt]))
    bags = t.bags
    if bags is not None:
        if bags.count is not None:
            segs.append(_seg("MEA", "CT", None, str(bags.count)))
        if bags.weight is not None:
            weight = _rules.format_number(bags.weight, decimal)
            segs.append(("MEA", [["WT"], [""], [bags.weight_unit or "", weight]]))
        for first, count in _rules.compress_tags(bags.tags):
            segs.append(_seg("FTX", "BAG", None, None, [first, str(count) if count > 1 else None]))
    for qual, place in (
        ("178", t.embarkation),
        ("179", t.debarkation),
        ("174", t.residence_country),
        ("180", t.birth_place),
    ):
        if place is not None:
            segs.append(_seg("LOC", qual, place))
    for qual, place in t.other_locations.items():
        segs.append(_seg("LOC", qual, place))
    if t.contacts:
        segs.append(_seg("COM", *([number, qual] for qual, number in t.contacts.items())))
    if t.nationality is not None:
        segs.append(_seg("NAT", "2", t.nationality))
    for qual, ref in (
        ("AVF", t.record_locator),
        ("ABO", t.passenger_ref),
        ("SEA", t.seat),
        ("YZY", t.ticket),
        ("CR", t.customer_ref),
    ):
        if ref is not None:
            segs.append(_seg("RFF", [qual, ref]))
    for qual, ref in t.other_refs.items():
        segs.append(_seg("RFF", [qual, ref]))
    for doc in t.documents:
        segs.append(_seg("DOC", doc.doc_type, doc.number))
        if doc.expiry is not None:
            value, fmt = _rules.format_doc_date(doc.expiry)
            segs.append(_seg("DTM", ["36", value, fmt]))
        if doc.issued is not None:
            value, fmt = _rules.format_issue_date(doc.issued, reference)
            segs.append(_seg("DTM", ["182", value, fmt]))
        if doc.issuing_state is not None:
            segs.append(_seg("LOC", "91", doc.issuing_state))
    return segs


def _message(
    pl: PassengerList, number: int, reference: date, decimal: str
) -> tuple[list[_Seg], str]:
    ref = pl.message_ref or str(number)
    version, release = _directory(pl.directory)
    segs: list[_Seg] = [_seg("UNH", ref, ["PAXLST", version, release, "UN", "IATA"])]
    subcode = pl.document_subcode
    if subcode is None and pl.status is not None and pl.document_code == "266":
        subcode = _rules.SUBCODE_BY_STATUS.get(pl.status)
    segs.append(_seg("BGM", pl.document_code, subcode))
    if pl.transaction_ref is not None:
        segs.append(_seg("RFF", ["TN", pl.transaction_ref]))
    if pl.reporting_party is not None:
        segs += _party(pl.reporting_party)
    for flight in pl.flights:
        segs += _flight(flight)
    for traveller in pl.travellers:
        segs += _traveller(traveller, reference, decimal)
    if pl.declared_passengers is not None:
        segs.append(_seg("CNT", ["42", str(pl.declared_passengers)]))
    if pl.declared_crew is not None:
        segs.append(_seg("CNT", ["41", str(pl.declared_crew)]))
    segs.append(_seg("UNT", str(len(segs) + 1), ref))
    return segs, ref


def write(
    lists: PassengerList | Sequence[PassengerList],
    *,
    separators: Separators = Separators.DEFAULT,
    sender: str | None = None,
    recipient: str | None = None,
    functional_group: bool = True,
    newline: bool = True,
) -> bytes:
    """One interchange holding ``lists`` (one UNH..UNT message each).

    The envelope (UNB syntax, sender, recipient, date, reference) comes from the first list;
    ``sender`` and ``recipient`` override it. The writer is faithful: a value the list does
    not have is written empty (as a message read without it had it), so a new list should
    carry its envelope facts. Only the syntax identifier, which the bytes depend on, has a
    default: ``UNOA:4``, or ``UNOW:4`` (UTF-8) when the text is not ASCII. The text is
    encoded in the character set the syntax identifier names; ``ValueError`` if it cannot
    carry the text (for example accented names with ``UNOA``).
    """
    items = [lists] if isinstance(lists, PassengerList) else list(lists)
    if not items:
        raise ValueError("write() needs at least one PassengerList")
    first = items[0]
    prepared = first.prepared_at
    reference = _rules.reference_date(prepared)
    from_party = sender or first.sender
    to_party = recipient or first.recipient
    interchange_ref = first.interchange_ref
    day, hhmm = _rules.format_unb_date(prepared) if prepared else ("", "")
    decimal = separators.decimal

    body: list[_Seg] = []
    for number, pl in enumerate(items, 1):
        segs, _ref = _message(pl, number, reference, decimal)
        body += segs
    group_ref = "1"
    if functional_group:
        version, release = _directory(first.directory)
        ung = _seg(
            "UNG",
            "PAXLST",
            from_party,
            to_party,
            [day, hhmm],
            group_ref,
            "UN",
            [version, release],
        )
        body = [ung, *body, _seg("UNE", str(len(items)), group_ref)]
    unz = _seg("UNZ", "1" if functional_group else str(len(items)), interchange_ref)

    def render(syntax: str) -> str:
        syntax_id, _, version = syntax.partition(":")
        unb = _seg("UNB", [syntax_id, version], from_party, to_party, [day, hhmm], interchange_ref)
        return write_segments([unb, *body, unz], separators, una=True, newline=newline)

    syntax = first.syntax
    if syntax is None:
        text = render("UNOA:4")
        if not text.isascii():
            syntax = "UNOW:4"
            text = render(syntax)
    else:
        text = render(syntax)
    codec = codec_for(syntax.partition(":")[0] if syntax else "UNOA")
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"character set {syntax or 'UNOA:4'} ({codec}) cannot carry "
            f"{exc.object[exc.start : exc.end]!r}; set PassengerList.syntax to UNOW:4 (UTF-8)"
        ) from None
