"""Shared test helpers for the format tests: corpus location and comparisons."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from piu.domain.travel import PassengerList

SHARED = Path(__file__).parents[2] / ".." / "shared"
GTAS = SHARED / "corpus" / "gtas"


def gtas_files() -> list[Path]:
    """Every file of the GTAS corpus, sorted; empty when the corpus is absent."""
    if not GTAS.is_dir():
        return []
    return sorted(p for p in GTAS.rglob("*") if p.is_file())


def comparable(pl: PassengerList) -> PassengerList:
    """``pl`` without what describes the bytes rather than the data: traveller positions
    and warnings. A round trip must preserve everything else."""
    return dataclasses.replace(
        pl,
        warnings=[],
        travellers=[dataclasses.replace(t, segment_index=None, offset=None) for t in pl.travellers],
    )
