import re

import pytest

from piu.screening.importers import WatchlistFormatError, detect_format, diff, load
from piu.screening.model import DateOfBirth, Document
from piu.screening.scripts import ARABIC, CYRILLIC, detect_script

from .conftest import corpus_path, imported

UN25 = "un_sc_consolidated/consolidatedLegacyByPRN_2025-11-15.xml"
UN24 = "un_sc_consolidated/consolidated_2024-09-26.xml"
UN17 = "un_sc_consolidated/consolidated_2017-07-03.xml"


@pytest.mark.parametrize(
    ("rel", "persons", "entities"), [(UN25, 727, 273), (UN24, 682, 193), (UN17, 650, 371)]
)
def test_counts_agree_with_provenance(rel: str, persons: int, entities: int) -> None:
    r = imported(rel)
    assert detect_format(corpus_path(rel)) == "un_sc_xml"
    assert r.count_by_kind() == {"person": persons, "entity": entities}
    assert r.generated_at is not None


def test_generated_at_read_from_each_layout() -> None:
    assert str(imported(UN25).generated_at) == "2025-11-15 23:00:02.690000+00:00"
    assert imported(UN24).generated_at.date().isoformat() == "2024-09-26"  # single quotes
    assert imported(UN17).generated_at.utcoffset().total_seconds() == -4 * 3600


def test_named_entry_2025() -> None:
    e = {x.id: x for x in imported(UN25).entries}["QDi.001"]
    assert e.names[0] == "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE"
    assert "محمد صلاح الدين عبدالحليم زيدان" in e.names  # NAME_ORIGINAL_SCRIPT
    assert "Seif al Adel" in e.weak_names and "Seif al Adel" in e.names  # QUALITY Low
    assert "Muhamad Ibrahim Makkawi" in e.names
    assert "Muhamad Ibrahim Makkawi" not in e.weak_names  # QUALITY Good
    assert DateOfBirth(1963, 4, 11) in e.dobs
    assert e.nationalities == ["EGY"]
    assert e.attributes == {"listed_on": "2001-01-25", "list_type": "Al-Qaida"}


def test_2017_layout_values_trimmed() -> None:
    e = {x.id: x for x in imported(UN17).entries}["KPi.033"]
    assert e.names == ["RI WON HO"]
    assert e.dobs == [DateOfBirth(1964, 7, 17)]
    assert e.nationalities == ["PRK"]
    assert e.documents == [Document("381310014", "Passport", None)]


def test_original_scripts_and_weak_aliases_2025() -> None:
    r = imported(UN25)
    scripts = [{detect_script(n) for n in e.names} for e in r.persons]
    # PROVENANCE: NAME_ORIGINAL_SCRIPT for 337 individuals, Arabic 328, Cyrillic 9,
    # plus some "(original script: ...)" inside aliases.
    assert sum(ARABIC in s for s in scripts) >= 328
    assert sum(CYRILLIC in s for s in scripts) >= 9
    text = corpus_path(UN25).read_text(encoding="utf-8")
    individuals = text.split("<ENTITIES>")[0]
    assert individuals.count("<QUALITY>Low</QUALITY>") == 615
    assert sum(len(e.weak_names) for e in r.persons) >= 550
    by_name = {n: e for e in r.persons for n in e.names}
    assert "Амир Хазмат" in by_name  # from "Amir Khazmat (original script: Амир Хазмат)"
    assert "Amir Khazmat" in by_name[("Амир Хазмат")].names


def test_date_kinds_2025() -> None:
    r = imported(UN25)
    dobs = [d for e in r.persons for d in e.dobs]
    assert any(d.day is not None for d in dobs)  # EXACT DATE
    assert any(d.month is None and d.year_to is None for d in dobs)  # EXACT YEAR
    assert sum(d.year_to is not None for d in dobs) >= 23 + 8  # BETWEEN (+APPROXIMATELY)


def _refs(path: str) -> set[str]:
    text = corpus_path(path).read_text(encoding="utf-8")
    return set(re.findall(r"<REFERENCE_NUMBER>\s*([^<\s]+)\s*</REFERENCE_NUMBER>", text))


def _raw_names(path: str) -> dict[str, set[tuple[str, str]]]:
    """Independent reading: per record, the raw text of every name element."""
    text = corpus_path(path).read_text(encoding="utf-8")
    out: dict[str, set[tuple[str, str]]] = {}
    for rec in re.findall(r"<(?:INDIVIDUAL|ENTITY)>(.*?)</(?:INDIVIDUAL|ENTITY)>", text, re.S):
        ref = re.search(r"<REFERENCE_NUMBER>\s*([^<\s]+)", rec)
        assert ref
        vals = re.findall(
            r"<(FIRST_NAME|SECOND_NAME|THIRD_NAME|FOURTH_NAME|NAME_ORIGINAL_SCRIPT|ALIAS_NAME)>"
            r"([^<]*)<",
            rec,
        )
        out[ref.group(1)] = {(tag, " ".join(v.split())) for tag, v in vals if v.strip()}
    return out


def test_diff_2017_to_2025_checked_by_regex() -> None:
    old, new = imported(UN17), imported(UN25)
    d = diff(old.entries, new.entries)
    old_refs, new_refs = _refs(UN17), _refs(UN25)
    assert {e.id for e in d.added} == new_refs - old_refs
    assert {e.id for e in d.removed} == old_refs - new_refs
    assert len(d.changed) + d.unchanged == len(old_refs & new_refs)
    assert (len(d.added), len(d.removed)) == (202, 223)
    # names changed only where the raw name elements changed, and unchanged raw names
    # never produce a "names" change.
    raw_old, raw_new = _raw_names(UN17), _raw_names(UN25)
    raw_changed = {r for r in old_refs & new_refs if raw_old[r] != raw_new[r]}
    names_changed = {c.id for c in d.changed if "names" in c.fields}
    assert names_changed <= raw_changed
    assert len(names_changed) >= 0.8 * len(raw_changed)
    assert d.changed and all(c.fields for c in d.changed)


def test_truncated_xml_refused_with_line(tmp_path) -> None:
    data = corpus_path(UN25).read_bytes()[:5000]
    f = tmp_path / "cut.xml"
    f.write_bytes(data)
    with pytest.raises(WatchlistFormatError) as exc:
        load(f)
    assert exc.value.line is not None and exc.value.line > 1
    assert "not well-formed" in str(exc.value) and "cut.xml" in str(exc.value)


def test_doctype_refused() -> None:
    from piu.screening.importers import parse_bytes

    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CONSOLIDATED_LIST/>'
    with pytest.raises(WatchlistFormatError, match="DOCTYPE"):
        parse_bytes(bomb, "un_sc_xml")


def test_wrong_root_refused_with_element() -> None:
    from piu.screening.importers import parse_bytes

    with pytest.raises(WatchlistFormatError) as exc:
        parse_bytes(b"<sdnList><sdnEntry/></sdnList>", "un_sc_xml")
    assert exc.value.path == "/sdnList"


def test_bad_date_is_a_warning_not_a_refusal() -> None:
    from piu.screening.importers import parse_bytes

    xml = (
        b"<CONSOLIDATED_LIST dateGenerated='2025-01-01T00:00:00Z'><INDIVIDUALS><INDIVIDUAL>"
        b"<FIRST_NAME>A</FIRST_NAME><SECOND_NAME>B</SECOND_NAME>"
        b"<REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>"
        b"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-13-45</DATE>"
        b"</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    r = parse_bytes(xml)
    assert [e.id for e in r.entries] == ["XXi.001"] and r.entries[0].dobs == []
    assert len(r.warnings) == 1 and "XXi.001" in r.warnings[0]
