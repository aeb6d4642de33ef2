"""``piu rules draft|submit|approve|activate|list|show|test`` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from piu.cli import app
from tests.fixtures.messages import paxlst

runner = CliRunner()
WHY = "Flights from Almaty carry the network's couriers, per the 2026 investigation."


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PIU_DATA_DIR", str(tmp_path / "data"))
    for var in ("PIU_DATABASE_URL", "PIU_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    for name in ("alice", "bob"):
        made = runner.invoke(app, ["users", "add", name, "--role", "rule_manager"])
        assert made.exit_code == 0, made.output
    runner.invoke(app, ["users", "add", "carol", "--role", "analyst"])
    return tmp_path


def test_a_rule_from_draft_to_hits(env: Path) -> None:
    draft = runner.invoke(
        app,
        [
            "rules",
            "draft",
            "ala",
            "flight.origin = 'ALA'",
            "--justification",
            WHY,
            "--category",
            "smuggling",
            "--severity",
            "high",
            "--as",
            "alice",
        ],
    )
    assert draft.exit_code == 0, draft.output
    assert runner.invoke(app, ["rules", "submit", "ala", "--as", "alice"]).exit_code == 0
    own = runner.invoke(app, ["rules", "approve", "ala", "--as", "alice"])
    assert own.exit_code == 1 and "four eyes" in own.output
    analyst = runner.invoke(app, ["rules", "approve", "ala", "--as", "carol"])
    assert analyst.exit_code == 2 and "not an active rule manager" in analyst.output
    assert runner.invoke(app, ["rules", "approve", "ala", "--as", "bob"]).exit_code == 0
    assert runner.invoke(app, ["rules", "activate", "ala", "--as", "bob"]).exit_code == 0

    msg = env / "list.edi"
    msg.write_bytes(paxlst())
    ingested = runner.invoke(app, ["ingest", str(msg), "--json"])
    assert ingested.exit_code == 0
    shown = json.loads(runner.invoke(app, ["rules", "show", "ala"]).output)
    assert shown["versions"][0]["status"] == "active" and shown["figures"]["hits"] == 1
    tried = runner.invoke(
        app,
        ["rules", "test", "flight.origin = 'ALA'", "--start", "2026-11-29", "--end", "2026-11-30"],
    )
    assert "1 of 1 travellers would have been hit" in tried.output
    listing = runner.invoke(app, ["rules", "list"])
    assert "active" in listing.output


def test_a_refused_expression_never_becomes_a_draft(env: Path) -> None:
    refused = runner.invoke(
        app,
        [
            "rules",
            "draft",
            "bad",
            "traveller.gender = 'F'",
            "--justification",
            WHY,
            "--category",
            "x",
            "--as",
            "alice",
        ],
    )
    assert refused.exit_code == 1 and "column" in refused.output
    assert "bad" not in runner.invoke(app, ["rules", "list"]).output
