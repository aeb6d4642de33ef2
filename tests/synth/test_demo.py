"""The demo path end to end: a real server, carriers pushing a small day over HTTP, and the
store checked against the ground truth (every message kept with the expected outcome,
every planted watchlist person and stolen passport raising a hit)."""

from __future__ import annotations

import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from piu.accounts import passwords
from piu.cli.demo import Demo
from piu.config import Settings
from piu.store.schema import hits, messages, receipts, travellers, watchlist_entries
from piu.synth import pnr as synth_pnr
from piu.web.app import create_app
from tests.accounts.support import FAST_HASHER
from tests.synth.support import of_type, small, truth


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Fed:
    demo: Demo
    base: str
    lines: list[dict[str, Any]]
    status: dict[str, str]
    deliveries: dict[str, int]
    found: dict[str, set[str]]
    flights: list[dict[str, Any]]
    api_hits: list[dict[str, Any]]


@pytest.fixture(scope="module")
def fed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fed]:
    """One small demo day, fed once through a real server, and what the store then holds."""
    port = _free_port()
    cfg = Settings(data_dir=tmp_path_factory.mktemp("demo") / "data", port=port)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(passwords, "_hasher", FAST_HASHER)
        passwords._dummy_hash.cache_clear()
        d = Demo(cfg, config=small(), span=0)
        d.prepare()
    assert d.engine is not None and d.api_token
    server = uvicorn.Server(
        uvicorn.Config(create_app(cfg, d.engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        gen = d.generator()
        assert d.import_lists(gen) > len(gen.cases)
        summary = d.feed(base, gen)
        assert d.out is not None
        lines = truth(d.out)
        assert summary.messages == len(of_type(lines, "message")) > 0
        with d.engine.connect() as conn:
            status = dict(conn.execute(select(messages.c.sha256, messages.c.status)).all())
            deliveries = dict(
                conn.execute(
                    select(messages.c.sha256, func.count(receipts.c.id))
                    .join(receipts, receipts.c.message_id == messages.c.id)
                    .group_by(messages.c.sha256)
                ).all()
            )
            found: dict[str, set[str]] = defaultdict(set)
            for ref, entry in conn.execute(
                select(travellers.c.passenger_ref, watchlist_entries.c.entry_key)
                .join(hits, hits.c.traveller_id == travellers.c.id)
                .join(watchlist_entries, watchlist_entries.c.id == hits.c.entry_id)
            ):
                found[ref].add(entry)
        # What a newcomer sees through the API with the printed token.
        headers = {"Authorization": f"Bearer {d.api_token}"}
        flights = httpx.get(f"{base}/api/v1/flights", headers=headers).json()["items"]
        api_hits = httpx.get(f"{base}/api/v1/hits", headers=headers).json()["items"]
        yield Fed(d, base, lines, status, deliveries, found, flights, api_hits)
    finally:
        server.should_exit = True
        thread.join(10)


def test_every_message_arrived_with_the_expected_outcome(fed: Fed) -> None:
    pnr_read = synth_pnr.available() and any(
        fed.status[m["sha256"]] == "stored"
        for m in of_type(fed.lines, "message")
        if m["kind"] == "pnrgov"
    )
    for m in of_type(fed.lines, "message"):
        assert m["sha256"] in fed.status, f"{m['file']} never arrived"
        got = fed.status[m["sha256"]]
        if m["expect"] == "duplicate":
            assert fed.deliveries[m["sha256"]] >= 2, m["file"]
        elif m["kind"] == "paxlst" or pnr_read:
            assert got == ("rejected" if m["expect"] == "rejected" else "stored"), m["file"]


def test_every_planted_message_was_stored(fed: Fed) -> None:
    by_file = {m["file"]: m for m in of_type(fed.lines, "message")}
    for case in of_type(fed.lines, "planted"):
        assert case["messages"], case["case"]
        for f in case["messages"]:
            m = by_file[f]
            if m["kind"] == "paxlst":
                assert fed.status[m["sha256"]] == "stored", (case["case"], f)


def test_planted_watchlist_persons_and_documents_hit(fed: Fed) -> None:
    cases = [c for c in of_type(fed.lines, "planted") if c["hit_kind"] in ("watchlist", "document")]
    assert {c["kind"] for c in cases} == {"watchlist", "sltd"}
    assert {c["variant"] for c in cases} >= {"native_script", "romanisation", "swapped", "typo"}
    missed = [c for c in cases if c["entry_id"] not in fed.found.get(c["passenger_ref"], set())]
    assert not missed, [(c["case"], c["variant"], c["listed_names"]) for c in missed]


def test_namesakes_are_in_the_ground_truth_as_no_hit(fed: Fed) -> None:
    namesakes = [c for c in of_type(fed.lines, "planted") if c["kind"] == "namesake"]
    assert namesakes and not any(c["expect_hit"] for c in namesakes)


def test_a_newcomer_sees_flights_and_hits_through_the_api(fed: Fed) -> None:
    assert fed.flights and all(f["carrier"] for f in fed.flights)
    assert {h["watchlist"] for h in fed.api_hits} >= {"synth-national"}
