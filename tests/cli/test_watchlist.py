"""``piu watchlist`` and ``piu screen`` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from piu.cli import app
from tests.conftest import corpus_dir

runner = CliRunner()

NATIONAL = """id,names,weak_names,dob,nationality,gender,documents,notes
KG-1,Азамат Абдулхакимов|Azamat Abdulkhakimov,,1980-03-11,KGZ,M,P:AC1234567:KGZ,
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PIU_DATA_DIR", str(tmp_path / "data"))
    for var in ("PIU_DATABASE_URL", "PIU_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_import_list_show_screen(env: Path) -> None:
    path = env / "kg.csv"
    path.write_text(NATIONAL, encoding="utf-8")
    imported = runner.invoke(
        app, ["watchlist", "import", str(path), "--name", "kg", "--severity", "critical"]
    )
    assert imported.exit_code == 0, imported.output
    assert "1 added, 0 changed, 0 removed" in imported.output
    listing = runner.invoke(app, ["watchlist", "list"])
    assert "kg" in listing.output and "critical" in listing.output

    hit = runner.invoke(app, ["screen", "ABDULKHAKIMOV AZAMAT", "--dob", "1980-03-11", "--json"])
    assert hit.exit_code == 0, hit.output
    matches = json.loads(hit.output)["matches"]
    assert [m["entry"] for m in matches] == ["KG-1"]
    miss = runner.invoke(app, ["screen", "John Smith", "--json"])
    assert json.loads(miss.output)["matches"] == []

    shown = runner.invoke(app, ["watchlist", "show", "kgg"])
    assert shown.exit_code == 2 and "did you mean 'kg'" in shown.output


def test_reimport_reports_the_difference_and_diff_writes_nothing(env: Path) -> None:
    un = corpus_dir("watchlists", "un_sc_consolidated")
    old, new = un / "consolidated_2017-07-03.xml", un / "consolidatedLegacyByPRN_2025-11-15.xml"
    assert runner.invoke(app, ["watchlist", "import", str(old), "--name", "un"]).exit_code == 0
    preview = runner.invoke(app, ["watchlist", "diff", "un", str(new), "--show", "0"])
    assert "202 added, 89 changed, 223 removed" in preview.output
    again = runner.invoke(app, ["watchlist", "diff", "un", str(new), "--show", "0"])
    assert "202 added" in again.output  # the preview changed nothing
    applied = runner.invoke(app, ["watchlist", "import", str(new), "--name", "un"])
    assert "202 added, 89 changed, 223 removed" in applied.output


def test_a_refused_file_leaves_the_list_in_force(env: Path) -> None:
    good = env / "kg.csv"
    good.write_text(NATIONAL, encoding="utf-8")
    runner.invoke(app, ["watchlist", "import", str(good), "--name", "kg"])
    bad = env / "bad.csv"
    bad.write_text(NATIONAL + "KG-2,only,three\n", encoding="utf-8")
    refused = runner.invoke(app, ["watchlist", "import", str(bad), "--name", "kg"])
    assert refused.exit_code == 1
    assert "line 3" in refused.output
    hit = runner.invoke(app, ["screen", "Azamat Abdulkhakimov", "--json"])
    assert len(json.loads(hit.output)["matches"]) == 1


def test_a_failed_rescreening_after_an_import_is_reported_and_done_by_screen_due(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import piu.ingest.lists as lists_module

    path = env / "kg.csv"
    path.write_text(NATIONAL, encoding="utf-8")

    def broken(*_a: object, **_k: object) -> tuple[int, int]:
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(lists_module, "rescreen_for_entries", broken)
        imported = runner.invoke(app, ["watchlist", "import", str(path), "--name", "kg"])
        assert imported.exit_code == 4, imported.output  # the list is in, the re-screening owed
        said = " ".join(imported.output.split())  # the console wraps long lines
        assert "1 added" in said
        assert (
            "re-screening the stored travellers failed (RuntimeError: database went away)" in said
        )
        assert "piu screen --due" in said

    due = runner.invoke(app, ["screen", "--due"])
    assert due.exit_code == 0, due.output
    assert "list 'kg': re-screened 0 stored travellers" in " ".join(due.output.split())
    again = runner.invoke(app, ["screen", "--due"])
    assert "re-screened" not in again.output  # done once
