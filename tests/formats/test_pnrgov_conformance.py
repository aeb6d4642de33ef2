"""Conformance of the PNRGOV reader on the public GTAS corpus (``shared/corpus/gtas``).

Every PNRGOV file is read, or rejected with segment, position and reason when malformed.
PNR counts (SRC) and all-TIF counts are the PROVENANCE.md figures; the Gr2 traveller count
is checked against an independent scan (a TIF right after TRI is Gr7, right after SAC is
Gr11, any other is a Gr2 traveller).
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from piu.domain.booking import PnrPush
from piu.errors import MessageStructureError
from piu.formats import pnrgov
from piu.formats.detect import detect
from piu.formats.edifact import tokenize

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
GTAS = CORPUS / "gtas"
pytestmark = pytest.mark.skipif(not GTAS.is_dir(), reason=f"GTAS corpus not found at {GTAS}")

# file -> (PNRs (SRC), TIF segments in all groups) from PROVENANCE.md
PROVENANCE = {
    "bigMessagePnr.txt": (1, 22),
    "bigbigPnr.txt": (47, 239),
    "danglingMetaCharacter.txt": (1, 4),
    "modifyPnr77ForCodeShare.txt": (1, 1),
    "pnrAddressPhoneCTCM.txt": (1, 1),
    "pnrBadFormat.txt": (1, 2),
    "pnrEdge.txt": (1, 1),
    "pnrMessage.txt": (1, 3),
    "pnrMessageExample.txt": (1, 16),
    "pnrMessagePg75.txt": (2, 3),
    "pnrMessagePg76.txt": (1, 2),
    "pnrMessagePg77.txt": (1, 1),
    "pnrNoOrgMsg.txt": (1, 1),
    "pnrPhoneCTCM.txt": (1, 1),
    "pnrPhoneCTC_M.txt": (1, 1),
    "pnrSeatFormats.txt": (1, 1),
    "pnrWithBags.txt": (127, 927),
    "pnrWithDoco.txt": (1, 4),
    "pnrWithIFTSegment.txt": (1, 4),
    "pnrWithPrefixesAndBookingDetailBags.txt": (1, 9),
    "pnrForSingleRuleHits.txt": (127, 927),
}
# Malformed: rejected, with where and why.
REJECTED = {"pnrMessagePg75.txt": (16, "SSR", "segment terminator")}
# Read, with a warning naming the tolerance taken.
EXPECTED_WARNING = {
    "pnrBadFormat.txt": "text after the interchange trailer",
    "pnrEdge.txt": "RCI creation date/time one component early",
    "pnrNoOrgMsg.txt": "no MSG segment",
    "bigMessagePnr.txt": "shortfall",
}


def _files() -> list[Path]:
    if not GTAS.is_dir():
        return []
    return sorted(p for p in GTAS.rglob("*.txt") if b"PNRGOV" in p.read_bytes()[:400])


def _find(name: str) -> Path:
    for p in _files():
        if p.name == name:
            return p
    pytest.skip(f"{name} not in the corpus")


def _read(name: str) -> PnrPush:
    pushes = pnrgov.read(_find(name).read_bytes())
    assert len(pushes) == 1
    return pushes[0]


def _gr2_tif(data: bytes) -> int:
    segs = tokenize(data)
    return sum(
        1 for a, b in itertools.pairwise(segs) if b.tag == "TIF" and a.tag not in ("TRI", "SAC")
    )


def test_every_file_is_in_the_table() -> None:
    assert {p.name for p in _files()} == set(PROVENANCE)


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_file_is_read_or_rejected_precisely(path: Path) -> None:
    data = path.read_bytes()
    assert detect(data) == "pnrgov"
    segs = tokenize(data)
    pnrs, tifs = PROVENANCE[path.name]
    assert sum(s.tag == "SRC" for s in segs) == pnrs
    assert sum(s.tag == "TIF" for s in segs) == tifs
    if path.name in REJECTED:
        index, tag, reason = REJECTED[path.name]
        with pytest.raises(MessageStructureError) as info:
            pnrgov.read(data)
        err = info.value
        assert (err.segment_index, err.tag) == (index, tag)
        assert err.offset == segs[index - 1].offset
        assert reason in err.reason
        return
    pushes = pnrgov.read(data)
    assert sum(len(p.pnrs) for p in pushes) == pnrs
    assert sum(p.traveller_count for p in pushes) == _gr2_tif(data)
    for p in pushes:
        for pnr in p.pnrs:
            assert pnr.segment_index is not None and segs[pnr.segment_index - 1].tag == "SRC"
            for t in pnr.travellers:
                assert segs[t.segment_index - 1].tag == "TIF"
                assert data[t.offset : t.offset + 3] == b"TIF"
    if path.name in EXPECTED_WARNING:
        assert any(EXPECTED_WARNING[path.name] in w for w in pushes[0].warnings)


def _norm(p: PnrPush) -> PnrPush:
    p = dataclasses.replace(p, warnings=[], filtering=[])
    for pnr in p.pnrs:
        pnr.segment_index = pnr.offset = None
        for t in pnr.travellers:
            t.segment_index = t.offset = None
    return p


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_corpus_round_trip(path: Path) -> None:
    if path.name in REJECTED:
        pytest.skip("rejected file")
    pushes = pnrgov.read(path.read_bytes())
    again = pnrgov.read(pnrgov.write(pushes))
    assert [_norm(p) for p in again] == [_norm(p) for p in pushes]


def test_pnr_wih_bags_counts() -> None:
    push = _read("pnrWithBags.txt")
    assert len(push.pnrs) == 127
    assert push.traveller_count == 268  # Gr2 TIF; the other 659 TIF are Gr7 check-in
    checked = sum(len(c.entries) for p in push.pnrs for s in p.itinerary for c in s.check_ins)
    assert checked == 927 - 268


def test_pnr_message_facts() -> None:
    push = _read("pnrMessage.txt")
    assert push.version == "10.1" and push.push_type == "22" and push.declared_pnrs == 2
    f = push.flight
    assert f is not None and (f.origin, f.destination, f.marketing_carrier, f.flight_number) == (
        "LHR",
        "JFK",
        "DL",
        "324",
    )
    assert f.departure_local == datetime(2010, 12, 12, 9, 15)
    assert f.departure_utc == datetime(2010, 12, 12, 9, 15, tzinfo=UTC)  # London, winter
    pnr = push.pnrs[0]
    assert pnr.record_locator == "MFN4TI" and pnr.carrier == "DL"
    assert pnr.last_modified == datetime(2010, 12, 6, 10, 10)
    assert pnr.originator is not None and pnr.originator.agency_id == "52519950"
    assert pnr.addresses[0].address.city == "SLOUGH"
    assert pnr.excess_baggage[0].amount == "40.00"
    smith = pnr.travellers[0]
    assert (smith.surname, smith.given_names, smith.traveller_type, smith.ref) == (
        "SMITHJR",
        "JOHNMR",
        "A",
        "1",
    )
    assert smith.frequent_flyer[0].number == "1234567890"
    d = smith.docs[0]
    assert (d.doc_type, d.issuing_state, d.number, d.nationality, d.gender) == (
        "P",
        "GBR",
        "123456789",
        "GBR",
        "M",
    )
    assert d.date_of_birth == date(1964, 7, 12) and d.expiry == date(2019, 8, 23)
    assert (d.surname, d.given_names, d.middle_names) == ("SMITHJR", "JONATHON", "ROBERT")
    jones = pnr.travellers[1].docs[0]  # partial DOCS: no document, birth date and gender
    assert jones.number is None and jones.date_of_birth == date(1964, 7, 12)
    tk = smith.tickets[0]
    assert tk.number == "0062120234533"
    assert [(m.qualifier, m.amount) for m in tk.amounts] == [("B", "2888.00"), ("T", "2957.94")]
    assert len(tk.taxes) == 6 and tk.taxes[1].code == "YQ"
    pay = tk.payments[0]
    assert (pay.fop_type, pay.card_type, pay.card_number) == ("CC", "VI", "XXXXXXXX1186")
    assert pay.payer is not None and pay.payer.lines[0] == "TIMOTHY SIMS"
    seg = pnr.itinerary[0]
    assert ("1", "15A") in seg.seats and ("2", "15B") in seg.seats
    assert seg.equipment == "767"
    assert seg.check_ins[0].entries[0].seat == "15A"
    assert pnr.itinerary[1].status == "HK"
    assert pnr.splits[0].count == "1" and pnr.splits[0].locators[0].locator == "ABCDEF"
    assert pnr.non_air[0].kind == "8"
    assert len(pnr.history) == 1 and len(pnr.history[0].items) == 12
    assert pnr.history[0].items[0].action == "X" and pnr.history[0].items[0].flight is not None
    assert [c.kind for c in pnr.contacts] == ["phone"]  # OSI CTCR


def test_code_share() -> None:
    pnr = _read("modifyPnr77ForCodeShare.txt").pnrs[0]
    lhr = pnr.itinerary[0]
    assert (lhr.marketing_carrier, lhr.operating_carrier) == ("SQ", "SK")
    assert (lhr.operating_flight_number, lhr.operating_class) == ("1524", "W")
    ams = pnr.itinerary[1]
    assert ams.operating_carrier == "KL" and ams.operating_flight_number == "972"
    assert ams.is_code_share


def test_bags_contacts_doco_seats() -> None:
    push = _read("pnrMessageExample.txt")
    pnr = push.pnrs[0]
    entry = pnr.itinerary[0].check_ins[0].entries[4]
    assert entry.surname == "HABTE" and entry.bags is not None
    assert entry.bags.count == "04" and entry.bags.weight == "24" and entry.bags.unit == "701"
    assert [t.number for t in entry.bags.tags] == ["0853", "0854", "0855", "0856"]
    assert pnr.travellers[0].contacts[0].value == "MOLLY_LOBB@GMAIL.COM"
    assert pnr.travellers[0].tickets[0].payments[0].card_number == "372395XXXXX9581"
    assert pnr.itinerary[2].check_ins[0].entries[0].seat == "22C"
    doco = _read("pnrWithDoco.txt").pnrs[0].travellers[0].doco[0]
    assert (doco.birth_place, doco.doc_type, doco.number) == ("HERE VA", "V", "8675309")
    assert doco.issued == date(2006, 12, 22)
    edge = _read("pnrEdge.txt").pnrs[0]
    assert edge.travellers[0].contacts[0].value == "MOLLY_LOUUNT+50BB@GMAIL.COM"
    assert edge.locators[0].created == datetime(2018, 8, 23, 12, 20)
    m = _read("pnrPhoneCTC_M.txt").pnrs[0].travellers[0].contacts
    assert [(c.kind, c.value, c.carrier) for c in m][1] == ("mobile", "123456789", "YY")
    flight = _read("pnrEdge.txt").flight
    assert flight is not None and flight.arrival_local == datetime(2018, 9, 28, 15, 5)
    assert flight.arrival_utc == datetime(2018, 9, 28, 19, 5, tzinfo=UTC)  # IAD, EDT
