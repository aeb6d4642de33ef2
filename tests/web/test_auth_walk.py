"""Walk every route of the app: only /health may answer 2xx to a stranger.

The routes come from ``app.routes`` (flattened by ``app_endpoints``), not from a list in
this file, so a route added later is covered without anyone remembering to add it here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piu.accounts import Role
from tests.web.support import app_endpoints

PUBLIC = {("GET", "/health"), ("GET", "/login")}  # the login form holds no data


def _requests(app: FastAPI) -> Iterator[tuple[str, str]]:
    for path, methods in app_endpoints(app):
        for method in methods:
            yield method, re.sub(r"\{[^}]+\}", "1", path)


def test_the_walk_sees_every_route(app: FastAPI) -> None:
    seen = {path for _, path in _requests(app)}
    assert {
        "/health",
        "/api/v1/push",
        "/api/v1/me",
        "/api/v1/openapi.json",
        "/api/v1/flights",
        "/api/v1/flights/1",
        "/api/v1/flights/1/travellers",
        "/api/v1/travellers/1",
        "/api/v1/messages",
        "/api/v1/messages/1",
        "/api/v1/messages/1/raw",
    } <= seen


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer piu_u_not-a-real-token"},
        {"Authorization": "Basic S0M6bm9wZQ=="},  # KC:nope
        {"Authorization": "Token abc"},
    ],
    ids=["none", "bad-bearer", "bad-basic", "odd-scheme"],
)
def test_no_route_but_health_answers_a_stranger(
    app: FastAPI, client: TestClient, travel: object, headers: dict[str, str]
) -> None:
    # ``travel`` fills the tables so id 1 exists: a 404 cannot hide a missing auth check.
    public, guarded = [], []
    for method, path in _requests(app):
        response = client.request(
            method, path, headers=headers, content=b"UNA:+.? '", follow_redirects=False
        )
        if (method, path) in PUBLIC:
            public.append((method, path, response.status_code))
            continue
        guarded.append((method, path))
        assert not 200 <= response.status_code < 300, (method, path, response.status_code)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
            assert "WWW-Authenticate" in response.headers
    assert sorted(public) == [("GET", "/health", 200), ("GET", "/login", 200)]
    assert len(guarded) >= 10


def test_a_carrier_credential_opens_no_user_route(
    app: FastAPI, client: TestClient, kc_token: str
) -> None:
    for method, path in _requests(app):
        if path == "/api/v1/push" or (method, path) in PUBLIC:
            continue
        # API routes answer 401; the pages (no bearer auth) send strangers to /login (303),
        # and the login form's POST refuses a request without its CSRF token (403).
        refused = 401 if path.startswith("/api/") else 403 if path == "/login" else 303
        response = client.request(method, path, auth=("KC", kc_token), follow_redirects=False)
        assert response.status_code == refused, (method, path)
        response = client.request(
            method,
            path,
            headers={"Authorization": f"Bearer {kc_token}", "X-PIU-Carrier": "KC"},
            follow_redirects=False,
        )
        assert response.status_code == refused, (method, path)


def test_a_user_token_cannot_push(
    client: TestClient, auth_for: Callable[..., dict[str, str]]
) -> None:
    headers = auth_for(Role.ADMIN)
    assert client.post("/api/v1/push", headers=headers, content=b"x").status_code == 401
    headers["X-PIU-Carrier"] = "KC"
    assert client.post("/api/v1/push", headers=headers, content=b"x").status_code == 401


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"])
def test_no_public_docs(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_schema_is_served_to_users_only(
    client: TestClient, auth_for: Callable[..., dict[str, str]]
) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401
    schema = client.get("/api/v1/openapi.json", headers=auth_for()).json()
    assert "/api/v1/push" in schema["paths"]
    assert "/api/v1/openapi.json" not in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) == {
        "userToken",
        "carrierBasic",
        "carrierBearer",
    }
    flights = schema["paths"]["/api/v1/flights"]["get"]
    assert flights["security"] == [{"userToken": []}]
    assert flights["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FlightPage"
    }
