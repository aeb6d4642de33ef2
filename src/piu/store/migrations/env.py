"""Alembic environment: the engine is handed in by piu.store.migrate (no ini file).

On SQLite, Alembic's batch mode rebuilds a table to alter it (copy, drop, rename). With
foreign keys enforced, dropping a table that others reference fails, so enforcement is
switched off for the migration and the whole database is checked afterwards instead.
"""

from __future__ import annotations

from alembic import context

from piu.store.schema import metadata

engine = context.config.attributes.get("engine")
if engine is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through piu.store.migrate.upgrade(engine)")

sqlite = engine.dialect.name == "sqlite"
with engine.connect() as connection:
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        if broken:
            raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    connection.commit()
