"""An in-memory index over watchlist names, so a query fetches a small candidate set fast.

Every token of every listed name is posted under its folding keys (:mod:`keys`); a
deletion neighbourhood over the key vocabulary (SymSpell style: each key with one letter
removed) finds keys one edit away. Tokens are also posted under their consonant skeleton,
which an Arabic-script query uses (and which a Latin query uses to reach names the list
gives in Arabic script). A query accumulates, per entry, the inverse document frequency
of each of its tokens found there; the best-scoring entries are the candidates.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable

from .model import WatchlistEntry
from .names import NameForm, Token, analyse_name
from .scripts import ARABIC

__all__ = ["NameIndex"]


def _deletions(key: str) -> set[str]:
    if len(key) < 4:
        return set()
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


class NameIndex:
    """Postings from token keys and skeletons to entries; see the module docstring."""

    def __init__(self, max_posting: int = 4000) -> None:
        self.entries: list[WatchlistEntry] = []
        self.forms: list[list[tuple[NameForm, bool]]] = []
        self._key_post: dict[str, list[int]] = defaultdict(list)
        self._skel_post: dict[str, list[int]] = defaultdict(list)
        self._skel_arabic_post: dict[str, list[int]] = defaultdict(list)
        self._deletes: dict[str, set[str]] = defaultdict(set)
        self._max_posting = max_posting
        self._n = 0

    def build(self, entries: Iterable[WatchlistEntry]) -> None:
        key_sets: dict[str, set[int]] = defaultdict(set)
        skel_sets: dict[str, set[int]] = defaultdict(set)
        skel_ar_sets: dict[str, set[int]] = defaultdict(set)
        for entry in entries:
            idx = len(self.entries)
            self.entries.append(entry)
            weak = set(entry.weak_names)
            forms = [(analyse_name(n), n in weak) for n in dict.fromkeys(entry.names)]
            self.forms.append(forms)
            for form, _ in forms:
                for t in form.main_tokens:
                    for k in t.keys:
                        key_sets[k].add(idx)
                    for s in t.skeletons:
                        if len(s) >= 2:
                            skel_sets[s].add(idx)
                            if t.script == ARABIC:
                                skel_ar_sets[s].add(idx)
        self._n = len(self.entries)
        for k, ids in key_sets.items():
            self._key_post[k] = sorted(ids)
            for d in _deletions(k):
                self._deletes[d].add(k)
            self._deletes[k].add(k)
        for s, ids in skel_sets.items():
            self._skel_post[s] = sorted(ids)
        for s, ids in skel_ar_sets.items():
            self._skel_arabic_post[s] = sorted(ids)

    def __len__(self) -> int:
        return self._n

    def idf(self, token: Token) -> float:
        """Inverse document frequency of a token's rarest key, scaled to about 1."""
        df = min((len(self._key_post.get(k, ())) for k in token.keys), default=0)
        if token.script == ARABIC:
            df = min(df or self._n, *(len(self._skel_post.get(s, ())) for s in token.skeletons))
        return math.log(1 + self._n / (1 + df))

    def _near_keys(self, key: str) -> set[str]:
        found = set(self._deletes.get(key, ()))
        for d in _deletions(key):
            found |= self._deletes.get(d, set())
        return found

    def candidates(self, form: NameForm, limit: int = 25, min_share: float = 0.5) -> list[int]:
        """Entry positions most likely to match ``form``, best first."""
        acc: dict[int, float] = defaultdict(float)
        tokens = [t for t in form.main_tokens if t.role != "initial"]
        for t in tokens:
            hits: dict[int, float] = {}
            postings: list[tuple[list[int], float]] = []
            for k in t.keys:
                for nk in self._near_keys(k):
                    p = self._key_post[nk]
                    postings.append((p, 1.0 if nk == k else 0.8))
            if t.script == ARABIC:
                for s in t.skeletons:
                    if len(s) >= 2 and s in self._skel_post:
                        postings.append((self._skel_post[s], 0.9))
            else:
                for s in t.skeletons:
                    if len(s) >= 2 and s in self._skel_arabic_post:
                        postings.append((self._skel_arabic_post[s], 0.9))
            if not postings:
                continue
            df = min(len(p) for p, _ in postings)
            w = math.log(1 + self._n / (1 + df))
            for p, f in postings:
                if len(p) > self._max_posting:
                    continue
                v = w * f
                for i in p:
                    if hits.get(i, 0.0) < v:
                        hits[i] = v
            for i, v in hits.items():
                acc[i] += v
        if not acc:
            return []
        ranked = heapq.nlargest(limit, acc.items(), key=lambda kv: kv[1])
        floor = ranked[0][1] * min_share
        return [i for i, v in ranked[:limit] if v >= floor]
