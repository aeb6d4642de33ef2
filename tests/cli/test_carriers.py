"""``piu carriers`` through typer's runner on a temporary data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from piu.accounts import verify_carrier
from piu.accounts.credentials import digest
from piu.cli import app
from piu.cli._common import open_engine
from piu.errors import AccessError

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "piu.toml").write_text(
        f'[carriers.TK]\nname = "Turkish Airlines"\ntoken_sha256 = "{digest("tk-token")}"\n'
    )
    monkeypatch.setenv("PIU_DATA_DIR", str(data))
    monkeypatch.delenv("PIU_DATABASE_URL", raising=False)
    monkeypatch.delenv("PIU_CONFIG", raising=False)
    engine = open_engine()
    yield engine
    engine.dispose()


def piu(*args: str, code: int = 0) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def test_add_prints_the_token_once(db: Engine) -> None:
    result = piu("carriers", "add", "kc", "--name", "Air Astana")
    token = result.stdout.strip()
    assert token.startswith("piu_c_") and "shown once" in result.stderr
    assert verify_carrier(db, "KC", token) == "KC"
    assert "rotate KC" in piu("carriers", "add", "KC", code=2).stderr


def test_list_shows_database_and_config_carriers(db: Engine) -> None:
    piu("carriers", "add", "KC", "--name", "Air Astana")
    listed = piu("carriers", "list").stdout
    assert "KC" in listed and "Air Astana" in listed and "database" in listed
    assert "TK" in listed and "config" in listed


def test_rotate_replaces_the_token(db: Engine) -> None:
    old = piu("carriers", "add", "KC").stdout.strip()
    new = piu("carriers", "rotate", "kc").stdout.strip()
    assert new != old
    assert verify_carrier(db, "KC", new) == "KC"
    with pytest.raises(AccessError):
        verify_carrier(db, "KC", old)


def test_revoke_stops_pushes_and_warns_about_the_config_file(db: Engine) -> None:
    token = piu("carriers", "add", "KC").stdout.strip()
    assert piu("carriers", "revoke", "KC").stdout.strip() == "KC: revoked"
    with pytest.raises(AccessError):
        verify_carrier(db, "KC", token)
    piu("carriers", "add", "TK")
    result = piu("carriers", "revoke", "TK")
    assert "remove it there" in result.stderr


def test_unknown_and_malformed_codes_exit_2(db: Engine) -> None:
    piu("carriers", "add", "KC")
    assert "did you mean 'KC'?" in piu("carriers", "rotate", "KCC", code=2).stderr
    assert "unknown carrier 'ZZ'" in piu("carriers", "revoke", "ZZ", code=2).stderr
    assert "designator" in piu("carriers", "add", "K-1", code=2).stderr
