"""Conformance on the public GTAS sample corpus (``shared/corpus/gtas``).

Every file is detected; every PAXLST file must parse, agree with its own control totals,
and survive a write/read round trip; every PNRGOV file must be detected as such and
tokenize with exact byte positions. Expected values below were counted in the files
themselves (see the comments), not taken from any other parser.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from piu.domain.travel import BagInfo, TravelDocument, TravellerRole
from piu.formats import paxlst
from piu.formats.detect import detect
from piu.formats.edifact import tokenize
from tests.formats.helpers import GTAS, comparable, gtas_files

pytestmark = pytest.mark.skipif(
    not GTAS.is_dir(), reason=f"GTAS corpus not found at {GTAS} (shared/ is not checked out)"
)

FILES = gtas_files()
EDIFACT = [p for p in FILES if p.suffix == ".txt"]
PAXLST = [p for p in EDIFACT if b"PAXLST" in p.read_bytes()[:300]]
PNRGOV = [p for p in EDIFACT if p not in PAXLST]


def _id(p: Path) -> str:
    return p.name


def _find(name: str) -> Path:
    matches = [p for p in FILES if p.name == name]
    if not matches:
        pytest.skip(f"{name} not in the corpus")
    return matches[0]


def test_corpus_has_both_kinds() -> None:
    assert len(PAXLST) >= 4
    assert len(PNRGOV) >= 20


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_every_file_is_detected(path: Path) -> None:
    kind = detect(path.read_bytes())
    if path in PAXLST:
        assert kind == "paxlst"
    elif path in PNRGOV:
        assert kind == "pnrgov"
    else:  # JSON fixtures, CSV, provenance notes
        assert kind == "unknown"


@pytest.mark.parametrize("path", PNRGOV, ids=_id)
def test_pnrgov_files_tokenize_with_exact_positions(path: Path) -> None:
    data = path.read_bytes()
    segments = tokenize(data)
    assert segments[-1].tag == "UNZ"
    for seg in segments:
        assert data[seg.offset : seg.offset + 3].decode() == seg.tag
    assert [s.index for s in segments] == list(range(1, len(segments) + 1))


@pytest.mark.parametrize("path", PAXLST, ids=_id)
def test_paxlst_files_parse_count_and_round_trip(path: Path) -> None:
    data = path.read_bytes()
    lists = paxlst.read(data)
    text = data.decode("ascii")
    nads = re.findall(r"NAD\+(FL|FM|DDU|DDT)\+", text)
    assert sum(len(pl.travellers) for pl in lists) == len(nads)
    for match in re.finditer(r"CNT\+42:(\d+)", text):
        assert sum(pl.declared_passengers or 0 for pl in lists) == int(match.group(1))
        passengers = [t for pl in lists for t in pl.travellers if not t.role.is_crew]
        assert len(passengers) == int(match.group(1))
    for pl in lists:
        for t in pl.travellers:
            assert t.offset is not None
            assert data[t.offset : t.offset + 4] == b"NAD+"
    written = paxlst.write(lists)
    back = paxlst.read(written)
    assert [comparable(pl) for pl in back] == [comparable(pl) for pl in lists]
    assert paxlst.write(back) == written


def test_apis_message_facts() -> None:
    """apisMessage.txt: D05B, UNA:+.?*', a space before every segment, two legs."""
    (pl,) = paxlst.read(_find("apisMessage.txt").read_bytes())
    assert pl.warnings == []  # UNT+33 is right: UNH..UNT is 33 segments
    assert (pl.sender, pl.recipient, pl.syntax) == ("AIR1", "DHS", "UNOA:4")
    assert pl.prepared_at == datetime(2007, 2, 18, 15, 45)
    assert (pl.message_ref, pl.directory, pl.transaction_ref) == ("PAX001", "D05B", "AJYTR1070219")
    party = pl.reporting_party
    assert party is not None
    assert (party.name, party.phone, party.fax) == ("JOHN SMITH", "703-555-1212", "703-555-4545")
    aa123, aa124 = pl.flights
    assert [(f.flight_id, f.carrier, f.number) for f in pl.flights] == [
        ("AA123", "AA", "123"),
        ("AA124", "AA", "124"),
    ]
    # LOC+92+ATL DTM+189:0702191540 (EST, UTC-5); LOC+92+ORD DTM+232:0702191740 (CST, UTC-6)
    assert aa123.stops[0].departure_utc == datetime(2007, 2, 19, 20, 40, tzinfo=UTC)
    assert aa123.stops[1].arrival_utc == datetime(2007, 2, 19, 23, 40, tzinfo=UTC)
    assert aa124.departure_utc == datetime(2007, 2, 20, 0, 40, tzinfo=UTC)
    assert aa124.arrival_utc == datetime(2007, 2, 20, 0, 55, tzinfo=UTC)
    assert pl.declared_passengers == 2
    michael, cheryl = pl.travellers
    assert (michael.surname, michael.given_names, michael.gender) == ("CLARK", "MICHAEL", "M")
    assert michael.date_of_birth == date(1972, 9, 7)
    assert (michael.embarkation, michael.debarkation) == ("ATL", "JFK")
    assert (michael.record_locator, michael.passenger_ref) == ("TYR123", "ABC123")
    assert michael.customer_ref == "20060907NY123"
    assert michael.other_refs == {"AEA": "1234567890ABC"}
    assert (cheryl.given_names, cheryl.gender, cheryl.date_of_birth) == (
        "CHERYL",
        "F",
        date(1973, 4, 7),
    )
    assert cheryl.passenger_ref == "TYL009"
    assert michael.segment_index == 19  # UNA counts; BGM and RFF share a line


def test_flight1_facts() -> None:
    """flight1.txt: D02B without UNA, CNT+42:10 with 10 NAD+FL, and a wrong UNT+23."""
    (pl,) = paxlst.read(_find("flight1.txt").read_bytes())
    # 183 segments: UNB, UNH..UNT (181), UNZ; the file declares 23
    assert pl.warnings == ["segment 182 UNT: declared 23 segments, counted 181"]
    assert (pl.sender, pl.recipient, pl.prepared_at) == (
        "LUFTHANSA",
        "HDQCH2X",
        datetime(2020, 1, 30, 3, 0),
    )
    assert (pl.directory, pl.declared_passengers, len(pl.travellers)) == ("D02B", 10, 10)
    (flight,) = pl.flights
    assert (flight.flight_id, flight.carrier, flight.number) == ("LA532", "LA", "532")
    scl, jfk = flight.stops
    # DTM+189:2001192300 at SCL (Chile summer time, UTC-3); DTM+232:2001200740 at JFK (UTC-5)
    assert scl.departure_utc == datetime(2020, 1, 20, 2, 0, tzinfo=UTC)
    assert jfk.arrival_utc == datetime(2020, 1, 20, 12, 40, tzinfo=UTC)
    names = [(t.surname, t.given_names, t.middle_names) for t in pl.travellers]
    assert names[0] == ("JIANG", "HSIUYUAN", None)
    assert names[-1] == ("O GRADY", "EMMA", "MAISIE")
    assert all(t.role is TravellerRole.PASSENGER for t in pl.travellers)
    jiang = pl.travellers[0]
    assert (jiang.gender, jiang.date_of_birth) == ("F", date(1967, 6, 3))
    assert jiang.bags == BagInfo(count=1, weight=13.0, weight_unit="KGM", tags=["2660001"])
    assert (jiang.embarkation, jiang.debarkation, jiang.residence_country) == ("SVO", "IAD", "CHN")
    assert (jiang.nationality, jiang.record_locator, jiang.seat) == ("CHN", "7F5F21", "056F")
    assert jiang.documents == [  # DOC++433419360: no document type
        TravelDocument(number="433419360", expiry=date(2023, 9, 20), issuing_state="CHN"),
        TravelDocument(
            number="57131424", doc_type="V", expiry=date(2021, 7, 29), issuing_state="USA"
        ),
    ]
    by_name = {t.surname: t for t in pl.travellers}
    cannon = by_name["CANNON"]
    assert cannon.bags is not None
    assert cannon.bags.tags == ["2660003", "2660004", "SU0005", "2660006"]
    assert cannon.documents[0].issuing_state is None  # LOC+91+'
    nood = by_name["NOOD"]
    assert nood.bags is not None and nood.bags.tags == ["2660009", "2660010"]  # 2660009:2
    assert by_name["O GRADY"].date_of_birth == date(2000, 5, 20)  # 000520, before the 2020 UNB
    assert by_name["MUNOZ"].date_of_birth == date(1941, 1, 8)  # 410108: 2041 is in the future


def test_flight3_blank_in_date_of_birth() -> None:
    """flight3.txt has ``DTM+329: 670603``."""
    (pl,) = paxlst.read(_find("flight3.txt").read_bytes())
    jiang = next(t for t in pl.travellers if t.surname == "JIANG")
    assert jiang.date_of_birth == date(1967, 6, 3)
