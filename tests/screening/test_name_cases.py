"""The labelled cross-script name corpus against its committed baseline.

``name_cases.csv`` holds our own cases (Kyrgyz, Kazakh, Russian, Ukrainian, Belarusian,
Arabic and Hebrew names against Latin spellings; positives and hard negatives). The name score alone
is compared with the default threshold; the confusion matrix is printed and must not be
worse than ``name_cases_baseline.json`` (more true positives lost or more false positives
gained fails). Update the baseline deliberately when the matcher improves:
``PIU_UPDATE_NAME_BASELINE=1 pytest tests/screening/test_name_cases.py``.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from pathlib import Path

from piu.screening import DEFAULT_THRESHOLD, analyse_name
from piu.screening.scoring import align_names

HERE = Path(__file__).parent
CASES = HERE / "name_cases.csv"
BASELINE = HERE / "name_cases_baseline.json"


def _confusion() -> tuple[dict[str, int], dict[str, Counter[str]], list[str]]:
    total: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    wrong: list[str] = []
    with CASES.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            score = align_names(analyse_name(row["query"]), analyse_name(row["listed"])).score
            hit = score >= DEFAULT_THRESHOLD
            label = row["label"] == "1"
            cell = {(True, True): "tp", (True, False): "fp", (False, True): "fn",
                    (False, False): "tn"}[(hit, label)]  # fmt: skip
            total[cell] += 1
            by_kind.setdefault(row["kind"], Counter())[cell] += 1
            if cell in ("fp", "fn"):
                wrong.append(f"{cell} {score:.3f} {row['query']!r} ~ {row['listed']!r}")
    return {k: total[k] for k in ("tp", "fp", "tn", "fn")}, by_kind, wrong


def test_name_cases_not_worse_than_baseline() -> None:
    matrix, by_kind, wrong = _confusion()
    print("\nname cases confusion matrix:", matrix)
    for kind, c in sorted(by_kind.items()):
        print(f"  {kind:<16} {dict(c)}")
    for w in wrong:
        print("  ", w)
    if os.environ.get("PIU_UPDATE_NAME_BASELINE") == "1":
        BASELINE.write_text(json.dumps(matrix, indent=2) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert matrix["tp"] >= baseline["tp"], (matrix, baseline)
    assert matrix["fp"] <= baseline["fp"], (matrix, baseline)
