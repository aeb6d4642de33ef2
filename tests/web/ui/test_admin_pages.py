"""The administrator's pages: users, sessions and carriers, through the real forms."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from piu.accounts import Role, create_user, get_user, verify_carrier
from piu.accounts.ui_sessions import list_open
from piu.errors import AccessError
from piu.store import audit
from tests.web.ui.support import (
    PASSWORD,
    current_code,
    enable_totp,
    post_code,
    post_login,
    sign_in,
)

_SECRET = re.compile(r'<p class="secret-once"><code>([^<]+)</code></p>')


def _secret_of(html: str) -> str:
    found = _SECRET.search(html)
    assert found, "no one-time secret on the page"
    return found.group(1)


@pytest.fixture
def admin(client: TestClient, engine: Engine) -> str:
    """The test client signed in as the administrator ``keeper``; their CSRF token."""
    return sign_in(client, engine, "keeper", Role.ADMIN)


def test_the_user_list_shows_roles_state_second_factor_and_last_sign_in(
    app: FastAPI, client: TestClient, engine: Engine, admin: str
) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST, Role.SUPERVISOR], password=PASSWORD)
    enable_totp(engine, "aigul", app.state.deployment_key)
    create_user(engine, "loader", roles=[Role.WATCHLIST_MANAGER])  # tokens only, never signed in
    with TestClient(app) as other:
        for _ in range(5):
            post_login(other, "loader", "Wrong-Horse-42x")
    page = client.get("/admin/users")
    assert page.status_code == 200
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(
            r'<tr>\s*<td><a href="/admin/users/([a-z.]+)">.*?</tr>', page.text, re.S
        )
    }
    assert set(rows) == {"aigul", "keeper", "loader"}
    assert "analyst, supervisor" in rows["aigul"] and "<td>on</td>" in rows["aigul"]
    assert "<td>off</td>" in rows["keeper"] and "UTC" in rows["keeper"]  # signed in just now
    assert "locked until" in rows["loader"] and "API tokens only" in rows["loader"]
    assert "<td>–</td>" in rows["loader"]  # never signed in


def test_creating_a_user_shows_the_password_once_and_it_must_change(
    app: FastAPI, client: TestClient, engine: Engine, admin: str
) -> None:
    form = {"csrf_token": admin, "username": "Bakyt", "display_name": "Bakyt A."}
    response = client.post("/admin/users", data={**form, "roles": ["analyst", "dpo"]})
    assert response.status_code == 200
    password = _secret_of(response.text)
    user = get_user(engine, "bakyt")
    assert user.roles == {Role.ANALYST, Role.DPO} and user.must_change_password
    (entry,) = audit.search(engine, action="user.create", subject_id="bakyt")
    assert (entry.actor, entry.subject_id) == ("keeper", "bakyt")
    assert password not in str(entry.detail)
    # The new user signs in with it and is sent to change it.
    with TestClient(app) as bakyt:
        assert post_login(bakyt, "bakyt", password).headers["location"] == "/password"
    # The list page does not show it again.
    assert password not in client.get("/admin/users").text
    # A taken name and a bad name are refused with a reason, nothing created.
    again = client.post("/admin/users", data={**form, "roles": ["analyst"]})
    assert again.status_code == 400 and "exists already" in again.text
    bad = client.post("/admin/users", data={**form, "username": "x y", "roles": ["analyst"]})
    assert bad.status_code == 400 and "is not allowed" in bad.text
    assert [u.username for u in [get_user(engine, "bakyt")]] == ["bakyt"]


def test_every_admin_post_checks_csrf_first(client: TestClient, engine: Engine, admin: str) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    for path, data in (
        ("/admin/users", {"username": "mallory", "roles": ["admin"]}),
        ("/admin/users/aigul/roles", {"roles": ["admin"]}),
        ("/admin/users/aigul/active", {"active": "0"}),
        ("/admin/users/aigul/password", {}),
        ("/admin/users/aigul/tokens", {"name": "etl"}),
        ("/admin/carriers", {"code": "KC"}),
    ):
        for token in (None, admin[:-2] + "xx"):
            body = data if token is None else {**data, "csrf_token": token}
            response = client.post(path, data=body, follow_redirects=False)
            assert response.status_code == 403 and "security token" in response.text, path
    user = get_user(engine, "aigul")
    assert user.roles == {Role.ANALYST} and user.active and not user.must_change_password
    assert audit.search(engine, action="user.roles") == []


def test_an_analyst_with_a_valid_token_still_cannot_administer(
    client: TestClient, engine: Engine
) -> None:
    token = sign_in(client, engine, "aigul", Role.ANALYST)
    assert client.get("/admin/users").status_code == 403
    response = client.post(
        "/admin/users/aigul/roles", data={"csrf_token": token, "roles": ["admin"]}
    )
    assert (
        response.status_code == 403 and "This page needs one of the roles: admin" in response.text
    )
    assert get_user(engine, "aigul").roles == {Role.ANALYST}
    nav = client.get("/").text.split("<main>")[0]
    assert "/admin/" not in nav


def test_roles_are_set_and_the_last_admin_is_protected(
    client: TestClient, engine: Engine, admin: str
) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    response = client.post(
        "/admin/users/aigul/roles",
        data={"csrf_token": admin, "roles": ["supervisor", "dpo"]},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/admin/users/aigul?done=roles"
    assert get_user(engine, "aigul").roles == {Role.SUPERVISOR, Role.DPO}
    (entry,) = audit.search(engine, action="user.roles")
    assert entry.actor == "keeper" and entry.detail["after"] == ["dpo", "supervisor"]
    page = client.get(response.headers["location"])
    assert "Roles saved." in page.text
    assert 'value="dpo" checked' in page.text and 'value="analyst">' in page.text
    # The keeper cannot strip their own admin role while the only admin.
    refused = client.post("/admin/users/keeper/roles", data={"csrf_token": admin, "roles": []})
    assert refused.status_code == 400 and "last active admin" in refused.text
    assert get_user(engine, "keeper").roles == {Role.ADMIN}
    unknown = client.post("/admin/users/aigul/roles", data={"csrf_token": admin, "roles": ["god"]})
    assert unknown.status_code == 400 and "unknown role" in unknown.text


def test_password_reset_disable_and_enable(
    app: FastAPI, client: TestClient, engine: Engine, admin: str
) -> None:
    with TestClient(app) as aigul:
        sign_in(aigul, engine, "aigul", Role.ANALYST)
        reset = client.post("/admin/users/aigul/password", data={"csrf_token": admin})
        password = _secret_of(reset.text)
        # Their open session ended; the new password works and must be changed.
        assert aigul.get("/queue", follow_redirects=False).status_code == 303
        assert post_login(aigul, "aigul", password).headers["location"] == "/password"
        client.post("/admin/users/aigul/active", data={"csrf_token": admin, "active": "0"})
        assert not get_user(engine, "aigul").active
        assert (
            aigul.get("/password", follow_redirects=False).headers["location"].startswith("/login")
        )
        assert post_login(aigul, "aigul", password).status_code == 401
        enabled = client.post(
            "/admin/users/aigul/active",
            data={"csrf_token": admin, "active": "1"},
            follow_redirects=False,
        )
        assert enabled.headers["location"] == "/admin/users/aigul?done=enabled"
        assert post_login(aigul, "aigul", password).status_code == 303
    actions = [e.action for e in audit.search(engine, actor="keeper", subject_id="aigul")]
    assert actions == ["user.enable", "user.disable", "user.password"]
    bad = client.post("/admin/users/aigul/active", data={"csrf_token": admin, "active": "maybe"})
    assert bad.status_code == 400
    missing = client.post("/admin/users/nobody/password", data={"csrf_token": admin})
    assert missing.status_code == 404 and "unknown user" in missing.text


def test_an_admin_resets_a_lost_second_factor(
    app: FastAPI, client: TestClient, engine: Engine, admin: str
) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    secret = enable_totp(engine, "aigul", app.state.deployment_key)
    with TestClient(app) as aigul:
        post_login(aigul, "aigul")
        assert post_code(aigul, current_code(secret)).status_code == 303
        page = client.get("/admin/users/aigul")
        assert "Reset second factor" in page.text
        response = client.post("/admin/users/aigul/totp-reset", data={"csrf_token": admin})
        assert "Second factor removed" in response.text
        assert not get_user(engine, "aigul").totp_enabled
        assert aigul.get("/", follow_redirects=False).status_code == 303  # session ended
        # The password alone signs in now.
        assert post_login(aigul, "aigul").headers["location"] == "/"
    (entry,) = audit.search(engine, action="user.totp_reset")
    assert (entry.actor, entry.subject_id) == ("keeper", "aigul")
    again = client.post("/admin/users/aigul/totp-reset", data={"csrf_token": admin})
    assert again.status_code == 400 and "no second factor to reset" in again.text


def test_sessions_are_listed_and_can_be_ended(
    app: FastAPI, client: TestClient, engine: Engine, admin: str
) -> None:
    with TestClient(app, headers={"User-Agent": "AnalystBrowser/1.0"}) as aigul:
        sign_in(aigul, engine, "aigul", Role.ANALYST)
        page = client.get("/admin/sessions")
        assert page.status_code == 200
        assert "AnalystBrowser/1.0" in page.text and "(this session)" in page.text
        (theirs,) = list_open(engine, user_id=get_user(engine, "aigul").id)
        assert theirs.session.id_hash in page.text
        response = client.post(
            "/admin/sessions/end",
            data={"csrf_token": admin, "session": theirs.session.id_hash},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/admin/sessions?done=1"
        assert aigul.get("/queue", follow_redirects=False).headers["location"].startswith("/login")
        gone = client.post(
            "/admin/sessions/end", data={"csrf_token": admin, "session": theirs.session.id_hash}
        )
        assert gone.status_code == 404
        # From the user's page, back to the user's page.
        sign_in_again = post_login(aigul, "aigul")
        assert sign_in_again.status_code == 303
        (again,) = list_open(engine, user_id=get_user(engine, "aigul").id)
        back = client.post(
            "/admin/sessions/end",
            data={
                "csrf_token": admin,
                "session": again.session.id_hash,
                "back": "/admin/users/aigul",
            },
            follow_redirects=False,
        )
        assert back.headers["location"] == "/admin/users/aigul?done=session"
    entries = audit.search(engine, action="session.revoke")
    assert [(e.actor, e.subject_id) for e in entries] == [("keeper", "aigul")] * 2
    assert client.get("/admin/sessions").status_code == 200  # the keeper's own still works


def test_carriers_are_added_rotated_and_revoked(
    client: TestClient, engine: Engine, admin: str
) -> None:
    page = client.get("/admin/carriers")
    assert "ZZ" in page.text and "configuration file" in page.text  # from the settings
    added = client.post(
        "/admin/carriers", data={"csrf_token": admin, "code": "kc", "name": "Air Astana"}
    )
    first = _secret_of(added.text)
    assert verify_carrier(engine, "KC", first) == "KC"
    rotated = client.post("/admin/carriers/KC/rotate", data={"csrf_token": admin})
    second = _secret_of(rotated.text)
    assert second != first
    with pytest.raises(AccessError):
        verify_carrier(engine, "KC", first)
    client.post("/admin/carriers/KC/revoke", data={"csrf_token": admin})
    with pytest.raises(AccessError):
        verify_carrier(engine, "KC", second)
    assert "revoked" in client.get("/admin/carriers").text
    taken = client.post("/admin/carriers", data={"csrf_token": admin, "code": "KC"})
    assert taken.status_code == 400 and "exists already" in taken.text
    unknown = client.post("/admin/carriers/QQ/revoke", data={"csrf_token": admin})
    assert unknown.status_code == 400 and "unknown carrier" in unknown.text
    actions = [e.action for e in audit.search(engine, actor="keeper", subject_type="carrier")]
    assert actions == ["carrier.revoke", "carrier.rotate", "carrier.add"]
    assert first not in str([e.detail for e in audit.search(engine)])


def test_an_admin_makes_an_api_token_shown_once_and_revokes_it(
    app: FastAPI, client: TestClient, engine: Engine, admin: str
) -> None:
    create_user(engine, "loader", roles=[Role.WATCHLIST_MANAGER])  # a program's account
    made = client.post(
        "/admin/users/loader/tokens", data={"csrf_token": admin, "name": "nightly UN list"}
    )
    assert made.status_code == 200 and "without expiry" in made.text
    token = _secret_of(made.text)
    api = TestClient(app)
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["username"] == "loader"
    page = client.get("/admin/users/loader").text
    assert "nightly UN list" in page and token not in page  # listed, never shown again
    (entry,) = audit.search(engine, action="token.create", subject_id="loader")
    assert entry.actor == "keeper" and token not in str(entry.detail)

    bad = client.post(
        "/admin/users/loader/tokens", data={"csrf_token": admin, "name": "x", "days": "0"}
    )
    assert bad.status_code == 400 and "1 to 3650" in bad.text
    unnamed = client.post("/admin/users/loader/tokens", data={"csrf_token": admin, "name": " "})
    assert unnamed.status_code == 400 and "needs a name" in unnamed.text

    token_id = int(re.findall(r"/admin/users/loader/tokens/(\d+)/revoke", page)[0])
    other = create_user(engine, "aigul", roles=[Role.ANALYST], password=PASSWORD)
    assert other.username == "aigul"
    wrong = client.post(f"/admin/users/aigul/tokens/{token_id}/revoke", data={"csrf_token": admin})
    assert wrong.status_code == 404  # not that user's token
    nobody = client.post(
        f"/admin/users/nobody/tokens/{token_id}/revoke", data={"csrf_token": admin}
    )
    assert nobody.status_code == 404
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    revoked = client.post(
        f"/admin/users/loader/tokens/{token_id}/revoke", data={"csrf_token": admin}
    )
    assert "API token revoked" in revoked.text and "<td>revoked</td>" in revoked.text
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
