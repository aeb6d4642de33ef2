"""Password login: right and wrong passwords, lockout, and the security events they leave."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import argon2
import pytest
from sqlalchemy import Engine, select, update

from piu.accounts import (
    EventKind,
    Role,
    authenticate_password,
    create_user,
    get_user,
    list_events,
    set_active,
    set_password,
)
from piu.accounts.users import LOCKOUT_PERIOD, MAX_FAILED_LOGINS
from piu.errors import AccessError
from piu.store.schema import users
from tests.accounts.support import GOOD_PASSWORD

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WRONG = "Wrong-password-1"
WRONG = "Wrong-password-1"


@pytest.fixture
def aigul(engine: Engine) -> str:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=GOOD_PASSWORD)
    return "aigul"


def _fail(engine: Engine, username: str, now: datetime, password: str = WRONG) -> str:
    with pytest.raises(AccessError) as caught:
        authenticate_password(engine, username, password, remote="198.51.100.7", now=now)
    return str(caught.value)


def test_the_policy_is_five_failures_for_fifteen_minutes() -> None:
    assert MAX_FAILED_LOGINS == 5
    assert timedelta(minutes=15) == LOCKOUT_PERIOD


def test_right_password_returns_the_user(engine: Engine, aigul: str) -> None:
    user = authenticate_password(engine, "Aigul", GOOD_PASSWORD, now=T0)
    assert user.username == "aigul" and user.roles == {Role.ANALYST}
    assert list_events(engine) == []


def test_wrong_password_is_refused_vaguely_and_logged(engine: Engine, aigul: str) -> None:
    assert _fail(engine, aigul, T0) == "wrong user name or password"
    [event] = list_events(engine)
    assert event.kind == EventKind.LOGIN_FAILED
    assert (event.subject, event.remote, event.detail) == (
        "aigul",
        "198.51.100.7",
        "wrong password",
    )
    assert WRONG not in repr(event)
    assert get_user(engine, aigul).failed_logins == 1


def test_unknown_user_is_refused_the_same_way(engine: Engine) -> None:
    assert _fail(engine, "nobody", T0) == "wrong user name or password"
    [event] = list_events(engine)
    assert (event.kind, event.subject, event.detail) == ("login_failed", "nobody", "unknown user")


def test_fifth_failure_locks_for_fifteen_minutes(engine: Engine, aigul: str) -> None:
    for i in range(MAX_FAILED_LOGINS - 1):
        _fail(engine, aigul, T0 + timedelta(seconds=i))
    assert get_user(engine, aigul).locked_until is None
    _fail(engine, aigul, T0 + timedelta(seconds=10))
    locked = get_user(engine, aigul)
    assert locked.locked_until == T0 + timedelta(seconds=10) + LOCKOUT_PERIOD
    assert locked.failed_logins == 0
    [lock] = list_events(engine, kind=EventKind.ACCOUNT_LOCKED)
    assert lock.subject == "aigul" and "5 failed logins" in (lock.detail or "")

    # While locked even the right password is refused, with a message that says why.
    during = T0 + timedelta(minutes=14)
    message = _fail(engine, aigul, during, password=GOOD_PASSWORD)
    assert "account locked" in message and "try again after" in message
    assert list_events(engine)[0].detail == "account locked"

    # After the period the right password works and clears the lock.
    after = T0 + timedelta(seconds=10) + LOCKOUT_PERIOD + timedelta(seconds=1)
    assert authenticate_password(engine, aigul, GOOD_PASSWORD, now=after).username == "aigul"
    cleared = get_user(engine, aigul)
    assert cleared.locked_until is None and cleared.failed_logins == 0


def test_success_resets_the_failure_count(engine: Engine, aigul: str) -> None:
    for i in range(MAX_FAILED_LOGINS - 1):
        _fail(engine, aigul, T0 + timedelta(seconds=i))
    authenticate_password(engine, aigul, GOOD_PASSWORD, now=T0 + timedelta(seconds=5))
    for i in range(MAX_FAILED_LOGINS - 1):
        _fail(engine, aigul, T0 + timedelta(seconds=10 + i))
    assert get_user(engine, aigul).locked_until is None


def test_admin_password_reset_lifts_the_lock(engine: Engine, aigul: str) -> None:
    for i in range(MAX_FAILED_LOGINS):
        _fail(engine, aigul, T0 + timedelta(seconds=i))
    set_password(engine, aigul, "Fresh-password-77")
    assert get_user(engine, aigul).locked_until is None
    assert authenticate_password(engine, aigul, "Fresh-password-77").username == "aigul"


def test_disabled_user_cannot_log_in(engine: Engine, aigul: str) -> None:
    set_active(engine, aigul, False)
    assert _fail(engine, aigul, T0, password=GOOD_PASSWORD) == "wrong user name or password"
    assert list_events(engine)[0].detail == "account disabled"


def test_user_without_password_cannot_log_in(engine: Engine) -> None:
    create_user(engine, "etl", roles=[Role.ANALYST])
    _fail(engine, "etl", T0, password="")
    assert list_events(engine)[0].detail == "no password set"


def test_login_upgrades_a_weaker_hash(engine: Engine, aigul: str) -> None:
    weaker = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, salt_len=8)
    with engine.begin() as conn:
        conn.execute(update(users).values(password_hash=weaker.hash(GOOD_PASSWORD)))
    authenticate_password(engine, aigul, GOOD_PASSWORD)
    with engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert argon2.extract_parameters(stored).salt_len == 16
    assert authenticate_password(engine, aigul, GOOD_PASSWORD).username == "aigul"
