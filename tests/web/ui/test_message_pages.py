"""Message monitor: a message's error, warnings and deliveries; reprocessing after a fix."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from piu.accounts import Role
from piu.errors import MessageStructureError
from piu.ingest import pipeline, receive
from piu.store import audit
from piu.store.schema import messages, travellers
from tests.fixtures.messages import paxlst
from tests.web.support import Travel
from tests.web.ui.support import sign_in


def _status(engine: Engine, message_id: int) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(select(messages.c.status).where(messages.c.id == message_id)).scalar()
        )


@pytest.fixture
def broken_then_fixed(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> int:
    """A good list rejected by a parser bug (now fixed): the message is kept, rejected."""

    def broken(*_args: object) -> None:
        raise MessageStructureError("simulated parser bug", segment_index=3, tag="BGM")

    monkeypatch.setitem(pipeline.READERS, "paxlst", broken)
    result = receive(engine, paxlst(), sender="KC", channel="http")
    monkeypatch.undo()  # the fix ships
    assert result.status == "rejected"
    return result.message_id


def test_the_detail_shows_the_error_position_and_deliveries(
    client: TestClient, engine: Engine, travel: Travel, broken_then_fixed: int
) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    listing = client.get("/messages")
    assert f'href="/messages/{broken_then_fixed}"' in listing.text
    page = client.get(f"/messages/{broken_then_fixed}")
    assert page.status_code == 200
    assert "simulated parser bug" in page.text
    assert "<th>Segment number</th><td>3</td>" in page.text
    assert "<th>Segment tag</th><td>BGM</td>" in page.text
    assert "MessageStructureError" in page.text and "http" in page.text
    assert "Reprocess</button>" not in page.text  # analysts read, supervisors act
    stored = client.get(f"/messages/{travel.stored_message}")
    assert "DTM+36 expiry before departure" in stored.text  # a warning
    assert "203.0.113.9" in stored.text and "yes" in stored.text  # a repeat delivery
    seen = audit.search(engine, actor="ana", action="page.message")
    assert [e.subject_id for e in seen] == [str(travel.stored_message), str(broken_then_fixed)]
    assert client.get("/messages/999999").status_code == 404


def test_reprocess_turns_a_fixed_rejected_message_into_a_stored_one(
    client: TestClient, engine: Engine, broken_then_fixed: int
) -> None:
    token = sign_in(client, engine, "sam", Role.SUPERVISOR)
    assert "Reprocess</button>" in client.get(f"/messages/{broken_then_fixed}").text
    done = client.post(f"/messages/{broken_then_fixed}/reprocess", data={"csrf_token": token})
    assert done.status_code == 200
    assert "Reprocessed: stored, 1 travellers" in done.text
    assert _status(engine, broken_then_fixed) == "stored"
    with engine.connect() as conn:
        assert conn.execute(select(travellers.c.surname)).scalars().all() == ["ASANOV"]
    (entry,) = audit.search(engine, actor="sam", action="message.reprocess")
    assert entry.subject_id == str(broken_then_fixed) and entry.detail["status"] == "stored"


def test_a_message_still_broken_says_so(client: TestClient, engine: Engine, travel: Travel) -> None:
    token = sign_in(client, engine, "root", Role.ADMIN)
    again = client.post(
        f"/messages/{travel.rejected_message}/reprocess", data={"csrf_token": token}
    )
    assert again.status_code == 200 and "Reprocessed: still rejected" in again.text
    assert _status(engine, travel.rejected_message) == "rejected"


def test_reprocessing_needs_the_role_and_the_csrf_token(
    client: TestClient, engine: Engine, broken_then_fixed: int
) -> None:
    token = sign_in(client, engine, "ana", Role.ANALYST)
    refused = client.post(f"/messages/{broken_then_fixed}/reprocess", data={"csrf_token": token})
    assert refused.status_code == 403 and "supervisor" in refused.text
    client.cookies.clear()
    sign_in(client, engine, "sam", Role.SUPERVISOR)
    forged = client.post(f"/messages/{broken_then_fixed}/reprocess", data={"csrf_token": "x"})
    assert forged.status_code == 403 and "security token" in forged.text
    assert _status(engine, broken_then_fixed) == "rejected"
    assert not audit.search(engine, action="message.reprocess")
