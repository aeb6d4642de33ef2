"""Signing in through the real login form, for the page tests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from piu.accounts import Role, create_user, totp

PASSWORD = "Correct-Horse-42x"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def post_login(
    client: TestClient, username: str, password: str = PASSWORD, *, next_path: str = "/"
) -> Response:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )


def deployment_key(client: TestClient) -> bytes:
    """The key the client's app loaded from its data folder (seals the TOTP secrets)."""
    app = client.app
    assert isinstance(app, FastAPI)
    key: bytes = app.state.deployment_key
    return key


def enable_totp(engine: Engine, username: str, key: bytes) -> str:
    """Turn on ``username``'s second factor (as if enrolled an hour ago); the secret.

    ``key`` is the app's deployment key (:func:`deployment_key`): sealed under another,
    the secret would not open at the login's code step.
    """
    secret = totp.new_secret()
    then = datetime.now(UTC) - timedelta(hours=1)
    code = totp.code_at(secret, totp.step_of(then))
    totp.enable(engine, username, secret, code, key=key, now=then)
    return secret


def current_code(secret: str, ahead: int = 0) -> str:
    """The code an authenticator app shows now (``ahead`` steps later: within the drift)."""
    return totp.code_at(secret, totp.step_of(datetime.now(UTC)) + ahead)


def post_code(client: TestClient, code: str, next_path: str = "/") -> Response:
    """The login's second step: the code form, with the pending session's CSRF token."""
    token = csrf_of(client.get("/login/totp").text)
    return client.post(
        "/login/totp",
        data={"code": code, "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )


def sign_in(
    client: TestClient,
    engine: Engine,
    username: str,
    *roles: Role,
    must_change: bool = False,
    with_totp: bool = False,
) -> str:
    """Create ``username`` with ``roles``, sign in, and return the session's CSRF token.

    ``with_totp`` gives the user a second factor and passes the login's code step too.
    """
    create_user(engine, username, roles=roles, password=PASSWORD, must_change_password=must_change)
    secret = enable_totp(engine, username, deployment_key(client)) if with_totp else None
    response = post_login(client, username)
    assert response.status_code == 303, response.text
    if secret is not None:
        response = post_code(client, current_code(secret))
        assert response.status_code == 303, response.text
    if must_change:
        return ""
    return csrf_of(client.get("/").text)
