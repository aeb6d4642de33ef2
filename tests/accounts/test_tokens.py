from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from piu.accounts import (
    AccountError,
    EventKind,
    Role,
    UnknownNameError,
    create_token,
    create_user,
    list_events,
    list_tokens,
    revoke_token,
    set_active,
    verify_token,
)
from piu.accounts.credentials import digest
from piu.accounts.tokens import LAST_USED_RESOLUTION
from piu.errors import AccessError
from piu.store.schema import api_tokens

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def analyst(engine: Engine) -> str:
    create_user(engine, "aigul", roles=[Role.ANALYST, Role.SUPERVISOR])
    return "aigul"


def _refused(engine: Engine, token: str, now: datetime = T0) -> str:
    with pytest.raises(AccessError) as caught:
        verify_token(engine, token, remote="192.0.2.4", now=now)
    return str(caught.value)


def test_token_is_256_bit_random_and_stored_as_sha256(engine: Engine, analyst: str) -> None:
    new = create_token(engine, analyst, "etl-loader", now=T0)
    assert new.token.startswith("piu_u_")
    assert len(new.token) == len("piu_u_") + 43  # 32 bytes, URL-safe base64
    assert new.token != create_token(engine, analyst, "other").token
    with engine.connect() as conn:
        rows = conn.execute(select(api_tokens)).all()
    assert rows[0].token_hash == digest(new.token)
    assert all(new.token not in str(value) for row in rows for value in row)


def test_verify_returns_the_user_with_roles(engine: Engine, analyst: str) -> None:
    new = create_token(engine, analyst, "etl-loader")
    user = verify_token(engine, new.token)
    assert user.username == "aigul"
    assert user.roles == {Role.ANALYST, Role.SUPERVISOR}


def test_unknown_token_is_refused_and_logged_without_the_token(engine: Engine) -> None:
    presented = "piu_u_" + "A" * 43
    assert _refused(engine, presented) == "invalid token"
    [event] = list_events(engine)
    assert event.kind == EventKind.TOKEN_AUTH_FAILED
    assert (event.subject, event.remote, event.detail) == (None, "192.0.2.4", "unknown token")
    assert presented not in repr(event)


@pytest.mark.parametrize("presented", ["", "   ", "x" * 10_000])
def test_empty_or_huge_tokens_are_refused(engine: Engine, presented: str) -> None:
    assert _refused(engine, presented) == "invalid token"


def test_expired_token_is_refused(engine: Engine, analyst: str) -> None:
    new = create_token(engine, analyst, "short", expires_in=timedelta(days=1), now=T0)
    assert new.expires_at == T0 + timedelta(days=1)
    assert verify_token(engine, new.token, now=T0 + timedelta(hours=23)).username == "aigul"
    assert _refused(engine, new.token, T0 + timedelta(days=1)) == "token expired"
    event = list_events(engine)[0]
    assert event.detail == "token expired"
    assert event.subject == f"token {new.id} of aigul"


def test_revoked_token_is_refused(engine: Engine, analyst: str) -> None:
    new = create_token(engine, analyst, "etl")
    info = revoke_token(engine, new.id, now=T0)
    assert info.revoked_at == T0 and info.state() == "revoked"
    assert _refused(engine, new.token) == "token revoked"
    # Revoking twice keeps the first time.
    assert revoke_token(engine, new.id, now=T0 + timedelta(days=1)).revoked_at == T0


def test_revoking_an_unknown_token_id_is_an_error(engine: Engine) -> None:
    with pytest.raises(UnknownNameError, match="unknown token id '42'"):
        revoke_token(engine, 42)


def test_disabled_user_tokens_stop_working(engine: Engine, analyst: str) -> None:
    new = create_token(engine, analyst, "etl")
    set_active(engine, analyst, False)
    assert _refused(engine, new.token) == "account disabled"
    set_active(engine, analyst, True)
    assert verify_token(engine, new.token).username == "aigul"


def test_last_used_is_written_at_most_once_per_resolution(engine: Engine, analyst: str) -> None:
    new = create_token(engine, analyst, "etl", now=T0)

    def last_used() -> datetime | None:
        with engine.connect() as conn:
            value: datetime | None = conn.execute(select(api_tokens.c.last_used_at)).scalar_one()
        return value

    assert last_used() is None
    verify_token(engine, new.token, now=T0)
    assert last_used() == T0
    verify_token(engine, new.token, now=T0 + LAST_USED_RESOLUTION - timedelta(seconds=1))
    assert last_used() == T0
    later = T0 + LAST_USED_RESOLUTION + timedelta(seconds=1)
    verify_token(engine, new.token, now=later)
    assert last_used() == later


def test_list_tokens_per_user_and_state(engine: Engine, analyst: str) -> None:
    create_user(engine, "bakyt")
    a = create_token(engine, analyst, "one", expires_in=timedelta(hours=1), now=T0)
    b = create_token(engine, analyst, "two", now=T0)
    create_token(engine, "bakyt", "three", now=T0)
    revoke_token(engine, b.id)
    listed = list_tokens(engine, "AIGUL")
    assert [(t.id, t.name, t.username) for t in listed] == [
        (a.id, "one", "aigul"),
        (b.id, "two", "aigul"),
    ]
    assert [t.state(T0) for t in listed] == ["active", "revoked"]
    assert listed[0].state(T0 + timedelta(hours=2)) == "expired"
    assert len(list_tokens(engine)) == 3
    with pytest.raises(UnknownNameError, match="did you mean 'aigul'"):
        list_tokens(engine, "aigl")


@pytest.mark.parametrize(
    ("name", "expires_in", "message"),
    [("", None, "1-64 characters"), ("x" * 65, None, "1-64"), ("ok", timedelta(0), "positive")],
)
def test_bad_token_requests(
    engine: Engine, analyst: str, name: str, expires_in: timedelta | None, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        create_token(engine, analyst, name, expires_in=expires_in)


def test_token_for_unknown_user(engine: Engine) -> None:
    with pytest.raises(UnknownNameError):
        create_token(engine, "ghost", "etl")
