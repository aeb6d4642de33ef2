"""``piu case list|show`` and ``piu dissemination list|approve|reject|export``."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from piu.cli import app
from piu.cli._common import open_engine
from piu.store import audit, cases, disseminations, reviews
from tests.web.support import Travel, add_travel

runner = CliRunner()
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Travel, int, int]:
    """Users alice (analyst), sup and chief (supervisors), dan (DPO); a case with the
    confirmed hit and a dissemination requested by sup."""
    monkeypatch.setenv("PIU_DATA_DIR", str(tmp_path / "data"))
    for var in ("PIU_DATABASE_URL", "PIU_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    for name, role in (
        ("alice", "analyst"),
        ("sup", "supervisor"),
        ("chief", "supervisor"),
        ("dan", "dpo"),
    ):
        made = runner.invoke(app, ["users", "add", name, "--role", role])
        assert made.exit_code == 0, made.output
    engine = open_engine()
    try:
        travel = add_travel(engine)
        with engine.begin() as conn:
            reviews.decide(
                conn,
                travel.hit,
                decision="confirmed",
                reason="Photo and passport match.",
                by="alice",
                now=NOW,
            )
            case_id = cases.create_case(conn, title="Asanov via FRU", by="alice", now=NOW)["id"]
            cases.add_hit(conn, case_id, travel.hit, by="alice", now=NOW)
            asked = disseminations.request_dissemination(
                conn,
                case_id,
                recipient="State Committee",
                legal_basis="Law on the PIU, 12(3)",
                purpose="Prevention of terrorism",
                formats=["json"],
                by="sup",
                now=NOW,
            )["id"]
        return travel, int(case_id), int(asked)
    finally:
        engine.dispose()


def _export_as_alice(dissemination: str, out: Path) -> Result:
    """``piu dissemination export`` of the JSON package into ``out``, as the analyst."""
    command = ["dissemination", "export", dissemination, "--format", "json", "--as", "alice"]
    return runner.invoke(app, [*command, "--out", str(out)])


def test_list_and_show(setup: tuple[Travel, int, int]) -> None:
    _, case_id, _ = setup
    listed = runner.invoke(app, ["case", "list"])
    assert listed.exit_code == 0, listed.output
    assert "Asanov via FRU" in listed.output and "Test case" in listed.output
    as_json = json.loads(runner.invoke(app, ["case", "list", "--json"]).output)
    assert [c["hit_count"] for c in as_json["items"] if c["id"] == case_id] == [1]
    shown = runner.invoke(app, ["case", "show", str(case_id), "--as", "dan"])
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.output)
    assert [h["surname"] for h in found["hits"]] == ["ASANOV"]
    assert found["disseminations"][0]["status"] == "requested"
    assert audit.search(open_engine(), action="read.case", actor="dan")
    missing = runner.invoke(app, ["case", "show", "999", "--as", "dan"])
    assert missing.exit_code == 1 and "no case 999" in missing.output
    stranger = runner.invoke(app, ["case", "show", str(case_id), "--as", "mallory"])
    assert stranger.exit_code == 1


def test_four_eyes_then_export_to_a_file(setup: tuple[Travel, int, int], tmp_path: Path) -> None:
    _, case_id, dissemination = setup
    pending = runner.invoke(app, ["dissemination", "list", "--status", "requested", "--json"])
    assert pending.exit_code == 0, pending.output
    assert dissemination in [d["id"] for d in json.loads(pending.output)]
    table = runner.invoke(app, ["dissemination", "list"])
    assert table.exit_code == 0 and "requested" in table.output
    note = ["--note", "Basis and purpose fit the request."]
    ident = str(dissemination)
    by_analyst = runner.invoke(app, ["dissemination", "approve", ident, *note, "--as", "alice"])
    assert by_analyst.exit_code == 2 and "may decide disseminations" in by_analyst.output
    own = runner.invoke(app, ["dissemination", "approve", ident, *note, "--as", "sup"])
    assert own.exit_code == 1 and "four eyes" in own.output
    early = _export_as_alice(ident, tmp_path)
    assert early.exit_code == 1 and "only after" in early.output
    done = runner.invoke(app, ["dissemination", "approve", ident, *note, "--as", "chief"])
    assert done.exit_code == 0 and "approved by chief" in done.output

    exported = _export_as_alice(ident, tmp_path)
    assert exported.exit_code == 0, exported.output
    written = tmp_path / f"piu-case{case_id}-dissemination{dissemination}.json"
    content = written.read_bytes()
    assert json.loads(content)["dissemination"]["approved_by"] == "chief"
    digest = hashlib.sha256(content).hexdigest()
    assert digest in exported.output
    engine = open_engine()
    with engine.connect() as conn:
        record = disseminations.get_dissemination(conn, dissemination)
    assert record is not None and [(e["by"], e["sha256"]) for e in record["exports"]] == [
        ("alice", digest)
    ]
    assert audit.verify(engine).ok
