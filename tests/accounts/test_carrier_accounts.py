from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from piu.accounts import (
    AccountError,
    EventKind,
    NameTakenError,
    UnknownNameError,
    add_carrier,
    list_carriers,
    list_events,
    record_event,
    revoke_carrier,
    rotate_carrier,
    verify_carrier,
)
from piu.accounts.credentials import digest
from piu.config import CarrierCredential
from piu.errors import AccessError
from piu.store.schema import carriers, security_events

CONFIG_TOKEN = "token-from-the-config-file"
CONFIGURED = (CarrierCredential("TK", digest(CONFIG_TOKEN), "Turkish Airlines"),)


def _refused(engine: Engine, code: str, token: str) -> str:
    with pytest.raises(AccessError, match="carrier credentials refused"):
        verify_carrier(engine, code, token, configured=CONFIGURED, remote="203.0.113.5")
    [event, *_] = list_events(engine)
    assert event.kind == EventKind.PUSH_AUTH_FAILED
    assert event.remote == "203.0.113.5"
    assert token not in repr(event)
    return event.detail or ""


def test_add_gives_a_token_that_verifies(engine: Engine) -> None:
    new = add_carrier(engine, "kc", name="Air Astana")
    assert new.code == "KC" and new.token.startswith("piu_c_")
    assert verify_carrier(engine, "KC", new.token) == "KC"
    assert verify_carrier(engine, " kc ", new.token) == "KC"
    with engine.connect() as conn:
        row = conn.execute(select(carriers)).one()
    assert row.token_hash == digest(new.token)
    assert new.token not in str(tuple(row))


def test_wrong_token_and_unknown_code_are_refused_with_reasons(engine: Engine) -> None:
    new = add_carrier(engine, "KC")
    assert _refused(engine, "KC", new.token + "x") == "wrong token"
    assert _refused(engine, "ZZ", new.token) == "unknown carrier"
    assert _refused(engine, "not a code", new.token) == "unknown carrier"
    assert list_events(engine)[-1].subject == "KC"


def test_rotate_kills_the_old_token(engine: Engine) -> None:
    old = add_carrier(engine, "KC")
    new = rotate_carrier(engine, "kc")
    assert new.token != old.token
    assert verify_carrier(engine, "KC", new.token) == "KC"
    assert _refused(engine, "KC", old.token) == "wrong token"


def test_revoke_stops_pushes_until_rotated(engine: Engine) -> None:
    new = add_carrier(engine, "KC")
    revoked = revoke_carrier(engine, "KC")
    assert not revoked.active
    assert _refused(engine, "KC", new.token) == "carrier revoked"
    fresh = rotate_carrier(engine, "KC")
    assert verify_carrier(engine, "KC", fresh.token) == "KC"


def test_config_file_carriers_verify_too(engine: Engine) -> None:
    assert verify_carrier(engine, "tk", CONFIG_TOKEN, configured=CONFIGURED) == "TK"
    assert _refused(engine, "TK", "guess") == "wrong token"


def test_a_code_in_both_places_accepts_either_token(engine: Engine) -> None:
    db = add_carrier(engine, "TK")
    assert verify_carrier(engine, "TK", db.token, configured=CONFIGURED) == "TK"
    assert verify_carrier(engine, "TK", CONFIG_TOKEN, configured=CONFIGURED) == "TK"
    revoke_carrier(engine, "TK")  # the database cannot override the config file
    assert verify_carrier(engine, "TK", CONFIG_TOKEN, configured=CONFIGURED) == "TK"


def test_duplicate_and_unknown_and_malformed_codes(engine: Engine) -> None:
    add_carrier(engine, "KC")
    with pytest.raises(NameTakenError, match="piu carriers rotate KC"):
        add_carrier(engine, "kc")
    with pytest.raises(UnknownNameError, match="did you mean 'KC'"):
        rotate_carrier(engine, "KCC")
    with pytest.raises(UnknownNameError):
        revoke_carrier(engine, "ZZ")
    with pytest.raises(AccountError, match="designator"):
        add_carrier(engine, "K")


def test_list_merges_database_and_config(engine: Engine) -> None:
    add_carrier(engine, "KC", name="Air Astana")
    add_carrier(engine, "AA")
    revoke_carrier(engine, "AA")
    listed = list_carriers(engine, CONFIGURED)
    assert [(c.code, c.active, c.source) for c in listed] == [
        ("AA", False, "database"),
        ("KC", True, "database"),
        ("TK", True, "config"),
    ]


def test_event_text_is_cut_and_cleaned(engine: Engine) -> None:
    record_event(
        engine,
        EventKind.PUSH_AUTH_FAILED,
        subject="KC\nforged line",
        remote="r" * 100,
        detail="d" * 1000,
    )
    with engine.connect() as conn:
        row = conn.execute(select(security_events)).one()
    assert row.subject == "KC?forged line"
    assert len(row.remote) == 64 and len(row.detail) == 500
