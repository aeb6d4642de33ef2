"""Carrier push: authentication, size limits, and what the carrier is told."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator, MutableMapping
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from piu.accounts import EventKind, list_events, revoke_carrier
from piu.errors import StoreError
from piu.store.schema import messages, receipts
from tests.fixtures.messages import paxlst
from tests.web.conftest import CAP, CONFIG_CARRIER_TOKEN

PUSH = "/api/v1/push"


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _auth_events(engine: Engine) -> list[Any]:
    return list_events(engine, kind=EventKind.PUSH_AUTH_FAILED)


def test_good_carrier_push_is_kept_and_answered_202(
    client: TestClient, engine: Engine, kc_token: str
) -> None:
    body = paxlst()
    response = client.post(PUSH, content=body, auth=("KC", kc_token))
    assert response.status_code == 202, response.text
    answer = response.json()
    assert answer["status"] == "stored"
    assert answer["type"] == "paxlst"
    assert answer["travellers"] == 1
    assert answer["error"] is None
    with engine.connect() as conn:
        kept = conn.execute(select(messages)).one()
        receipt = conn.execute(select(receipts)).one()
    assert kept.id == answer["message_id"] and bytes(kept.raw) == body
    assert (kept.sender, kept.channel) == ("KC", "http")
    assert (receipt.sender, receipt.channel, receipt.origin) == ("KC", "http", "testclient")
    assert response.headers["cache-control"] == "no-store"


def test_bearer_with_carrier_header_works(
    client: TestClient, engine: Engine, kc_token: str
) -> None:
    headers = {"Authorization": f"Bearer {kc_token}", "X-PIU-Carrier": "kc"}
    response = client.post(PUSH, content=paxlst(), headers=headers)
    assert response.status_code == 202
    with engine.connect() as conn:
        assert conn.execute(select(messages.c.sender)).scalar_one() == "KC"


def test_carrier_from_the_config_file_can_push(client: TestClient) -> None:
    response = client.post(PUSH, content=paxlst(carrier="ZZ"), auth=("ZZ", CONFIG_CARRIER_TOKEN))
    assert response.status_code == 202


def test_duplicate_push_is_recognised(client: TestClient, engine: Engine, kc_token: str) -> None:
    first = client.post(PUSH, content=paxlst(), auth=("KC", kc_token)).json()
    again = client.post(PUSH, content=paxlst(), auth=("KC", kc_token))
    assert again.status_code == 202
    assert again.json()["status"] == "duplicate"
    assert again.json()["message_id"] == first["message_id"]
    assert _count(engine, messages) == 1
    assert _count(engine, receipts) == 2


def test_unreadable_message_is_kept_and_answered_202_with_the_reason(
    client: TestClient, engine: Engine, kc_token: str
) -> None:
    response = client.post(PUSH, content=b"this is not EDIFACT", auth=("KC", kc_token))
    assert response.status_code == 202
    answer = response.json()
    assert answer["status"] == "rejected"
    assert answer["error"]
    assert _count(engine, messages) == 1


def test_wrong_token_is_401_with_challenge_and_a_security_event(
    client: TestClient, engine: Engine, kc_token: str
) -> None:
    wrong = kc_token[:-4] + "AAAA"
    response = client.post(PUSH, content=paxlst(), auth=("KC", wrong))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith('Basic realm="piu-push"')
    assert "Bearer" in response.headers["WWW-Authenticate"]
    [event] = _auth_events(engine)
    assert (event.subject, event.remote, event.detail) == ("KC", "testclient", "wrong token")
    for secret in (wrong, kc_token):
        assert secret not in repr(event)
    assert _count(engine, messages) == 0


@pytest.mark.parametrize(
    ("headers", "reason", "subject"),
    [
        ({}, "no credentials", None),
        ({"X-PIU-Carrier": "KC"}, "no credentials", "KC"),
        ({"Authorization": "Basic !!!"}, "malformed Basic credentials", None),
        (
            {"Authorization": "Basic " + base64.b64encode(b"KC").decode()},
            "Basic credentials need code:token",
            "KC",
        ),
        ({"Authorization": "Bearer abc"}, "Bearer token without X-PIU-Carrier", None),
        ({"Authorization": "Digest x=1"}, "unsupported authorization scheme 'Digest'", None),
    ],
    ids=["none", "header-only", "bad-base64", "no-colon", "bearer-no-code", "digest"],
)
def test_missing_or_malformed_credentials_are_401_and_logged(
    client: TestClient,
    engine: Engine,
    headers: dict[str, str],
    reason: str,
    subject: str | None,
) -> None:
    response = client.post(PUSH, content=paxlst(), headers=headers)
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers
    [event] = _auth_events(engine)
    assert (event.detail, event.subject, event.remote) == (reason, subject, "testclient")


def test_basic_and_a_different_carrier_header_is_refused(
    client: TestClient, engine: Engine, kc_token: str
) -> None:
    response = client.post(
        PUSH, content=paxlst(), auth=("KC", kc_token), headers={"X-PIU-Carrier": "TK"}
    )
    assert response.status_code == 401
    assert "differs" in (_auth_events(engine)[0].detail or "")


def test_revoked_carrier_is_refused(client: TestClient, engine: Engine, kc_token: str) -> None:
    revoke_carrier(engine, "KC")
    assert client.post(PUSH, content=paxlst(), auth=("KC", kc_token)).status_code == 401
    assert _auth_events(engine)[0].detail == "carrier revoked"


def test_empty_body_is_400(client: TestClient, engine: Engine, kc_token: str) -> None:
    response = client.post(PUSH, content=b"", auth=("KC", kc_token))
    assert response.status_code == 400
    assert _count(engine, messages) == 0


def test_body_at_the_cap_is_accepted(client: TestClient, kc_token: str) -> None:
    body = b"X" * CAP
    assert client.post(PUSH, content=body, auth=("KC", kc_token)).status_code == 202


def test_oversize_content_length_is_413(client: TestClient, engine: Engine, kc_token: str) -> None:
    response = client.post(PUSH, content=b"X" * (CAP + 1), auth=("KC", kc_token))
    assert response.status_code == 413
    assert str(CAP) in response.json()["detail"]
    assert _count(engine, messages) == 0


def test_oversize_chunked_body_is_413(client: TestClient, engine: Engine, kc_token: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(CAP // 512 + 2):
            yield b"X" * 512

    response = client.post(PUSH, content=chunks(), auth=("KC", kc_token))
    assert response.status_code == 413
    assert _count(engine, messages) == 0


def test_database_failure_is_503_without_details(
    client: TestClient, kc_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import piu.ingest

    def broken(*_args: object, **_kwargs: object) -> None:
        raise StoreError("cannot reach postgresql://piu@db.internal/piu")

    monkeypatch.setattr(piu.ingest, "receive", broken)
    response = client.post(PUSH, content=paxlst(), auth=("KC", kc_token))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "db.internal" not in response.text


# The test client reads the whole request body before the app sees it, so these talk ASGI
# directly: they count how much of the body the app pulls before answering.


class _Upload:
    """An ASGI ``receive`` that hands out ``chunk``-byte pieces and counts them."""

    def __init__(self, chunk: int, total: int) -> None:
        self.chunk, self.left, self.pulled = chunk, total, 0

    async def __call__(self) -> dict[str, Any]:
        if self.left <= 0:
            await asyncio.sleep(3600)  # the client went quiet; never reached by a good app
        piece = min(self.chunk, self.left)
        self.left -= piece
        self.pulled += 1
        return {"type": "http.request", "body": b"X" * piece, "more_body": self.left > 0}


def _call(app: FastAPI, headers: dict[str, str], upload: _Upload) -> int:
    sent: list[dict[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": PUSH,
        "raw_path": PUSH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("203.0.113.9", 50000),
        "server": ("piu.test", 80),
    }
    asyncio.run(asyncio.wait_for(app(scope, upload, send), timeout=30))
    [start] = [m for m in sent if m["type"] == "http.response.start"]
    return int(start["status"])


def _basic(token: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"KC:{token}".encode()).decode()}


def test_streamed_body_stops_being_read_once_past_the_cap(
    app: FastAPI, engine: Engine, kc_token: str
) -> None:
    upload = _Upload(chunk=1024, total=100 * CAP)  # chunked: no Content-Length
    assert _call(app, _basic(kc_token), upload) == 413
    # CAP bytes fit in CAP/1024 pieces; the next one crosses the cap and ends the read.
    assert upload.pulled == CAP // 1024 + 1
    assert _count(engine, messages) == 0


def test_declared_oversize_is_refused_before_reading(app: FastAPI, kc_token: str) -> None:
    upload = _Upload(chunk=1024, total=100 * CAP)
    headers = {**_basic(kc_token), "Content-Length": str(100 * CAP)}
    assert _call(app, headers, upload) == 413
    assert upload.pulled == 0


def test_strangers_are_refused_before_reading(app: FastAPI, engine: Engine) -> None:
    upload = _Upload(chunk=1024, total=2 * CAP)
    assert _call(app, {"Authorization": "Basic S0M6bm9wZQ=="}, upload) == 401
    assert upload.pulled == 0
    [event] = _auth_events(engine)
    assert (event.subject, event.remote, event.detail) == ("KC", "203.0.113.9", "unknown carrier")


def test_a_streamed_body_under_the_cap_is_received(
    app: FastAPI, engine: Engine, kc_token: str
) -> None:
    upload = _Upload(chunk=1000, total=CAP)
    assert _call(app, _basic(kc_token), upload) == 202
    assert upload.pulled == 5
    with engine.connect() as conn:
        assert conn.execute(select(messages.c.size)).scalar_one() == CAP
