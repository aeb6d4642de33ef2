"""Screening at ingest: hits with explanations, never twice, and re-screening on list changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from piu.ingest import receive, reprocess
from piu.ingest.assess import rescreen_for_entries, screen_due
from piu.screening.importers import load
from piu.store.schema import hits, travellers
from piu.store.watchlists import apply_import
from tests.fixtures.messages import paxlst, pnr_push

NATIONAL = """id,names,weak_names,dob,nationality,gender,documents,notes
KG-1,Азамат Абдулхакимов|Azamat Abdulkhakimov,,1980-03-11,KGZ,M,,test entry
KG-2,Мария Петрова,,1991-01-01,RUS,F,,other person
"""
SLTD = """number,type,issuing_state,reported_on,status
AC7654321,P,KGZ,2025-01-31,stolen
"""


def _soon(hours: int) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%y%m%d%H%M")


def _load(engine: Engine, tmp_path: Path, name: str, text: str, fmt: str) -> list[int]:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    with engine.begin() as conn:
        applied = apply_import(
            conn, name=name, imported=load(path, fmt), by="test", now=datetime.now(UTC)
        )
    return applied.added_entry_ids + applied.changed_entry_ids


def _hits(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(hits).order_by(hits.c.id)).all()


def test_a_listed_person_under_a_latin_spelling_is_hit_with_an_explanation(
    engine: Engine, tmp_path: Path
) -> None:
    _load(engine, tmp_path, "kg-national", NATIONAL, "piu_national_csv")
    raw = paxlst(
        travellers=[
            ("ABDULHAKIMOV", "AZAMAT", "800311", "AC1111111"),
            ("SMITH", "JOHN", "700101", "AC2222222"),
        ]
    )
    result = receive(engine, raw, sender="KC", channel="cli")
    assert result.status == "stored" and result.hits == 1
    [hit] = _hits(engine)
    assert hit.kind == "watchlist" and hit.status == "open"
    assert hit.message_id == result.message_id and hit.score >= 0.8
    assert hit.explanation["entry_id"] == "KG-1"
    assert hit.explanation["features"]["dob"]["outcome"] != "contradicts"
    assert "ABDULHAKIMOV" in hit.explanation["text"].upper()
    with engine.connect() as conn:
        unscreened = conn.execute(
            select(func.count()).select_from(travellers).where(travellers.c.screened_at.is_(None))
        ).scalar_one()
    assert unscreened == 0


def test_same_evidence_never_alerts_twice(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path, "kg-national", NATIONAL, "piu_national_csv")
    raw = paxlst(travellers=[("ABDULKHAKIMOV", "AZAMAT", "800311", "AC1111111")])
    receive(engine, raw, sender="KC", channel="cli")
    assert receive(engine, raw, sender="KC", channel="inbox").status == "duplicate"
    assert [r.status for r in reprocess(engine, statuses=None)] == ["stored"]
    screen_due(engine)
    assert len(_hits(engine)) == 1
    # A change list about the same person with the same data: still one hit.
    receive(
        engine,
        paxlst(ref="2", travellers=[("ABDULKHAKIMOV", "AZAMAT", "800311", "AC1111111")]),
        sender="KC",
        channel="cli",
    )
    assert len(_hits(engine)) == 1


def test_stolen_document_is_found_by_number(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path, "sltd", SLTD, "piu_sltd_csv")
    listed = paxlst(travellers=[("OSMONOV", "TALANT", "900101", "AC7654321")])
    assert receive(engine, listed, sender="KC", channel="cli").hits == 1
    [hit] = _hits(engine)
    assert hit.explanation["how"] == "exact" and hit.score == 1.0
    other = paxlst(ref="8", travellers=[("BEKOVA", "ERKE", "920101", "AC7654000")])
    assert receive(engine, other, sender="KC", channel="cli").hits == 0


def test_letter_o_for_zero_in_a_document_number_still_hits(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path, "sltd", SLTD.replace("AC7654321", "AC7650321"), "piu_sltd_csv")
    result = receive(
        engine,
        paxlst(travellers=[("OSMONOV", "TALANT", "900101", "AC765O321")]),
        sender="KC",
        channel="cli",
    )
    assert result.hits == 1
    [hit] = _hits(engine)
    assert hit.explanation["how"].startswith("equal up to") and hit.score < 1.0


def test_an_entry_added_later_finds_travellers_already_stored(
    engine: Engine, tmp_path: Path
) -> None:
    raw = paxlst(
        dep_time=_soon(24),
        arr_time=_soon(26),
        travellers=[("ABDULKHAKIMOV", "AZAMAT", "800311", "AC1111111")],
    )
    assert receive(engine, raw, sender="KC", channel="cli").hits == 0
    added = _load(engine, tmp_path, "kg-national", NATIONAL, "piu_national_csv")
    screened, new = rescreen_for_entries(engine, added)
    assert (screened, new) == (1, 1)
    assert rescreen_for_entries(engine, added) == (1, 0)  # again: nothing new


def test_removed_entries_no_longer_alert(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path, "kg-national", NATIONAL, "piu_national_csv")
    without = NATIONAL.replace(
        "KG-1,Азамат Абдулхакимов|Azamat Abdulkhakimov,,1980-03-11,KGZ,M,,test entry\n", ""
    )
    _load(engine, tmp_path, "kg-national", without, "piu_national_csv")
    raw = paxlst(travellers=[("ABDULKHAKIMOV", "AZAMAT", "800311", "AC1111111")])
    assert receive(engine, raw, sender="KC", channel="cli").hits == 0


def test_a_backlog_screened_by_worker_processes_hits_the_right_travellers(
    engine: Engine, tmp_path: Path
) -> None:
    """``piu screen --due`` spreads the names over processes; every hit must still land
    on the traveller whose name it was."""
    people = [
        (f"BEK{chr(65 + i % 26)}{chr(65 + i // 26)}OV", "TALANT", "900101", f"AC{i:07d}")
        for i in range(300)
    ]
    listed = {7: "ABDULKHAKIMOV", 288: "ABDULHAKIMOV"}
    for i, surname in listed.items():
        people[i] = (surname, "AZAMAT", "800311", people[i][3])
    receive(engine, paxlst(travellers=people), sender="KC", channel="cli")
    _load(engine, tmp_path, "kg-national", NATIONAL, "piu_national_csv")
    with engine.begin() as conn:
        conn.execute(travellers.update().values(screened_at=None))
    seen: list[tuple[int, int]] = []
    progress = lambda *step: seen.append(step)  # noqa: E731
    assert screen_due(engine, workers=2, batch=200, progress=progress) == (300, 2)
    assert seen == [(200, 300), (300, 300)]  # (done, due when it began), batch by batch
    with engine.connect() as conn:
        hit_names = conn.execute(
            select(travellers.c.surname).join(hits, hits.c.traveller_id == travellers.c.id)
        ).scalars()
        assert sorted(hit_names) == sorted(listed.values())


def test_a_pnr_travellers_booking_title_is_no_name(engine: Engine, tmp_path: Path) -> None:
    """Booking systems append a title to the given names (NURLAN MR); screened as a name,
    it would cost the traveller's hit a tenth of its score."""
    listed = NATIONAL.splitlines()[0] + "\nKG-9,Nurlan ZHUMABAEV,,,,,,\n"
    _load(engine, tmp_path, "kg-national", listed, "piu_national_csv")
    push = pnr_push(travellers=[("ZHUMABAEV", "NURLAN MR", None, None)])
    assert receive(engine, push, sender="KC", channel="cli").hits == 1
    [hit] = _hits(engine)
    assert hit.score == 1.0
    assert "MR" not in hit.explanation["text"].split()


def test_a_travellers_surname_is_known_to_the_matcher(engine: Engine, tmp_path: Path) -> None:
    """Documents give the surname apart from the given names, and the matcher is told
    which it is: a traveller whose second surname differs from the listed one, with the
    given name, a surname and the full date of birth agreeing, is hit; joined in
    capitals, the name would not say which words are surnames."""
    listed = NATIONAL.splitlines()[0] + "\nMX-1,Daniel RODRIGUEZ OLIVERA,,1974-02-14,,,,\n"
    _load(engine, tmp_path, "mx-national", listed, "piu_national_csv")
    raw = paxlst(travellers=[("RODRIGUEZ MORFIN", "DANIEL", "740214", "AC3333333")])
    assert receive(engine, raw, sender="KC", channel="cli").hits == 1
    [hit] = _hits(engine)
    assert "a surname and the date of birth agree (full)" in hit.explanation["text"]
    assert "Daniel RODRIGUEZ MORFIN" in hit.explanation["text"]


def test_the_evidence_of_a_name_in_capitals_is_as_before_the_surname_was_told() -> None:
    """Hits stored before the matcher was told the surname hashed the name as joined in
    capitals; the name is now written with the given names in lower case, and the
    evidence takes it in capitals again, so a re-screening raises none of them twice."""
    from dataclasses import replace
    from types import SimpleNamespace

    from piu.ingest.assess import _EntryInfo, _evidence, _query_for
    from piu.screening import WatchlistEntry

    row = SimpleNamespace(given_names="NURLAN MR", middle_names="BAKYT", surname="ZHUMABAEV",
                          date_of_birth=None, nationality="KGZ", gender="M")  # fmt: skip
    query = _query_for(row, [])
    assert query.name == "Nurlan Bakyt ZHUMABAEV"
    info = _EntryInfo(1, 1, "high", "abc", WatchlistEntry("KG-9", "kg", ["Nurlan ZHUMABAEV"]))
    before = replace(query, name="NURLAN BAKYT ZHUMABAEV")  # as the name was joined
    assert _evidence(query, info) == _evidence(before, info)
    assert _evidence(query, info) != _evidence(replace(query, name="Nurlan ZHUMABAEV"), info)
