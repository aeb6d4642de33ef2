import csv
import re

import pytest

from piu.screening.importers import WatchlistFormatError, detect_format, load, parse_bytes
from piu.screening.importers.ofac_csv import parse_alt, parse_files, person_name
from piu.screening.model import DateOfBirth, Document

from .conftest import corpus_path, imported

SDN21 = "ofac_sdn_csv_2021-04-25"
SDN24 = "ofac_sdn_csv_2024-05-03_primary_only/sdn.csv"
PARTIAL = "ofac_sdn_alt_add_2026_partial"
XML25 = "ofac_consolidated_non_sdn_xml/consolidated_2025-06-30.xml"


def _sdn_rows(rel: str) -> list[list[str]]:
    text = corpus_path(rel).read_text(encoding="utf-8").rstrip("\x1a\r\n")
    return list(csv.reader(text.splitlines()))


def test_2021_triple_counts() -> None:
    r = imported(SDN21)
    rows = _sdn_rows(f"{SDN21}/sdn.csv")
    assert len(r.persons) == 4566 == sum(row[2] == "individual" for row in rows)
    assert len(r.entries) == len(rows)
    # weak names: the quoted a.k.a. in individuals' remarks, read here by another regex
    expected = sum(
        len({m.strip() for m in re.findall(r"a\.k\.a\.,? '([^']*)'", row[11])} - {""})
        for row in rows
        if row[2] == "individual"
    )
    assert sum(len(e.weak_names) for e in r.persons) == expected > 1700
    # ALT rows: 6,145 for individuals (PROVENANCE); each adds a name unless a duplicate
    persons = {e.id for e in r.persons}
    alt_rows = [
        a for a in parse_alt(corpus_path(f"{SDN21}/alt.csv").read_bytes()) if a.ent_num in persons
    ]
    assert len(alt_rows) == 6145
    extra = sum(len(e.names) - 1 - len(e.weak_names) for e in r.persons)
    assert 6000 <= extra <= 6145


def test_2021_named_entry() -> None:
    e = {x.id: x for x in imported(SDN21).entries}["2676"]
    assert e.kind == "person"
    assert e.names[0] == "Dr. Ayman AL ZAWAHIRI"  # "AL ZAWAHIRI, Dr. Ayman"
    assert "Ahmad Fuad SALIM" in e.names  # from alt.csv
    assert e.dobs == [DateOfBirth(1951, 6, 19)]
    assert Document("1084010", "Passport", "EGY") in e.documents
    assert e.attributes["program"] == "SDGT"


def test_2024_primary_only() -> None:
    r = imported(SDN24)
    assert detect_format(corpus_path(SDN24)) == "ofac_sdn_csv"
    assert len(r.persons) == 6854
    e = {x.id: x for x in r.entries}["48884"]
    assert e.names == ["Andrey Leonidovich TERLIKOV"]
    assert (e.dobs, e.nationalities, e.gender) == ([DateOfBirth(1962, 2, 22)], ["RUS"], "M")


def test_remarks_shapes() -> None:
    row = (
        '1,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"DOB circa 1970; alt. DOB 1960 to 1962; alt. DOB 05 Mar 1971; nationality Korea, North; '
        "Passport X1 (Iran) expires 2020; a.k.a. 'JJ'.\"\r\n\x1a"
    )
    e = parse_files(row.encode()).entries[0]
    assert e.names == ["John DOE", "JJ"] and e.weak_names == ["JJ"]
    assert e.dobs == [
        DateOfBirth(1969, year_to=1971),
        DateOfBirth(1960, year_to=1962),
        DateOfBirth(1971, 3, 5),
    ]
    assert e.nationalities == ["PRK"]
    assert e.documents == [Document("X1", "Passport", "IRN")]


def test_person_name() -> None:
    assert person_name("NORIEGA, Manuel Antonio") == "Manuel Antonio NORIEGA"
    assert person_name("BIN LADEN") == "BIN LADEN"


def test_partial_2026_needs_sdn_csv() -> None:
    folder = corpus_path(PARTIAL)
    with pytest.raises(WatchlistFormatError, match=r"sdn\.csv is missing"):
        load(folder)
    with pytest.raises(WatchlistFormatError, match=r"sdn\.csv is missing"):
        load(folder / "alt.csv")
    assert len(parse_alt((folder / "alt.csv").read_bytes())) == 20260


def test_wrong_column_count_names_line() -> None:
    good = '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    bad = '37,"X",-0- ,"CUBA",-0- ,-0- \r\n'
    with pytest.raises(WatchlistFormatError) as exc:
        parse_files((good * 2 + bad).encode())
    assert exc.value.line == 3 and "6 columns, expected 12" in str(exc.value)


def test_xml_counts_and_entries() -> None:
    r = imported(XML25)
    assert detect_format(corpus_path(XML25)) == "ofac_sdn_xml"
    assert r.generated_at is not None and r.generated_at.date().isoformat() == "2025-06-30"
    assert len(r.entries) == 443 and len(r.persons) == 80  # Record_Count 443
    assert sum(len(e.names) - 1 for e in r.persons) == 87  # PROVENANCE: 87 aka
    by_id = {e.id: e for e in r.entries}
    k = by_id["26182"]
    assert k.names == ["Evren KAYAKIRAN"] and k.gender == "M" and k.nationalities == ["TUR"]
    assert k.documents == [Document("U00242309", "Passport", "TUR")]
    m = by_id["50476"]
    assert "Sweet Micky" in m.weak_names  # category weak
    assert "Michael MARTELLY" in m.names and "Michael MARTELLY" not in m.weak_names


def test_xml_truncated_and_record_count() -> None:
    data = corpus_path(XML25).read_bytes()
    with pytest.raises(WatchlistFormatError) as exc:
        parse_bytes(data[: len(data) // 2], "ofac_sdn_xml")
    assert exc.value.line and exc.value.line > 100
    cut = data[: data.index(b"</sdnEntry>") + len(b"</sdnEntry>")] + b"</sdnList>"
    r = parse_bytes(cut)
    assert len(r.entries) == 1 and any("Record_Count says 443" in w for w in r.warnings)
