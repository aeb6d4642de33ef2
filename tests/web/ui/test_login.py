"""Session login: form, credentials, lockout, cookie flags, CSRF, logout, password change."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from piu.accounts import Role, create_user
from piu.accounts.users import MAX_FAILED_LOGINS
from piu.store import audit
from piu.web.ui import sessions
from piu.web.ui.sessions import COOKIE, SessionSigner, load_or_create_secret
from tests.web.ui.support import PASSWORD, csrf_of, post_login, sign_in


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


def test_a_forged_or_idle_session_is_refused(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    sign_in(client, engine, "aigul", Role.ANALYST)
    signer: SessionSigner = app.state.ui_signer
    good = client.cookies[COOKIE]
    session = signer.load(good)
    assert session is not None
    # Another key's signature, and an idle one, are both a redirect to /login.
    forged = SessionSigner(b"k" * 32).dump(session)
    idle = signer.dump(
        sessions.Session(
            session.user_id,
            session.issued - sessions.IDLE_TIMEOUT - 5,
            session.seen - sessions.IDLE_TIMEOUT - 5,
            session.csrf,
        )
    )
    for value in (forged, idle, good[:-3] + "abc"):
        client.cookies.clear()
        client.cookies.set(COOKIE, value)
        response = client.get("/queue", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/queue"


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
