"""Watchlist name-matching benchmark, following ``names-dev/README.md``'s protocol exactly.

For each list, that list's entities form one watchlist; each query is screened only against
its own list with its name, date of birth and nationality, at the matcher's default
threshold. A positive is found when its expected entity (or an equivalent) is among the
alerts; a negative is a false alert when any alert is raised.

Reported: recall per positive type (``alias_latin`` also split by ``alias_relation``),
false-alert rate per negative type, on the whole benchmark and on a fixed split of entity
ids (``tune`` half / ``check`` half, by CRC32 of the entity id), so tuning that only fits
one half shows; index build time and memory; and queries/s screening against every list
loaded together (the issue's speed target). In the same run, the reference: rapidfuzz
``token_sort_ratio`` >= 90 against every name of the query's list.

    .venv/bin/python bench/names.py [--bench ../shared/bench/names-dev] [--threshold T]

The last line printed is one JSON object (see the issue's interface).
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
import zlib
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from piu.screening import DateOfBirth, Matcher, Query, WatchlistEntry

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


def run_piu(entities, queries, threshold):
    by_list: dict[str, list[WatchlistEntry]] = defaultdict(list)
    for e in entities:
        by_list[e["list"]].append(to_entry(e))
    t0 = time.perf_counter()
    matchers = {}
    for lid, ents in by_list.items():
        matchers[lid] = Matcher().build(ents)
    build_per_list = time.perf_counter() - t0
    parsed = [to_query(q) for q in queries]
    outcome = []
    t0 = time.perf_counter()
    for q, pq in zip(queries, parsed, strict=True):
        m = matchers.get(q["list"])
        alerts = m.screen(pq, threshold) if m else []
        outcome.append(outcome_of(q, {a.entry_id for a in alerts}))
    per_list_s = time.perf_counter() - t0
    return outcome, build_per_list, per_list_s, parsed


def speed_all_lists(entities, parsed):
    tracemalloc.start()
    t0 = time.perf_counter()
    m = Matcher().build(to_entry(e) for e in entities)
    build = time.perf_counter() - t0
    mem = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    t0 = time.perf_counter()
    n_alerts = 0
    for pq in parsed:
        n_alerts += len(m.screen(pq))
    dt = time.perf_counter() - t0
    return build, mem, len(parsed) / dt, n_alerts


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
    args = ap.parse_args()

    entities, queries = load(args.bench)
    print(f"names benchmark: {args.bench}  {len(entities)} entities, {len(queries)} queries")
    outcome, build_pl, screen_pl, parsed = run_piu(entities, queries, args.threshold)
    thr = args.threshold if args.threshold is not None else Matcher().threshold
    print(f"PIU matcher {Matcher.algorithm}, threshold {thr}")
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
    qps = None
    if not args.no_speed:
        build, mem, qps, n_alerts = speed_all_lists(entities, parsed)
        print(f"  all lists together: index built in {build:.2f} s, {mem / 1e6:.0f} MB "
              f"(tracemalloc), {qps:.0f} travellers/s, {n_alerts} alerts")  # fmt: skip
    rf_outcome, rf_qps = run_rapidfuzz(entities, queries)
    rf_recall, rf_fa = summarise(queries, rf_outcome)
    print(f"reference rapidfuzz token_sort_ratio >= 90 ({rf_qps:.0f} queries/s)")
    table("all queries", rf_recall, rf_fa)
    print(json.dumps({
        "recall": recall,
        "false_alert_rate": fa,
        "queries_per_second": round(qps, 1) if qps else None,
        "references": {
            "rapidfuzz_token_sort_90": {
                "recall": rf_recall, "false_alert_rate": rf_fa,
                "queries_per_second": round(rf_qps, 1),
            }
        },
    }))  # fmt: skip


if __name__ == "__main__":
    main()
