"""PNR ingest throughput: receive() -> redact -> parse -> minimise -> store -> link -> screen.

Feeds the largest GTAS corpus push (127 PNRs) and generated pushes (the corpus bookings
re-written by PIU's writer with fresh locators and flight numbers, so every push is new)
through ``piu.ingest.receive`` into a fresh SQLite file and, when reachable, a fresh
PostgreSQL schema, and prints PNRs per second.

    .venv/bin/python bench/ingest_pnrgov.py [--pushes 12] [--postgres URL]
"""

from __future__ import annotations

import argparse
import copy
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from _postgres import scratch_schema
from piu.formats import pnrgov
from piu.ingest import receive
from piu.store.engine import make_engine
from piu.store.migrate import upgrade

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "gtas"


def generated(base: bytes, n: int) -> list[bytes]:
    """``n`` distinct pushes built from the bookings of ``base``."""
    [push] = pnrgov.read(base)
    out = []
    for i in range(n):
        p = copy.deepcopy(push)
        assert p.flight is not None
        p.flight.flight_number = str(1000 + i)
        p.message_ref = p.interchange_ref = f"B{i}"
        for j, pnr in enumerate(p.pnrs):
            for loc in pnr.locators[:1]:
                loc.locator = f"G{i:03d}{j:03d}"
        out.append(pnrgov.write([p]))
    return out


def run(label: str, factory: Callable[[], Engine], corpus: bytes, pushes: list[bytes]) -> None:
    engine = factory()
    upgrade(engine)
    start = time.perf_counter()
    first = receive(engine, corpus, sender="XX", channel="bench")
    corpus_s = time.perf_counter() - start
    start = time.perf_counter()
    pnrs = 0
    for raw in pushes:
        r = receive(engine, raw, sender="XX", channel="bench")
        assert r.status == "stored", r.error
        pnrs += r.bookings
    gen_s = time.perf_counter() - start
    print(
        f"{label:<11} corpus push: {first.bookings} PNRs in {corpus_s:5.2f} s "
        f"({first.bookings / corpus_s:6,.0f} PNRs/s) | generated: {len(pushes)} pushes, "
        f"{pnrs} PNRs in {gen_s:5.2f} s ({pnrs / gen_s:6,.0f} PNRs/s)"
    )
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pushes", type=int, default=12)
    ap.add_argument(
        "--postgres",
        default=os.environ.get(
            "PIU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = ap.parse_args()
    hits = list(CORPUS.rglob("pnrWithBags.txt")) if CORPUS.is_dir() else []
    if not hits:
        raise SystemExit(f"corpus not found under {CORPUS}")
    corpus = hits[0].read_bytes()
    pushes = generated(corpus, args.pushes)
    print(f"PNR ingest benchmark: pnrWithBags.txt + {args.pushes} generated pushes of 127 PNRs")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        run("sqlite", lambda: make_engine(url), corpus, pushes)
    with scratch_schema(args.postgres) as pg:
        if pg is not None:
            run("postgresql", pg, corpus, pushes)


if __name__ == "__main__":
    main()
