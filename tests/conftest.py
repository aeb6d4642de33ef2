"""Shared fixtures: a fresh, migrated store on SQLite and, when configured, on PostgreSQL.

PostgreSQL tests run when ``PIU_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it). Without
it they skip with the reason, except when ``PIU_REQUIRE_SERVICES=1``, which turns the skip
into a failure so that CI can never pass by silently not testing PostgreSQL.

Each PostgreSQL test gets its own schema (dropped afterwards), so tests cannot see each
other's rows and can run in any order.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, text

from piu.store.engine import make_engine
from piu.store.migrate import upgrade

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CORPUS = SHARED / "corpus"

POSTGRES_URL = os.environ.get("PIU_TEST_POSTGRES_URL", "").strip()
REQUIRE_SERVICES = os.environ.get("PIU_REQUIRE_SERVICES", "") == "1"


def require_postgres() -> str:
    """The PostgreSQL URL for tests, or skip (fail under PIU_REQUIRE_SERVICES=1)."""
    if not POSTGRES_URL:
        reason = "PostgreSQL tests need PIU_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        if REQUIRE_SERVICES:
            pytest.fail(reason + " and PIU_REQUIRE_SERVICES=1 forbids skipping")
        pytest.skip(reason)
    return POSTGRES_URL


def _postgres_engine(url: str) -> Iterator[Engine]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        if REQUIRE_SERVICES:
            pytest.fail(f"PostgreSQL at {url} unreachable: {exc}")
        pytest.skip(f"PostgreSQL at {url} unreachable: {exc}")
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _search_path(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute(f'SET search_path TO "{schema}"')
        cur.close()
        dbapi_conn.commit()

    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'piu.sqlite3'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    yield from _postgres_engine(require_postgres())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store: every storage test runs on both backends."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'piu.sqlite3'}")
        upgrade(engine)
        yield engine
        engine.dispose()
    else:
        yield from _postgres_engine(require_postgres())


def corpus_dir(*parts: str) -> Path:
    """A folder of the shared corpus, or skip when this checkout has none beside it."""
    path = CORPUS.joinpath(*parts)
    if not path.is_dir():
        pytest.skip(f"shared corpus not found at {path} (expected beside the project)")
    return path


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under ``PIU_REQUIRE_CORPUS=1`` (set by ``.ci/run``) a missing shared corpus is an
    error, not a pile of skipped conformance tests."""
    if os.environ.get("PIU_REQUIRE_CORPUS") == "1" and not (CORPUS / "gtas").is_dir():
        raise pytest.UsageError(
            f"PIU_REQUIRE_CORPUS=1 but the shared corpus is not at {CORPUS.resolve()}"
        )


# Property tests explore new random inputs on developers' machines; CI replays a fixed
# derandomised set so that a run is reproducible and a red build means a regression.
# Any new counterexample found locally becomes a test in tests/formats/test_fuzz_regressions.py.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("PIU_REQUIRE_SERVICES") == "1":
    _hypothesis_settings.load_profile("ci")
