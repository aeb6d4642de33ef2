"""The inbox door: files are archived only after they are kept, never deleted."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from piu.store.schema import messages, receipts
from piu.transports.inbox import Inbox
from tests.fixtures.messages import paxlst


def _age(path: Path, seconds: float = 10) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_settled_files_are_received_and_archived_by_status(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    box = Inbox(sqlite_engine, inbox, archive, settle_seconds=1.0)
    (inbox / "KC").mkdir()
    good = inbox / "KC" / "list1.edi"
    good.write_bytes(paxlst())
    bad = inbox / "broken.edi"
    bad.write_bytes(b"not edifact at all")
    partial = inbox / "list2.edi.part"
    partial.write_bytes(paxlst(ref="2"))
    fresh = inbox / "fresh.edi"
    fresh.write_bytes(paxlst(ref="3"))
    for p in (good, bad, partial):
        _age(p)

    results = box.scan_once()

    assert sorted(r.status for r in results) == ["rejected", "stored"]
    assert not good.exists() and not bad.exists()
    assert partial.exists() and fresh.exists()  # still being written: left alone
    archived = sorted(p.relative_to(archive).parts[1:] for p in archive.rglob("*.edi"))
    assert archived == [("rejected", "broken.edi"), ("stored", "list1.edi")]
    with sqlite_engine.connect() as conn:
        senders = set(conn.execute(select(messages.c.sender)).scalars())
        assert senders == {"KC", "inbox"}
        assert conn.execute(select(func.count()).select_from(receipts)).scalar_one() == 2


def test_same_file_twice_is_archived_twice_and_kept_once(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    inbox, archive = tmp_path / "inbox", tmp_path / "archive"
    box = Inbox(sqlite_engine, inbox, archive, settle_seconds=0)
    for _ in range(2):
        f = inbox / "same.edi"
        f.write_bytes(paxlst())
        _age(f)
        box.scan_once()
    names = sorted(p.name for p in archive.rglob("*.edi"))
    assert names == ["same.edi", "same.edi"]  # one under stored/, one under duplicate/
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(messages)).scalar_one() == 1


def test_run_loop_stops_when_asked(sqlite_engine: Engine, tmp_path: Path) -> None:
    box = Inbox(sqlite_engine, tmp_path / "in", tmp_path / "ar", settle_seconds=0)
    stop = threading.Event()
    t = threading.Thread(target=box.run, args=(stop, 0.05))
    t.start()
    (tmp_path / "in" / "a.edi").write_bytes(paxlst())
    deadline = time.time() + 10
    while time.time() < deadline and not list((tmp_path / "ar").rglob("a.edi")):
        time.sleep(0.05)
    stop.set()
    t.join(5)
    assert not t.is_alive()
    assert list((tmp_path / "ar").rglob("a.edi"))
