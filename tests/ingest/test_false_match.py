"""A watchlist hit dismissed as a false match does not alert again for the same evidence.

The evidence hash covers the traveller's screened values (names, date of birth,
nationality, gender, documents) and the entry's content, not the traveller row: so the
same person with the same data on a later flight stays quiet, while other data, or a
changed entry, alerts again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from piu.ingest import receive
from piu.ingest.assess import screen_due
from piu.screening.importers import load
from piu.store import reviews
from piu.store.schema import false_matches, flights, hits, travellers
from piu.store.watchlists import apply_import
from tests.fixtures.messages import paxlst

# A common name listed without a date of birth: every BAKYT ASANOV is a candidate.
NATIONAL = """id,names,weak_names,dob,nationality,gender,documents,notes
KG-3,Бакыт Асанов|Bakyt Asanov,,,KGZ,M,,common name
"""
SLTD = """number,type,issuing_state,reported_on,status
AC7654321,P,KGZ,2025-01-31,stolen
"""
ASANOV = ("ASANOV", "BAKYT", "800501", "AC1234567")
WHY = "Another man: the listed person is twenty years older, per the liaison officer."


def _load(engine: Engine, tmp_path: Path, name: str, text: str, fmt: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    with engine.begin() as conn:
        apply_import(conn, name=name, imported=load(path, fmt), by="test", now=datetime.now(UTC))


def _flight_list(number: str, day: int, *people: tuple[str, str, str, str]) -> bytes:
    return paxlst(
        flight=f"KC{number}",
        dep_time=f"2612{day:02d}0930",
        arr_time=f"2612{day:02d}1040",
        travellers=list(people),
        ref=f"{number}{day}",
    )


def _hits(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(
            select(hits.c.id, hits.c.status, flights.c.flight_code, travellers.c.date_of_birth)
            .join(travellers, travellers.c.id == hits.c.traveller_id)
            .join(flights, flights.c.id == travellers.c.flight_id)
            .order_by(hits.c.id)
        ).all()


def _dismiss(engine: Engine, hit_id: int) -> None:
    with engine.begin() as conn:
        done = reviews.decide(
            conn, hit_id, decision="dismissed", reason=WHY, by="alice", now=datetime.now(UTC)
        )
    assert done["false_match"] is True


def test_a_dismissed_false_match_stays_quiet_on_a_later_flight(
    engine: Engine, tmp_path: Path
) -> None:
    _load(engine, tmp_path, "kg-national", NATIONAL, "piu_national_csv")
    first = receive(engine, _flight_list("109", 1, ASANOV), sender="KC", channel="cli")
    assert first.hits == 1
    [hit] = _hits(engine)
    _dismiss(engine, hit.id)

    # The same person, same data, on another flight a week later: no new hit.
    later = receive(engine, _flight_list("111", 8, ASANOV), sender="KC", channel="cli")
    assert later.status == "stored" and later.hits == 0
    screen_due(engine)
    assert [(h.flight_code, h.status) for h in _hits(engine)] == [("KC109", "dismissed")]

    # Another date of birth is other evidence: it alerts.
    other = ("ASANOV", "BAKYT", "850101", "AC1234567")
    assert receive(engine, _flight_list("113", 9, other), sender="KC", channel="cli").hits == 1
    # So does another passport for the same name and date of birth.
    renewed = ("ASANOV", "BAKYT", "800501", "AC7777777")
    assert receive(engine, _flight_list("115", 10, renewed), sender="KC", channel="cli").hits == 1
    assert [(h.flight_code, h.status) for h in _hits(engine)] == [
        ("KC109", "dismissed"),
        ("KC113", "open"),
        ("KC115", "open"),
    ]


def test_a_changed_entry_alerts_again(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path, "kg-national", NATIONAL, "piu_national_csv")
    assert receive(engine, _flight_list("109", 1, ASANOV), sender="KC", channel="cli").hits == 1
    [hit] = _hits(engine)
    _dismiss(engine, hit.id)
    assert receive(engine, _flight_list("111", 8, ASANOV), sender="KC", channel="cli").hits == 0
    # The list publisher adds a date of birth: the entry's content, hence the evidence,
    # changes, and the earlier dismissal no longer covers it.
    with_dob = NATIONAL.replace(",,,KGZ", ",,1980-05-01,KGZ")
    _load(engine, tmp_path, "kg-national", with_dob, "piu_national_csv")
    assert receive(engine, _flight_list("113", 9, ASANOV), sender="KC", channel="cli").hits == 1


def test_a_reversed_dismissal_is_forgotten(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path, "kg-national", NATIONAL, "piu_national_csv")
    assert receive(engine, _flight_list("109", 1, ASANOV), sender="KC", channel="cli").hits == 1
    [hit] = _hits(engine)
    _dismiss(engine, hit.id)
    with engine.begin() as conn:
        reviews.decide(
            conn,
            hit.id,
            decision="confirmed",
            reason="The supervisor found the listed person's photo matches.",
            by="bob",
            now=datetime.now(UTC),
        )
        assert conn.execute(select(false_matches)).all() == []
    assert receive(engine, _flight_list("111", 8, ASANOV), sender="KC", channel="cli").hits == 1


def test_a_dismissed_stolen_document_hit_stays_quiet_for_the_same_traveller(
    engine: Engine, tmp_path: Path
) -> None:
    _load(engine, tmp_path, "sltd", SLTD, "piu_sltd_csv")
    holder = ("OSMONOV", "TALANT", "900101", "AC7654321")
    assert receive(engine, _flight_list("109", 1, holder), sender="KC", channel="cli").hits == 1
    [hit] = _hits(engine)
    _dismiss(engine, hit.id)
    assert receive(engine, _flight_list("111", 8, holder), sender="KC", channel="cli").hits == 0
    # Someone else presenting the same listed number is still found.
    other = ("BEKOVA", "ERKE", "920101", "AC7654321")
    assert receive(engine, _flight_list("113", 9, other), sender="KC", channel="cli").hits == 1
