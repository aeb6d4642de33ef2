"""``piu users`` through typer's runner on a temporary data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from piu.accounts import (
    Role,
    authenticate_password,
    check_policy,
    get_user,
    list_tokens,
    verify_token,
)
from piu.cli import app
from piu.cli._common import open_engine
from piu.errors import AccessError
from tests.accounts.support import GOOD_PASSWORD, fast_hashing

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


def piu(*args: str, input: str | None = None, code: int = 0) -> Result:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def test_add_generates_a_password_shown_once_on_stdout(db: Engine) -> None:
    result = piu("users", "add", "Aigul", "--role", "analyst", "-r", "supervisor")
    password = result.stdout.strip()
    check_policy(password, username="aigul")
    assert "shown once" in result.stderr
    user = get_user(db, "aigul")
    assert user.roles == {Role.ANALYST, Role.SUPERVISOR} and user.must_change_password
    assert authenticate_password(db, "aigul", password).username == "aigul"


def test_add_reads_the_password_from_stdin(db: Engine) -> None:
    result = piu(
        "users", "add", "aigul", "--role", "dpo", "--password-stdin", input=GOOD_PASSWORD + "\n"
    )
    assert result.stdout == ""
    assert GOOD_PASSWORD not in result.stderr
    assert not get_user(db, "aigul").must_change_password
    authenticate_password(db, "aigul", GOOD_PASSWORD)


def test_add_refuses_a_weak_password_with_exit_2(db: Engine) -> None:
    result = piu(
        "users", "add", "aigul", "--role", "dpo", "--password-stdin", input="aigul\n", code=2
    )
    assert "password refused" in result.stderr
    assert "at least 12" in result.stderr


def test_unknown_role_suggests_with_exit_2(db: Engine) -> None:
    result = piu("users", "add", "aigul", "--role", "supervisr", code=2)
    assert "unknown role 'supervisr'; did you mean 'supervisor'?" in result.stderr


def test_add_needs_a_role_and_a_free_name(db: Engine) -> None:
    piu("users", "add", "aigul", code=2)
    piu("users", "add", "aigul", "--role", "analyst")
    result = piu("users", "add", "AIGUL", "--role", "analyst", code=2)
    assert "exists already" in result.stderr


def test_list_and_show(db: Engine) -> None:
    piu("users", "add", "aigul", "--role", "analyst", "--display-name", "Aigul K.")
    piu("users", "add", "bakyt", "--role", "admin")
    listed = piu("users", "list").stdout
    assert "aigul" in listed and "bakyt" in listed and "analyst" in listed
    assert "must change" in listed
    shown = piu("users", "show", "aigul").stdout
    assert "Aigul K." in shown and "analyst" in shown and "no API tokens" in shown


def test_unknown_user_suggests_with_exit_2(db: Engine) -> None:
    piu("users", "add", "aigul", "--role", "analyst")
    for command in (
        ["show"],
        ["passwd"],
        ["roles"],
        ["disable"],
        ["enable"],
        ["tokens"],
        ["token", "--name", "x"],
    ):
        result = piu("users", command[0], "aigull", *command[1:], code=2)
        assert "unknown user 'aigull'; did you mean 'aigul'?" in result.stderr, command


def test_passwd_generated_and_from_stdin(db: Engine) -> None:
    piu("users", "add", "aigul", "--role", "analyst")
    new = piu("users", "passwd", "aigul").stdout.strip()
    assert authenticate_password(db, "aigul", new)
    assert get_user(db, "aigul").must_change_password
    piu("users", "passwd", "aigul", "--password-stdin", input="Another-long-one-9\n")
    assert authenticate_password(db, "aigul", "Another-long-one-9")
    piu("users", "passwd", "aigul", "--password-stdin", input="weak\n", code=2)


def test_roles_add_remove_and_show(db: Engine) -> None:
    piu("users", "add", "aigul", "--role", "analyst")
    result = piu(
        "users", "roles", "aigul", "--add", "dpo", "--add", "Rule-Manager", "--remove", "analyst"
    )
    assert result.stdout.strip() == "aigul: dpo, rule_manager"
    assert piu("users", "roles", "aigul").stdout.strip() == "aigul: dpo, rule_manager"
    assert "did you mean 'admin'" in piu("users", "roles", "aigul", "--add", "admn", code=2).stderr


def test_the_last_admin_is_protected(db: Engine) -> None:
    piu("users", "add", "root", "--role", "admin")
    assert "last active admin" in piu("users", "disable", "root", code=2).stderr
    assert "last active admin" in piu("users", "roles", "root", "--remove", "admin", code=2).stderr


def test_tokens_lifecycle(db: Engine) -> None:
    piu("users", "add", "etl", "--role", "analyst")
    result = piu("users", "token", "etl", "--name", "loader", "--expires-days", "30")
    token = result.stdout.strip()
    assert token.startswith("piu_u_") and "shown once" in result.stderr
    assert verify_token(db, token).username == "etl"
    [info] = list_tokens(db, "etl")
    assert info.expires_at is not None
    listed = piu("users", "tokens", "etl").stdout
    assert "loader" in listed and "active" in listed and token not in listed

    piu("users", "disable", "etl")
    with pytest.raises(AccessError):
        verify_token(db, token)
    piu("users", "enable", "etl")
    verify_token(db, token)

    assert "revoked" in piu("users", "revoke-token", str(info.id)).stdout
    with pytest.raises(AccessError):
        verify_token(db, token)
    assert "unknown token id '99'" in piu("users", "revoke-token", "99", code=2).stderr
    piu("users", "token", "etl", "--name", "x", "--expires-days", "0", code=2)


def test_reset_totp(db: Engine) -> None:
    from datetime import UTC, datetime

    from piu.accounts import totp
    from piu.store import audit

    piu("users", "add", "aigul", "--role", "analyst")
    assert "second factor" in piu("users", "show", "aigul").stdout
    assert "no second factor to reset" in piu("users", "reset-totp", "aigul", code=2).stderr
    secret, now = totp.new_secret(), datetime.now(UTC)
    code = totp.code_at(secret, totp.step_of(now))
    totp.enable(db, "aigul", secret, code, key=b"k" * 32, now=now)
    assert "TOTP" in piu("users", "show", "aigul").stdout
    assert piu("users", "reset-totp", "Aigul").stdout.strip() == "aigul: second factor removed"
    assert not get_user(db, "aigul").totp_enabled
    (entry,) = audit.search(db, action="user.totp_reset")
    assert (entry.actor, entry.subject_id) == ("cli", "aigul")
    assert "did you mean 'aigul'" in piu("users", "reset-totp", "aigull", code=2).stderr
