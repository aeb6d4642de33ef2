"""``piu ingest`` through typer's runner, on our fixtures and on the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from piu.cli import app
from tests.conftest import corpus_dir
from tests.fixtures.messages import paxlst

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PIU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PIU_DATABASE_URL", raising=False)
    monkeypatch.delenv("PIU_CONFIG", raising=False)
    return tmp_path


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_json_lines_and_exit_codes(env: Path) -> None:
    good = env / "good.edi"
    good.write_bytes(paxlst())
    bad = env / "bad.edi"
    bad.write_bytes(b"UNB+UNOA:4+X+Y+261129:1800+1'UNH+1+PAXLST:D:05B:UN:IATA'UNT+2+1'")

    ok = runner.invoke(app, ["ingest", str(good), "--json"])
    assert ok.exit_code == 0, ok.output
    [line] = _lines(ok.output)
    assert line == {
        "path": str(good),
        "status": "stored",
        "type": "paxlst",
        "bookings": 0,
        "travellers": 1,
        "warnings": [],
        "error": None,
    }

    mixed = runner.invoke(app, ["ingest", str(good), str(bad), "--json"])
    assert mixed.exit_code == 1
    first, second = _lines(mixed.output)
    assert first["status"] == "duplicate" and first["travellers"] == 1
    assert second["status"] == "rejected" and second["error"]


def test_missing_file_is_reported_not_crashed(env: Path) -> None:
    result = runner.invoke(app, ["ingest", str(env / "nope.edi"), "--json"])
    assert result.exit_code == 1
    assert _lines(result.output)[0]["error"].startswith("cannot read the file")


def test_every_corpus_paxlst_is_stored_with_its_cnt_count(env: Path) -> None:
    root = corpus_dir("gtas")
    files = [p for p in sorted(root.rglob("*.txt")) if b"PAXLST" in p.read_bytes()[:400]]
    assert len(files) >= 4
    result = runner.invoke(app, ["ingest", *map(str, files), "--json"])
    assert result.exit_code == 0, result.output
    for line in _lines(result.output):
        raw = Path(line["path"]).read_bytes().decode("latin-1")
        cnt = sum(int(part.split(":")[1].split("'")[0]) for part in raw.split("CNT+")[1:])
        assert line["status"] == "stored", line
        assert line["travellers"] == cnt, line


def test_messages_show_and_reprocess(env: Path) -> None:
    bad = env / "bad.edi"
    bad.write_bytes(b"rubbish")
    runner.invoke(app, ["ingest", str(bad)])
    listing = runner.invoke(app, ["messages", "list", "--status", "rejected"])
    assert listing.exit_code == 0 and "rejected" in listing.output
    shown = runner.invoke(app, ["messages", "show", "1"])
    assert json.loads(shown.output)["status"] == "rejected"
    again = runner.invoke(app, ["messages", "reprocess"])
    assert again.exit_code == 1  # still rubbish: still rejected, and said so
    wrong = runner.invoke(app, ["messages", "list", "--status", "lost"])
    assert wrong.exit_code == 2


def test_every_corpus_pnrgov_is_stored_or_rejected_with_a_position(env: Path) -> None:
    root = corpus_dir("gtas")
    files = [p for p in sorted(root.rglob("*.txt")) if b"PNRGOV" in p.read_bytes()[:600]]
    assert len(files) >= 20
    result = runner.invoke(app, ["ingest", *map(str, files), "--json"])
    lines = _lines(result.output)
    assert len(lines) == len(files)
    for line in lines:
        raw = Path(line["path"]).read_bytes()
        if line["status"] == "rejected":
            # Only the sample with typographic quotes for terminators (GTAS pnrMessagePg75).
            assert line["path"].endswith("pnrMessagePg75.txt"), line
            assert "segment" in line["error"], line
            continue
        assert line["status"] in ("stored", "duplicate"), line
        assert line["type"] == "pnrgov"
        srcs = raw.count(b"SRC'") + raw.count(b"SRC*") + raw.count(b"SRC\n")
        assert line["bookings"] == srcs or line["status"] == "duplicate", line
    assert result.exit_code == 1  # one file was rejected
