"""Each role against each user route: allowed (200) or forbidden (403), nothing else.

Write routes (POST) are called with an empty body: an allowed role gets past the role
check to the body validation (422), a forbidden one is stopped before it (403).

The expected table is written out here, independently of ``piu.web.deps``, so a change to
who reads what has to be made in both places on purpose.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piu.accounts import Role
from tests.web.support import Travel, app_endpoints

A, S, D, M = Role.ANALYST, Role.SUPERVISOR, Role.DPO, Role.ADMIN
R, W = Role.RULE_MANAGER, Role.WATCHLIST_MANAGER
EVERYONE = {A, S, D, M, R, W}
TRAVEL = {A, S, D, M}

# Routes any signed-in user may call, even one holding no role.
ANY_USER = {"/api/v1/me", "/api/v1/openapi.json"}
EXPECTED: dict[str, set[Role]] = {
    "/api/v1/me": EVERYONE,
    "/api/v1/openapi.json": EVERYONE,
    "/api/v1/flights": TRAVEL,
    "/api/v1/flights/{flight_id}": TRAVEL,
    "/api/v1/flights/{flight_id}/travellers": TRAVEL,
    "/api/v1/travellers/{traveller_id}": TRAVEL,
    "/api/v1/messages": TRAVEL,
    "/api/v1/messages/{message_id}": TRAVEL,
    "/api/v1/messages/{message_id}/raw": {S, D, M},
    "/api/v1/hits": TRAVEL,
    "/api/v1/bookings/{booking_id}": TRAVEL,
    "/api/v1/hits/{hit_id}": TRAVEL,
    "/api/v1/hits/{hit_id}/reviews": TRAVEL,
    "/api/v1/queue": TRAVEL,
    "/api/v1/watchlists": TRAVEL | {W},
    "/api/v1/rules": TRAVEL | {R},
    "/api/v1/rules/{name}": TRAVEL | {R},
    "/api/v1/cases": TRAVEL,
    "/api/v1/cases/{case_id}": TRAVEL,
    "/api/v1/cases/{case_id}/attachments/{attachment_id}": TRAVEL,
    "/api/v1/disseminations": TRAVEL,
    "/api/v1/disseminations/{dissemination_id}": TRAVEL,
}
RULE_READERS = TRAVEL | {R}
WRITES: dict[str, set[Role]] = {
    "/api/v1/rules/check": RULE_READERS,
    "/api/v1/hits/{hit_id}/decision": {A, S},
    "/api/v1/cases": {A, S},
    "/api/v1/cases/{case_id}/hits": {A, S},
    "/api/v1/cases/{case_id}/notes": {A, S},
    "/api/v1/cases/{case_id}/attachments": {A, S},
    "/api/v1/cases/{case_id}/status": {A, S},
    "/api/v1/cases/{case_id}/disseminations": {A, S},
    "/api/v1/disseminations/{dissemination_id}/decision": {S},
    "/api/v1/disseminations/{dissemination_id}/export": {A, S},
    "/api/v1/rules/try": {R},
    "/api/v1/rules/{name}/versions": {R},
    "/api/v1/rules/{name}/versions/{version}/{action}": {R},
}
NOT_USER_ROUTES = {"/health", "/api/v1/push"}


def _url(template: str, travel: Travel) -> str:
    return (
        template.replace("{flight_id}", str(travel.kc109))
        .replace("{traveller_id}", str(travel.asanov))
        .replace("{message_id}", str(travel.stored_message))
        .replace("{hit_id}", str(travel.hit))
        .replace("{booking_id}", str(travel.booking))
        .replace("{case_id}", str(travel.case))
        .replace("{attachment_id}", str(travel.attachment))
        .replace("{dissemination_id}", str(travel.dissemination))
        .replace("{name}", "transit-ist")
        .replace("{version}", "1")
        .replace("{action}", "submit")
    )


def test_the_table_covers_every_user_route(app: FastAPI) -> None:
    # The pages (/login, /, /flights ...) have their own table: tests/web/ui/test_page_roles.py.
    routes = {path for path, _ in app_endpoints(app) if path.startswith("/api/")}
    routes -= NOT_USER_ROUTES
    assert routes == set(EXPECTED) | set(WRITES)


@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "no-role"])
def test_role_matrix(
    client: TestClient,
    auth_for: Callable[..., dict[str, str]],
    travel: Travel,
    role: Role | None,
) -> None:
    headers = auth_for(role) if role else auth_for()
    wrong = []
    for template, allowed in EXPECTED.items():
        expected = 200 if role in allowed or template in ANY_USER else 403
        got = client.get(_url(template, travel), headers=headers).status_code
        if got != expected:
            wrong.append(f"{template}: expected {expected}, got {got}")
    for template, allowed in WRITES.items():
        expected = 422 if role in allowed else 403
        got = client.post(_url(template, travel), headers=headers, content=b"[").status_code
        if got != expected:
            wrong.append(f"POST {template}: expected {expected}, got {got}")
    assert wrong == []


def test_several_roles_add_up(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    headers = auth_for(Role.ANALYST, Role.RULE_MANAGER)
    raw = f"/api/v1/messages/{travel.stored_message}/raw"
    assert client.get("/api/v1/flights", headers=headers).status_code == 200
    assert client.get(raw, headers=headers).status_code == 403
    assert client.get(raw, headers=auth_for(Role.WATCHLIST_MANAGER, Role.DPO)).status_code == 200


def test_forbidden_says_which_roles_would_do(
    client: TestClient, auth_for: Callable[..., dict[str, str]]
) -> None:
    response = client.get("/api/v1/flights", headers=auth_for(Role.RULE_MANAGER))
    assert response.status_code == 403
    assert response.json() == {"detail": "needs one of the roles: admin, analyst, dpo, supervisor"}
