"""Helpers shared by the synth tests: a small run and its ground truth."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from piu.synth import Config

DAY = date(2026, 11, 28)
SMALL = Config(
    passengers=700,
    seed=11,
    first_day=DAY,
    pnr_hours=(24.0, 0.0),
    watch=4,
    namesakes=1,
    sltd=1,
    patterns=1,
    # more faults than real life, so that a small run has some of each
    late_rate=0.1,
    missing_rate=0.05,
    malformed_rate=0.1,
    resend_rate=0.1,
)


def small(**changes: Any) -> Config:
    return replace(SMALL, **changes)


def truth(out: Path) -> list[dict[str, Any]]:
    with (out / "ground_truth.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def of_type(lines: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [line for line in lines if line["type"] == kind]
