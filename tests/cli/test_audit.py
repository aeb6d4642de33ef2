"""``piu audit``: verify after tampering through SQL, search, export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update
from typer.testing import CliRunner, Result

from piu.cli import app
from piu.cli._common import open_engine
from piu.store import audit
from piu.store.schema import audit_log
from tests.accounts.support import fast_hashing

__all__ = ["fast_hashing"]

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cheap_argon2(fast_hashing: None) -> None:
    pass


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("PIU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PIU_DATABASE_URL", raising=False)
    monkeypatch.delenv("PIU_CONFIG", raising=False)
    engine = open_engine()
    yield engine
    engine.dispose()


def piu(*args: str, code: int = 0) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def filled(db: Engine) -> list[int]:
    """Account changes through the CLI (audited as ``cli``) and a few reads."""
    piu("users", "add", "aigul", "--role", "analyst")
    piu("users", "token", "aigul", "--name", "loader")
    piu("carriers", "add", "KC")
    for i in range(3):
        audit.record(
            db, actor="aigul", action="read.traveller", subject_type="traveller", subject_id=i
        )
    with db.connect() as conn:
        return list(conn.execute(select(audit_log.c.id).order_by(audit_log.c.id)).scalars())


def test_verify_an_intact_chain(db: Engine, filled: list[int]) -> None:
    result = piu("audit", "verify")
    assert result.stdout.strip() == f"{len(filled)} entries, chain intact"


def test_verify_an_empty_log(db: Engine) -> None:
    assert piu("audit", "verify").stdout.strip() == "0 entries, chain intact"


def test_verify_fails_after_an_update(db: Engine, filled: list[int]) -> None:
    with db.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == filled[3]).values(actor="nobody"))
    result = piu("audit", "verify", code=1)
    assert f"entry {filled[3]}" in result.stderr
    assert "changed" in result.stderr


def test_verify_fails_after_a_delete(db: Engine, filled: list[int]) -> None:
    with db.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.id == filled[2]))
    result = piu("audit", "verify", code=1)
    assert f"entry {filled[3]}" in result.stderr
    assert "deleted" in result.stderr


def test_account_changes_are_audited_without_secrets(db: Engine, filled: list[int]) -> None:
    actions = [e.action for e in audit.search(db, actor="cli")][::-1]
    assert actions == ["user.create", "token.create", "carrier.add"]
    dump = piu("audit", "export", "--format", "jsonl").stdout
    token = piu("users", "token", "aigul", "--name", "second").stdout.strip()
    assert token not in piu("audit", "export").stdout
    assert "password" not in dump.replace('"password": true', "")


def test_search_filters(db: Engine, filled: list[int]) -> None:
    out = piu("audit", "search", "--actor", "aigul", "--action", "read.*", "--json").stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["subject_id"] for r in rows] == ["2", "1", "0"]
    out = piu("audit", "search", "--subject-type", "user", "--subject-id", "aigul", "--json")
    assert [json.loads(line)["action"] for line in out.stdout.splitlines()] == [
        "token.create",
        "user.create",
    ]
    assert "read.traveller" in piu("audit", "search", "--limit", "1").stdout
    piu("audit", "search", "--since", "yesterday", code=2)


def test_export_jsonl_and_csv(db: Engine, filled: list[int], tmp_path: Path) -> None:
    lines = piu("audit", "export", "--format", "jsonl").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == filled
    assert rows[0]["prev_hash"] == audit.GENESIS and rows[1]["prev_hash"] == rows[0]["hash"]
    target = tmp_path / "audit.csv"
    result = piu("audit", "export", "--format", "csv", "--out", str(target), "--action", "read.*")
    assert "3 entries written" in result.stderr
    table = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["subject_id"] for r in table] == ["0", "1", "2"]
    assert json.loads(table[0]["detail"]) == {}
    piu("audit", "export", "--format", "xml", code=2)


def test_a_watchlist_import_is_audited_with_its_diff(db: Engine, tmp_path: Path) -> None:
    path = tmp_path / "kg.csv"
    path.write_text(
        "id,names,weak_names,dob,nationality,gender,documents,notes\n"
        "KG-1,Azamat Abdulkhakimov,,1980-03-11,KGZ,M,,\n",
        encoding="utf-8",
    )
    piu("watchlist", "import", str(path), "--name", "kg", "--by", "wanda", "--no-rescreen")
    (entry,) = audit.search(db, action="watchlist.import")
    assert (entry.actor, entry.subject_type, entry.subject_id) == ("wanda", "watchlist", "kg")
    assert entry.detail["added"] == 1 and entry.detail["created"] is True
    assert "Azamat" not in json.dumps(entry.detail)
    assert piu("audit", "verify").stdout.strip() == "1 entries, chain intact"
