"""The matcher: build an index over watchlist entries, screen queries, return explained matches."""

from __future__ import annotations

from collections.abc import Iterable

from .index import NameIndex
from .model import Match, Query, WatchlistEntry
from .names import Token, analyse_name
from .scoring import DEFAULT_CONFIG, ScoringConfig, score_entry

__all__ = ["ALGORITHM", "DEFAULT_THRESHOLD", "Matcher"]

ALGORITHM = "piu-names-1.0"
DEFAULT_THRESHOLD = 0.80


class Matcher:
    """Screens travellers against a set of watchlist entries.

    ``threshold`` is the default alert threshold; ``list_thresholds`` overrides it per list
    id. ``candidates`` bounds how many entries the index hands to the scorer per query.
    """

    algorithm = ALGORITHM

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        list_thresholds: dict[str, float] | None = None,
        config: ScoringConfig = DEFAULT_CONFIG,
        candidates: int = 12,
    ) -> None:
        self.threshold = threshold
        self.list_thresholds = dict(list_thresholds or {})
        self.config = config
        self.candidate_limit = candidates
        self.index = NameIndex()

    def build(self, entries: Iterable[WatchlistEntry]) -> Matcher:
        self.index = NameIndex()
        self.index.build(entries)
        return self

    def _idf(self, token: Token) -> float:
        return 1.0

    def score_all(self, query: Query) -> list[Match]:
        """Every candidate the index proposes, scored, best first (alerts or not)."""
        form = analyse_name(query.name)
        out: list[Match] = []
        for i in self.index.candidates(form, self.candidate_limit):
            entry = self.index.entries[i]
            thr = self.list_thresholds.get(entry.list_id, self.threshold)
            out.append(
                score_entry(
                    query,
                    form,
                    entry,
                    self.index.forms[i],
                    threshold=thr,
                    algorithm=self.algorithm,
                    config=self.config,
                )
            )
        out.sort(key=lambda m: m.score, reverse=True)
        return out

    def screen(self, query: Query, threshold: float | None = None) -> list[Match]:
        """The alerts for ``query``: matches at or above the threshold, best first."""
        matches = self.score_all(query)
        if threshold is not None:
            return [m for m in matches if m.score >= threshold]
        return [m for m in matches if m.alert]
