"""Plain data for screening: watchlist entries, queries, and explained matches.

No I/O here. Dates of birth are kept as :class:`DateOfBirth` values that can be a full
date, a year and month, a year, or a range of years, because lists publish all four.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "DateOfBirth",
    "Document",
    "Match",
    "NameAlignment",
    "Query",
    "TokenPair",
    "WatchlistEntry",
]

_DOB_RE = re.compile(
    r"^\s*(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?"
    r"(?:\s*(?:/|\.\.|–|-|to)\s*(?P<y2>\d{4}))?\s*$"
)


# This module is compiled by mypyc (setup.py). A compiled frozen class would unpickle by
# setting its fields one by one, which frozen forbids, and Matcher.screen_many's workers
# send their matches back pickled: each frozen class here defines __reduce__ so that it
# unpickles through its constructor.


@dataclass(frozen=True, slots=True)
class DateOfBirth:
    """A full, partial (year or year-month) or ranged (``year``..``year_to``) date of birth."""

    year: int
    month: int | None = None
    day: int | None = None
    year_to: int | None = None

    @classmethod
    def parse(cls, text: str) -> DateOfBirth | None:
        """Read ``1968-03-11``, ``1968-03``, ``1968`` or a range ``1960..1965``, else None."""
        m = _DOB_RE.match(text or "")
        if not m:
            return None
        y2 = int(m["y2"]) if m["y2"] else None
        month = int(m["m"]) if m["m"] else None
        day = int(m["d"]) if m["d"] else None
        if month is not None and not 1 <= month <= 12:
            month, day = None, None
        if day is not None and not 1 <= day <= 31:
            day = None
        if y2 is not None and y2 <= int(m["y"]):
            y2 = None
        return cls(int(m["y"]), month, day, y2)

    def __reduce__(self) -> tuple[Callable[..., DateOfBirth], tuple[object, ...]]:
        return (DateOfBirth, (self.year, self.month, self.day, self.year_to))

    @property
    def is_range(self) -> bool:
        return self.year_to is not None

    def __str__(self) -> str:
        if self.year_to is not None:
            return f"{self.year}..{self.year_to}"
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True, slots=True)
class Document:
    """A travel or identity document: number, optional type and issuing state (alpha-3)."""

    number: str
    type: str | None = None
    country: str | None = None

    def __reduce__(self) -> tuple[Callable[..., Document], tuple[object, ...]]:
        return (Document, (self.number, self.type, self.country))


@dataclass(slots=True)
class WatchlistEntry:
    """A listed person.

    ``names`` holds every name the list gives, in any script; ``weak_names`` (nicknames,
    partial names) are a subset of ``names`` and count less. ``nationalities`` are ISO
    3166 alpha-3 codes; ``gender`` is ``"M"``, ``"F"`` or None.

    ``kind`` is ``"person"`` for people and otherwise what the list says the entry is
    (``"entity"``, ``"vessel"``, ``"aircraft"``, ``"document"`` for a lost or stolen
    document); screening of travellers uses persons and documents. ``attributes`` keeps
    list facts that are not matched on but that an analyst wants to see and a re-import
    should notice (``listed_on``, ``program``, ``list_type``), as plain strings.
    """

    id: str
    list_id: str
    names: list[str]
    weak_names: list[str] = field(default_factory=list)
    dobs: list[DateOfBirth] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    gender: str | None = None
    documents: list[Document] = field(default_factory=list)
    kind: str = "person"
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Query:
    """A traveller to screen, as known from API or PNR data."""

    name: str
    dob: DateOfBirth | None = None
    nationality: str | None = None
    gender: str | None = None
    documents: list[Document] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TokenPair:
    """One aligned token pair: query token, listed token, similarity, and how it was judged."""

    query: str
    listed: str
    similarity: float
    method: str

    def __reduce__(self) -> tuple[Callable[..., TokenPair], tuple[object, ...]]:
        return (TokenPair, (self.query, self.listed, self.similarity, self.method))


@dataclass(slots=True)
class NameAlignment:
    """How the query name aligned with one listed name."""

    query_name: str
    listed_name: str
    score: float
    pairs: list[TokenPair]
    unmatched_query: list[str]
    unmatched_listed: list[str]
    weak: bool = False


@dataclass(slots=True)
class Match:
    """A scored candidate with its explanation.

    ``score`` is in [0, 1]; ``alert`` says whether it reached the threshold in force.
    ``features`` maps feature name (``name``, ``dob``, ``nationality``, ``gender``,
    ``document``) to ``(outcome, adjustment)``, e.g. ``("full", +0.08)``.
    """

    entry_id: str
    list_id: str
    score: float
    alert: bool
    name: NameAlignment
    features: dict[str, tuple[str, float]]
    algorithm: str

    def explain(self) -> str:
        """A one-paragraph, human-readable explanation."""
        n = self.name
        pairs = ", ".join(f"{p.query}~{p.listed} {p.similarity:.2f} ({p.method})" for p in n.pairs)
        lines = [
            f"{self.entry_id} score {self.score:.3f} ({self.algorithm})",
            f"  name {n.score:.3f}: {n.query_name!r} ~ {n.listed_name!r}"
            + (" [weak alias]" if n.weak else ""),
            f"    tokens: {pairs}",
        ]
        if n.unmatched_query:
            lines.append(f"    query tokens without partner: {n.unmatched_query}")
        if n.unmatched_listed:
            lines.append(f"    listed tokens without partner: {n.unmatched_listed}")
        for k, (outcome, adj) in self.features.items():
            if k != "name":
                lines.append(f"  {k}: {outcome} ({adj:+.2f})")
        return "\n".join(lines)
