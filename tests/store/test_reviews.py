"""Hit review in the store: decisions with reasons, kept history, false matches, the queue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, insert, select

from piu.errors import PiuError
from piu.store import reviews
from piu.store.rules import rule_figures
from piu.store.schema import (
    audit_log,
    false_matches,
    flights,
    hits,
    rule_versions,
    rules,
    travellers,
)
from tests.web.support import T0, Travel, add_travel

WHY = "Date of birth and nationality differ from the listed person."
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # KC109 has left, KC110 is tomorrow


@pytest.fixture
def travel(engine: Engine) -> Travel:
    return add_travel(engine)


def _flight(conn: Connection, message_id: int, number: str, **values: Any) -> int:
    row = {
        "carrier": "KC",
        "number": number,
        "flight_code": "KC" + number,
        "origin": "ALA",
        "destination": "FRU",
        "departure_date": date(2026, 11, 29),
        "overflight": False,
        "status": "scheduled",
        "connections": [],
        "passenger_count": 1,
        "crew_count": 0,
        "first_message_id": message_id,
        "last_message_id": message_id,
        "created_at": T0,
        "updated_at": T0,
        **values,
    }
    return int(conn.execute(insert(flights).values(**row).returning(flights.c.id)).scalar_one())


def _traveller(conn: Connection, flight_id: int, message_id: int, surname: str) -> int:
    return int(
        conn.execute(
            insert(travellers)
            .values(
                flight_id=flight_id,
                match_key=surname,
                role="passenger",
                surname=surname,
                given_names="TEST",
                other_refs={},
                bag_tags=[],
                list_status="listed",
                first_message_id=message_id,
                last_message_id=message_id,
                created_at=T0,
                updated_at=T0,
            )
            .returning(travellers.c.id)
        ).scalar_one()
    )


def _hit(conn: Connection, traveller_id: int, severity: str, **values: Any) -> int:
    row = {
        "traveller_id": traveller_id,
        "kind": "watchlist",
        "score": 0.9,
        "severity": severity,
        "algorithm": "test",
        "explanation": {},
        "evidence_hash": f"{traveller_id:064d}",
        "status": "open",
        "created_at": T0,
        **values,
    }
    return int(conn.execute(insert(hits).values(**row).returning(hits.c.id)).scalar_one())


def _decide(engine: Engine, hit_id: int, decision: str, **kw: Any) -> dict[str, Any]:
    with engine.begin() as conn:
        return reviews.decide(
            conn,
            hit_id,
            decision=decision,
            reason=kw.pop("reason", WHY),
            by=kw.pop("by", "alice"),
            now=kw.pop("now", NOW),
        )


def _status(engine: Engine, hit_id: int) -> str:
    with engine.connect() as conn:
        return conn.execute(select(hits.c.status).where(hits.c.id == hit_id)).scalar_one()


def _false_matches(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return conn.execute(select(false_matches)).all()


def test_a_decision_sets_the_status_and_every_decision_is_kept(
    engine: Engine, travel: Travel
) -> None:
    first = _decide(engine, travel.hit, "more_info", reason="Need the passport scan first.")
    assert first["previous_status"] == "open" and first["status"] == "more_info"
    assert first["false_match"] is False
    assert _status(engine, travel.hit) == "more_info"
    later = NOW + timedelta(minutes=5)
    second = _decide(engine, travel.hit, "confirmed", by="bob", now=later, reason=WHY)
    assert second["previous_status"] == "more_info"
    assert _status(engine, travel.hit) == "confirmed"
    with engine.connect() as conn:
        history = reviews.hit_history(conn, travel.hit)
    assert [(h["decision"], h["by"], h["at"]) for h in history] == [
        ("more_info", "alice", NOW),
        ("confirmed", "bob", later),
    ]
    assert history[0]["reason"] == "Need the passport scan first."
    assert [h["id"] for h in history] == [first["review_id"], second["review_id"]]
    with engine.connect() as conn:
        logged = conn.execute(select(audit_log).order_by(audit_log.c.id)).all()
    assert [(e.actor, e.action, e.subject_id, e.detail["decision"]) for e in logged] == [
        ("alice", "hit.decide", str(travel.hit), "more_info"),
        ("bob", "hit.decide", str(travel.hit), "confirmed"),
    ]
    assert logged[1].detail["previous_status"] == "more_info"


@pytest.mark.parametrize("reason", ["", "   ", "no", "not him", "x" * 40, "a b  "])
def test_a_decision_needs_a_written_reason(engine: Engine, travel: Travel, reason: str) -> None:
    with pytest.raises(reviews.ReviewError, match="reason"):
        _decide(engine, travel.hit, "dismissed", reason=reason)
    assert _status(engine, travel.hit) == "open"
    with engine.connect() as conn:
        assert reviews.hit_history(conn, travel.hit) == []
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 0
    assert _false_matches(engine) == []


def test_the_reason_is_stored_tidied(engine: Engine, travel: Travel) -> None:
    done = _decide(engine, travel.hit, "dismissed", reason="  other\nperson,   other  dob ")
    assert done["reason"] == "other person, other dob"


def test_unknown_decisions_hits_and_people_are_refused(engine: Engine, travel: Travel) -> None:
    with pytest.raises(reviews.ReviewError, match="decision must be one of"):
        _decide(engine, travel.hit, "open")
    with pytest.raises(reviews.ReviewError, match="person"):
        _decide(engine, travel.hit, "confirmed", by=" ")
    with pytest.raises(reviews.HitNotFound, match="no hit 999999") as caught:
        _decide(engine, 999999, "confirmed")
    assert isinstance(caught.value, PiuError) and caught.value.hit_id == 999999
    with engine.connect() as conn, pytest.raises(reviews.HitNotFound):
        reviews.hit_history(conn, 999999)


def test_dismissing_a_watchlist_hit_remembers_the_false_match(
    engine: Engine, travel: Travel
) -> None:
    done = _decide(engine, travel.hit, "dismissed")
    assert done["false_match"] is True
    [fm] = _false_matches(engine)
    with engine.connect() as conn:
        hit = conn.execute(select(hits).where(hits.c.id == travel.hit)).one()
    assert (fm.entry_id, fm.evidence_hash, fm.hit_id, fm.by) == (
        hit.entry_id,
        hit.evidence_hash,
        travel.hit,
        "alice",
    )
    # Dismissing again (another reviewer agreeing) keeps one remembered false match.
    _decide(engine, travel.hit, "dismissed", by="bob")
    assert len(_false_matches(engine)) == 1
    # A reversal forgets it: the evidence must be able to alert again.
    _decide(engine, travel.hit, "confirmed", by="carol")
    assert _false_matches(engine) == []


def test_rule_hits_are_decided_and_move_the_rule_figures(engine: Engine, travel: Travel) -> None:
    with engine.begin() as conn:
        version = conn.execute(
            select(rule_versions.c.id)
            .join(rules, rules.c.id == rule_versions.c.rule_id)
            .where(rules.c.name == "transit-ist")
        ).scalar_one()
        made = [
            _hit(
                conn,
                tid,
                "low",
                kind="rule",
                rule_version_id=version,
                evidence_hash=f"{version}{tid}".zfill(64),
            )
            for tid in (travel.asanov, travel.zhumabaeva)
        ]
        before = rule_figures(conn, "transit-ist")
    assert before == {"hits": 2, "open": 2, "confirmed": 0, "dismissed": 0, "precision": None}
    assert _decide(engine, made[0], "confirmed")["false_match"] is False
    assert _decide(engine, made[1], "dismissed")["false_match"] is False
    with engine.connect() as conn:
        after = rule_figures(conn, "transit-ist")
    assert after == {"hits": 2, "open": 0, "confirmed": 1, "dismissed": 1, "precision": 0.5}
    # Rule evidence is shared by many people: a dismissed rule hit is not remembered.
    assert _false_matches(engine) == []


def test_queue_orders_by_severity_then_what_is_due_soonest(engine: Engine, travel: Travel) -> None:
    with engine.begin() as conn:
        m = travel.stored_message
        # In the air: left an hour ago, lands in 30 minutes (due before KC110 leaves).
        airborne = _flight(
            conn,
            m,
            "201",
            departure_utc=NOW - timedelta(hours=1),
            arrival_utc=NOW + timedelta(minutes=30),
        )
        landed = _flight(
            conn,
            m,
            "202",
            departure_utc=NOW - timedelta(hours=5),
            arrival_utc=NOW - timedelta(hours=3),
        )
        on = {
            name: _traveller(conn, flight, m, name)
            for name, flight in (
                ("KC110", travel.kc110),
                ("TK350", travel.tk350),
                ("KC999", travel.kc999),
                ("AIR", airborne),
                ("LANDED", landed),
                ("KC110B", travel.kc110),
            )
        }
        h = {
            "critical-past": _hit(conn, travel.zhumabaeva, "critical"),
            "high-tk350": _hit(conn, on["TK350"], "high"),
            "high-unknown": _hit(conn, on["KC999"], "high"),
            "high-kc110": _hit(conn, on["KC110"], "high"),
            "high-landed": _hit(conn, on["LANDED"], "high"),
            "high-airborne": _hit(conn, on["AIR"], "high"),
            "medium-kc110": _hit(conn, on["KC110B"], "medium"),
            "low-kc110": _hit(conn, on["KC110"], "low", evidence_hash="f" * 64),
            "high-decided": _hit(conn, on["TK350"], "high", evidence_hash="e" * 64),
        }
        # ASANOV's list hit (high, KC109: departed 17:30, arrival unknown).
        h["high-kc109"] = travel.hit
    _decide(engine, h["high-decided"], "confirmed")
    _decide(engine, h["medium-kc110"], "more_info")
    with engine.connect() as conn:
        page = reviews.review_queue(conn, now=NOW)
    by_id = {v: k for k, v in h.items()}
    assert [by_id[item["id"]] for item in page.items] == [
        "critical-past",
        "high-airborne",  # lands in 30 minutes
        "high-kc110",  # leaves tomorrow 08:00
        "high-tk350",  # leaves the day after
        "high-unknown",  # UTC time unknown: after what is known to be due
        "high-kc109",  # left at 17:30 today: the most recent of the past first
        "high-landed",  # left at 15:00 today
        "medium-kc110",  # more_info stays in the queue
        "low-kc110",
    ]
    first, air = page.items[0], page.items[1]
    assert first["source"] is None  # a hit written without a list
    assert (air["due_kind"], air["due"]) == ("arrival", NOW + timedelta(minutes=30))
    kc110 = page.items[2]
    assert (kc110["due_kind"], kc110["flight_code"]) == ("departure", "KC110")
    kc109 = next(i for i in page.items if i["id"] == travel.hit)
    assert kc109["due"] is None and kc109["source"] == "kg-national"
    assert (kc109["surname"], kc109["entry"]) == ("ASANOV", "KG-1")

    with engine.connect() as conn:
        paged = reviews.review_queue(conn, now=NOW, limit=4, offset=4)
        decided = reviews.review_queue(conn, now=NOW, statuses=("confirmed",))
    assert [i["id"] for i in paged.items] == [i["id"] for i in page.items[4:8]]
    assert paged.next_offset == 8
    assert [i["id"] for i in decided.items] == [h["high-decided"]]
    with engine.connect() as conn, pytest.raises(reviews.ReviewError):
        reviews.review_queue(conn, statuses=("closed",))


def test_the_queue_names_the_rule_of_a_rule_hit(engine: Engine, travel: Travel) -> None:
    with engine.begin() as conn:
        version = conn.execute(select(func.min(rule_versions.c.id))).scalar_one()
        _hit(conn, travel.zhumabaeva, "critical", kind="rule", rule_version_id=version)
        page = reviews.review_queue(conn, now=NOW)
    rule_item = page.items[0]
    assert (rule_item["kind"], rule_item["rule"], rule_item["rule_version"]) == (
        "rule",
        "transit-ist",
        1,
    )
    assert rule_item["source"] == "transit-ist" and rule_item["watchlist"] is None
