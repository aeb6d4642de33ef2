"""What differs between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["insert_ignoring_conflicts"]


def insert_ignoring_conflicts(conn: Connection, table: Table, **conflict: Any) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` on either backend (both speak it, through
    their own dialect's ``insert``). ``conflict`` is passed on, e.g. ``index_elements``."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(**conflict)
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(**conflict)
    raise RuntimeError(f"unsupported database dialect {dialect!r}")
