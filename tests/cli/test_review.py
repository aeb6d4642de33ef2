"""``piu review queue|decide|history`` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from piu.cli import app
from piu.cli._common import open_engine
from tests.web.support import Travel, add_travel

runner = CliRunner()
WHY = "Another person: born twenty years after the listed man."


@pytest.fixture
def travel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Travel:
    monkeypatch.setenv("PIU_DATA_DIR", str(tmp_path / "data"))
    for var in ("PIU_DATABASE_URL", "PIU_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    for name, role in (("alice", "analyst"), ("dan", "dpo")):
        made = runner.invoke(app, ["users", "add", name, "--role", role])
        assert made.exit_code == 0, made.output
    engine = open_engine()
    try:
        return add_travel(engine)
    finally:
        engine.dispose()


def test_queue_decide_history(travel: Travel) -> None:
    queue = runner.invoke(app, ["review", "queue", "--json"])
    assert queue.exit_code == 0, queue.output
    [item] = json.loads(queue.output)["items"]
    assert item["id"] == travel.hit and item["source"] == "kg-national"
    table = runner.invoke(app, ["review", "queue"])
    assert "ASANOV" in table.output and "KC109" in table.output

    hit = str(travel.hit)
    base = ["review", "decide", hit, "--decision", "dismissed"]
    dpo = runner.invoke(app, [*base, "--reason", WHY, "--as", "dan"])
    assert dpo.exit_code == 2 and "not an active analyst or supervisor" in dpo.output
    nobody = runner.invoke(app, [*base, "--reason", WHY, "--as", "mallory"])
    assert nobody.exit_code == 1
    terse = runner.invoke(app, [*base, "--reason", "no", "--as", "alice"])
    assert terse.exit_code == 1 and "reason" in terse.output
    done = runner.invoke(app, [*base, "--reason", WHY, "--as", "alice"])
    assert done.exit_code == 0, done.output
    assert "open -> dismissed by alice (remembered as a false match)" in done.output
    missing = runner.invoke(
        app,
        ["review", "decide", "999999", "--decision", "confirmed", "--reason", WHY, "--as", "alice"],
    )
    assert missing.exit_code == 1 and "no hit 999999" in missing.output

    history = runner.invoke(app, ["review", "history", hit])
    assert history.exit_code == 0
    [review] = json.loads(history.output)
    assert (review["decision"], review["by"], review["reason"]) == ("dismissed", "alice", WHY)
    assert json.loads(runner.invoke(app, ["review", "queue", "--json"]).output)["items"] == []
