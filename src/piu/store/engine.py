"""Opening the database: SQLite (embedded default) or PostgreSQL, migrated to the head.

SQLite runs in WAL mode with ``synchronous=FULL``: a message is acknowledged only after its
transaction is on disk (DESIGN principle 1), and readers never block the writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError

from piu.errors import StoreError

__all__ = ["is_sqlite", "make_engine", "open_store"]


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` without touching the schema."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def open_store(url: str, *, migrate: bool = True) -> Engine:
    """Return an engine on ``url`` with the schema migrated to the latest revision."""
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        raise StoreError(f"cannot open the database at {engine.url!r}: {exc.orig}") from None
    if migrate:
        from piu.store.migrate import upgrade

        upgrade(engine)
    return engine
