"""The case pages in a browser's place: from a confirmed hit to a downloaded package, with
the refusals a person meets on the way (open hit, four eyes, stale form, wrong role)."""

from __future__ import annotations

import hashlib
import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine, func, select

from piu.accounts import Role
from piu.store import audit
from piu.store.schema import case_notes, cases
from tests.web.support import Travel
from tests.web.ui.support import sign_in

WHY = "Photo, date of birth and passport match the listed person."
REQUEST = {
    "recipient": "State Committee for National Security",
    "legal_basis": "Law on the PIU, article 12(3)",
    "purpose": "Prevention of a terrorist offence",
    "formats": ["pdf", "json"],
}


def _confirm(client: TestClient, token: str, hit_id: int) -> None:
    done = client.post(
        f"/hits/{hit_id}/decision",
        data={"csrf_token": token, "decision": "confirmed", "reason": WHY},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def _new_case_from_hit(client: TestClient, token: str, hit_id: int) -> int:
    made = client.post(
        f"/hits/{hit_id}/case",
        data={"csrf_token": token, "case_id": "", "title": "Asanov via FRU"},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    found = re.fullmatch(r"/cases/(\d+)", made.headers["location"])
    assert found
    return int(found.group(1))


def _switch(client: TestClient, engine: Engine, name: str, *roles: Role) -> str:
    client.cookies.clear()
    return sign_in(client, engine, name, *roles)


def test_from_a_confirmed_hit_to_an_exported_package(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    token = sign_in(client, engine, "ana", Role.ANALYST)
    assert "Only a confirmed hit can join a case" in client.get(f"/hits/{travel.hit}").text
    _confirm(client, token, travel.hit)
    assert (
        'action="/hits/1/case"'.replace("1", str(travel.hit))
        in client.get(f"/hits/{travel.hit}").text
    )
    case_id = _new_case_from_hit(client, token, travel.hit)

    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200 and "ASANOV" in page.text and "Asanov via FRU" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert f"case #{case_id}" in client.get(f"/hits/{travel.hit}").text

    note = client.post(
        f"/cases/{case_id}/notes",
        data={"csrf_token": token, "text": "Travels with a companion."},
        follow_redirects=False,
    )
    assert note.status_code == 303
    upload = client.post(
        f"/cases/{case_id}/attachments",
        data={"csrf_token": token},
        files={"upload": ("scan.txt", b"passport scan", "text/plain")},
        follow_redirects=False,
    )
    assert upload.status_code == 303, upload.text
    page = client.get(f"/cases/{case_id}").text
    assert "Travels with a companion." in page
    link = re.search(rf'href="(/cases/{case_id}/attachments/\d+)">scan.txt<', page)
    assert link
    file = client.get(link.group(1))
    assert file.content == b"passport scan"
    assert file.headers["content-disposition"].startswith('attachment; filename="scan.txt"')
    assert file.headers["x-content-type-options"] == "nosniff"

    asked = client.post(
        f"/cases/{case_id}/disseminations",
        data={"csrf_token": token, **REQUEST},
        follow_redirects=False,
    )
    assert asked.status_code == 303, asked.text
    found = re.search(r'href="/disseminations/(\d+)"', client.get(f"/cases/{case_id}").text)
    assert found
    dissemination = int(found.group(1))
    early = client.post(
        f"/disseminations/{dissemination}/export",
        data={"csrf_token": token, "format": "pdf"},
        follow_redirects=False,
    )
    assert early.status_code == 409 and "only after" in early.text

    token = _switch(client, engine, "sup", Role.SUPERVISOR)
    pending = client.get("/disseminations").text
    assert f'href="/disseminations/{dissemination}"' in pending
    assert "Record decision" in client.get(f"/disseminations/{dissemination}").text
    approved = client.post(
        f"/disseminations/{dissemination}/decision",
        data={"csrf_token": token, "decision": "approve", "note": "Basis and purpose fit."},
        follow_redirects=False,
    )
    assert approved.status_code == 303

    package = client.post(
        f"/disseminations/{dissemination}/export",
        data={"csrf_token": token, "format": "pdf"},
        follow_redirects=False,
    )
    assert package.status_code == 200
    assert package.headers["content-type"] == "application/pdf"
    assert package.headers["content-disposition"].startswith("attachment;")
    assert package.headers["x-package-sha256"] == hashlib.sha256(package.content).hexdigest()
    reader = PdfReader(io.BytesIO(package.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "State Committee for National Security" in text and "ASANOV" in text
    shown = client.get(f"/disseminations/{dissemination}").text
    assert package.headers["x-package-sha256"] in shown  # the export is listed

    assert audit.verify(engine).ok
    for action in ("page.case", "page.attachment", "page.dissemination", "case.add_hit"):
        assert audit.search(engine, action=action), action
    assert audit.search(engine, action="dissemination.export")[0].actor == "sup"


def test_an_open_hit_cannot_join_and_leaves_no_empty_case(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    token = sign_in(client, engine, "ana", Role.ANALYST)
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(cases)).scalar()
    refused = client.post(
        f"/hits/{travel.hit}/case",
        data={"csrf_token": token, "title": "Too early"},
        follow_redirects=False,
    )
    assert refused.status_code == 409
    assert "only a hit a person has confirmed can join" in refused.text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(cases)).scalar() == before


def test_the_requester_cannot_approve(client: TestClient, engine: Engine, travel: Travel) -> None:
    token = sign_in(client, engine, "sup", Role.SUPERVISOR)
    _confirm(client, token, travel.hit)
    case_id = _new_case_from_hit(client, token, travel.hit)
    client.post(
        f"/cases/{case_id}/disseminations",
        data={"csrf_token": token, **REQUEST},
        follow_redirects=False,
    )
    found = re.search(r'href="/disseminations/(\d+)"', client.get(f"/cases/{case_id}").text)
    assert found
    url = f"/disseminations/{found.group(1)}"
    assert "another supervisor must approve" in client.get(url).text
    own = client.post(
        f"{url}/decision",
        data={"csrf_token": token, "decision": "approve", "note": "Basis and purpose fit."},
        follow_redirects=False,
    )
    assert own.status_code == 403 and "four eyes" in own.text
    assert "requested" in client.get(url).text


def test_a_stale_form_is_refused_before_anything_changes(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    refused = client.post(
        f"/cases/{travel.case}/notes",
        data={"csrf_token": "not-the-token", "text": "Slipped in."},
        follow_redirects=False,
    )
    assert refused.status_code == 403 and "security token" in refused.text
    upload = client.post(
        f"/cases/{travel.case}/attachments",
        data={"csrf_token": ""},
        files={"upload": ("x.txt", b"x", "text/plain")},
        follow_redirects=False,
    )
    assert upload.status_code == 403 and "security token" in upload.text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(case_notes)).scalar() == 0


def test_readers_see_no_forms_and_others_are_refused(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "dpo", Role.DPO)
    page = client.get(f"/cases/{travel.case}")
    assert page.status_code == 200 and "Test case" in page.text
    assert '<form class="box"' not in page.text.split("<main>")[1]
    assert client.get("/cases/new").status_code == 403
    assert "Record decision" not in client.get(f"/disseminations/{travel.dissemination}").text
    _switch(client, engine, "rules", Role.RULE_MANAGER)
    assert client.get("/cases").status_code == 403
    nav = client.get("/").text.split("<main>")[0]
    assert 'href="/cases"' not in nav
    _switch(client, engine, "ana", Role.ANALYST)
    assert 'href="/cases"' in client.get("/").text.split("<main>")[0]
