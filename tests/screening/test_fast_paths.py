"""The fast screening paths give exactly what the plain, explained scoring gives.

``Matcher.screen`` prunes candidates with an upper bound and builds explanations only for
alerts; ``QueryScorer`` scores an entry's names from one similarity matrix; the index
collects candidates with set operations. None of this may change a score or an alert.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from piu.screening import DateOfBirth, Matcher, Query, WatchlistEntry, analyse_name
from piu.screening.index import NameIndex
from piu.screening.matcher import clear_caches
from piu.screening.scoring import QueryScorer, align_names, best_name_score, entry_view

HERE = Path(__file__).parent


def _names() -> list[str]:
    with (HERE / "name_cases.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return sorted({r["query"] for r in rows} | {r["listed"] for r in rows})


NAMES = _names()


def _entries(seed: int = 7, n: int = 60) -> list[WatchlistEntry]:
    rng = random.Random(seed)
    out = []
    for k in range(n):
        names = rng.sample(NAMES, rng.randint(1, 4))
        weak = [names[-1]] if len(names) > 2 and rng.random() < 0.5 else []
        dobs = [DateOfBirth(rng.randint(1950, 1990), rng.randint(1, 12), rng.randint(1, 28))]
        out.append(WatchlistEntry(f"t:{k}", "t", names, weak_names=weak,
                                  dobs=dobs if rng.random() < 0.6 else [],
                                  nationalities=["KGZ"] if rng.random() < 0.3 else []))  # fmt: skip
    return out


def test_query_scorer_equals_best_of_align_names() -> None:
    rng = random.Random(3)
    entries = _entries()
    for _ in range(300):
        q = analyse_name(rng.choice(NAMES))
        forms = [(analyse_name(n), n in e.weak_names) for e in [rng.choice(entries)]
                 for n in e.names]  # fmt: skip
        want = max(align_names(q, f, weak=w).score for f, w in forms)
        got, at = QueryScorer(q).best(entry_view(forms))
        assert got == pytest.approx(want, abs=1e-12)
        assert align_names(q, forms[at][0], weak=forms[at][1]).score == pytest.approx(want)
        assert best_name_score(q, forms)[0] == pytest.approx(want, abs=1e-12)


def test_query_scorer_skips_only_what_cannot_reach_the_bound() -> None:
    q = analyse_name("Nurlan ZHUMABAEV")
    forms = [(analyse_name("Talant ESENALIEV"), False), (analyse_name("Нурлан Жумабаев"), False)]
    score, at = QueryScorer(q).best(entry_view(forms), at_least=0.9)
    assert at == 1 and score > 0.9
    assert QueryScorer(q).best(entry_view(forms[:1]), at_least=0.5) == (0.0, -1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_screen_equals_filtered_score_all(seed: int) -> None:
    rng = random.Random(seed)
    m = Matcher().build(_entries(seed))
    for _ in range(80):
        name = rng.choice(NAMES)
        dob = DateOfBirth(rng.randint(1950, 1990), rng.randint(1, 12), rng.randint(1, 28))
        q = Query(name, dob=dob if rng.random() < 0.5 else None,
                  nationality="KGZ" if rng.random() < 0.3 else None)  # fmt: skip
        full = [(x.entry_id, x.score) for x in m.score_all(q) if x.alert]
        fast = [(x.entry_id, x.score) for x in m.screen(q)]
        assert sorted(fast) == sorted(full)
        for thr in (0.5, 0.7):
            full_t = sorted((x.entry_id, x.score) for x in m.score_all(q) if x.score >= thr)
            assert sorted((x.entry_id, x.score) for x in m.screen(q, thr)) == full_t


def test_screen_explains_what_it_returns() -> None:
    m = Matcher().build([WatchlistEntry("l:1", "l", ["Nurlan Bakytovich ZHUMABAEV"])])
    (hit,) = m.screen(Query("Нурлан Жумабаев"))
    assert "ЖУМАБАЕВ~ZHUMABAEV" in hit.explain()


def _reference_candidates(ix: NameIndex, form, limit: int, min_share: float) -> list[int]:
    """The plain definition: sum per token (and per adjacent pair the list holds glued)
    of weight x best factor (of keys one edit away, only the smallest postings within
    the near budget), where of the entries only one token reaches, only that
    token's best ``limit`` (ties: list order) count; the top ``limit`` and those tied
    with the last of them (at most 2 x ``limit``), at least ``min_share`` of the best."""
    reach: list[dict[int, float]] = []
    for span, t in form.items:
        if t.role == "initial":
            continue
        if len(span) == 2 and not any(k in ix._key_post for k in t.keys):
            continue
        postings, w = ix._token_postings(t)
        postings = [(p, f) for p, f in postings if len(p) <= ix._max_posting]
        # keys one edit away: the smallest postings while they hold at most the budget
        near = sorted((p for p, f in postings if f == 0.8), key=len)
        held = [sum(len(q) for q in near[: k + 1]) for k in range(len(near))]
        kept = [p for p, h in zip(near, held, strict=True) if h <= ix._near_budget]
        postings = [(p, f) for p, f in postings if f != 0.8] + [(p, 0.8) for p in kept]
        best: dict[int, float] = {}
        for p, f in postings:
            for i in p:
                best[i] = max(best.get(i, 0.0), w * f)
        if best:
            reach.append(best)
    seen: dict[int, int] = {}
    for best in reach:
        for i in best:
            seen[i] = seen.get(i, 0) + 1
    acc: dict[int, float] = {}
    for best in reach:
        alone = sorted((i for i in best if seen[i] == 1), key=lambda i: (-best[i], i))
        for i in alone[:limit]:
            acc[i] = best[i]
    for i, n in seen.items():
        if n > 1:
            acc[i] = sum(best.get(i, 0.0) for best in reach)
    if not acc:
        return []
    ranked = sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[: 2 * limit]
    cut = max(ranked[min(limit, len(ranked)) - 1][1], ranked[0][1] * min_share)
    return [i for i, v in ranked if v >= cut]


@pytest.mark.parametrize("near_budget", [500, 4])
def test_candidates_match_their_plain_definition_and_are_deterministic(near_budget: int) -> None:
    entries = _entries(11, 200)
    ix = NameIndex(near_budget=near_budget)
    ix.build(entries)
    for name in NAMES:
        form = analyse_name(name)
        for limit in (3, 12):
            got = ix.candidates(form, limit)
            want = _reference_candidates(ix, form, limit, 0.5)
            assert got == want, name


def test_clear_caches_changes_nothing() -> None:
    m = Matcher().build(_entries(5))
    q = Query("Жумабаев Нурлан", dob=DateOfBirth.parse("1979"))
    before = [(x.entry_id, x.score) for x in m.score_all(q)]
    clear_caches()
    assert [(x.entry_id, x.score) for x in m.score_all(q)] == before


def test_matrix_equals_token_similarity_pair_by_pair() -> None:
    """The matrix skips comparing pairs that cannot reach the minimum similarity; what it
    gives (and keeps) is what the pairwise comparison gives, and a pair it did not
    compare is one below the minimum."""
    from piu.screening import scoring

    rng = random.Random(13)
    entries = _entries(17, 120)
    min_sim = scoring.DEFAULT_CONFIG.min_token_similarity
    for _ in range(300):
        clear_caches()
        q = analyse_name(rng.choice(NAMES))
        e = rng.choice(entries)
        view = entry_view([(analyse_name(n), False) for n in e.names])
        mat = QueryScorer(q).matrix(view)
        for (_, qtok), row in zip(q.items, mat, strict=True):
            for lt, got in zip(view.vocab, row, strict=True):
                want = scoring._token_similarity(qtok, lt, scoring.DEFAULT_CONFIG)
                assert got == (want[0] if want[0] >= min_sim else 0.0)
                assert scoring._MATRIX_CACHE[qtok][lt] == got
                compared = scoring._SIM_CACHE.get(qtok, {}).get(lt)
                assert compared == want if compared is not None else want[0] < min_sim


def test_align_names_does_not_compare_again_what_the_matrix_found_below_the_minimum() -> None:
    # screen() explains an alert with align_names after QueryScorer.matrix: a pair the
    # matrix found below min_token_similarity is not compared again, and the alignment
    # is the one the comparison would give
    from piu.screening import scoring

    rng = random.Random(29)
    entries = _entries(31, 80)
    skipped = 0
    for _ in range(200):
        clear_caches()
        q = analyse_name(rng.choice(NAMES))
        forms = [(analyse_name(n), False) for n in rng.choice(entries).names]
        QueryScorer(q).matrix(entry_view(forms))
        uncompared = {(qt, lt) for qt, row in scoring._MATRIX_CACHE.items()
                      for lt, v in row.items()
                      if v == 0.0 and lt not in scoring._SIM_CACHE.get(qt, {})}  # fmt: skip
        skipped += len(uncompared)
        got = [align_names(q, f) for f, _ in forms]
        assert all(lt not in scoring._SIM_CACHE.get(qt, {}) for qt, lt in uncompared)
        clear_caches()
        want = [align_names(q, f) for f, _ in forms]
        assert [(a.score, [(p.query, p.listed) for p in a.pairs]) for a in got] == [
            (a.score, [(p.query, p.listed) for p in a.pairs]) for a in want
        ]
    assert skipped > 100  # the matrix did leave pairs uncompared


def test_screen_many_over_processes_equals_screen_one_by_one() -> None:
    rng = random.Random(23)
    m = Matcher().build(_entries(29, 150))
    queries = [
        Query(rng.choice(NAMES), dob=DateOfBirth(rng.randint(1950, 1990), 1, 1)) for _ in range(400)
    ]
    want = [[(x.entry_id, x.score) for x in m.screen(q)] for q in queries]
    clear_caches()
    many = m.screen_many(queries, workers=2, per_worker=100)  # 2 processes for 400 queries
    got = [[(x.entry_id, x.score) for x in ms] for ms in many]
    assert got == want
    assert sum(map(len, got)) > 0


def test_caches_follow_the_weights_in_use() -> None:
    """Similarities cached under one set of weights are not served under another."""
    from piu.screening.scoring import DEFAULT_CONFIG, ScoringConfig, token_similarity

    a, b = analyse_name("Nurlan").main_tokens[0], analyse_name("Nurzhan").main_tokens[0]
    default = token_similarity(a, b)
    steep = token_similarity(a, b, ScoringConfig(fuzzy_slope=4.0))
    assert steep[0] < default[0]
    assert token_similarity(a, b, DEFAULT_CONFIG) == default
    q = analyse_name("Nurlan ZHUMABAEV")
    view = entry_view([(analyse_name("Nurzhan ZHUMABAEV"), False)])
    loose = QueryScorer(q, ScoringConfig(min_token_similarity=0.0)).matrix(view)
    strict = QueryScorer(q, ScoringConfig(min_token_similarity=0.99)).matrix(view)
    assert max(map(max, loose)) == 1.0 and sorted(set(map(max, strict))) == [0.0, 1.0]
    assert sum(map(sum, loose)) > sum(map(sum, strict))


def test_screen_equals_filtered_score_all_on_real_names_with_dates() -> None:
    """The dates of birth the benchmark's queries carry confirm names (and spare others
    the alignment: ``QueryScorer.confirmable``) far more often than random dates do."""
    bench = Path(__file__).resolve().parents[3] / "shared" / "bench" / "names-dev"
    if not (bench / "queries.jsonl").is_file():
        pytest.skip(f"names-dev not found at {bench} (expected beside the project)")
    with (bench / "entities.jsonl").open(encoding="utf-8") as f:
        ents = [e for e in map(json.loads, f) if e["list"] == "ofac_sdn"]
    with (bench / "queries.jsonl").open(encoding="utf-8") as f:
        qs = [q for q in map(json.loads, f) if q["list"] == "ofac_sdn" and q["query"].get("dob")]
    m = Matcher().build(
        WatchlistEntry(e["id"], "ofac_sdn", e["names"], weak_names=e["weak_names"],
                       dobs=[d for d in map(DateOfBirth.parse, e["dob"]) if d])
        for e in ents
    )  # fmt: skip
    confirmed = 0
    for q in qs[::3]:
        query = Query(q["query"]["full_name"], dob=DateOfBirth.parse(q["query"]["dob"]))
        full = [x for x in m.score_all(query) if x.alert]
        assert sorted((x.entry_id, x.score) for x in m.screen(query)) == sorted(
            (x.entry_id, x.score) for x in full
        ), q["qid"]
        confirmed += any("confirmed_by_dob" in x.features for x in full)
    assert confirmed >= 10  # the case this test is for does occur


def test_the_matrix_of_the_view_aligned_last_is_not_made_again() -> None:
    """``Matcher.screen`` asks ``confirmable`` and then ``best`` about a candidate: the
    second reuses the matrix the first made. Compiled, an entry view that was a tuple
    was re-made at each call, so the scorer never knew it again."""
    q = analyse_name("Nurlan ZHUMABAEV")
    view = entry_view(
        [(analyse_name("Nurlan JUMABAEV"), False), (analyse_name("N. JUMABAEV"), True)]
    )
    other = entry_view([(analyse_name("Asan ZHUMABAEV"), False)])
    scorer = QueryScorer(q)
    first = scorer._aligned(view)
    assert scorer._aligned(view) is first
    assert scorer._aligned(other) is not first
    assert scorer._aligned(view) == first  # made again after another view, the same
