import csv
import json

import pytest

from piu.screening.importers import WatchlistFormatError, detect_format, load, parse_bytes
from piu.screening.model import DateOfBirth, Document
from piu.screening.scripts import ARABIC, CYRILLIC, LATIN, detect_script

from .conftest import corpus_path, imported

EU = "eu_journal_sanctions_opensanctions/consolidated"
RN_LIST = "interpol_red_notices/red_notices_list_2023-05-17.json"
RN_DETAILS = "interpol_red_notices/red_notices_details_2023-05-19.json"
UAE = "uae_local_terrorist_list/LS1309232025.csv"
SEMA = "canada_sema/sema-lmes_2020-04.xml"


def test_eu_folder_is_one_list() -> None:
    r = imported(EU)
    assert detect_format(corpus_path(EU)) == "eu_journal_csv"
    persons = 0
    for f in corpus_path(EU).glob("*.csv"):
        with f.open(encoding="utf-8", newline="") as fh:
            persons += sum(row["schema"] == "Person" for row in csv.DictReader(fh))
    assert persons == 4500  # PROVENANCE: 4,500 Person rows
    assert len(r.persons) == persons  # no two Person rows share celex, annex, id and name
    assert len({e.id for e in r.entries}) == len(r.entries)
    cyr = sum(any(detect_script(n) == CYRILLIC for n in e.names) for e in r.persons)
    ara = sum(any(detect_script(n) == ARABIC for n in e.names) for e in r.persons)
    assert cyr >= 2500 and ara >= 300  # PROVENANCE: Cyrillic 2,560, Arabic script 384
    assert sum(bool(e.weak_names) for e in r.persons) >= 60  # 65 rows with weakAlias
    assert sum(bool(e.dobs) for e in r.persons) >= 3700


def test_eu_named_entry() -> None:
    e = {x.id: x for x in imported(EU).entries}["32014R0269:I.PERSONS:270"]
    assert e.names == ["Mikhail Yurevich AVDEYEV", "Михаил Юрьевич АВДЕЕВ"]
    assert e.dobs == [DateOfBirth(1977, 3, 6)] and e.gender == "M"


def test_eu_wrong_column_count(tmp_path) -> None:
    src = (corpus_path(EU) / "32001R2580.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "x.csv").write_text(
        "\n".join([*src[:3], "32001R2580,1,EU-TERR"]) + "\n", encoding="utf-8"
    )
    with pytest.raises(WatchlistFormatError) as exc:
        load(tmp_path / "x.csv", "eu_journal_csv")
    assert exc.value.line == 4 and "columns" in exc.value.reason


def test_interpol_list_pages() -> None:
    r = imported(RN_LIST)
    assert detect_format(corpus_path(RN_LIST)) == "interpol_red_json"
    pages = json.loads(corpus_path(RN_LIST).read_text(encoding="utf-8"))
    ids = {n["entity_id"] for page in pages for n in page}
    assert len(r.entries) == len(ids) == 6934
    e = {x.id: x for x in r.entries}["2022/28547"]
    assert e.names == ["ABRIIAT AGARAGIMOVA"]
    assert (e.dobs, e.nationalities) == ([DateOfBirth(1994, 3, 1)], ["RUS"])


def test_interpol_details() -> None:
    r = imported(RN_DETAILS)
    rows = json.loads(corpus_path(RN_DETAILS).read_text(encoding="utf-8"))
    assert len(rows) == 204 and len(r.entries) == len({n["entity_id"] for n in rows})
    e = {x.id: x for x in r.entries}["2022/28547"]
    assert e.gender == "F" and e.attributes["warrant_countries"] == "RU"


def test_interpol_api_page_and_not_a_list() -> None:
    page = {
        "total": 1,
        "_embedded": {
            "notices": [
                {
                    "entity_id": "2020/1",
                    "forename": "A",
                    "name": "B",
                    "nationalities": ["KG"],
                    "date_of_birth": "1980",
                }
            ]
        },
    }
    r = parse_bytes(json.dumps(page).encode())
    assert r.entries[0].nationalities == ["KGZ"] and r.entries[0].dobs == [DateOfBirth(1980)]
    with pytest.raises(WatchlistFormatError) as exc:
        parse_bytes(b'[{"entity_id": "1"}, 5]', "interpol_red_json")
    assert exc.value.path == "$[1]"
    with pytest.raises(WatchlistFormatError) as exc:
        parse_bytes(b'{"notices": [', "interpol_red_json")
    assert exc.value.line == 1


def test_uae() -> None:
    r = imported(UAE)
    assert detect_format(corpus_path(UAE)) == "uae_local_csv"
    assert len(r.persons) == 155 == len(r.entries)
    for e in r.persons:
        scripts = {detect_script(n) for n in e.names}
        assert ARABIC in scripts and LATIN in scripts, e
    one = r.entries[0]
    assert one.id == "UAE-1" and one.names[:2] == [
        "KHALIFA MOHD T AL SUBAEY",
        "خليفة محمد تركي السبيعي",
    ]
    assert one.dobs == [DateOfBirth(1965, 1, 1)] and one.nationalities == ["QAT"]
    assert one.documents == [Document("685868", "جواز سفر", "QAT")]
    four = {e.id: e for e in r.entries}["UAE-4"]
    assert four.weak_names == ["أبوخليل"]  # kunya in parentheses


def test_canada_sema() -> None:
    r = imported(SEMA)
    assert detect_format(corpus_path(SEMA)) == "canada_sema_xml"
    assert r.count_by_kind() == {"entity": 384, "person": 985}
    e = {x.id: x for x in r.entries}["Burma/2/1"]
    assert e.names == ["Than Shwe"] and e.dobs == [DateOfBirth(1933, 2, 2)]
    assert e.nationalities == [] and e.attributes["program"] == "Burma / Birmanie"
    assert sum(len(x.names) - 1 for x in r.persons) >= 70  # 74 alias strings


def test_unknown_bytes_refused() -> None:
    with pytest.raises(WatchlistFormatError, match="not a watchlist format"):
        detect_format(b"hello,world\n1,2\n")
