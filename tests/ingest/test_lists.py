"""The re-screening a list import owes: recorded with the import, done after it, never lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from piu.ingest import lists as lists_module
from piu.ingest import receive
from piu.ingest.lists import Rescreener, import_list, rescreen_due
from piu.screening.importers import load
from piu.store import rescreens
from piu.store.schema import hits, watchlist_imports
from piu.store.watchlists import get_watchlist, import_history
from tests.fixtures.messages import paxlst

NATIONAL = """id,names,weak_names,dob,nationality,gender,documents,notes
KG-1,Азамат Абдулхакимов|Azamat Abdulkhakimov,,1980-03-11,KGZ,M,,test entry
"""
WINDOW = {"days_back": 7, "days_ahead": 30}


def _soon(hours: int) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%y%m%d%H%M")


def _store_traveller(engine: Engine) -> None:
    raw = paxlst(
        dep_time=_soon(24),
        arr_time=_soon(26),
        travellers=[("ABDULKHAKIMOV", "AZAMAT", "800311", "AC1111111")],
    )
    assert receive(engine, raw, sender="KC", channel="cli").hits == 0


def _import(engine: Engine, tmp_path: Path, text: str = NATIONAL, **kw: bool) -> int:
    path = tmp_path / "kg.csv"
    path.write_text(text, encoding="utf-8")
    applied = import_list(
        engine, name="kg", imported=load(path, "piu_national_csv"), by="test",
        file_name="kg.csv", **kw,
    )  # fmt: skip
    return applied.import_id


def _hit_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(hits)).scalar_one()


def _history(engine: Engine) -> list:
    with engine.connect() as conn:
        info = get_watchlist(conn, "kg")
        assert info is not None
        return import_history(conn, info.id)


def test_an_import_owes_a_rescreening_that_is_done_once(engine: Engine, tmp_path: Path) -> None:
    _store_traveller(engine)
    import_id = _import(engine, tmp_path)
    [record] = _history(engine)
    assert record.rescreen == "due" and _hit_count(engine) == 0  # owed, not done yet

    seen: list[tuple[str, int, int]] = []
    [done] = rescreen_due(engine, **WINDOW, progress=lambda *step: seen.append(step))
    assert seen == [("kg", 1, 1)]  # (list, travellers done, travellers in the window)
    assert (done.import_id, done.watchlist, done.travellers, done.new_hits) == (
        import_id,
        "kg",
        1,
        1,
    )
    assert done.error is None and _hit_count(engine) == 1
    [record] = _history(engine)
    assert (record.rescreen, record.rescreened_travellers, record.rescreen_hits) == ("done", 1, 1)
    assert rescreen_due(engine, **WINDOW) == []  # nothing owed any more


def test_an_import_without_additions_or_without_rescreen_owes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    _import(engine, tmp_path, rescreen=False)
    _import(engine, tmp_path)  # the same file again: nothing added or changed
    assert [r.rescreen for r in _history(engine)] == ["", ""]
    assert rescreen_due(engine, **WINDOW) == []


def test_a_failed_rescreening_stays_due_and_is_done_by_the_next_run(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_traveller(engine)
    _import(engine, tmp_path)

    def broken(*_a: object, **_k: object) -> tuple[int, int]:
        raise RuntimeError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(lists_module, "rescreen_for_entries", broken)
        [failed] = rescreen_due(engine, **WINDOW)
    assert failed.error == "RuntimeError: disk full"
    [record] = _history(engine)
    assert (record.rescreen, record.rescreen_error) == ("failed", "RuntimeError: disk full")

    [done] = rescreen_due(engine, **WINDOW)
    assert (done.error, done.new_hits) == (None, 1)
    assert _history(engine)[0].rescreen == "done"


def test_an_import_claimed_by_another_process_is_left_to_it_until_the_claim_is_stale(
    engine: Engine, tmp_path: Path
) -> None:
    _store_traveller(engine)
    import_id = _import(engine, tmp_path)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        assert rescreens.claim(conn, import_id, now=now)
        assert not rescreens.claim(conn, import_id, now=now)  # held
    assert rescreen_due(engine, **WINDOW) == []
    assert _hit_count(engine) == 0
    # the claimant stopped: an hour later its claim is taken over
    later = now + rescreens.STALE_AFTER + timedelta(minutes=1)
    [done] = rescreen_due(engine, **WINDOW, now=lambda: later)
    assert done.new_hits == 1


def test_the_background_rescreener_does_what_is_owed_and_looks_again_when_kicked(
    engine: Engine, tmp_path: Path
) -> None:
    _store_traveller(engine)
    runner = Rescreener(engine, **WINDOW)
    runner.kick()  # nothing owed yet
    assert runner.join(30)
    _import(engine, tmp_path)
    runner.kick()
    assert runner.join(30)
    assert _history(engine)[0].rescreen == "done" and _hit_count(engine) == 1


def test_imports_made_before_the_rescreen_record_owe_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    # what the migration gives rows that existed before it: not due, never done
    _import(engine, tmp_path)
    with engine.begin() as conn:
        conn.execute(update(watchlist_imports).values(rescreen_due=False, rescreen_entry_ids=[]))
    assert [r.rescreen for r in _history(engine)] == [""]
    assert rescreen_due(engine, **WINDOW) == []


def test_a_rescreening_stopped_half_way_is_left_due_for_the_next_run_at_once(
    engine: Engine, tmp_path: Path
) -> None:
    _store_traveller(engine)
    _import(engine, tmp_path)
    assert rescreen_due(engine, **WINDOW, stop=lambda: True) == []
    assert _history(engine)[0].rescreen == "due" and _hit_count(engine) == 0
    with engine.connect() as conn:  # the claim is given up: no hour's wait
        assert [d.watchlist for d in rescreens.due(conn, now=datetime.now(UTC))] == ["kg"]
    [done] = rescreen_due(engine, **WINDOW)
    assert done.new_hits == 1


def test_a_stopped_rescreener_starts_no_more_work(engine: Engine, tmp_path: Path) -> None:
    _store_traveller(engine)
    runner = Rescreener(engine, **WINDOW)
    assert runner.stop(5)
    _import(engine, tmp_path)
    runner.kick()
    assert runner.join(5)
    assert _history(engine)[0].rescreen == "due"  # for the next process to do
