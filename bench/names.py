"""Watchlist name-matching benchmark, following ``names-dev/README.md``'s protocol exactly.

For each list, that list's entities form one watchlist; each query is screened only against
its own list with its name, date of birth and nationality, at the matcher's default
threshold. A positive is found when its expected entity (or an equivalent) is among the
alerts; a negative is a false alert when any alert is raised.

Reported: recall per positive type (``alias_latin`` also split by ``alias_relation``),
false-alert rate per negative type, on the whole benchmark and on a fixed split of entity
ids (``tune`` half / ``check`` half, by CRC32 of the entity id), so tuning that only fits
one half shows; index build time and memory; and travellers/s screening against every list
loaded together (the issue's speed target; the index kept out of garbage collections by
``settle_heap``, as the product's screening cache keeps it), cold (every cache emptied
first; the median of ``--cold-runs`` passes), warm (another pass), and the check half's
travellers cold and after the tune half's (caches kept: new people, known names; what a
process that has screened others before gains) in this process, and cold spread over one
worker process per core (``Matcher.screen_many``, as ``piu screen --due`` screens a
backlog). In the same run, the references: rapidfuzz ``token_sort_ratio`` >= 90 against
every name of the query's list, and OpenSanctions' nomenklatura ``logic-v2`` at yente's
threshold 0.70 over the top 50 entities of a fuzzy index. nomenklatura runs in its own
venv, ``bench/.venv-ref`` (made here on first use with ``python3 -m venv`` and ``pip
install nomenklatura``; never PIU's dependency), through ``bench/ref_nomenklatura.py``. At
~1,000 pairs/CPU-second it is run on a SAMPLE (``--ref-per-type`` queries of each type,
default
100) and PIU's figures on the same sample are printed beside it.

    .venv/bin/python bench/names.py [--bench ../shared/bench/names-dev] [--threshold T]
        [--million [--million-sample N]] [--ref-per-type N] [--no-speed] [--sweep]
        [--cold-runs N] [--no-settle] [--errors FILE]

``--million`` also builds one index over a synthetic list of 1,000,000 names (the
names-dev entities plus names recombined from names-dev's own name tokens, seed 2396) and
reports its build time, memory (RSS growth) and travellers/s on sampled queries.

Which build of the matcher ran (compiled by mypyc, or pure Python and why) is printed with
its name; ``PIU_PURE_PYTHON=1`` measures the pure-Python one.

Latin variants are also counted by what the listed person's names hold (every one of the
traveller's names, aligned at 0.75 or more with some name the person is listed under on
that list; the weakest one only at 0.45; or a name held in no spelling), with the recall
of each: a traveller's name the list does not hold can only be vouched for by the date of
birth, as the hard negatives' names are (``variants_by_names_held`` in the JSON line).

``--sweep`` also prints recall and false alerts at thresholds from 0.65 to 0.85.
``--errors FILE`` writes every positive missed and every negative alerted on, with the
scores and their explanation (JSON lines, misses nearest the threshold first): what one
reads to find the kinds of variation left.

The last line printed is one JSON object (see the issue's interface).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import time
import tracemalloc
import zlib
from collections import defaultdict
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz, process, utils

from piu.screening import BUILD, DateOfBirth, Matcher, Query, WatchlistEntry, analyse_name
from piu.screening.matcher import clear_caches, default_workers, processes_for, settle_heap
from piu.screening.scoring import token_similarity
from piu.screening.scripts import detect_script

HERE = Path(__file__).resolve().parent
DEFAULT_BENCH = (HERE / ".." / ".." / "shared" / "bench" / "names-dev").resolve()


def load(bench: Path) -> tuple[list[dict], list[dict]]:
    with (bench / "entities.jsonl").open(encoding="utf-8") as f:
        entities = [json.loads(line) for line in f if line.strip()]
    with (bench / "queries.jsonl").open(encoding="utf-8") as f:
        queries = [json.loads(line) for line in f if line.strip()]
    return entities, queries


def to_entry(e: dict) -> WatchlistEntry:
    dobs = [d for d in (DateOfBirth.parse(x) for x in e.get("dob", [])) if d is not None]
    return WatchlistEntry(
        id=e["id"],
        list_id=e["list"],
        names=list(e["names"]),
        weak_names=list(e.get("weak_names", [])),
        dobs=dobs,
        nationalities=list(e.get("nationality", [])),
    )


def to_query(q: dict) -> Query:
    qq = q["query"]
    return Query(
        name=qq["full_name"],
        dob=DateOfBirth.parse(qq["dob"]) if qq.get("dob") else None,
        nationality=qq.get("nationality"),
    )


def half(q: dict) -> str:
    ent = q["expected_entity"] or q.get("built_from", [q["qid"]])[0]
    return "tune" if zlib.crc32(ent.encode()) % 2 == 0 else "check"


def kind(q: dict) -> str:
    if q["type"] == "alias_latin":
        return f"alias_latin_{q.get('alias_relation', 'variant')}"
    return q["type"]


def summarise(queries: list[dict], outcome: list[bool]) -> tuple[dict, dict]:
    """(recall per positive type, false-alert rate per negative type)."""
    pos: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    neg: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q, ok in zip(queries, outcome, strict=True):
        if q["expected_entity"] is None:
            neg[q["type"]][0] += ok
            neg[q["type"]][1] += 1
            neg["all_negatives"][0] += ok
            neg["all_negatives"][1] += 1
        else:
            for k in {q["type"], kind(q), "all_positives"}:
                pos[k][0] += ok
                pos[k][1] += 1
    recall = {k: round(v[0] / v[1], 4) for k, v in sorted(pos.items())}
    fa = {k: round(v[0] / v[1], 4) for k, v in sorted(neg.items())}
    return recall, fa


def outcome_of(q: dict, alerted_ids: set[str]) -> bool:
    if q["expected_entity"] is None:
        return bool(alerted_ids)
    want = {q["expected_entity"], *q.get("equivalent_entities", [])}
    return bool(want & alerted_ids)


def per_list_matchers(entities) -> dict[str, Matcher]:
    """One matcher per list, over that list's entities (the protocol's watchlists)."""
    by_list: dict[str, list[WatchlistEntry]] = defaultdict(list)
    for e in entities:
        by_list[e["list"]].append(to_entry(e))
    return {lid: Matcher().build(ents) for lid, ents in by_list.items()}


def run_piu(entities, queries, threshold):
    t0 = time.perf_counter()
    matchers = per_list_matchers(entities)
    build_per_list = time.perf_counter() - t0
    parsed = [to_query(q) for q in queries]
    outcome = []
    t0 = time.perf_counter()
    for q, pq in zip(queries, parsed, strict=True):
        m = matchers.get(q["list"])
        alerts = m.screen(pq, threshold) if m else []
        outcome.append(outcome_of(q, {a.entry_id for a in alerts}))
    per_list_s = time.perf_counter() - t0
    return outcome, build_per_list, per_list_s, parsed, matchers


def write_errors(path: Path, entities, queries, parsed, outcome, matchers, threshold) -> int:
    """Write each positive not found and each negative alerted on, one JSON object a line,
    worst first: the query, the expected entity's names and dates of birth, and the scores
    (the expected entity's or equivalent's best, and the alerts' with their explanation).
    Reading these, not single queries, is how a kind of variation is found; returns the
    number written."""
    names = {e["id"]: e for e in entities}
    rows = []
    for q, pq, ok in zip(queries, parsed, outcome, strict=True):
        positive = q["expected_entity"] is not None
        if ok == positive:
            continue
        m = matchers[q["list"]]
        if positive:
            want = {q["expected_entity"], *q.get("equivalent_entities", [])}
            shown = [x for x in m.score_all(pq) if x.entry_id in want][:1]
        else:
            shown = m.screen(pq, threshold)
        expected = names.get(q["expected_entity"] or "", {})
        rows.append({
            "qid": q["qid"], "kind": kind(q), "list": q["list"], "query": q["query"],
            "expected": {"id": q["expected_entity"], "names": expected.get("names", []),
                         "dob": expected.get("dob", [])} if positive else None,
            "best": round(max((x.score for x in shown), default=-1.0), 4),
            "matches": [{"entry": x.entry_id, "score": x.score, "listed": x.name.listed_name,
                         "pairs": [[p.query, p.listed, round(p.similarity, 2), p.method]
                                   for p in x.name.pairs],
                         "features": {k: v[0] for k, v in x.features.items()}}
                        for x in shown],
        })  # fmt: skip
    # misses nearest the threshold first, then false alerts highest first
    rows.sort(key=lambda r: (r["expected"] is None, -r["best"]))
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)


# how a variant's names stand to the listed person's (held_by_list)
HELD = "every name held"
WEAK = "a name held weakly"
NOT_HELD = "a name not held"


def held_by_list(entities, queries) -> dict[str, str]:
    """Each Latin variant query's class by what the listed person's names on the query's
    list hold (the expected entity and its equivalents there): HELD when each of the
    traveller's names (initials aside) aligns at 0.75 or more with some name of the
    person's, WEAK when the weakest one reaches 0.45, else NOT_HELD: a name the person
    is listed under in no spelling (another person's surname, an added name). No name
    matcher finds NOT_HELD queries by their names; only a date of birth can vouch."""
    by_id = {e["id"]: e for e in entities}
    out: dict[str, str] = {}
    for q in queries:
        if kind(q) != "alias_latin_variant":
            continue
        ids = [q["expected_entity"], *q.get("equivalent_entities", [])]
        listed = [t for i in ids if i in by_id and by_id[i]["list"] == q["list"]
                  for n in by_id[i]["names"] for t in analyse_name(n).main_tokens]  # fmt: skip
        given = [t for t in analyse_name(q["query"]["full_name"]).main_tokens
                 if t.role != "initial"]  # fmt: skip
        weakest = min(
            (max((token_similarity(t, u)[0] for u in listed), default=0.0) for t in given),
            default=1.0,
        )
        out[q["qid"]] = HELD if weakest >= 0.75 else WEAK if weakest >= 0.45 else NOT_HELD
    return out


def held_table(queries, outcome, held: dict[str, str]) -> dict[str, dict[str, float]]:
    """Latin variants found per :func:`held_by_list` class: count and recall."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for q, ok in zip(queries, outcome, strict=True):
        if q["qid"] in held:
            found[held[q["qid"]]][0] += ok
            found[held[q["qid"]]][1] += 1
    rows = {k: {"queries": n, "recall": round(f / n, 4)} for k, (f, n) in found.items()}
    print("  Latin variants by what the listed person's names hold:")
    for k in (HELD, WEAK, NOT_HELD):
        if k in rows:
            print(f"    {k:<22} {rows[k]['queries']:>5} queries, {rows[k]['recall']:.1%} found")
    return rows


def threshold_sweep(matchers, queries, parsed, thresholds=(0.65, 0.7, 0.75, 0.8, 0.85)):
    """Recall and false-alert rate per type at other thresholds than the default: each
    query's best score for its expected entity (positives) or for any entry (negatives),
    screened against its own list. Scores are as stored (rounded to 4 places), so the 0.80
    line can count a few more than the default run, which compares unrounded scores."""
    best = []
    for q, pq in zip(queries, parsed, strict=True):
        m = matchers.get(q["list"])
        alerts = m.screen(pq, 0.0) if m else []
        if q["expected_entity"] is not None:
            ok = {q["expected_entity"], *q.get("equivalent_entities", [])}
            alerts = [a for a in alerts if a.entry_id in ok]
        best.append(max((a.score for a in alerts), default=0.0))
    print("threshold sweep (recall of positives, false alerts of negatives):")
    for t in thresholds:
        recall, fa = summarise(queries, [b >= t for b in best])
        print(f"  {t:.2f}  "
              + ", ".join(f"{k} {v:.1%}" for k, v in recall.items() if k != "alias_latin")
              + " | " + ", ".join(f"{k} {v:.1%}" for k, v in fa.items()))  # fmt: skip


class _GcClock:
    """Seconds the cyclic garbage collector ran while it is in ``gc.callbacks``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start


def timed_pass(m: Matcher, parsed: list[Query]) -> tuple[float, int]:
    """Travellers/s screening every query once with ``m``, and the alerts raised."""
    t0 = time.perf_counter()
    n_alerts = sum(len(m.screen(pq)) for pq in parsed)
    return len(parsed) / (time.perf_counter() - t0), n_alerts


def cold_passes(m: Matcher, parsed: list[Query], runs: int) -> tuple[list[float], int]:
    """:func:`timed_pass` ``runs`` times (at least once), every cache emptied before
    each: the travellers/s of each, and the alerts of the last."""
    rates: list[float] = []
    n_alerts = 0
    for _ in range(max(1, runs)):
        clear_caches()
        m.index.clear_caches()
        rate, n_alerts = timed_pass(m, parsed)
        rates.append(rate)
    return rates, n_alerts


def speed_all_lists(entities, queries, parsed, cold_runs: int, settle: bool = True):
    """Every list in one matcher. Cold: all caches emptied first, so every traveller name
    is analysed and compared for the first time, ``cold_runs`` times (this machine's speed
    varies from run to run); warm: one more pass right after the last cold one; steady:
    caches emptied, the tune half's travellers screened, then the check half's timed (as a
    process that has screened other people before: names recur, travellers do not). Also
    the share of the cold passes' time that garbage collections took."""
    clear_caches()
    tracemalloc.start()
    t0 = time.perf_counter()
    m = Matcher().build(to_entry(e) for e in entities)
    build = time.perf_counter() - t0
    mem = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    if settle:
        settle_heap()  # as the product's screening cache does with an index this size
    clock = _GcClock()
    gc.callbacks.append(clock)
    cold, _ = cold_passes(m, parsed, cold_runs)
    gc.callbacks.remove(clock)
    gc_share = clock.seconds / sum(len(parsed) / c for c in cold)
    warm, n_alerts = timed_pass(m, parsed)
    tune = [pq for q, pq in zip(queries, parsed, strict=True) if half(q) == "tune"]
    check = [pq for q, pq in zip(queries, parsed, strict=True) if half(q) == "check"]
    steady = []
    for before in ([], tune):  # the check half cold, then after the tune half
        clear_caches()
        m.index.clear_caches()
        for pq in before:
            m.screen(pq)
        t0 = time.perf_counter()
        for pq in check:
            m.screen(pq)
        steady.append(len(check) / (time.perf_counter() - t0))
    return build, mem, cold, gc_share, warm, steady, n_alerts, parallel_rate(m, parsed)


def parallel_rate(m: Matcher, parsed: list[Query]) -> tuple[float, int]:
    """Travellers/s with every cache emptied, spread over one worker process per core
    (``Matcher.screen_many``, as ``piu screen --due`` runs), and the number of processes
    it used (1 when the batch is too small for workers to pay)."""
    workers = processes_for(len(parsed), default_workers())
    clear_caches()
    m.index.clear_caches()  # the workers start from a fresh index, as a new process does
    t0 = time.perf_counter()
    m.screen_many(parsed, workers=workers)
    return len(parsed) / (time.perf_counter() - t0), workers


def _processes(n: int) -> str:
    return f"{n} processes" if n > 1 else "in this process: too few queries for workers"


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def synthetic_million(entities, n: int = 1_000_000, seed: int = 2396) -> list[WatchlistEntry]:
    """The names-dev entities plus synthetic people up to ``n``: each name recombines the
    name tokens of names-dev's own names of one script (a first token, 0-2 middle tokens,
    a last token), with a date of birth drawn like theirs. Deterministic (``seed``)."""
    rng = random.Random(seed)
    pools: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for e in entities:
        for name in e["names"]:
            toks = name.split()
            if len(toks) < 2:
                continue
            script = detect_script(name)
            first, middle, last = pools.setdefault(script, ([], [], []))
            first.append(toks[0])
            last.append(toks[-1])
            middle.extend(toks[1:-1])
    scripts = sorted(pools)
    sizes = [len(pools[s][0]) for s in scripts]
    out = [to_entry(e) for e in entities]
    for k in range(n - len(out)):
        first, middle, last = pools[rng.choices(scripts, sizes)[0]]
        parts = [rng.choice(first)]
        if middle:
            parts += [rng.choice(middle) for _ in range(rng.choice((0, 0, 1, 2)))]
        parts.append(rng.choice(last))
        dob = DateOfBirth(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
        out.append(WatchlistEntry(id=f"synth:{k}", list_id="synth", names=[" ".join(parts)],
                                  dobs=[dob] if rng.random() < 0.7 else []))  # fmt: skip
    return out


def speed_million(entities, queries, parsed, sample: int):
    """Build one index over a synthetic 1-million-name list, screen ``sample`` queries."""
    entries = synthetic_million(entities)
    clear_caches()
    gc.collect()
    rss0 = _rss()
    t0 = time.perf_counter()
    m = Matcher().build(entries)
    build = time.perf_counter() - t0
    settle_heap()  # collects, then spares the index later collections (as the product)
    mem = _rss() - rss0
    step = max(1, len(parsed) // sample)
    sel = list(range(0, len(parsed), step))[:sample]
    clear_caches()
    m.index.clear_caches()
    t0 = time.perf_counter()
    found = pos = fa = neg = 0
    for i in sel:
        ids = {a.entry_id for a in m.screen(parsed[i])}
        if queries[i]["expected_entity"] is None:
            neg += 1
            fa += bool(ids)
        else:
            pos += 1
            found += outcome_of(queries[i], ids)
    rate = len(sel) / (time.perf_counter() - t0)
    par, workers = parallel_rate(m, [parsed[i] for i in sel])
    return {"names": len(entries), "build_s": round(build, 1), "index_mb": round(mem / 1e6),
            "travellers_per_second": round(rate, 1), "sampled_queries": len(sel),
            "travellers_per_second_workers": round(par, 1), "workers": workers,
            "recall": round(found / max(pos, 1), 4),
            "false_alert_rate": round(fa / max(neg, 1), 4)}  # fmt: skip


def _sorted_tokens(name: str) -> str:
    return " ".join(sorted(utils.default_process(name).split()))


def run_rapidfuzz(entities, queries, cutoff=90):
    """token_sort_ratio == ratio over token-sorted strings; choices sorted once (no numpy)."""
    names: dict[str, list[str]] = defaultdict(list)
    owners: dict[str, list[str]] = defaultdict(list)
    for e in entities:
        for n in e["names"]:
            names[e["list"]].append(_sorted_tokens(n))
            owners[e["list"]].append(e["id"])
    by_list: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(queries):
        by_list[q["list"]].append(i)
    outcome = [False] * len(queries)
    t0 = time.perf_counter()
    for lid, idxs in by_list.items():
        choices = names.get(lid, [])
        if not choices:
            continue
        for qi in idxs:
            qs = _sorted_tokens(queries[qi]["query"]["full_name"])
            found = process.extract(qs, choices, scorer=fuzz.ratio, processor=None,
                                    score_cutoff=cutoff, limit=None)  # fmt: skip
            outcome[qi] = outcome_of(queries[qi], {owners[lid][j] for _, _, j in found})
    dt = time.perf_counter() - t0
    return outcome, len(queries) / dt


REF_VENV = HERE / ".venv-ref"
REF_SCRIPT = HERE / "ref_nomenklatura.py"


def ensure_ref_venv() -> Path | None:
    """``bench/.venv-ref`` with nomenklatura, made on first use; never PIU's own venv."""
    py = REF_VENV / "bin" / "python"
    ok = py.exists() and subprocess.run([str(py), "-c", "import nomenklatura"],
                                        capture_output=True).returncode == 0  # fmt: skip
    if not ok:
        print(f"  creating {REF_VENV} and installing nomenklatura (once)", flush=True)
        try:
            subprocess.run(["python3", "-m", "venv", str(REF_VENV)], check=True)
            subprocess.run([str(py), "-m", "pip", "install", "-q", "nomenklatura"], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"  nomenklatura reference skipped: {exc}")
            return None
    return py


def ref_sample(queries: list[dict], per_type: int) -> list[int]:
    """Up to ``per_type`` queries of each type, picked by CRC32 of the query id."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(queries):
        by_type[q["type"]].append(i)
    out: list[int] = []
    for idxs in by_type.values():
        idxs.sort(key=lambda i: zlib.crc32(queries[i]["qid"].encode()))
        out.extend(idxs[:per_type])
    return sorted(out)


def run_nomenklatura(entities, queries, sample: list[int], top: int = 50, cutoff: float = 0.70):
    """yente's way: the top ``top`` entities of a fuzzy index (rapidfuzz token_set_ratio
    over anyascii-folded names of the query's list), scored by nomenklatura ``logic-v2``
    in a subprocess of ``bench/.venv-ref``; an alert is a score >= ``cutoff``."""
    py = ensure_ref_venv()
    if py is None:
        return None
    names: dict[str, list[str]] = defaultdict(list)
    owners: dict[str, list[int]] = defaultdict(list)
    for k, e in enumerate(entities):
        for n in e["names"]:
            names[e["list"]].append(utils.default_process(anyascii(n)))
            owners[e["list"]].append(k)
    reqs = []
    t0 = time.perf_counter()
    for i in sample:
        q = queries[i]
        qs = utils.default_process(anyascii(q["query"]["full_name"]))
        found = process.extract(qs, names.get(q["list"], []), scorer=fuzz.token_set_ratio,
                                processor=None, limit=top * 4)  # fmt: skip
        ents: list[int] = []
        for _, _, j in found:
            k = owners[q["list"]][j]
            if k not in ents:
                ents.append(k)
            if len(ents) == top:
                break
        reqs.append({
            "name": q["query"]["full_name"], "dob": q["query"].get("dob"),
            "nationality": q["query"].get("nationality"),
            "candidates": [{"id": entities[k]["id"], "names": entities[k]["names"],
                            "dob": entities[k].get("dob", []),
                            "nationality": entities[k].get("nationality", [])} for k in ents],
        })  # fmt: skip
    index_s = time.perf_counter() - t0
    proc = subprocess.run([str(py), str(REF_SCRIPT)], input=json.dumps({"queries": reqs}),
                          capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        print(f"  nomenklatura reference failed: {proc.stderr[-2000:]}")
        return None
    res = json.loads(proc.stdout)
    outcome = []
    for i, req, scores in zip(sample, reqs, res["scores"], strict=True):
        ids = {c["id"] for c, s in zip(req["candidates"], scores, strict=True) if s >= cutoff}
        outcome.append(outcome_of(queries[i], ids))
    return outcome, res, index_s


def table(title: str, recall: dict, fa: dict) -> None:
    print(f"  {title}")
    for k, v in recall.items():
        print(f"    recall       {k:<28} {v:6.1%}")
    for k, v in fa.items():
        print(f"    false alerts {k:<28} {v:6.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--threshold", type=float, default=None, help="override the default")
    ap.add_argument("--no-speed", action="store_true", help="skip the all-lists speed run")
    ap.add_argument(
        "--sweep", action="store_true", help="also print recall and false alerts at 0.65-0.85"
    )
    ap.add_argument(
        "--million",
        action="store_true",
        help="also build a synthetic 1,000,000-name list and time screening on it",
    )
    ap.add_argument(
        "--million-sample",
        type=int,
        default=1000,
        help="queries screened against the million-name list (default 1000)",
    )
    ap.add_argument(
        "--errors",
        type=Path,
        default=None,
        metavar="FILE",
        help="write every positive missed and negative alerted on, with scores, as JSON lines",
    )
    ap.add_argument(
        "--no-settle",
        action="store_true",
        help="leave the all-lists index to the garbage collector (to see what settle_heap gains)",
    )
    ap.add_argument(
        "--cold-runs",
        type=int,
        default=3,
        help="cold passes over every list (the median is reported; default 3)",
    )
    ap.add_argument(
        "--ref-per-type",
        type=int,
        default=100,
        help="queries per type for the nomenklatura reference (0 skips it)",
    )
    args = ap.parse_args()

    entities, queries = load(args.bench)
    print(f"names benchmark: {args.bench}  {len(entities)} entities, {len(queries)} queries")
    outcome, build_pl, screen_pl, parsed, matchers = run_piu(entities, queries, args.threshold)
    thr = args.threshold if args.threshold is not None else Matcher().threshold
    print(f"PIU matcher {Matcher.algorithm}, {BUILD}, threshold {thr}")
    rate = len(queries) / screen_pl
    print(f"  per-list indexes built in {build_pl:.2f} s; screened {len(queries)} queries "
          f"against their own lists in {screen_pl:.2f} s ({rate:.0f}/s)")  # fmt: skip
    recall, fa = summarise(queries, outcome)
    table("all queries", recall, fa)
    for h in ("tune", "check"):
        sel = [i for i, q in enumerate(queries) if half(q) == h]
        r, f = summarise([queries[i] for i in sel], [outcome[i] for i in sel])
        print(f"  {h} half ({len(sel)} queries): "
              + ", ".join(f"{k} {v:.1%}" for k, v in r.items() if k != "alias_latin")
              + " | false alerts " + ", ".join(f"{k} {v:.1%}" for k, v in f.items()))  # fmt: skip
    held = held_table(queries, outcome, held_by_list(entities, queries))
    if args.sweep:
        threshold_sweep(matchers, queries, parsed)
    if args.errors is not None:
        n = write_errors(args.errors, entities, queries, parsed, outcome, matchers,
                         args.threshold)  # fmt: skip
        print(f"  {n} positives missed and negatives alerted on written to {args.errors}")
    del matchers  # the all-lists run below measures its own index alone
    qps = None
    speed: dict = {}
    if not args.no_speed:
        build, mem, colds, gc_share, warm, steady, n_alerts, (par, workers) = speed_all_lists(
            entities, queries, parsed, args.cold_runs, settle=not args.no_settle
        )
        cold = statistics.median(colds)
        qps = cold
        speed = {"cold": round(cold, 1), "cold_runs": [round(c, 1) for c in colds],
                 "cold_gc_share": round(gc_share, 3), "heap_settled": not args.no_settle,
                 "warm": round(warm, 1), "check_half_cold": round(steady[0], 1),
                 "check_half_after_tune_half": round(steady[1], 1),
                 "index_build_s": round(build, 2),
                 "index_mb": round(mem / 1e6), "cold_workers": round(par, 1),
                 "workers": workers, "build": BUILD}  # fmt: skip
        runs = ", ".join(f"{c:.0f}" for c in colds)
        print(f"  all lists together: index built in {build:.2f} s, {mem / 1e6:.0f} MB "
              f"(tracemalloc); {cold:.0f} travellers/s cold (caches emptied; median of "
              f"{len(colds)} runs: {runs}; garbage collection {gc_share:.0%} of their time"
              f"{', heap not settled' if args.no_settle else ''}), {warm:.0f}/s warm "
              f"(another pass); the check half "
              f"{steady[0]:.0f}/s cold, {steady[1]:.0f}/s after the tune half; {n_alerts} "
              f"alerts; {par:.0f}/s cold by screen_many ({_processes(workers)})")  # fmt: skip
    if args.million:
        print("synthetic list of 1,000,000 names (names-dev entities + recombined names-dev "
              "name tokens, seed 2396) ...", flush=True)  # fmt: skip
        mil = speed_million(entities, queries, parsed, args.million_sample)
        speed["million"] = mil
        print(f"  index built in {mil['build_s']} s, {mil['index_mb']} MB (RSS growth); "
              f"{mil['travellers_per_second']} travellers/s cold over {mil['sampled_queries']} "
              f"sampled queries ({mil['travellers_per_second_workers']}/s by screen_many, "
              f"{_processes(mil['workers'])}); recall {mil['recall']:.1%}, false alerts "
              f"{mil['false_alert_rate']:.1%} against the big list")  # fmt: skip
    rf_outcome, rf_qps = run_rapidfuzz(entities, queries)
    rf_recall, rf_fa = summarise(queries, rf_outcome)
    print(f"reference rapidfuzz token_sort_ratio >= 90 ({rf_qps:.0f} queries/s)")
    table("all queries", rf_recall, rf_fa)
    references: dict = {
        "rapidfuzz_token_sort_90": {
            "recall": rf_recall, "false_alert_rate": rf_fa,
            "queries_per_second": round(rf_qps, 1),
        }
    }  # fmt: skip
    if args.ref_per_type > 0:
        sample = ref_sample(queries, args.ref_per_type)
        print(f"reference nomenklatura logic-v2 >= 0.70 over the top 50 of a fuzzy index, "
              f"on a SAMPLE of {len(sample)} queries (up to {args.ref_per_type} per type)",
              flush=True)  # fmt: skip
        ref = run_nomenklatura(entities, queries, sample)
        if ref is not None:
            nk_outcome, res, index_s = ref
            sq = [queries[i] for i in sample]
            nk_recall, nk_fa = summarise(sq, nk_outcome)
            piu_recall, piu_fa = summarise(sq, [outcome[i] for i in sample])
            rate = res["pairs"] / max(res["seconds"], 1e-9)
            print(f"  {res['pairs']} pairs in {res['seconds']} s ({rate:.0f} pairs/s) after "
                  f"{res['warmup_s']} s warm-up; fuzzy index {index_s:.1f} s")  # fmt: skip
            table("nomenklatura logic-v2, sampled queries", nk_recall, nk_fa)
            table("PIU on the same sampled queries", piu_recall, piu_fa)
            references["nomenklatura_logic_v2_070"] = {
                "recall": nk_recall, "false_alert_rate": nk_fa, "sampled_queries": len(sample),
                "pairs_per_second": round(rate, 1),
                "piu_on_same_sample": {"recall": piu_recall, "false_alert_rate": piu_fa},
            }  # fmt: skip
    print(json.dumps({
        "recall": recall,
        "false_alert_rate": fa,
        "queries_per_second": round(qps, 1) if qps else None,
        "speed": speed,
        "variants_by_names_held": held,
        "references": references,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
