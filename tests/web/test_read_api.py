"""The read-only API over data written straight into the tables (see support.add_travel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from piu.accounts import Role
from tests.web.support import Travel

API = "/api/v1"


@pytest.fixture
def get(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> Callable[..., Any]:
    headers = auth_for(Role.SUPERVISOR)

    def fetch(path: str, expect: int = 200, **params: Any) -> Any:
        response = client.get(API + path, headers=headers, params=params)
        assert response.status_code == expect, response.text
        return response

    return fetch


def _codes(page: dict[str, Any]) -> list[str]:
    return [f["flight_code"] for f in page["items"]]


def test_flights_in_departure_order(get: Callable[..., Any]) -> None:
    page = get("/flights").json()
    assert _codes(page) == ["KC109", "KC110", "TK350", "KC999"]
    assert (page["limit"], page["offset"], page["next_offset"]) == (100, 0, None)
    first = page["items"][0]
    assert first["departure_utc"] == "2026-11-29T17:30:00Z"
    assert first["departure_local"] == "2026-11-29T23:30:00"
    assert "connections" not in first


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"carrier": "kc"}, ["KC109", "KC110", "KC999"]),
        ({"origin": "ALA"}, ["KC109", "KC999"]),
        ({"destination": "fru"}, ["KC109", "TK350"]),
        ({"carrier": "KC", "destination": "ALA"}, ["KC110"]),
        ({"departure_from": "2026-11-30T00:00:00Z"}, ["KC110", "TK350"]),
        ({"departure_to": "2026-11-30T08:00:00Z"}, ["KC109"]),  # the end is exclusive
        ({"departure_from": "2026-11-30", "departure_to": "2026-12-01"}, ["KC110"]),
        # A time without zone is UTC; one with a zone is converted.
        ({"departure_from": "2026-11-29T17:30:00"}, ["KC109", "KC110", "TK350"]),
        ({"departure_from": "2026-11-29T23:31:00+06:00"}, ["KC110", "TK350"]),
    ],
)
def test_flight_filters(get: Callable[..., Any], params: dict[str, str], codes: list[str]) -> None:
    assert _codes(get("/flights", **params).json()) == codes


def test_flight_paging(get: Callable[..., Any]) -> None:
    first = get("/flights", limit=3).json()
    assert _codes(first) == ["KC109", "KC110", "TK350"] and first["next_offset"] == 3
    rest = get("/flights", limit=3, offset=first["next_offset"]).json()
    assert _codes(rest) == ["KC999"] and rest["next_offset"] is None
    assert get("/flights", offset=50).json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 501},
        {"offset": -1},
        {"carrier": "K"},
        {"carrier": "KC1X"},
        {"origin": "AL1"},
        {"departure_from": "yesterday"},
        {"departure_from": "2026-12-02", "departure_to": "2026-12-01"},
    ],
)
def test_bad_flight_params_are_422(get: Callable[..., Any], params: dict[str, Any]) -> None:
    get("/flights", expect=422, **params)


def test_limit_500_is_allowed(get: Callable[..., Any]) -> None:
    assert get("/flights", limit=500).json()["limit"] == 500


def test_flight_detail(get: Callable[..., Any], travel: Travel) -> None:
    flight = get(f"/flights/{travel.kc109}").json()
    assert flight["flight_code"] == "KC109" and flight["connections"] == []
    assert [(s["seq"], s["airport"]) for s in flight["stops"]] == [(1, "ALA"), (2, "FRU")]
    [source] = flight["sources"]
    assert source["message_id"] == travel.stored_message
    assert (source["type"], source["status"], source["document_code"]) == (
        "paxlst",
        "stored",
        "745",
    )


@pytest.mark.parametrize("path", ["/flights/{}", "/flights/{}/travellers", "/travellers/{}"])
def test_missing_ids_are_404_and_bad_ids_422(get: Callable[..., Any], path: str) -> None:
    assert "no " in get(path.format(999_999), expect=404).json()["detail"]
    for bad in ("abc", "0", "-1", str(2**63)):
        get(path.format(bad), expect=422)


def test_flight_travellers_by_name(get: Callable[..., Any], travel: Travel) -> None:
    page = get(f"/flights/{travel.kc109}/travellers").json()
    assert [t["surname"] for t in page["items"]] == ["ASANOV", "ZHUMABAEVA"]
    assert page["items"][0]["date_of_birth"] == "1980-05-01"
    assert "address" not in page["items"][0]  # the summary keeps to the essentials
    one = get(f"/flights/{travel.kc109}/travellers", limit=1, offset=1).json()
    assert [t["surname"] for t in one["items"]] == ["ZHUMABAEVA"] and one["next_offset"] is None
    assert get(f"/flights/{travel.kc110}/travellers").json()["items"] == []


def test_traveller_detail_with_documents_and_sources(
    get: Callable[..., Any], travel: Travel
) -> None:
    traveller = get(f"/travellers/{travel.asanov}").json()
    assert traveller["surname"] == "ASANOV"
    assert traveller["address"] == {"city": "BISHKEK"}
    assert traveller["bag_tags"] == ["KC123456"]
    assert traveller["flight"]["flight_code"] == "KC109"
    [doc] = traveller["documents"]
    assert (doc["doc_type"], doc["number"], doc["expiry"]) == ("P", "AC1234567", "2030-01-01")
    [source] = traveller["sources"]
    assert source["message_id"] == travel.stored_message
    assert source["segment_index"] == 11 and source["offset"] == 110
    assert (source["type"], source["status"]) == ("paxlst", "stored")
    assert len(source["sha256"]) == 64


def test_messages_newest_first_and_filtered(get: Callable[..., Any], travel: Travel) -> None:
    page = get("/messages").json()
    assert [m["id"] for m in page["items"]] == [travel.rejected_message, travel.stored_message]
    assert "raw" not in page["items"][0]
    assert [m["id"] for m in get("/messages", status="stored").json()["items"]] == [
        travel.stored_message
    ]
    assert [m["id"] for m in get("/messages", type="unknown").json()["items"]] == [
        travel.rejected_message
    ]
    assert get("/messages", type="pnrgov").json()["items"] == []
    get("/messages", expect=422, status="bogus")
    get("/messages", expect=422, type="NOT OK")
    assert get("/messages", limit=1).json()["next_offset"] == 1


def test_message_detail_with_error_warnings_and_receipts(
    get: Callable[..., Any], travel: Travel
) -> None:
    stored = get(f"/messages/{travel.stored_message}").json()
    assert stored["warnings"] == ["DTM+36 expiry before departure"]
    assert stored["error"] is None and stored["parser_version"] == "piu-test"
    assert [(r["duplicate"], r["origin"]) for r in stored["receipts"]] == [
        (False, "203.0.113.9"),
        (True, "203.0.113.9"),
    ]
    rejected = get(f"/messages/{travel.rejected_message}").json()
    assert rejected["status"] == "rejected"
    assert rejected["error"]["kind"] == "UnknownMessageType"
    get("/messages/999999", expect=404)


def test_raw_message_is_an_attachment_of_the_exact_bytes(
    get: Callable[..., Any], travel: Travel
) -> None:
    response = get(f"/messages/{travel.stored_message}/raw")
    assert response.content == travel.raw
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    get("/messages/999999/raw", expect=404)


def test_me(client: TestClient, auth_for: Callable[..., dict[str, str]]) -> None:
    me = client.get(f"{API}/me", headers=auth_for(Role.DPO, Role.ANALYST)).json()
    assert me == {
        "username": "user1",
        "display_name": None,
        "roles": ["analyst", "dpo"],
        "must_change_password": False,
    }


def test_hits_list_detail_and_on_the_traveller(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    headers = auth_for(Role.ANALYST)
    page = client.get("/api/v1/hits", params={"status": "open"}, headers=headers).json()
    [item] = page["items"]
    assert (item["id"], item["surname"], item["watchlist"], item["entry"]) == (
        travel.hit,
        "ASANOV",
        "kg-national",
        "KG-1",
    )
    assert (
        client.get("/api/v1/hits", params={"status": "closed"}, headers=headers).status_code == 422
    )
    assert (
        client.get("/api/v1/hits", params={"status": "dismissed"}, headers=headers).json()["items"]
        == []
    )
    detail = client.get(f"/api/v1/hits/{travel.hit}", headers=headers).json()
    assert detail["explanation"]["text"].startswith("BAKYT")
    assert client.get("/api/v1/hits/999999", headers=headers).status_code == 404
    traveller = client.get(f"/api/v1/travellers/{travel.asanov}", headers=headers).json()
    assert [h["id"] for h in traveller["hits"]] == [travel.hit]
    lists = client.get("/api/v1/watchlists", headers=auth_for(Role.WATCHLIST_MANAGER)).json()
    assert [(w["name"], w["entry_count"]) for w in lists] == [("kg-national", 1)]


def test_booking_with_its_versions_and_on_the_traveller(
    client: TestClient, auth_for: Callable[..., dict[str, str]], travel: Travel
) -> None:
    headers = auth_for(Role.ANALYST)
    booking = client.get(f"/api/v1/bookings/{travel.booking}", headers=headers).json()
    assert (booking["locator"], booking["current_version"]) == ("ABC123", 2)
    assert [v["version"] for v in booking["versions"]] == [2, 1]
    assert booking["versions"][0]["data"]["version"] == 2
    assert [t["traveller_id"] for t in booking["travellers"]] == [travel.asanov]
    assert client.get("/api/v1/bookings/424242", headers=headers).status_code == 404
    traveller = client.get(f"/api/v1/travellers/{travel.asanov}", headers=headers).json()
    assert [(b["locator"], b["link_method"]) for b in traveller["bookings"]] == [
        ("ABC123", "locator+name")
    ]
    assert traveller["in_api"] is True and traveller["in_pnr"] is False
