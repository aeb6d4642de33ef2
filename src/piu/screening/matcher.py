"""The matcher: build an index over watchlist entries, screen queries, return explained matches."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import ClassVar, Final

from .index import NameIndex
from .model import Match, Query, WatchlistEntry
from .names import Token, analyse_name
from .scoring import (
    DEFAULT_CONFIG,
    QueryScorer,
    ScoringConfig,
    entry_features,
    given_name_relief,
    score_entry,
)

__all__ = [
    "ALGORITHM",
    "DEFAULT_THRESHOLD",
    "PER_WORKER",
    "Matcher",
    "clear_caches",
    "default_workers",
    "processes_for",
    "settle_heap",
]

ALGORITHM: Final = "piu-names-1.13"
DEFAULT_THRESHOLD: Final = 0.80
_SLACK: Final = 1e-4  # Match.score is rounded to 4 places; never prune what rounding would keep
_CHUNK: Final = 128  # queries handed to a worker process at a time
PER_WORKER: Final = 2_000  # fewer queries a worker, and the processes do not pay (screen_many)
_GC_THRESHOLDS: Final = (50_000, 20, 20)  # young, middle, old generations (see settle_heap)
# what a forked worker of Matcher.screen_many screens against: (matcher, queries, threshold)
_FORKED: tuple[Matcher, Sequence[Query], float | None] | None = None


def default_workers() -> int:
    """Worker processes for batch screening: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _screen_range(bounds: tuple[int, int]) -> list[list[Match]]:
    assert _FORKED is not None
    matcher, queries, threshold = _FORKED
    return [matcher.screen(queries[i], threshold) for i in range(*bounds)]


def clear_caches() -> None:
    """Forget every memoised name analysis and token similarity (for cold measurements)."""
    from . import keys, names, scoring, translit

    for f in (names.analyse_name, names.analyse_token, names._alternatives, keys.fold_key,
              keys.latin_skeleton, translit.cyrillic_renditions, translit.arabic_rendition,
              translit.arabic_skeleton, translit.fold_other, translit.hebrew_readings):  # fmt: skip
        f.cache_clear()
    scoring.clear_similarity_cache()


def processes_for(queries: int, workers: int, per_worker: int = PER_WORKER) -> int:
    """How many processes :meth:`Matcher.screen_many` uses for ``queries`` (1: this one)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(workers, queries // max(1, per_worker)))


def settle_heap() -> None:
    """Collect garbage once, keep every object alive now out of later collections, and
    let the collector run less often.

    For a process that keeps an index for long (the screening cache, a benchmark): the
    cyclic garbage collector's full passes walk every container object alive, and an
    index holds millions of them (tokens, tuples, dicts) that never become garbage; and
    with the default thresholds, the caches that screening fills (token similarities,
    each query token's reach) set off a full pass every second or so. On names-dev's
    lists, collections took 16% of a cold screening run; frozen, and with young
    collections every 50,000 allocations instead of 700, 6% (``bench/names.py``, and
    with ``--no-settle``). Frozen objects are still freed when nothing refers to them; a
    later call first thaws everything, so what an earlier index left in reference cycles
    is collected then.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)


class Matcher:
    """Screens travellers against a set of watchlist entries.

    ``threshold`` is the default alert threshold; ``list_thresholds`` overrides it per list
    id. ``candidates`` bounds how many entries the index hands to the scorer per query.
    """

    algorithm: ClassVar[str] = ALGORITHM  # a class attribute also when compiled

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

    def score_all(self, query: Query) -> list[Match]:
        """Every candidate the index proposes, scored, best first (alerts or not)."""
        form = analyse_name(query.name)
        out: list[Match] = []
        scorer = QueryScorer(form, self.config, keep_glued=self.index.aligns_glued)
        index = self.index
        for i in index.candidates(form, self.candidate_limit, also=index.born_on(query.dob),
                                  year=index.born_in(query.dob)):  # fmt: skip
            entry = index.entries[i]
            thr = self.list_thresholds.get(entry.list_id, self.threshold)
            out.append(
                score_entry(
                    query,
                    form,
                    entry,
                    index.forms[i],
                    threshold=thr,
                    algorithm=self.algorithm,
                    config=self.config,
                    scorer=scorer,
                    view=index.view(i),
                    sharing=index.sharing,
                    keep_glued=index.aligns_glued,
                )
            )
        out.sort(key=lambda m: m.score, reverse=True)
        return out

    def screen(self, query: Query, threshold: float | None = None) -> list[Match]:
        """The alerts for ``query``: matches at or above the threshold, best first.

        The same matches as filtering :meth:`score_all`, found faster: dates of birth,
        nationality, gender and documents are compared first, so a candidate whose best
        possible name score cannot reach the threshold is not aligned at all, and the
        explanation is built only for candidates that alert.
        """
        form = analyse_name(query.name)
        out: list[Match] = []
        index = self.index
        config = self.config
        scorer = QueryScorer(form, config, keep_glued=index.aligns_glued)
        relief = given_name_relief(config)
        few = config.single_name_sharing_year

        def rare(t: Token) -> bool:  # a listed name of one word the year may confirm
            return index.sharing(t) <= few

        for i in index.candidates(form, self.candidate_limit, also=index.born_on(query.dob),
                                  year=index.born_in(query.dob)):  # fmt: skip
            entry = index.entries[i]
            thr = self.list_thresholds.get(entry.list_id, self.threshold)
            cut = thr if threshold is None else threshold
            feats = entry_features(query, entry, config)
            others = sum(a for k, (_, a) in feats.items() if k != "dob")
            need = cut - _SLACK - others - feats["dob"][1]
            if feats["dob"][0] == "full":
                need -= relief  # what score_entry may give back for a given name
            view = index.view(i)
            dob = feats["dob"][0]
            if (
                dob in ("full", "year")
                and config.confirmed_by_dob
                and config.confirmed_by_dob + others >= cut - _SLACK
                and scorer.confirmable(view, config.confirmed_level, dob == "full", rare)
            ):
                need = -1.0  # the date may confirm a name of any score (score_entry)
            if need > 1.0:
                continue  # not even identical names would alert
            name, at = scorer.best(view, at_least=need)
            if at < 0 or name < need:
                continue
            m = score_entry(query, form, entry, index.forms[i], threshold=thr,
                            algorithm=self.algorithm, config=config, features=feats,
                            best_at=at, sharing=index.sharing,
                            keep_glued=index.aligns_glued)  # fmt: skip
            if m.alert if threshold is None else m.score >= threshold:
                out.append(m)
        out.sort(key=lambda m: m.score, reverse=True)
        return out

    def screen_many(
        self,
        queries: Sequence[Query],
        threshold: float | None = None,
        *,
        workers: int = 1,
        per_worker: int = PER_WORKER,
    ) -> list[list[Match]]:
        """:meth:`screen` for each query, in order, spread over ``workers`` processes.

        Screening is pure Python and holds the GIL, so a batch (a re-screening, a day's
        backlog) uses the other cores through forked processes, which share the index
        with this one (copy on write; the garbage collector is frozen first so that it
        does not touch, and so copy, every page; what was frozen before, by
        :func:`settle_heap`, stays frozen). Only where ``fork`` exists. Each worker starts
        with empty caches and copies the pages it touches, so a batch of fewer than
        ``per_worker`` queries a worker is screened here: on a million names, 1,000
        queries took longer over two workers than in one process. Call it from a process
        that runs no other threads (a command, a worker), not from inside a web server.
        """
        n = processes_for(len(queries), workers, per_worker)
        if n <= 1:
            return [self.screen(q, threshold) for q in queries]
        global _FORKED
        _FORKED = (self, queries, threshold)
        settled = gc.get_freeze_count() > 0
        gc.freeze()
        try:
            ctx = multiprocessing.get_context("fork")
            ranges = [(i, min(i + _CHUNK, len(queries))) for i in range(0, len(queries), _CHUNK)]
            # an executor, not a Pool: a worker that dies raises here instead of hanging
            with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
                parts = list(pool.map(_screen_range, ranges))
        finally:
            if not settled:
                gc.unfreeze()
            _FORKED = None
        return [matches for part in parts for matches in part]
