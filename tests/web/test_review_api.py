"""The review API: the queue, a decision with its reason, and a hit's history."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from piu.accounts import Role
from piu.store.schema import audit_log, false_matches
from tests.web.support import Travel

WHY = "Different person: the listed man was born in 1961, this one in 1980."


def test_an_analyst_dismisses_a_hit_and_the_queue_empties(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel, engine: Engine
) -> None:
    analyst = auth_for(Role.ANALYST)
    queue = client.get("/api/v1/queue", headers=analyst)
    assert queue.status_code == 200
    [item] = queue.json()["items"]
    assert item["id"] == travel.hit and item["status"] == "open"
    assert (item["surname"], item["flight_code"], item["source"], item["entry"]) == (
        "ASANOV",
        "KC109",
        "kg-national",
        "KG-1",
    )
    assert item["departure_utc"].startswith("2026-11-29T17:30")

    done = client.post(
        f"/api/v1/hits/{travel.hit}/decision",
        headers=analyst,
        json={"decision": "dismissed", "reason": WHY},
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["previous_status"], body["status"], body["by"]) == ("open", "dismissed", "user1")
    assert body["false_match"] is True and body["reason"] == WHY

    assert client.get("/api/v1/queue", headers=analyst).json()["items"] == []
    dismissed = client.get("/api/v1/queue?status=dismissed", headers=analyst).json()["items"]
    assert [i["id"] for i in dismissed] == [travel.hit]
    assert client.get(f"/api/v1/hits/{travel.hit}", headers=analyst).json()["status"] == (
        "dismissed"
    )
    with engine.connect() as conn:
        assert len(conn.execute(select(false_matches)).all()) == 1
        logged = conn.execute(select(audit_log).order_by(audit_log.c.id)).all()
    actions = [(e.actor, e.action) for e in logged]
    assert ("user1", "read.queue") in actions and ("user1", "hit.decide") in actions
    decided = next(e for e in logged if e.action == "hit.decide")
    assert decided.subject_id == str(travel.hit) and decided.detail["false_match"] is True
    assert decided.remote == "testclient"


def test_history_keeps_every_decision(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    analyst, supervisor, dpo = (auth_for(r) for r in (Role.ANALYST, Role.SUPERVISOR, Role.DPO))
    url = f"/api/v1/hits/{travel.hit}"
    reason = "Need the passport scan from the carrier."
    first = client.post(
        f"{url}/decision", headers=analyst, json={"decision": "more_info", "reason": reason}
    )
    assert first.status_code == 200
    assert client.get("/api/v1/queue", headers=analyst).json()["items"][0]["status"] == (
        "more_info"
    )
    second = client.post(
        f"{url}/decision", headers=supervisor, json={"decision": "confirmed", "reason": WHY}
    )
    assert second.json()["previous_status"] == "more_info"
    history = client.get(f"{url}/reviews", headers=dpo)
    assert history.status_code == 200
    assert [(h["decision"], h["by"], h["reason"]) for h in history.json()] == [
        ("more_info", "user1", reason),
        ("confirmed", "user2", WHY),
    ]


def test_a_decision_without_a_real_reason_is_refused(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    analyst = auth_for(Role.ANALYST)
    url = f"/api/v1/hits/{travel.hit}/decision"
    for body in (
        {"decision": "dismissed"},
        {"decision": "dismissed", "reason": "ok"},
        {"decision": "dismissed", "reason": "false match"},
        {"decision": "closed", "reason": WHY},
        {"decision": "dismissed", "reason": "x " * 2001},
    ):
        response = client.post(url, headers=analyst, json=body)
        assert response.status_code == 422, body
    short = client.post(url, headers=analyst, json={"decision": "dismissed", "reason": "no"})
    assert "at least 3 words" in short.json()["detail"]
    assert client.get(f"/api/v1/hits/{travel.hit}/reviews", headers=analyst).json() == []
    assert client.get("/api/v1/queue", headers=analyst).json()["items"][0]["status"] == "open"


def test_unknown_hits_are_404(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    analyst = auth_for(Role.ANALYST)
    decided = client.post(
        "/api/v1/hits/999999/decision",
        headers=analyst,
        json={"decision": "confirmed", "reason": WHY},
    )
    assert decided.status_code == 404 and decided.json() == {"detail": "no hit 999999"}
    assert client.get("/api/v1/hits/999999/reviews", headers=analyst).status_code == 404
    assert client.get("/api/v1/queue?status=closed", headers=analyst).status_code == 422


def test_the_dpo_reads_the_queue_but_does_not_decide(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    dpo = auth_for(Role.DPO)
    assert client.get("/api/v1/queue", headers=dpo).status_code == 200
    refused = client.post(
        f"/api/v1/hits/{travel.hit}/decision",
        headers=dpo,
        json={"decision": "dismissed", "reason": WHY},
    )
    assert refused.status_code == 403
    assert client.get(f"/api/v1/hits/{travel.hit}/reviews", headers=dpo).json() == []
