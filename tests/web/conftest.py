"""Web tests: an app on the shared ``engine`` fixture, users with tokens, carriers, data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from piu.accounts import Role, add_carrier, create_token, create_user
from piu.accounts.credentials import digest
from piu.config import CarrierCredential, Settings
from piu.web.app import create_app
from tests.accounts.support import fast_hashing
from tests.web.support import Travel, add_travel

__all__ = ["fast_hashing"]

CAP = 4096
CONFIG_CARRIER_TOKEN = "config-file-token-for-zz"


@pytest.fixture(autouse=True)
def _cheap_argon2(fast_hashing: None) -> None:
    pass


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        max_message_bytes=CAP,
        carriers=(CarrierCredential("ZZ", digest(CONFIG_CARRIER_TOKEN), "Config Air"),),
    )


@pytest.fixture
def app(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(settings, engine)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def auth_for(engine: Engine) -> Callable[..., dict[str, str]]:
    """``auth_for(Role.ANALYST, ...)`` -> headers of a fresh user holding exactly those roles."""
    made = 0

    def make(*roles: Role) -> dict[str, str]:
        nonlocal made
        made += 1
        name = f"user{made}"
        create_user(engine, name, roles=roles)
        return {"Authorization": f"Bearer {create_token(engine, name, 'test').token}"}

    return make


@pytest.fixture
def kc_token(engine: Engine) -> str:
    return add_carrier(engine, "KC", name="Air Astana").token


@pytest.fixture
def travel(engine: Engine) -> Travel:
    return add_travel(engine)
