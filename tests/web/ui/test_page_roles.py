"""Each page against each role: anonymous -> 303 /login, allowed -> 200, others -> 403.

The table is written out here, independently of ``piu.web.ui.pages``, so a change to who
may open what has to be made in both places on purpose; the walk over ``app.routes``
makes sure no page is left out of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from piu.accounts import Role
from tests.web.support import Travel, app_endpoints
from tests.web.ui.support import sign_in

A, S, D, M = Role.ANALYST, Role.SUPERVISOR, Role.DPO, Role.ADMIN
R, W = Role.RULE_MANAGER, Role.WATCHLIST_MANAGER
EVERYONE = {A, S, D, M, R, W}
TRAVEL = {A, S, D, M}

PAGES: dict[str, set[Role]] = {
    "/": EVERYONE,
    "/password": EVERYONE,
    "/flights": TRAVEL,
    "/flights/{flight_id}": TRAVEL,
    "/travellers/{traveller_id}": TRAVEL,
    "/queue": TRAVEL,
    "/hits/{hit_id}": TRAVEL,
    "/messages": TRAVEL,
    "/account/totp": EVERYONE,
    "/admin/users": {M},
    "/admin/users/{username}": {M},
    "/admin/sessions": {M},
    "/admin/carriers": {M},
    "/messages/{message_id}": TRAVEL,
    "/watchlists": TRAVEL | {W},
    "/watchlists/{watchlist_id}": TRAVEL | {W},
    "/watchlists/import": {W},
    "/rules": TRAVEL | {R},
    "/rules/{name}": TRAVEL | {R},
    "/rules/new": {R},
    "/rules/{name}/edit": {R},
    "/ui-static/rule-check.js": TRAVEL | {R},
    "/audit": {D, M},
    "/audit/verify": {D, M},
    "/audit/export": {D, M},
    "/cases": TRAVEL,
    "/cases/new": {A, S},
    "/cases/{case_id}": TRAVEL,
    "/cases/{case_id}/attachments/{attachment_id}": TRAVEL,
    "/disseminations": TRAVEL,
    "/disseminations/{dissemination_id}": TRAVEL,
}
# Form posts, sent without a body: an allowed role passes the role check and is stopped
# by the CSRF check (403 "security token"); a forbidden role gets the 403 role page.
POSTS: dict[str, set[Role]] = {
    "/logout": EVERYONE,
    "/password": EVERYONE,
    "/hits/{hit_id}/decision": {A, S},
    "/hits/{hit_id}/case": {A, S},
    "/cases": {A, S},
    "/cases/{case_id}/hits": {A, S},
    "/cases/{case_id}/notes": {A, S},
    "/cases/{case_id}/attachments": {A, S},
    "/cases/{case_id}/status": {A, S},
    "/cases/{case_id}/disseminations": {A, S},
    "/disseminations/{dissemination_id}/decision": {S},
    "/disseminations/{dissemination_id}/export": {A, S},
    "/account/totp": EVERYONE,
    "/account/totp/disable": EVERYONE,
    "/admin/users": {M},
    "/admin/users/{username}/roles": {M},
    "/admin/users/{username}/password": {M},
    "/admin/users/{username}/active": {M},
    "/admin/users/{username}/totp-reset": {M},
    "/admin/users/{username}/tokens": {M},
    "/admin/users/{username}/tokens/{token_id}/revoke": {M},
    "/admin/sessions/end": {M},
    "/admin/carriers": {M},
    "/admin/carriers/{code}/rotate": {M},
    "/admin/carriers/{code}/revoke": {M},
    "/messages/{message_id}/reprocess": {S, M},
    "/watchlists/import": {W},
    "/watchlists/import/confirm": {W},
    "/rules/check": TRAVEL | {R},
    "/rules/edit": {R},
    "/rules/{name}/versions/{version}/{action}": {R},
}
# Open to any signed-in user, even one holding no role.
SIGNED_IN = {"/", "/password", "/logout", "/account/totp", "/account/totp/disable"}
PUBLIC = {("GET", "/login"), ("POST", "/login")}
# The login's second step: only a session still awaiting its TOTP code uses it (anyone
# else is sent on or to /login); tests/web/ui/test_login.py covers it.
LOGIN_STEPS = {("GET", "/login/totp"), ("POST", "/login/totp")}


def _url(template: str, travel: Travel) -> str:
    return (
        template.replace("{flight_id}", str(travel.kc109))
        .replace("{traveller_id}", str(travel.asanov))
        .replace("{hit_id}", str(travel.hit))
        .replace("{case_id}", str(travel.case))
        .replace("{attachment_id}", str(travel.attachment))
        .replace("{dissemination_id}", str(travel.dissemination))
        .replace("{username}", "someone")
        .replace("{code}", "KC")
        .replace("{token_id}", "1")
        .replace("{message_id}", str(travel.rejected_message))
        .replace("{watchlist_id}", "1")  # the one list add_travel makes, in a fresh store
        .replace("{name}", "transit-ist")
        .replace("{version}", "1")
        .replace("{action}", "submit")
    )


def _page_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    for path, methods in app_endpoints(app):
        if path.startswith("/api/") or path == "/health":
            continue
        for method in methods:
            yield method, path


def test_the_table_covers_every_page(app: FastAPI) -> None:
    seen = set(_page_routes(app)) - PUBLIC - LOGIN_STEPS
    expected = {("GET", p) for p in PAGES} | {("POST", p) for p in POSTS}
    assert seen == expected


def test_strangers_are_sent_to_login(app: FastAPI, client: TestClient, travel: Travel) -> None:
    for method, template in sorted(set(_page_routes(app)) - PUBLIC):
        response = client.request(method, _url(template, travel), follow_redirects=False)
        assert response.status_code == 303, (method, template)
        assert response.headers["location"].startswith("/login"), (method, template)
        assert "<td" not in response.text


@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "no-role"])
def test_page_role_matrix(
    client: TestClient, engine: Engine, travel: Travel, role: Role | None
) -> None:
    sign_in(client, engine, "someone", *([role] if role else []))
    wrong = []
    for template, allowed in PAGES.items():
        expected = 200 if role in allowed or template in SIGNED_IN else 403
        got = client.get(_url(template, travel), follow_redirects=False).status_code
        if got != expected:
            wrong.append(f"GET {template}: expected {expected}, got {got}")
    for template, allowed in POSTS.items():
        response = client.post(_url(template, travel), data={}, follow_redirects=False)
        ok = role in allowed or template in SIGNED_IN
        if response.status_code != 403 or ("security token" in response.text) != ok:
            wrong.append(f"POST {template}: {'csrf' if ok else 'role'} 403 expected")
    assert wrong == []


def test_navigation_shows_only_what_the_roles_allow(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "rules", Role.RULE_MANAGER)
    nav = re.findall(r'<a href="(/[a-z]*)"', client.get("/").text.split("<main>")[0])
    assert "/queue" not in nav and "/flights" not in nav and "/messages" not in nav
    client.cookies.clear()
    sign_in(client, engine, "ana", Role.ANALYST)
    nav = re.findall(r'<a href="(/[a-z]*)"', client.get("/").text.split("<main>")[0])
    assert {"/", "/queue", "/flights", "/messages"} <= set(nav)


def test_forbidden_is_a_page_naming_the_roles(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "rules", Role.RULE_MANAGER)
    response = client.get("/queue")
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert "admin, analyst, dpo, supervisor" in response.text
