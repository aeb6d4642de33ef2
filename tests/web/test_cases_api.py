"""The case and dissemination API: a case from a confirmed hit to an exported package,
with the refusals on the way (unconfirmed hit, four eyes, no export before approval,
file over the cap, wrong role) and the audit trail intact."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from piu.accounts import Role
from piu.store import audit, cases
from tests.web.support import Travel

Auth = Callable[..., dict[str, str]]
WHY = "Photo, date of birth and passport match the listed person."
REQUEST = {
    "recipient": "State Committee for National Security",
    "legal_basis": "Law on the PIU, article 12(3)",
    "purpose": "Prevention of a terrorist offence",
    "formats": ["json", "pdf"],
}


def _case(client: TestClient, headers: dict[str, str]) -> int:
    made = client.post(
        "/api/v1/cases",
        headers=headers,
        json={"title": "Asanov via FRU", "summary": "Listed person.", "priority": "high"},
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _confirmed_case(client: TestClient, headers: dict[str, str], travel: Travel) -> int:
    decided = client.post(
        f"/api/v1/hits/{travel.hit}/decision",
        headers=headers,
        json={"decision": "confirmed", "reason": WHY},
    )
    assert decided.status_code == 200, decided.text
    case_id = _case(client, headers)
    added = client.post(
        f"/api/v1/cases/{case_id}/hits", headers=headers, json={"hit_id": travel.hit}
    )
    assert added.status_code == 200 and added.json()["added"] is True
    return case_id


def test_only_a_confirmed_hit_joins_and_the_case_reads_back(
    client: TestClient, auth_for: Auth, travel: Travel
) -> None:
    analyst = auth_for(Role.ANALYST)
    case_id = _case(client, analyst)
    refused = client.post(
        f"/api/v1/cases/{case_id}/hits", headers=analyst, json={"hit_id": travel.hit}
    )
    assert refused.status_code == 409
    assert "only a hit a person has confirmed" in refused.json()["detail"]
    missing = client.post(f"/api/v1/cases/{case_id}/hits", headers=analyst, json={"hit_id": 999})
    assert missing.status_code == 404

    _confirmed_case(client, analyst, travel)
    note = client.post(f"/api/v1/cases/{case_id}/notes", headers=analyst, json={"text": "Hm."})
    assert note.status_code == 201 and note.json()["by"] == "user1"
    detail = client.get(f"/api/v1/cases/{case_id}", headers=auth_for(Role.DPO)).json()
    assert detail["hits"] == [] and [n["text"] for n in detail["notes"]] == ["Hm."]
    closed = client.post(
        f"/api/v1/cases/{case_id}/status", headers=analyst, json={"status": "closed"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = client.post(f"/api/v1/cases/{case_id}/notes", headers=analyst, json={"text": "x"})
    assert late.status_code == 409 and "reopen" in late.json()["detail"]
    listed = client.get("/api/v1/cases?status=closed", headers=analyst).json()["items"]
    assert [c["id"] for c in listed] == [case_id]


def test_attachments_upload_download_and_the_cap(
    client: TestClient, auth_for: Auth, travel: Travel
) -> None:
    analyst = auth_for(Role.ANALYST)
    case_id = _case(client, analyst)
    url = f"/api/v1/cases/{case_id}/attachments"
    page = b"<html><script>alert(1)</script></html>"
    made = client.post(
        url, headers=analyst, files={"file": ("../../Асанов scan.html", page, "text/html")}
    )
    assert made.status_code == 201, made.text
    meta = made.json()
    assert meta["sha256"] == hashlib.sha256(page).hexdigest() and meta["size"] == len(page)
    assert "/" not in meta["filename"]

    got = client.get(f"{url}/{meta['id']}", headers=auth_for(Role.DPO))
    assert got.status_code == 200 and got.content == page
    assert got.headers["content-type"] == "application/octet-stream"  # never rendered
    assert got.headers["content-disposition"].startswith("attachment; filename=")
    assert "filename*=UTF-8''" in got.headers["content-disposition"]
    assert got.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"{url}/999", headers=analyst).status_code == 404

    too_big = b"x" * (cases.MAX_ATTACHMENT_BYTES + 1)
    refused = client.post(url, headers=analyst, files={"file": ("big.bin", too_big)})
    assert refused.status_code == 413
    assert "at most 10,485,760 bytes" in refused.json()["detail"]
    detail = client.get(f"/api/v1/cases/{case_id}", headers=analyst).json()
    assert [a["id"] for a in detail["attachments"]] == [meta["id"]]


def test_dissemination_needs_another_supervisor_before_export(
    client: TestClient, auth_for: Auth, travel: Travel, engine: Engine
) -> None:
    analyst = auth_for(Role.ANALYST)  # user1
    sup = auth_for(Role.SUPERVISOR)  # user2
    chief = auth_for(Role.SUPERVISOR)  # user3
    case_id = _confirmed_case(client, analyst, travel)

    asked = client.post(f"/api/v1/cases/{case_id}/disseminations", headers=sup, json=REQUEST)
    assert asked.status_code == 201, asked.text
    record = asked.json()
    assert (record["status"], record["requested_by"], record["hit_ids"]) == (
        "requested",
        "user2",
        [travel.hit],
    )
    base = f"/api/v1/disseminations/{record['id']}"

    early = client.post(f"{base}/export", headers=analyst, json={"format": "json"})
    assert early.status_code == 409 and "only after" in early.json()["detail"]
    approve = {"decision": "approve", "note": "Basis and purpose fit the request."}
    assert client.post(f"{base}/decision", headers=analyst, json=approve).status_code == 403
    own = client.post(f"{base}/decision", headers=sup, json=approve)
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]
    done = client.post(f"{base}/decision", headers=chief, json=approve)
    assert done.status_code == 200 and done.json()["decided_by"] == "user3"
    again = client.post(f"{base}/decision", headers=chief, json=approve)
    assert again.status_code == 409

    package = client.post(f"{base}/export", headers=analyst, json={"format": "json"})
    assert package.status_code == 200, package.text
    assert package.headers["x-package-sha256"] == hashlib.sha256(package.content).hexdigest()
    assert package.headers["content-disposition"].startswith(
        f'attachment; filename="piu-case{case_id}-dissemination{record["id"]}.json"'
    )
    body = package.json()
    assert body["dissemination"]["approved_by"] == "user3"
    assert body["dissemination"]["recipient"] == REQUEST["recipient"]
    assert [t["surname"] for t in body["travellers"]] == ["ASANOV"]
    pdf = client.post(f"{base}/export", headers=sup, json={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    shown = client.get(base, headers=auth_for(Role.ADMIN)).json()
    assert [(e["format"], e["by"]) for e in shown["exports"]] == [
        ("json", "user1"),
        ("pdf", "user2"),
    ]
    assert audit.verify(engine).ok
    exports = audit.search(engine, action="dissemination.export")
    assert {e.detail["sha256"] for e in exports} == {
        package.headers["x-package-sha256"],
        pdf.headers["x-package-sha256"],
    }
    for action in ("dissemination.request", "dissemination.approve", "read.dissemination"):
        assert audit.search(engine, action=action), action


def test_pending_list_and_rejection(client: TestClient, auth_for: Auth, travel: Travel) -> None:
    analyst = auth_for(Role.ANALYST)
    sup = auth_for(Role.SUPERVISOR)
    case_id = _confirmed_case(client, analyst, travel)
    asked = client.post(
        f"/api/v1/cases/{case_id}/disseminations", headers=analyst, json=REQUEST
    ).json()
    pending = client.get("/api/v1/disseminations?status=requested", headers=sup).json()["items"]
    assert sorted(d["id"] for d in pending) == sorted([travel.dissemination, asked["id"]])
    rejected = client.post(
        f"/api/v1/disseminations/{asked['id']}/decision",
        headers=sup,
        json={"decision": "reject", "note": "This authority is not competent here."},
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    export = client.post(
        f"/api/v1/disseminations/{asked['id']}/export", headers=analyst, json={"format": "pdf"}
    )
    assert export.status_code == 409
    bad = client.post(
        f"/api/v1/cases/{case_id}/disseminations",
        headers=analyst,
        json={**REQUEST, "formats": ["docx"]},
    )
    assert bad.status_code == 422


def test_the_dpo_reads_but_does_not_act(client: TestClient, auth_for: Auth, travel: Travel) -> None:
    dpo = auth_for(Role.DPO)
    assert client.get(f"/api/v1/cases/{travel.case}", headers=dpo).status_code == 200
    assert client.get("/api/v1/disseminations", headers=dpo).status_code == 200
    made = client.post("/api/v1/cases", headers=dpo, json={"title": "Not mine to open"})
    assert made.status_code == 403
    rule_manager = auth_for(Role.RULE_MANAGER)
    assert client.get(f"/api/v1/cases/{travel.case}", headers=rule_manager).status_code == 403
