"""Shared paths and cached imports of the real corpus files (read-only, in ../shared)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from piu.screening.importers import ImportedList, load

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "watchlists"


def corpus_path(rel: str) -> Path:
    """The corpus file or folder, or skip the test with the reason."""
    p = CORPUS / rel
    if not p.exists():
        pytest.skip(f"watchlist corpus file {rel} not found under {CORPUS}")
    return p


@functools.cache
def _load(rel: str) -> ImportedList:
    return load(CORPUS / rel)


def imported(rel: str) -> ImportedList:
    """Import once per test session (the corpus is read-only)."""
    corpus_path(rel)
    return _load(rel)
