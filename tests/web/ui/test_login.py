"""Session login: form, credentials, lockout, cookie flags, CSRF, logout, password change."""

from __future__ import annotations

import os
import re
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from piu.accounts import EventKind, Role, create_user, list_events, totp, ui_sessions
from piu.accounts.users import MAX_FAILED_LOGINS, get_user
from piu.config import Settings
from piu.store import audit
from piu.store.schema import ui_sessions as ui_sessions_table
from piu.web.app import create_app
from piu.web.ui import sessions
from piu.web.ui.sessions import COOKIE, SessionSigner, load_or_create_secret
from tests.web.ui.support import (
    PASSWORD,
    csrf_of,
    current_code,
    enable_totp,
    post_code,
    post_login,
    sign_in,
)


def test_login_success_sets_a_safe_cookie_and_opens_the_dashboard(
    client: TestClient, engine: Engine
) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    response = post_login(client, "Aigul")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}="))
    flags = cookie.lower()
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/" in flags
    assert "secure" not in flags  # plain http here; see the https test
    page = client.get("/")
    assert page.status_code == 200
    assert "Dashboard" in page.text and "aigul" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert [e.action for e in audit.search(engine, actor="aigul")][:1] == ["ui.login"]


def test_the_cookie_is_secure_over_https(app: FastAPI, engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    with TestClient(app, base_url="https://testserver") as secure:
        response = post_login(secure, "aigul")
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}="))
    assert "secure" in cookie.lower()


def test_a_wrong_password_is_refused_without_saying_which_part(
    client: TestClient, engine: Engine
) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    for name, password in (("aigul", "Wrong-Horse-42x"), ("nobody", PASSWORD)):
        response = post_login(client, name, password)
        assert response.status_code == 401
        assert "wrong user name or password" in response.text
        assert COOKIE not in client.cookies
    assert client.get("/", follow_redirects=False).status_code == 303


def test_lockout_is_shown_and_holds_even_with_the_right_password(
    client: TestClient, engine: Engine
) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        post_login(client, "aigul", "Wrong-Horse-42x")
    response = post_login(client, "aigul", PASSWORD)
    assert response.status_code == 401
    assert "account locked" in response.text
    assert COOKIE not in client.cookies


def test_the_login_form_needs_its_csrf_token(client: TestClient, engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    client.get("/login")
    form = {"username": "aigul", "password": PASSWORD}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 403
    wrong = {**form, "csrf_token": "not-the-token"}
    assert client.post("/login", data=wrong, follow_redirects=False).status_code == 403
    assert COOKIE not in client.cookies


def test_posts_need_the_sessions_csrf_token(
    client: TestClient, engine: Engine, travel: object
) -> None:
    token = sign_in(client, engine, "aigul", Role.ANALYST)
    reason = {"decision": "dismissed", "reason": "different date of birth and passport"}
    for data in (reason, {**reason, "csrf_token": token[:-2] + "xx"}):
        response = client.post("/hits/1/decision", data=data, follow_redirects=False)
        assert response.status_code == 403
        assert "security token" in response.text
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403


def test_logout_ends_the_session(client: TestClient, engine: Engine) -> None:
    token = sign_in(client, engine, "aigul", Role.ANALYST)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert COOKIE not in client.cookies
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_forged_idle_or_too_old_session_is_refused(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    sign_in(client, engine, "aigul", Role.ANALYST)
    signer: SessionSigner = app.state.ui_signer
    good = client.cookies[COOKIE]
    session = signer.load(good)
    assert session is not None
    # Another key's signature, an altered cookie and an unknown session id are refused.
    forged = SessionSigner(b"k" * 32).dump(session)
    unknown = signer.dump(sessions.Session("no-such-session", session.csrf))
    for value in (forged, good[:-3] + "abc", unknown):
        client.cookies.clear()
        client.cookies.set(COOKIE, value)
        response = client.get("/queue", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/queue"
    # Idle and absolute expiry are decided by the session's row, whatever the cookie says.
    key = ui_sessions.hash_id(session.id)
    now = datetime.now(UTC)
    for column, age in (
        ("last_seen_at", ui_sessions.IDLE_TIMEOUT),
        ("created_at", ui_sessions.MAX_AGE),
    ):
        client.cookies.clear()
        client.cookies.set(COOKIE, good)
        with engine.begin() as conn:
            conn.execute(
                update(ui_sessions_table)
                .where(ui_sessions_table.c.id_hash == key)
                .values({column: now - age + timedelta(seconds=5)})
            )
        assert client.get("/queue", follow_redirects=False).status_code == 200, column
        with engine.begin() as conn:
            conn.execute(
                update(ui_sessions_table)
                .where(ui_sessions_table.c.id_hash == key)
                .values({column: now - age - timedelta(seconds=5)})
            )
        response = client.get("/queue", follow_redirects=False)
        assert response.headers["location"] == "/login?next=/queue", column
        with engine.connect() as conn:
            row = conn.execute(
                select(ui_sessions_table).where(ui_sessions_table.c.id_hash == key)
            ).one()
        assert row.end_reason == "expired"
        # Revive the row for the next round (the test, not the product, does this).
        with engine.begin() as conn:
            conn.execute(
                update(ui_sessions_table)
                .where(ui_sessions_table.c.id_hash == key)
                .values(ended_at=None, end_reason=None, last_seen_at=now, created_at=now)
            )


def test_must_change_password_comes_first(client: TestClient, engine: Engine) -> None:
    sign_in(client, engine, "aigul", Role.ANALYST, must_change=True)
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/password"
    form = client.get("/password")
    token = csrf_of(form.text)
    weak = {"csrf_token": token, "current": PASSWORD, "new": "short", "repeat": "short"}
    refused = client.post("/password", data=weak)
    assert refused.status_code == 400
    assert "at least 12 are needed" in refused.text
    new = "Another-Good-Pass-7"
    ok = {"csrf_token": token, "current": PASSWORD, "new": new, "repeat": new}
    response = client.post("/password", data=ok, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/queue").status_code == 200


def test_next_is_kept_local(client: TestClient, engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    for target, expected in (("/queue", "/queue"), ("//evil.example/x", "/"), ("https://e.x", "/")):
        client.cookies.clear()
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login",
            data={"username": "aigul", "password": PASSWORD, "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == expected


def test_the_secret_key_is_made_once_and_private(tmp_path: Path) -> None:
    key = load_or_create_secret(tmp_path / "data")
    path = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(tmp_path / "data") == key
    assert len(key) == 32
    if os.name == "posix":
        os.chmod(path, 0o644)
        load_or_create_secret(tmp_path / "data")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_admin_reset_or_disable_ends_open_sessions(client: TestClient, engine: Engine) -> None:
    from piu.accounts.users import set_active, set_password

    sign_in(client, engine, "aigul", Role.ANALYST)
    assert client.get("/queue", follow_redirects=False).status_code == 200
    set_password(engine, "aigul", "Reset-By-Admin-77", must_change=True, actor="admin")
    assert client.get("/queue", follow_redirects=False).status_code == 303
    client.cookies.clear()
    sign_in(client, engine, "bakyt", Role.ANALYST)
    create_user(engine, "keeper", roles=[Role.ADMIN])
    set_active(engine, "bakyt", False, actor="keeper")
    assert client.get("/queue", follow_redirects=False).status_code == 303


# --- server-side sessions -------------------------------------------------------------
def _session_row(engine: Engine, cookie: str, app: FastAPI) -> ui_sessions.UiSession:
    session = app.state.ui_signer.load(cookie)
    assert session is not None
    with engine.connect() as conn:
        row = conn.execute(
            select(ui_sessions_table).where(
                ui_sessions_table.c.id_hash == ui_sessions.hash_id(session.id)
            )
        ).one()
    return ui_sessions._build(row)


def test_a_copy_of_the_cookie_dies_with_the_logout(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    token = sign_in(client, engine, "aigul", Role.ANALYST)
    stolen = client.cookies[COOKIE]
    assert _session_row(engine, stolen, app).remote == "testclient"
    client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert _session_row(engine, stolen, app).end_reason == "logout"
    with TestClient(app) as thief:
        thief.cookies.set(COOKIE, stolen)
        response = thief.get("/queue", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/queue"
        # Nor can the copy sign out or post anything: it is not a session any more.
        after = thief.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert after.headers["location"].startswith("/login")


def test_changing_ones_password_ends_the_other_sessions(app: FastAPI, engine: Engine) -> None:
    with TestClient(app) as laptop, TestClient(app) as desktop:
        token = sign_in(laptop, engine, "aigul", Role.ANALYST)
        post_login(desktop, "aigul")
        old_laptop_cookie = laptop.cookies[COOKIE]
        assert desktop.get("/queue", follow_redirects=False).status_code == 200
        new = "Another-Good-Pass-7"
        form = {"csrf_token": token, "current": PASSWORD, "new": new, "repeat": new}
        assert laptop.post("/password", data=form, follow_redirects=False).status_code == 303
        # The person who changed it carries on, in a new session...
        assert laptop.cookies[COOKIE] != old_laptop_cookie
        assert laptop.get("/queue", follow_redirects=False).status_code == 200
        # ...every other session, and the old cookie itself, are over.
        assert desktop.get("/queue", follow_redirects=False).status_code == 303
        assert _session_row(engine, old_laptop_cookie, app).end_reason == "password"
    with TestClient(app) as replay:
        replay.cookies.set(COOKIE, old_laptop_cookie)
        assert replay.get("/queue", follow_redirects=False).status_code == 303


def test_a_must_change_user_can_still_sign_out(client: TestClient, engine: Engine) -> None:
    sign_in(client, engine, "aigul", Role.ANALYST, must_change=True)
    token = csrf_of(client.get("/password").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.headers["location"] == "/login"
    assert client.get("/password", follow_redirects=False).status_code == 303


# --- the second factor at login ------------------------------------------------------
def test_totp_login_end_to_end(client: TestClient, app: FastAPI, engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    secret = enable_totp(engine, "aigul", app.state.deployment_key)
    first = post_login(client, "aigul", next_path="/queue")
    assert first.headers["location"] == "/login/totp?next=/queue"
    row = _session_row(engine, client.cookies[COOKIE], app)
    assert row.second_factor_at is None
    # The password alone opens nothing: every page sends back to the code step.
    for path in ("/", "/queue", "/password", "/account/totp"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login/totp"), path
    wrong = post_code(client, current_code(secret, 9), "/queue")
    assert wrong.status_code == 401 and "wrong or already used code" in wrong.text
    assert client.get("/queue", follow_redirects=False).status_code == 303
    right = post_code(client, current_code(secret), "/queue")
    assert right.status_code == 303 and right.headers["location"] == "/queue"
    assert client.get("/queue", follow_redirects=False).status_code == 200
    assert _session_row(engine, client.cookies[COOKIE], app).second_factor_at is not None
    assert get_user(engine, "aigul").failed_logins == 0
    actions = [e.action for e in audit.search(engine, actor="aigul")]
    assert [a for a in actions if a.startswith("ui.")] == ["ui.login_totp", "ui.login"]
    # The code step is done: its page just passes on.
    assert client.get("/login/totp", follow_redirects=False).headers["location"] == "/"

    # The same code cannot open a second session (seen over a shoulder, say).
    with TestClient(app) as other:
        post_login(other, "aigul")
        replay = post_code(other, current_code(secret))
        assert replay.status_code == 401
        assert other.get("/", follow_redirects=False).headers["location"] == "/login/totp"
        # Walking away from the half-finished login is allowed.
        token = csrf_of(other.get("/login/totp").text)
        bye = other.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert bye.headers["location"] == "/login"


def test_totp_failures_lock_the_account_and_end_the_half_login(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    secret = enable_totp(engine, "aigul", app.state.deployment_key)
    post_login(client, "aigul")
    for _ in range(2):
        post_code(client, current_code(secret, 9))
    # A fresh password login does not wipe the count: 2 + 3 failures lock.
    client.cookies.clear()
    post_login(client, "aigul")
    pending = client.cookies[COOKIE]
    for _ in range(2):
        assert post_code(client, current_code(secret, 9)).status_code == 401
    locked = post_code(client, current_code(secret, 9))
    assert locked.status_code == 401 and "account locked" in locked.text
    assert COOKIE not in client.cookies
    assert _session_row(engine, pending, app).end_reason == "locked"
    # Locked means locked: the right password and the right code both wait.
    response = post_login(client, "aigul")
    assert response.status_code == 401 and "account locked" in response.text


def test_a_half_finished_login_expires(client: TestClient, app: FastAPI, engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    secret = enable_totp(engine, "aigul", app.state.deployment_key)
    post_login(client, "aigul")
    row = _session_row(engine, client.cookies[COOKIE], app)
    long_ago = datetime.now(UTC) - ui_sessions.PENDING_TIMEOUT - timedelta(seconds=5)
    with engine.begin() as conn:
        conn.execute(
            update(ui_sessions_table)
            .where(ui_sessions_table.c.id_hash == row.id_hash)
            .values(created_at=long_ago)
        )
    response = client.get("/login/totp", follow_redirects=False)
    assert response.headers["location"].startswith("/login?")
    client.cookies.clear()
    post_login(client, "aigul")
    assert post_code(client, current_code(secret)).status_code == 303


def test_must_change_password_comes_after_the_code(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD, must_change_password=True)
    secret = enable_totp(engine, "aigul", app.state.deployment_key)
    assert post_login(client, "aigul").headers["location"] == "/login/totp"
    assert post_code(client, current_code(secret)).headers["location"] == "/password"
    token = csrf_of(client.get("/password").text)
    new = "Another-Good-Pass-7"
    form = {"csrf_token": token, "current": PASSWORD, "new": new, "repeat": new}
    assert client.post("/password", data=form, follow_redirects=False).status_code == 303
    # The fresh session after the change keeps the second factor it had proved.
    assert client.get("/queue", follow_redirects=False).status_code == 200


def test_after_secret_key_is_replaced_the_code_step_refuses_without_a_server_error(
    settings: Settings, engine: Engine
) -> None:
    """Deleting secret_key makes enrolled second factors unreadable (they are sealed under
    it): the code step answers as for a wrong code and records why, for the administrator
    to reset the factor."""
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    before = create_app(settings, engine)
    secret = enable_totp(engine, "aigul", before.state.deployment_key)
    (settings.data_dir / "secret_key").unlink()
    after = create_app(settings, engine)
    assert after.state.deployment_key != before.state.deployment_key
    with TestClient(after) as client:
        assert post_login(client, "aigul").headers["location"] == "/login/totp"
        refused = post_code(client, current_code(secret))
        assert refused.status_code == 401 and "wrong or already used code" in refused.text
        assert client.get("/queue", follow_redirects=False).status_code == 303
    (event,) = list_events(engine, kind=EventKind.LOGIN_FAILED)
    assert (event.subject, event.detail) == ("aigul", totp.UNREADABLE)
    assert get_user(engine, "aigul").failed_logins == 1


# --- enrolling and removing one's own second factor ----------------------------------
_ENROLMENT = re.compile(r'name="enrolment" value="([^"]+)"')
_SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')


def test_enrol_and_disable_totp_from_the_account_page(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    sign_in(client, engine, "aigul", Role.ANALYST)
    page = client.get("/account/totp")
    assert page.status_code == 200
    secret = _SECRET.search(page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert f"otpauth://totp/PIU:aigul?secret={secret}&amp;issuer=PIU" in page.text
    assert 'class="qr" src="data:image/svg+xml' in page.text
    assert "<script" not in page.text
    token, enrolment = csrf_of(page.text), _ENROLMENT.search(page.text).group(1)  # type: ignore[union-attr]
    form = {"csrf_token": token, "enrolment": enrolment}

    # A wrong code, and an offer signed for someone else, save nothing.
    wrong = client.post("/account/totp", data={**form, "code": current_code(secret, 9)})
    assert wrong.status_code == 400 and "does not match" in wrong.text
    signer = app.state.ui_signer
    foreign = signer.sign("totp-enrol", {"u": 999, "s": secret, "t": int(time.time())})
    other = client.post(
        "/account/totp", data={**form, "enrolment": foreign, "code": current_code(secret)}
    )
    assert other.status_code == 400 and "offer expired" in other.text
    assert not get_user(engine, "aigul").totp_enabled

    done = client.post("/account/totp", data={**form, "code": current_code(secret)})
    assert done.status_code == 200 and "The second factor is on." in done.text
    assert get_user(engine, "aigul").totp_enabled
    # This session proved the code: it carries on; a new login asks for a code.
    assert client.get("/queue", follow_redirects=False).status_code == 200
    with TestClient(app) as other_browser:
        assert post_login(other_browser, "aigul").headers["location"] == "/login/totp"

    off = {"csrf_token": token, "code": current_code(secret, 9)}
    assert client.post("/account/totp/disable", data=off).status_code == 400
    assert get_user(engine, "aigul").totp_enabled
    off["code"] = current_code(secret, 1)  # the enrolment spent the current step
    response = client.post("/account/totp/disable", data=off)
    assert "The second factor is off." in response.text
    assert not get_user(engine, "aigul").totp_enabled
    actions = {e.action for e in audit.search(engine, actor="aigul")}
    assert {"user.totp_enable", "user.totp_disable"} <= actions
