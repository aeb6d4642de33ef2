"""Audit log pages: who saw what, the hash chain, downloads that are themselves audited."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from piu.accounts import Role
from piu.store import audit
from piu.store.schema import audit_log
from tests.web.support import Travel
from tests.web.ui.support import sign_in


def _analyst_looks_at(client: TestClient, engine: Engine, travel: Travel) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    assert client.get(f"/travellers/{travel.asanov}").status_code == 200
    client.cookies.clear()


def test_who_saw_traveller_finds_the_page_view(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    _analyst_looks_at(client, engine, travel)
    sign_in(client, engine, "dora", Role.DPO)
    found = client.get(
        "/audit", params={"subject_type": "traveller", "subject_id": str(travel.asanov)}
    )
    assert found.status_code == 200
    rows = found.text.split("<th>Detail</th></tr>", 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr>") == 1
    assert "<td>ana</td><td>page.traveller</td>" in rows
    assert f"traveller {travel.asanov}" in rows
    none = client.get("/audit", params={"actor": "ana", "since": "2999-01-01"})
    assert "No matching entries" in none.text
    prefix = client.get("/audit", params={"actor": "ana", "action": "page.*"})
    assert "page.traveller" in prefix.text
    searches = audit.search(engine, actor="dora", action="page.audit")
    assert searches[-1].detail["filters"] == {
        "subject_type": "traveller",
        "subject_id": str(travel.asanov),
    }


def test_a_bad_time_is_an_error_not_a_search(client: TestClient, engine: Engine) -> None:
    sign_in(client, engine, "dora", Role.DPO)
    page = client.get("/audit", params={"since": "last tuesday"})
    assert page.status_code == 400 and "is not a day" in page.text
    assert not audit.search(engine, actor="dora", action="page.audit")


def test_the_log_is_paged_newest_first(client: TestClient, engine: Engine) -> None:
    for i in range(60):
        audit.record(engine, actor="bot", action="test.step", subject_id=i)
    sign_in(client, engine, "dora", Role.DPO)
    first = client.get("/audit", params={"actor": "bot"})
    assert first.text.count("<td>bot</td>") == 50
    assert " 59</td>" in first.text and " 9</td>" not in first.text
    assert 'href="/audit?actor=bot&amp;offset=50"' in first.text
    second = client.get("/audit", params={"actor": "bot", "offset": 50})
    assert second.text.count("<td>bot</td>") == 10 and "Older entries" not in second.text


def test_chain_verification_shows_intact_then_broken(client: TestClient, engine: Engine) -> None:
    sign_in(client, engine, "root", Role.ADMIN)
    intact = client.get("/audit/verify")
    assert intact.status_code == 200 and "the chain is intact" in intact.text
    victim = audit.search(engine, limit=1)[0].id
    with engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == victim).values(actor="mallory"))
    broken = client.get("/audit/verify")
    assert f"broken at entry {victim}" in broken.text and "changed after" in broken.text


def test_export_downloads_the_filtered_entries_and_is_audited(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    _analyst_looks_at(client, engine, travel)
    sign_in(client, engine, "dora", Role.DPO)
    jsonl = client.get("/audit/export", params={"actor": "ana", "format": "jsonl"})
    assert jsonl.status_code == 200
    assert jsonl.headers["content-disposition"].startswith('attachment; filename="piu-audit-')
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert {r["actor"] for r in rows} == {"ana"} and "page.traveller" in {r["action"] for r in rows}
    assert all(len(r["hash"]) == 64 for r in rows)
    as_csv = client.get("/audit/export", params={"action": "page.traveller", "format": "csv"})
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert list(table[0]) == list(audit.EXPORT_FIELDS)
    assert [r["subject_id"] for r in table] == [str(travel.asanov)]
    exports = audit.search(engine, actor="dora", action="audit.export")
    assert [(e.detail["format"], e.detail["filters"]) for e in exports] == [
        ("csv", {"action": "page.traveller"}),
        ("jsonl", {"actor": "ana"}),
    ]


def test_only_the_dpo_and_admins_read_the_log(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "sam", Role.SUPERVISOR)
    assert client.get("/audit").status_code == 403
    refused = client.get("/audit/export")
    assert refused.status_code == 403 and "dpo" in refused.text
    assert not audit.search(engine, action="audit.export")
    nav = client.get("/").text.split("<main>")[0]
    assert 'href="/audit"' not in nav


def test_entries_are_escaped(client: TestClient, engine: Engine) -> None:
    audit.record(engine, actor="<b>x</b>", action="test.step", detail={"q": "<script>1</script>"})
    sign_in(client, engine, "dora", Role.DPO)
    page = client.get("/audit", params={"action": "test.step"}).text
    assert "<script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;1&lt;/script&gt;" in page and "&lt;b&gt;x&lt;/b&gt;" in page
