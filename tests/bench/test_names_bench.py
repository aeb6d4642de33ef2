"""``bench/names.py`` on a benchmark folder of names-dev's format: the issue's interface
(the last line is one JSON object) and ``--errors``, which lists what the matcher got
wrong. The folder is written here: three listed people, six queries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "names.py"

ENTITIES = [
    {"id": "x:1", "list": "x",
     "names": ["Nurlan Bakytovich ZHUMABAEV", "Нурлан Бакытович Жумабаев"], "weak_names": [],
     "dob": ["1975-03-02"], "nationality": ["KGZ"]},
    {"id": "x:2", "list": "x", "names": ["Gamal Abdel RAGAB"], "weak_names": [],
     "dob": ["1966"], "nationality": ["EGY"]},
    {"id": "x:3", "list": "x", "names": ["Olga Petrovna SIDOROVA"], "weak_names": [],
     "dob": ["1980-01-01"], "nationality": ["RUS"]},
]  # fmt: skip
QUERIES = [
    {"qid": "q1", "query": {"full_name": "Nurlan DJUMABAEV", "dob": "1975-03-02"},
     "expected_entity": "x:1", "list": "x", "type": "alias_latin", "alias_relation": "variant"},
    {"qid": "q2", "query": {"full_name": "Нурлан Жумабаев"}, "expected_entity": "x:1",
     "list": "x", "type": "original_cyrillic"},
    {"qid": "q3", "query": {"full_name": "Tango Two"}, "expected_entity": "x:2", "list": "x",
     "type": "alias_latin", "alias_relation": "distinct"},
    {"qid": "q4", "query": {"full_name": "Olga Petrovna SIDOROVA", "dob": "1980-01-01"},
     "expected_entity": None, "list": "x", "type": "negative_latin"},
    {"qid": "q5", "query": {"full_name": "Ivan KOZLOV"}, "expected_entity": None, "list": "x",
     "type": "negative_latin"},
    # a variant with a name x:3 is not listed under in any spelling: a date cannot vouch
    {"qid": "q6", "query": {"full_name": "Olga Petrovna KUZNETSOVA"}, "expected_entity": "x:3",
     "list": "x", "type": "alias_latin", "alias_relation": "variant"},
]  # fmt: skip


def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "bench"
    d.mkdir()
    for name, rows in (("entities.jsonl", ENTITIES), ("queries.jsonl", QUERIES)):
        (d / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return d


def test_last_line_is_the_json_summary_and_errors_lists_the_mistakes(tmp_path: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    run = subprocess.run(
        [sys.executable, str(BENCH), "--bench", str(_folder(tmp_path)), "--no-speed",
         "--ref-per-type", "0", "--errors", str(errors)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["recall"]["alias_latin_variant"] == 0.5
    assert summary["variants_by_names_held"] == {
        "every name held": {"queries": 1, "recall": 1.0},
        "a name not held": {"queries": 1, "recall": 0.0},
    }
    assert summary["recall"]["original_cyrillic"] == 1.0
    assert summary["recall"]["alias_latin_distinct"] == 0.0
    assert summary["false_alert_rate"]["negative_latin"] == 0.5  # q4 is x:3's own name
    assert "rapidfuzz_token_sort_90" in summary["references"]
    rows = [json.loads(line) for line in errors.read_text().splitlines()]
    # the misses first, nearest the threshold first, then the false alert
    assert [r["qid"] for r in rows] == ["q6", "q3", "q4"]
    _, miss, alert = rows
    assert miss["expected"]["names"] == ["Gamal Abdel RAGAB"]
    assert miss["matches"] == [] and miss["best"] == -1.0  # not even a candidate
    assert alert["expected"] is None
    assert alert["matches"][0]["entry"] == "x:3" and alert["best"] >= 0.8
    assert alert["matches"][0]["features"]["dob"] == "full"
