"""Server-side UI sessions: opening, expiry, throttled touches, ending and revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from piu.accounts import Role, create_user, set_active, set_password, set_roles, ui_sessions
from piu.accounts.ui_sessions import (
    IDLE_TIMEOUT,
    MAX_AGE,
    TOUCH_INTERVAL,
    end_session,
    find_live,
    hash_id,
    list_open,
    open_session,
)
from piu.store import audit
from piu.store.schema import ui_sessions as table
from tests.accounts.support import GOOD_PASSWORD

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def _user(engine: Engine, name: str = "aigul", *roles: Role) -> int:
    return create_user(engine, name, roles=roles or [Role.ANALYST], password=GOOD_PASSWORD).id


def _row(engine: Engine, session_id: str) -> ui_sessions.UiSession:
    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id_hash == hash_id(session_id))).one()
    return ui_sessions._build(row)


def test_the_session_id_itself_is_never_stored(engine: Engine) -> None:
    user_id = _user(engine)
    session_id, row = open_session(
        engine, user_id, remote="10.0.0.7", user_agent="Firefox\nX-Evil: 1", now=NOW
    )
    assert len(session_id) >= 40  # 256 random bits, URL-safe
    assert row.id_hash == hash_id(session_id) != session_id
    with engine.connect() as conn:
        stored = [str(v) for r in conn.execute(select(table)) for v in r]
    assert not any(session_id in value for value in stored)
    assert row.user_agent == "Firefox?X-Evil: 1"  # no control characters from the network
    assert row.second_factor_at is None and row.ended_at is None
    assert open_session(engine, user_id, now=NOW)[0] != session_id


def test_a_live_session_is_touched_at_most_once_a_minute(engine: Engine) -> None:
    session_id, _ = open_session(engine, _user(engine), now=NOW)
    soon = NOW + TOUCH_INTERVAL - timedelta(seconds=1)
    assert find_live(engine, session_id, now=soon) is not None
    assert _row(engine, session_id).last_seen_at == NOW  # no write for a quick second view
    later = NOW + TOUCH_INTERVAL
    assert find_live(engine, session_id, now=later) is not None
    assert _row(engine, session_id).last_seen_at == later
    assert find_live(engine, "someone-elses-guess", now=later) is None


def test_idle_and_absolute_expiry(engine: Engine) -> None:
    user_id = _user(engine)
    idle_id, _ = open_session(engine, user_id, now=NOW)
    assert find_live(engine, idle_id, now=NOW + IDLE_TIMEOUT) is not None
    assert find_live(engine, idle_id, now=NOW + 2 * IDLE_TIMEOUT + timedelta(seconds=1)) is None
    assert _row(engine, idle_id).end_reason == "expired"
    # Busy all day: still ends MAX_AGE after the login.
    busy_id, _ = open_session(engine, user_id, now=NOW)
    at = NOW
    while at + IDLE_TIMEOUT / 2 <= NOW + MAX_AGE:
        at += IDLE_TIMEOUT / 2
        assert find_live(engine, busy_id, now=at) is not None
    assert find_live(engine, busy_id, now=NOW + MAX_AGE + timedelta(seconds=1)) is None
    assert _row(engine, busy_id).end_reason == "expired"


def test_an_ended_session_stays_ended(engine: Engine) -> None:
    session_id, row = open_session(engine, _user(engine), now=NOW)
    assert end_session(engine, row.id_hash, "logout", now=NOW)
    assert not end_session(engine, row.id_hash, "revoked", now=NOW)  # first reason kept
    assert find_live(engine, session_id, now=NOW) is None
    ended = _row(engine, session_id)
    assert (ended.end_reason, ended.ended_at) == ("logout", NOW)


def test_the_second_factor_mark(engine: Engine) -> None:
    session_id, row = open_session(engine, _user(engine), now=NOW)
    ui_sessions.mark_second_factor(engine, row.id_hash, now=NOW + timedelta(seconds=20))
    assert _row(engine, session_id).second_factor_at == NOW + timedelta(seconds=20)
    carried, _ = open_session(engine, row.user_id, second_factor=True, now=NOW)
    assert _row(engine, carried).second_factor_at == NOW


def test_password_and_disable_end_sessions_roles_do_not(engine: Engine) -> None:
    _user(engine, "keeper", Role.ADMIN)
    user_id = _user(engine)
    first, _ = open_session(engine, user_id)
    set_roles(engine, "aigul", [Role.SUPERVISOR], actor="keeper")
    assert find_live(engine, first) is not None  # roles are re-read on every page anyway
    second, _ = open_session(engine, user_id)
    set_password(engine, "aigul", "Reset-By-Admin-77", must_change=True, actor="keeper")
    assert find_live(engine, first) is None and find_live(engine, second) is None
    assert _row(engine, first).end_reason == "password"
    (entry,) = audit.search(engine, action="user.password")
    assert entry.detail == {"must_change": True, "sessions": 2}
    third, _ = open_session(engine, user_id)
    set_active(engine, "aigul", False, actor="keeper")
    assert find_live(engine, third) is None
    assert _row(engine, third).end_reason == "revoked"


def test_ending_a_users_sessions_can_keep_one(engine: Engine) -> None:
    user_id = _user(engine)
    other_user = _user(engine, "bakyt")
    kept, kept_row = open_session(engine, user_id)
    gone, _ = open_session(engine, user_id)
    theirs, _ = open_session(engine, other_user)
    with engine.begin() as conn:
        count = ui_sessions.end_user_sessions(conn, user_id, "revoked", keep=[kept_row.id_hash])
    assert count == 1
    assert find_live(engine, kept) is not None
    assert find_live(engine, gone) is None
    assert find_live(engine, theirs) is not None


def test_the_administrators_list_and_revocation(engine: Engine) -> None:
    aigul, bakyt = _user(engine), _user(engine, "bakyt")
    now = datetime.now(UTC)
    a_id, a_row = open_session(engine, aigul, remote="10.0.0.1", now=now - timedelta(minutes=5))
    b_id, b_row = open_session(engine, bakyt, now=now)
    idle_id, _ = open_session(engine, bakyt, now=now - IDLE_TIMEOUT - timedelta(minutes=1))
    _, ended_row = open_session(engine, bakyt, now=now)
    end_session(engine, ended_row.id_hash, "logout")
    listed = list_open(engine)
    assert [(o.username, o.session.id_hash) for o in listed] == [
        ("bakyt", b_row.id_hash),
        ("aigul", a_row.id_hash),
    ]
    assert [o.session.id_hash for o in list_open(engine, user_id=aigul)] == [a_row.id_hash]

    revoked = ui_sessions.revoke_session(engine, a_row.id_hash, actor="keeper", remote="10.9.9.9")
    assert revoked is not None and revoked.username == "aigul"
    assert find_live(engine, a_id) is None
    assert _row(engine, a_id).end_reason == "revoked"
    assert ui_sessions.revoke_session(engine, a_row.id_hash, actor="keeper") is None
    assert ui_sessions.revoke_session(engine, "0" * 64, actor="keeper") is None
    (entry,) = audit.search(engine, action="session.revoke")
    assert (entry.actor, entry.subject_id, entry.remote) == ("keeper", "aigul", "10.9.9.9")
    assert entry.detail["session"] == a_row.id_hash[:12]
    assert a_id not in str(entry.detail)
    assert find_live(engine, b_id) is not None and find_live(engine, idle_id) is None


def test_last_logins(engine: Engine) -> None:
    aigul, bakyt = _user(engine), _user(engine, "bakyt")
    open_session(engine, aigul, now=NOW - timedelta(days=2))
    open_session(engine, aigul, now=NOW)
    assert ui_sessions.last_logins(engine) == {aigul: NOW}
    assert bakyt not in ui_sessions.last_logins(engine)


def test_a_sign_in_deletes_sessions_past_retention_but_each_users_latest(
    engine: Engine,
) -> None:
    aigul, bakyt = _user(engine), _user(engine, "bakyt")
    long_ago = NOW - ui_sessions.RETENTION - timedelta(days=1)
    old_a, _ = open_session(engine, aigul, now=long_ago, remote="10.0.0.1")
    older_b, _ = open_session(engine, bakyt, now=long_ago - timedelta(hours=1), remote="10.0.0.2")
    last_b, _ = open_session(engine, bakyt, now=long_ago, remote="10.0.0.3")
    recent_a, _ = open_session(engine, aigul, now=NOW - timedelta(days=3))
    with engine.connect() as conn:
        before = {r.id_hash for r in conn.execute(select(table))}
    assert len(before) == 4  # nothing was past retention when these were opened

    open_session(engine, aigul, now=NOW)
    with engine.connect() as conn:
        kept = {r.id_hash for r in conn.execute(select(table))}
    assert hash_id(old_a) not in kept and hash_id(older_b) not in kept  # their address is gone
    assert {hash_id(last_b), hash_id(recent_a)} <= kept and len(kept) == 3
    assert ui_sessions.last_logins(engine)[bakyt] == long_ago  # still known
