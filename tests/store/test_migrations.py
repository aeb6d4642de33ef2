"""The migrations build exactly the schema that piu.store.schema declares (no drift)."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, String, inspect, select, update

from piu.accounts import Role, create_user
from piu.store.migrate import alembic_config, upgrade
from piu.store.schema import metadata, users


def test_migrated_schema_matches_declared_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, metadata)
    assert diff == [], f"schema drift between migrations and piu.store.schema: {diff}"


def test_upgrade_is_idempotent(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables


def test_upgrade_keeps_existing_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A PIU that ran an older schema upgrades in place: rows stay, new columns get defaults."""
    from datetime import UTC, date, datetime

    from sqlalchemy import text

    from piu.store.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0002")
    now = datetime(2026, 11, 28, tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO messages (sha256, size, raw, received_at, sender, channel, msg_type,"
                " status, warnings, traveller_count) VALUES ('x', 1, x'00', :t, 'KC', 'cli',"
                " 'paxlst', 'stored', '[]', 1)"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO flights (carrier, number, flight_code, origin, destination,"
                " departure_date, overflight, status, connections, passenger_count, crew_count,"
                " first_message_id, last_message_id, created_at, updated_at) VALUES ('KC', '1',"
                " 'KC1', 'ALA', 'FRU', :d, 0, 'scheduled', '[]', 1, 0, 1, 1, :t, :t)"
            ),
            {"d": date(2026, 11, 29), "t": now},
        )
        conn.execute(
            text(
                "INSERT INTO travellers (flight_id, match_key, role, surname, other_refs, bag_tags,"
                " list_status, first_message_id, last_message_id, created_at, updated_at)"
                " VALUES (1, 'k', 'passenger', 'ASANOV', '{}', '[]', 'listed', 1, 1, :t, :t)"
            ),
            {"t": now},
        )
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT in_api, in_pnr FROM travellers")).one()
        msg = conn.execute(text("SELECT booking_count, filtering FROM messages")).one()
    assert tuple(row) == (1, 0)
    assert msg[0] == 0 and msg[1] == "[]"


def _totp_secret_width(engine: Engine) -> int:
    (column,) = [c for c in inspect(engine).get_columns("users") if c["name"] == "totp_secret"]
    column_type = column["type"]
    assert isinstance(column_type, String) and column_type.length is not None
    return column_type.length


def _totp_secrets(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        rows = conn.execute(select(users.c.username, users.c.totp_secret)).all()
    return {name: secret for name, secret in rows}


def _set_totp_secret(engine: Engine, name: str, value: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.username == name).values(totp_secret=value))


def test_0010_widens_totp_secret_and_narrows_it_back_only_without_sealed_values(
    engine: Engine,
) -> None:
    """A sealed secret (piu.accounts.sealed) needs 128 characters; revision 0009 neither
    fits nor reads one, so the downgrade refuses while one is stored rather than drop it."""
    assert _totp_secret_width(engine) == 128
    for name in ("aigul", "bakyt"):
        create_user(engine, name, roles=[Role.ANALYST])
    plain, sealed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "v1." + "A" * 80
    _set_totp_secret(engine, "aigul", plain)
    _set_totp_secret(engine, "bakyt", sealed)
    with pytest.raises(RuntimeError, match=r"piu users reset-totp NAME` for: bakyt$"):
        command.downgrade(alembic_config(engine), "0009")
    assert _totp_secret_width(engine) == 128
    assert _totp_secrets(engine) == {"aigul": plain, "bakyt": sealed}

    _set_totp_secret(engine, "bakyt", None)  # as `piu users reset-totp bakyt` leaves it
    command.downgrade(alembic_config(engine), "0009")
    assert _totp_secret_width(engine) == 64
    assert _totp_secrets(engine) == {"aigul": plain, "bakyt": None}
    upgrade(engine)
    assert _totp_secret_width(engine) == 128
    assert _totp_secrets(engine) == {"aigul": plain, "bakyt": None}
