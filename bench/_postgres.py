"""A throw-away PostgreSQL schema for a benchmark run (created, used, dropped)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event, text

from piu.store.engine import make_engine


@contextmanager
def scratch_schema(url: str) -> Iterator[Callable[[], Engine] | None]:
    """Yields a factory of engines bound to a fresh schema, or None (with a message) when
    the server cannot be reached; the schema is dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"postgresql  skipped: {url} unreachable ({type(exc).__name__})")
        yield None
        return

    def factory() -> Engine:
        engine = make_engine(url)

        @event.listens_for(engine, "connect")
        def _path(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute(f'SET search_path TO "{schema}"')
            cur.close()
            dbapi_conn.commit()

        return engine

    try:
        yield factory
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
