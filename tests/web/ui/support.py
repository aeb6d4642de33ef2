"""Signing in through the real login form, for the page tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from piu.accounts import Role, create_user

PASSWORD = "Correct-Horse-42x"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def post_login(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def sign_in(
    client: TestClient, engine: Engine, username: str, *roles: Role, must_change: bool = False
) -> str:
    """Create ``username`` with ``roles``, sign in, and return the session's CSRF token."""
    create_user(engine, username, roles=roles, password=PASSWORD, must_change_password=must_change)
    response = post_login(client, username)
    assert response.status_code == 303, response.text
    if must_change:
        return ""
    return csrf_of(client.get("/").text)
