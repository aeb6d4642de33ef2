"""Targeting rules through the HTTP API: check, draft, four-eyes review, trial, figures."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from piu.accounts import Role
from tests.web.support import Travel

WHY = "Flights from Istanbul are the main transit route of the network under investigation."


def test_check_reports_the_column_of_the_fault(
    client: TestClient, auth_for: Callable[..., dict[str, str]]
) -> None:
    headers = auth_for(Role.ANALYST)
    ok = client.post(
        "/api/v1/rules/check", json={"expression": "FLIGHT.ORIGIN = 'ist'"}, headers=headers
    )
    assert ok.status_code == 200 and ok.json()["canonical"] == "flight.origin = 'IST'"
    bad = client.post(
        "/api/v1/rules/check", json={"expression": "flight.orign = 'IST'"}, headers=headers
    )
    assert bad.status_code == 422
    detail = bad.json()["detail"]
    assert detail["column"] == 1 and "flight.origin" in detail["suggestions"]
    refused = client.post(
        "/api/v1/rules/check",
        json={"expression": "traveller.nationality = 'SYR'"},
        headers=headers,
    )
    assert refused.status_code == 422 and refused.json()["detail"]["kind"] == "protected"


def test_lifecycle_needs_two_rule_managers(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    alice, bob = auth_for(Role.RULE_MANAGER), auth_for(Role.RULE_MANAGER)
    body = {
        "expression": "flight.origin = 'ALA'",
        "justification": WHY,
        "category": "smuggling",
        "severity": "high",
    }
    drafted = client.post("/api/v1/rules/ala/versions", json=body, headers=alice)
    assert drafted.status_code == 201 and drafted.json()["status"] == "draft"
    url = "/api/v1/rules/ala/versions/1"
    assert client.post(f"{url}/approve", headers=bob).status_code == 409  # not submitted
    assert client.post(f"{url}/submit", headers=alice).status_code == 200
    own = client.post(f"{url}/approve", headers=alice)
    assert own.status_code == 409 and "four eyes" in own.json()["detail"]
    assert client.post(f"{url}/approve", headers=bob).json()["status"] == "approved"
    assert client.post(f"{url}/activate", headers=bob).json()["status"] == "active"
    shown = client.get("/api/v1/rules/ala", headers=auth_for(Role.SUPERVISOR)).json()
    assert [e["action"] for e in shown["events"]] == ["draft", "submit", "approve", "activate"]
    assert shown["figures"] == {
        "hits": 0,
        "open": 0,
        "confirmed": 0,
        "dismissed": 0,
        "precision": None,
    }
    # An analyst may read rules but not write them.
    assert (
        client.post(
            "/api/v1/rules/x/versions", json=body, headers=auth_for(Role.ANALYST)
        ).status_code
        == 403
    )


def test_try_counts_what_a_rule_would_have_hit(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    headers = auth_for(Role.RULE_MANAGER)
    trial = client.post(
        "/api/v1/rules/try",
        json={"expression": "flight.origin = 'ALA'", "start": "2026-11-29", "end": "2026-11-29"},
        headers=headers,
    ).json()
    assert trial["travellers"] == 2 and trial["matched"] == 2
    assert {s["name"] for s in trial["sample"]} == {"BAKYT ASANOV", "AIGUL ZHUMABAEVA"}
