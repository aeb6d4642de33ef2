"""Watchlist screening: find listed people under any spelling, in any script.

Pure Python over plain data (rapidfuzz and anyascii are the only libraries). The public
surface::

    from piu.screening import Matcher, Query, WatchlistEntry, DateOfBirth
    m = Matcher().build(entries)
    for match in m.screen(Query("Абдулхакимов Азамат", dob=DateOfBirth.parse("1980"))):
        print(match.explain())

Modules: ``scripts`` (script detection), ``translit`` (ICAO Doc 9303 and other renditions),
``names`` (tokens, particles, patronymics), ``keys`` (folding keys), ``index`` (candidate
retrieval), ``scoring`` (score and explanation), ``model`` (data), ``matcher``. Most of
them are compiled by mypyc when installed; ``_native`` (imported first: it decides whether
the compiled modules or their source load) says which build runs, in ``BUILD``.
"""

from __future__ import annotations

from ._native import BUILD as BUILD  # first: before any module it may compile
from .matcher import ALGORITHM as ALGORITHM
from .matcher import DEFAULT_THRESHOLD as DEFAULT_THRESHOLD
from .matcher import Matcher as Matcher
from .model import DateOfBirth as DateOfBirth
from .model import Document as Document
from .model import Match as Match
from .model import NameAlignment as NameAlignment
from .model import Query as Query
from .model import TokenPair as TokenPair
from .model import WatchlistEntry as WatchlistEntry
from .names import analyse_name as analyse_name
from .names import written_name as written_name
from .scoring import ScoringConfig as ScoringConfig

__all__ = [
    "ALGORITHM",
    "BUILD",
    "DEFAULT_THRESHOLD",
    "DateOfBirth",
    "Document",
    "Match",
    "Matcher",
    "NameAlignment",
    "Query",
    "ScoringConfig",
    "TokenPair",
    "WatchlistEntry",
    "analyse_name",
    "written_name",
]
