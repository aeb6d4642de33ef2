"""``piu synth`` through the CLI runner: files, ground truth, and readable errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from piu.cli import app


def test_synth_writes_messages_ground_truth_and_lists(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["synth", "--out", str(out), "--passengers", "300", "--seed", "3", "--day",
         "2026-11-28", "--pnr-hours", "24,0", "--workers", "1", "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "passengers/s" in result.stdout
    lines = [json.loads(x) for x in (out / "ground_truth.jsonl").read_text().splitlines()]
    assert lines[0]["type"] == "run" and lines[0]["seed"] == 3
    files = [x["file"] for x in lines if x["type"] == "message"]
    assert files and all((out / f).is_file() for f in files)
    assert (out / "watchlist.csv").read_text().startswith("id,names,weak_names,dob")
    assert (out / "sltd.csv").read_text().startswith("number,type,issuing_state")


def test_push_without_credentials_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["synth", "--out", str(tmp_path), "--push", "http://127.0.0.1:9", "--no-progress"]
    )
    assert result.exit_code == 2
    assert "--carrier-token" in result.output


def test_bad_day_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", "--out", str(tmp_path), "--day", "28.11.2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
