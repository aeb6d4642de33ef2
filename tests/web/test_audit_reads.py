"""Reads of personal data through the API are written to the audit trail; refusals are not."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from piu.accounts import Role
from piu.store import audit
from tests.web.support import Travel

API = "/api/v1"


def _reads(engine: Engine) -> list[audit.AuditEntry]:
    return audit.search(engine, action="read.*")


def test_reading_a_traveller_writes_one_entry(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel, engine: Engine
) -> None:
    headers = auth_for(Role.ANALYST)
    assert client.get(f"{API}/travellers/{travel.asanov}", headers=headers).status_code == 200
    (entry,) = _reads(engine)
    assert (entry.actor, entry.action) == ("user1", "read.traveller")
    assert (entry.subject_type, entry.subject_id) == ("traveller", str(travel.asanov))
    assert entry.remote == "testclient"
    assert audit.verify(engine).ok


def test_refused_and_missing_reads_write_nothing(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel, engine: Engine
) -> None:
    rule_manager = auth_for(Role.RULE_MANAGER)
    analyst = auth_for(Role.ANALYST)
    assert client.get(f"{API}/travellers/{travel.asanov}", headers=rule_manager).status_code == 403
    assert client.get(f"{API}/travellers/{travel.asanov}").status_code == 401
    assert (
        client.get(f"{API}/messages/{travel.stored_message}/raw", headers=analyst).status_code
        == 403
    )
    assert client.get(f"{API}/travellers/999999", headers=analyst).status_code == 404
    assert _reads(engine) == []


def test_each_personal_data_read_is_recorded(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel, engine: Engine
) -> None:
    headers = auth_for(Role.SUPERVISOR)
    for path in (
        f"/flights/{travel.kc109}/travellers",
        f"/bookings/{travel.booking}",
        f"/hits/{travel.hit}",
        "/hits",
        f"/messages/{travel.stored_message}/raw",
    ):
        assert client.get(API + path, headers=headers).status_code == 200, path
    found = {e.action: e for e in _reads(engine)}
    assert set(found) == {
        "read.flight_travellers",
        "read.booking",
        "read.hit",
        "read.hits",
        "read.message_raw",
    }
    assert set(found["read.flight_travellers"].detail["travellers"]) == {
        travel.asanov,
        travel.zhumabaeva,
    }
    assert travel.asanov in found["read.booking"].detail["travellers"]
    assert found["read.hit"].detail == {"traveller": travel.asanov}
    assert travel.hit in found["read.hits"].detail["hits"]
    raw = found["read.message_raw"]
    assert raw.subject_id == str(travel.stored_message)
    assert set(raw.detail) == {"bytes"}  # the content never goes into the log
    assert all(e.actor == "user1" for e in found.values())
    assert audit.verify(engine).ok
