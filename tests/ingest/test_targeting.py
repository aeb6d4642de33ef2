"""Rules: the reviewed lifecycle, hits at ingest with their trace, trial runs on the past."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select

from piu.errors import PiuError
from piu.ingest import receive
from piu.ingest.targeting import try_rule
from piu.store import rules as lifecycle
from piu.store.schema import hits, rule_events
from tests.fixtures.messages import paxlst, pnr_push

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
WHY = "Routes through Almaty to Manas are used by a smuggling network under investigation."


def _active(engine: Engine, expression: str, name: str = "ala-fru") -> None:
    with engine.begin() as conn:
        lifecycle.draft(
            conn,
            name=name,
            expression=expression,
            justification=WHY,
            category="smuggling",
            severity="high",
            author="alice",
            now=NOW,
        )
        lifecycle.submit(conn, name, None, by="alice", now=NOW)
        lifecycle.approve(conn, name, None, by="bob", now=NOW)
        lifecycle.activate(conn, name, None, by="bob", now=NOW)


def test_four_eyes_and_the_order_of_steps(engine: Engine) -> None:
    with engine.begin() as conn:
        v1 = lifecycle.draft(
            conn,
            name="r1",
            expression="flight.origin = 'ALA'",
            justification=WHY,
            category="smuggling",
            severity="high",
            author="alice",
            now=NOW,
        )
        assert (v1.version, v1.status) == (1, "draft")
        with pytest.raises(lifecycle.RuleStateError, match="cannot be approved"):
            lifecycle.approve(conn, "r1", 1, by="bob", now=NOW)
        lifecycle.submit(conn, "r1", 1, by="alice", now=NOW)
        with pytest.raises(lifecycle.RuleStateError, match="four eyes"):
            lifecycle.approve(conn, "r1", 1, by="alice", now=NOW)
        lifecycle.approve(conn, "r1", 1, by="bob", now=NOW)
        assert lifecycle.activate(conn, "r1", 1, by="bob", now=NOW).status == "active"
        # A change is a new version; activating it retires the old one.
        v2 = lifecycle.draft(
            conn,
            name="r1",
            expression="flight.origin = 'IST'",
            justification=WHY,
            category="smuggling",
            severity="high",
            author="carol",
            now=NOW,
        )
        lifecycle.submit(conn, "r1", 2, by="carol", now=NOW)
        lifecycle.approve(conn, "r1", 2, by="alice", now=NOW)
        lifecycle.activate(conn, "r1", 2, by="alice", now=NOW)
        versions, events = lifecycle.get_rule(conn, "r1")
        assert [(v.version, v.status) for v in versions] == [(2, "active"), (1, "retired")]
        assert v2.expression == "flight.origin = 'IST'"
        assert [e["action"] for e in events][:4] == ["draft", "submit", "approve", "activate"]
        assert len(conn.execute(select(rule_events)).all()) == len(events)
        with pytest.raises(lifecycle.RuleStateError, match="did you mean 'r1'"):
            lifecycle.submit(conn, "r11", None, by="x", now=NOW)


def test_refused_rules_never_become_drafts(engine: Engine) -> None:
    with engine.begin() as conn:
        with pytest.raises(PiuError):  # selects on nationality alone
            lifecycle.draft(
                conn,
                name="bad",
                expression="traveller.nationality = 'SYR'",
                justification=WHY,
                category="x",
                severity="high",
                author="a",
                now=NOW,
            )
        with pytest.raises(lifecycle.RuleStateError, match="justification"):
            lifecycle.draft(
                conn,
                name="bad",
                expression="flight.origin = 'ALA'",
                justification="because",
                category="x",
                severity="high",
                author="a",
                now=NOW,
            )
        assert lifecycle.list_rules(conn) == []


def test_active_rules_hit_at_ingest_with_the_values_seen(engine: Engine) -> None:
    _active(engine, "flight.origin = 'ALA' and flight.destination = 'FRU'")
    result = receive(engine, paxlst(), sender="KC", channel="cli")
    assert result.hits == 1
    with engine.connect() as conn:
        [hit] = conn.execute(select(hits)).all()
        figures = lifecycle.rule_figures(conn, "ala-fru")
    assert hit.kind == "rule" and hit.message_id == result.message_id
    seen = {c["attribute"]: c["value"] for c in hit.explanation["conditions"]}
    assert seen == {"flight.origin": "ALA", "flight.destination": "FRU"}
    assert figures["hits"] == 1 and figures["open"] == 1 and figures["precision"] is None
    # The same evidence again (a change list with the same data) raises nothing new.
    assert receive(engine, paxlst(ref="2"), sender="KC", channel="cli").hits == 0


def test_rules_see_pnr_data_of_a_traveller_known_from_api(engine: Engine) -> None:
    _active(engine, "flight.origin = 'ALA' and booking.travellers >= 2", name="group")
    api = paxlst(
        travellers=[("ASANOV", "BAKYT", "800501", "AC1"), ("ASANOVA", "AIDA", "820101", "AC2")]
    )
    assert receive(engine, api, sender="KC", channel="cli").hits == 0  # no booking known yet
    booked = [
        ("ASANOV", "BAKYT MR", "1980-05-01", None),
        ("ASANOVA", "AIDA MRS", "1982-01-01", None),
    ]
    assert receive(engine, pnr_push(travellers=booked), sender="KC", channel="cli").hits == 2


def test_a_rule_tried_on_the_past_writes_nothing(engine: Engine) -> None:
    receive(
        engine,
        paxlst(travellers=[("A", "B", "800101", "X1"), ("C", "D", "810101", "X2")]),
        sender="KC",
        channel="cli",
    )
    trial = try_rule(
        engine, "flight.origin = 'ALA'", start=date(2026, 11, 29), end=date(2026, 11, 29)
    )
    assert (trial.travellers, trial.matched, len(trial.sample)) == (2, 2, 2)
    none = try_rule(
        engine, "flight.origin = 'IST'", start=date(2026, 11, 1), end=date(2026, 12, 31)
    )
    assert none.matched == 0
    with engine.connect() as conn:
        assert conn.execute(select(hits)).all() == []
