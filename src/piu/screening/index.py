"""An in-memory index over watchlist names, so a query fetches a small candidate set fast.

Every token of every listed name is posted under its folding keys (:mod:`keys`), and
apart under those of a compound's part that may be given for the whole (GHIAS for
GHIASUDDIN, SAMAD for ABDULSAMAD: :attr:`~piu.screening.names.Token.part_keys`), which a
query token the list does not hold alone reaches; a
deletion neighbourhood over the key vocabulary (SymSpell style: each key with one letter
removed) finds keys one edit away; of those, only the postings of the rarer ones count,
up to a budget of entries per query token. Tokens are also posted under their consonant
skeleton, which an Arabic-script query uses (and which a Latin query uses to reach names
the list gives in Arabic script). A query token the list does not hold also reaches the
entries holding both halves of it as listed spellings (JALALMAAB: JALAL MAAB), or else,
as a name one edit away, those holding the longest listed spelling that begins it
(MOFAKHAMISHAHRESRANI: MOFAKHAMI). A query accumulates, per entry, the inverse document
frequency of each of its tokens found there; the best-scoring entries are the
candidates.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Collection, Iterable, Sequence
from itertools import chain, repeat
from operator import add
from typing import Final, cast

from .model import DateOfBirth, WatchlistEntry
from .names import NameForm, Token, analyse_name, name_alternatives
from .scoring import EntryView, entry_view, tuple_values
from .scripts import ARABIC

__all__ = ["NameIndex"]

# the sorted entry positions holding a key, a skeleton or a spelling
_Posting = Sequence[int]
# per token: {entry: weight x best factor}, the same entries as a set (set intersection
# is twice as fast as that of dict keys), [(weight x factor, postings, head, whole)]
_Reach = tuple[dict[int, float], frozenset[int], list[tuple[float, list[_Posting], _Posting, bool]]]
_MISSING: Final = object()
_HEAD: Final = 64  # entries of each factor's union kept in list order
_TIES: Final = 2  # candidates() takes at most this many times its limit when scores tie
_NEAR: Final = 0.8  # the factor of a key one edit away
_YEAR_EXTRA: Final = 4  # candidates() adds at most this many of those born in the year
_NOBODY: Final[frozenset[int]] = frozenset()


def _post(posting: list[int], idx: int) -> None:
    """Append ``idx`` unless it is already last (entries are posted in order)."""
    if not posting or posting[-1] != idx:
        posting.append(idx)


def _holds(posting: _Posting, idx: int) -> bool:
    """Is ``idx`` in the sorted ``posting``? (Binary search: a common name's posting on a
    big list is long, and only a few positions are asked for.)"""
    j = bisect_left(posting, idx)
    return j < len(posting) and posting[j] == idx


def _deletions(key: str) -> set[str]:
    if len(key) < 4:
        return set()
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


class NameIndex:
    """Postings from token keys and skeletons to entries; see the module docstring."""

    def __init__(
        self,
        max_posting: int = 4000,
        reach_budget: int = 6_000_000,
        eager_views: int = 250_000,
        near_budget: int = 500,
    ) -> None:
        self.entries: list[WatchlistEntry] = []
        self.forms: list[list[tuple[NameForm, bool]]] = []
        self._key_post: dict[str, tuple[int, ...]] = {}
        self._skel_post: dict[str, tuple[int, ...]] = {}
        self._skel_arabic_post: dict[str, tuple[int, ...]] = {}
        self._rend_post: dict[str, tuple[int, ...]] = {}
        self._part_post: dict[str, tuple[int, ...]] = {}
        self._born: dict[tuple[int, int, int], tuple[int, ...]] = {}
        self._born_year: dict[int, frozenset[int]] = {}  # any date of birth in the year
        self._deletes: dict[str, tuple[str, ...]] = {}
        self._max_posting = max_posting
        self._near_cache: dict[str, tuple[str, ...]] = {}
        # per entry, its view or None until first use (a list: no int boxed per lookup)
        self._views: list[EntryView | None] = []
        self._reach_cache: OrderedDict[tuple, _Reach | None] = OrderedDict()
        self._reach_sizes: dict[tuple, int] = {}
        self._reach_held = 0
        self._reach_budget = reach_budget
        self._eager_views = eager_views
        self._near_budget = near_budget
        self._n = 0

    def build(self, entries: Iterable[WatchlistEntry]) -> None:
        """Post every entry's names (once per index: a changed list is a new index).

        Entries come in increasing position, so each posting list is made sorted and
        without repeats by appending a position unless it is already last (no sets to
        sort: on a million names they held hundreds of MB at their peak)."""
        key_post: dict[str, list[int]] = defaultdict(list)
        skel_post: dict[str, list[int]] = defaultdict(list)
        skel_ar_post: dict[str, list[int]] = defaultdict(list)
        rend_post: dict[str, list[int]] = defaultdict(list)
        part_post: dict[str, list[int]] = defaultdict(list)
        born: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        born_year: dict[int, list[int]] = defaultdict(list)
        self.clear_caches()
        for entry in entries:
            idx = len(self.entries)
            self.entries.append(entry)
            for day in entry.dobs:
                if day.year_to is not None:
                    continue
                _post(born_year[day.year], idx)
                if day.day is not None and day.month is not None:
                    _post(born[(day.year, day.month, day.day)], idx)
            weak = set(entry.weak_names)
            # a name that joins two full names with a slash is both (name_alternatives)
            forms = [
                (analyse_name(a), n in weak)
                for n in dict.fromkeys(entry.names)
                for a in name_alternatives(n)
            ]
            self.forms.append(forms)
            for form, _ in forms:
                for t in form.main_tokens:
                    arabic = t.script == ARABIC
                    for k in t.keys:
                        _post(key_post[k], idx)
                    # a compound's part (GHIASUDDIN: GHIAS, ABDULSAMAD: SAMAD), which a
                    # traveller may give for the whole: so the short name reaches it
                    for k in t.part_keys:
                        _post(part_post[k], idx)
                    if not arabic:
                        for r in t.renditions:
                            _post(rend_post[r], idx)
                    for s in t.skeletons:
                        if len(s) >= 2:
                            _post(skel_post[s], idx)
                            if arabic:
                                _post(skel_ar_post[s], idx)
        self._n = len(self.entries)
        deletes: dict[str, set[str]] = defaultdict(set)
        for k in key_post:
            for d in _deletions(k):
                deletes[d].add(k)
            deletes[k].add(k)
        # tuples, not lists and sets, for what the index keeps for its life: they take less
        # room (names-dev, all lists: 214 -> 181 MB with the entry views' tuples), and the
        # garbage collector leaves tuples of strings and ints (and dicts of those) alone,
        # where it walks every list and set at each full collection
        self._key_post = tuple_values(key_post)
        self._skel_post = tuple_values(skel_post)
        self._skel_arabic_post = tuple_values(skel_ar_post)
        self._rend_post = tuple_values(rend_post)
        self._part_post = tuple_values(part_post)
        self._born = tuple_values(born)
        self._born_year = {y: frozenset(v) for y, v in born_year.items()}
        self._deletes = tuple_values(deletes)
        if self._n <= self._eager_views:
            # screening then never waits for them; a very large list makes them on first
            # use instead (most of its entries are never a candidate, and views take room)
            self._views = [entry_view(f) for f in self.forms]
        else:
            self._views = [None] * self._n

    def clear_caches(self) -> None:
        """Forget what earlier queries left here (keys one edit away, each query token's
        reach), as a freshly built index has it: for cold measurements."""
        self._near_cache.clear()
        self._reach_cache.clear()
        self._reach_sizes.clear()
        self._reach_held = 0

    def view(self, i: int) -> EntryView:
        """Entry ``i``'s names as :class:`~piu.screening.scoring.QueryScorer` wants them
        (made by :meth:`build` for lists up to ``eager_views`` entries, else on first use
        and kept)."""
        v = self._views[i]
        if v is None:
            v = self._views[i] = entry_view(self.forms[i])
        return v

    def __len__(self) -> int:
        return self._n

    def idf(self, token: Token) -> float:
        """Inverse document frequency of a token's rarest key, scaled to about 1."""
        df = min((len(self._key_post.get(k, ())) for k in token.keys), default=0)
        if token.script == ARABIC:
            df = min(df or self._n, *(len(self._skel_post.get(s, ())) for s in token.skeletons))
        return math.log(1 + self._n / (1 + df))

    def sharing(self, token: Token) -> int:
        """How many entries hold a name with one of ``token``'s keys (the commonest)."""
        return max((len(self._key_post.get(k, ())) for k in token.keys), default=0)

    def _listed_whole(self, t: Token) -> bool:
        """Does the list hold this (glued) token as one: one of its keys, or for Arabic
        script its skeleton (a Persian name written in two words, یزدی خواه, is listed
        in Latin letters as one, YAZDIKHAH)?"""
        if any(k in self._key_post for k in t.keys):
            return True
        return t.script == ARABIC and any(s in self._skel_post for s in t.skeletons)

    def aligns_glued(self, t: Token) -> bool:
        """Is a glued pair of a query's names (:attr:`NameForm.items`) worth aligning:
        the list holds a name with one of its keys or skeletons (FAKHR ZADEH and
        FAKHRZADEH), or it is in Arabic script, whose skeletons meet the listed Latin
        ones only approximately? A pair the list does not hold as one name seldom aligns
        better than its two names do: on names-dev, leaving such pairs out gives the
        same alerts for about a tenth less work."""
        if t.script == ARABIC or any(k in self._key_post for k in t.keys):
            return True
        return any(s in self._skel_post for s in t.skeletons if len(s) >= 3)

    def _near_keys(self, key: str) -> tuple[str, ...]:
        """Listed keys at most one edit from ``key`` (``key`` itself if listed), sorted."""
        hit = self._near_cache.get(key)
        if hit is not None:
            return hit
        found = set(self._deletes.get(key, ()))
        for d in _deletions(key):
            found.update(self._deletes.get(d, ()))
        out = tuple(sorted(found))
        if len(self._near_cache) > 200_000:
            self._near_cache.clear()
        self._near_cache[key] = out
        return out

    def _token_postings(self, t: Token) -> tuple[list[tuple[_Posting, float]], float]:
        """The postings one query token reaches, with their factors, and its weight."""
        postings: list[tuple[_Posting, float]] = []
        exact = 0
        for k in t.keys:
            for nk in self._near_keys(k):
                p = self._key_post[nk]
                if nk == k:
                    postings.append((p, 1.0))
                    exact = max(exact, len(p))
                else:
                    postings.append((p, _NEAR))
        skel = self._skel_post if t.script == ARABIC else self._skel_arabic_post
        for s in t.skeletons:
            if len(s) >= 2:
                sp = skel.get(s)
                if sp is not None:
                    postings.append((sp, 0.9))
        if t.script != ARABIC:
            listed_whole = bool(exact)  # then its own keys, not the halves, say how rare
            split = self._split_postings(t, din_only=listed_whole)
            for both in split:
                postings.append((both, 1.0))
                if not listed_whole:
                    exact = max(exact, len(both))
            if not listed_whole:
                # a compound's part that the list holds only within the compound (GHIAS:
                # GHIASUDDIN); a common name, listed alone, says too little to reach it
                for k in t.keys:
                    part = self._part_post.get(k)
                    if part is not None:
                        postings.append((part, 1.0))
                        exact = max(exact, len(part))
            if not listed_whole and not split:
                # a glued name whose second half is misspelt (MOFAKHAMISHAHRESRANI)
                head = self._listed_head(t)
                if head:
                    postings.append((head, _NEAR))
        if not postings:
            return [], 0.0
        # the token's own frequency: its listed keys (a rare neighbour one edit away
        # does not make a common name rare); a token not listed takes its rarest reach
        df = exact or min(len(p) for p, _ in postings)
        return postings, math.log(1 + self._n / (1 + df))

    def _split_postings(self, t: Token, din_only: bool = False) -> list[_Posting]:
        """For a token the list does not hold: the entries holding both halves of one
        of its renditions cut in two, each a listed spelling of three letters or more
        (JALALMAAB: JALAL MAAB; ALIAKBARI: ALI AKBARI). A name written as one word by
        the traveller and as two by the list is otherwise reached only by chance.
        A name in -al-Din is also cut when the list holds it whole (SAFIEDDINE is
        listed for one person, SAFI AL-DIN for another): ``din_only`` cuts only that."""
        out: list[_Posting] = []
        rp = self._rend_post
        for r, system in zip(t.renditions, t.systems):
            if din_only and system != "din-compound":
                continue
            cuts = (len(r) - 3,) if system == "din-compound" else range(3, len(r) - 2)
            for cut in cuts:
                a = rp.get(r[:cut])
                if a is None:
                    continue
                b = rp.get(r[cut:])
                if b is None:
                    continue
                small, large = (a, b) if len(a) < len(b) else (b, a)
                if len(small) > self._max_posting:
                    continue  # two names each too common to say anything
                both = [i for i in small if _holds(large, i)]
                if both:
                    out.append(both)
        return out

    def _listed_head(self, t: Token) -> _Posting:
        """For a long token the list does not hold: the entries holding the longest listed
        spelling (of five letters or more, two fifths of the token or more) that begins it."""
        rp = self._rend_post
        for r in t.renditions:
            for cut in range(len(r) - 3, max(5, 2 * len(r) // 5) - 1, -1):
                hit = rp.get(r[:cut])
                if hit is not None:
                    return hit
        return ()

    def _budget_near(self, postings: list[tuple[_Posting, float]]) -> list[tuple[_Posting, float]]:
        """Keep the postings of keys one edit away, smallest first, while they hold at most
        ``near_budget`` entries together. A spelling one letter from many listed names
        says little about any one of them, and on a large list their entries crowd the
        candidates out (on a million names: recall up, false alerts down, 4x faster)."""
        near = sorted((p for p, f in postings if f == _NEAR), key=len)
        if not near:
            return postings
        kept = []
        held = 0
        for p in near:
            held += len(p)
            if held > self._near_budget:
                break
            kept.append((p, _NEAR))
        return [(p, f) for p, f in postings if f != _NEAR] + kept

    def _token_reach(self, t: Token) -> _Reach | None:
        """What one query token contributes to :meth:`candidates`, cached per token
        (bounded by the number of entry ids held, in its dict and its set): its weighted
        factor per entry reached, the set of those entries, and per factor (best first)
        the weight, postings and the first ``_HEAD`` entries of their union in list order
        (``True`` when that is the whole union)."""
        ck = (t.script == ARABIC, t.keys, t.skeletons)
        cache = self._reach_cache
        hit = cache.get(ck, _MISSING)
        if hit is not _MISSING:
            cache.move_to_end(ck)
            return cast("_Reach | None", hit)
        postings, w = self._token_postings(t)
        postings = [(p, f) for p, f in postings if len(p) <= self._max_posting]
        postings = self._budget_near(postings)
        out: _Reach | None = None
        size = 1
        if postings:
            by_factor: dict[float, list[_Posting]] = {}
            for p, f in postings:
                by_factor.setdefault(f, []).append(p)
            h: dict[int, float] = {}
            groups = []
            for f in sorted(by_factor):  # the best factor last, so it wins in h
                ps = by_factor[f]
                v = w * f
                members: Collection[int]
                if len(ps) == 1:
                    members = ps[0]
                    head, whole = ps[0][:_HEAD], len(members) <= _HEAD
                else:
                    # the union once: each posting is sorted, so its first _HEAD hold any
                    # of the union's first _HEAD
                    members = set(chain.from_iterable(ps))
                    head, whole = sorted(members)[:_HEAD], len(members) <= _HEAD
                if h:
                    h.update(dict.fromkeys(members, v))
                else:
                    h = dict.fromkeys(members, v)
                groups.append((v, ps, head, whole))
            groups.reverse()  # the best factor first
            out = (h, frozenset(h), groups)
            size += 2 * len(h)
        cache[ck] = out
        self._reach_held += size
        self._reach_sizes[ck] = size
        while self._reach_held > self._reach_budget and len(cache) > 1:
            old, _ = cache.popitem(last=False)
            self._reach_held -= self._reach_sizes.pop(old)
        return out

    def born_on(self, dob: DateOfBirth | None) -> tuple[int, ...]:
        """Entries listed as born on ``dob``'s day, when it is a full date."""
        if dob is None or dob.day is None or dob.month is None or dob.year_to is not None:
            return ()
        return self._born.get((dob.year, dob.month, dob.day), ())

    def born_in(self, dob: DateOfBirth | None) -> frozenset[int]:
        """Entries listed as born in the year of ``dob``, when it gives only the year."""
        if dob is None or dob.year_to is not None or dob.day is not None:
            return _NOBODY
        return self._born_year.get(dob.year, _NOBODY)

    def candidates(
        self,
        form: NameForm,
        limit: int = 25,
        min_share: float = 0.5,
        also: Sequence[int] = (),
        year: frozenset[int] = frozenset(),
    ) -> list[int]:
        """Entry positions most likely to match ``form``, best first (ties: list order),
        then those of ``also`` (the entries born on the traveller's day of birth) that any
        query token reaches, whatever their rank: a listed person under another given
        name shares only a common surname with the traveller (Chin-Hua and Jinee HUANG),
        which many listed people share, and the date tells which. Then, of ``year`` (the
        entries born in the traveller's year of birth, when that is all the traveller's
        date gives: :meth:`born_in`), the ``_YEAR_EXTRA`` that the query reaches best, not
        below ``min_share`` of the best.

        Each query token adds its weight (idf of its rarest posting) times the best factor
        with which it reaches an entry (1.0 same key, 0.9 same skeleton, 0.8 one edit
        away); entries below ``min_share`` of the best are dropped. Set operations do the
        bulk of the work: only entries that two or more tokens reach are summed one by
        one; of those only one token reaches, the best ``limit`` per token are taken in
        order. Entries tied with the last one kept come too, up to ``_TIES`` x ``limit``.
        """
        hits: list[dict[int, float]] = []
        reached: list[frozenset[int]] = []
        groups: list[list[tuple[float, list[_Posting], _Posting, bool]]] = []
        for span, t in form.items:
            # single tokens, and adjacent pairs glued (FAKHR ZADEH reaches FAKHRZADEH)
            if t.role == "initial":
                continue
            if len(span) == 2 and not self._listed_whole(t):
                continue  # only a glued pair the list holds as one token counts
            reach = self._token_reach(t)
            if reach is None:
                continue
            hits.append(reach[0])
            reached.append(reach[1])
            groups.append(reach[2])
        if not hits:
            return []
        multi: set[int] = set()
        for a in range(len(reached)):
            for b in range(a + 1, len(reached)):
                multi |= reached[a] & reached[b]
        ml: list[int] = []
        acc: list[float] = []
        highest = 0.0
        if multi:
            # per entry, 0.0 + each token's value in token order (as a plain loop would)
            ml = list(multi)
            acc = list(map(hits[0].get, ml, repeat(0.0)))
            for h in hits[1:]:
                acc = list(map(add, acc, map(h.get, ml, repeat(0.0))))
            highest = max(acc)
        singles: list[tuple[float, int]] = []
        wide = _TIES * limit
        for token_groups in groups:
            taken: set[int] = set()
            for v, ps, pre, whole in token_groups:
                if len(taken) >= limit:
                    break
                # the cached head (the union of ``ps`` in list order, cut) usually holds
                # the first ``limit`` entries neither reached by other tokens nor taken
                for i in pre:
                    if i in multi or i in taken:
                        continue
                    taken.add(i)
                    singles.append((-v, i))
                    if len(taken) >= limit:
                        break
                if whole or len(taken) >= limit:
                    continue
                # else they are among the first k of each posting (those of ``pre``
                # again are skipped: taken or reached by other tokens)
                k = limit + len(multi) + len(taken)
                head = ps[0][:k] if len(ps) == 1 else sorted(set().union(*(p[:k] for p in ps)))
                for i in head:
                    if i in multi or i in taken:
                        continue
                    taken.add(i)
                    singles.append((-v, i))
                    if len(taken) >= limit:
                        break
        if singles:
            highest = max(highest, -min(singles)[0])
        # entries below min_share of the best are never kept: only the others are sorted
        floor = highest * min_share
        scored = [(-a, i) for a, i in zip(acc, ml) if a >= floor]
        scored += [s for s in singles if -s[0] >= floor]
        if not scored:
            return []
        scored.sort()
        top = scored[:wide]
        # entries tied with the last one taken come too (up to _TIES x limit): which of
        # twenty KIM CHOLs is the listed one, only dates and documents tell
        cut = top[min(limit, len(top)) - 1][0]
        out = [i for a, i in top if a <= cut]
        if also or year:
            kept = set(out)
            out += [i for i in also if i not in kept and any(i in r for r in reached)]
            if year:
                # of those born in the year, the best few the query reaches: in a crowd
                # of people named MUHAMMAD HUSAYN, the year tells which
                kept.update(out)
                near = set().union(*(r & year for r in reached)) - kept
                best = sorted((-sum(h.get(i, 0.0) for h in hits), i) for i in near)
                out += [i for v, i in best[:_YEAR_EXTRA] if -v >= floor]
        return out
