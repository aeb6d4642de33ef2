from __future__ import annotations

import gc
import weakref
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine

from piu.config import Settings
from piu.web.app import create_app


def test_health_says_ok_and_nothing_more(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_database(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/no/such/folder/piu.sqlite3")
    with TestClient(create_app(Settings(data_dir=tmp_path), engine)) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "unreachable"}


def test_an_app_no_longer_used_is_freed(settings: Settings, engine: Engine) -> None:
    """Nothing module-wide keeps an app alive (FastAPI caches endpoint functions, so an
    endpoint closing over its app would keep every app made, with its store and
    templates: thousands in a test run)."""
    app = create_app(settings, engine)
    with TestClient(app) as client:
        client.get("/health")
    gone = weakref.ref(app)
    del app, client
    gc.collect()
    assert gone() is None
