"""Watchlist pages: the overview, browsing with a name search, and upload -> preview -> apply."""

from __future__ import annotations

import html
import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, func, select

from piu.accounts import Role
from piu.config import Settings
from piu.ingest import receive
from piu.store import audit
from piu.store.schema import hits, watchlist_entries
from piu.store.watchlists import get_watchlist
from tests.fixtures.messages import paxlst
from tests.web.support import Travel
from tests.web.ui.support import sign_in

HEADER = "id,names,weak_names,dob,nationality,gender,documents,notes\n"
FIRST = HEADER + (
    "KG-1,Азамат Абдулхакимов|Azamat Abdulkhakimov,,1980-03-11,KGZ,M,P:AC1234567:KGZ,\n"
    "KG-2,Нурлан Токтогулов,,1975,KGZ,M,,\n"
)
# KG-1 gets a second date of birth, KG-2 leaves the list, KG-3 joins it.
SECOND = HEADER + (
    "KG-1,Азамат Абдулхакимов|Azamat Abdulkhakimov,,1980-03-11|1981,KGZ,M,P:AC1234567:KGZ,\n"
    "KG-3,Эркин Садыров,,1990-01-02,KGZ,M,,\n"
)
# Line 3 has one column too many: the whole file is refused.
BROKEN = HEADER + "KG-1,Азамат Абдулхакимов,,1980,KGZ,M,,\nKG-9,Someone,,1980,KGZ,M,,,extra\n"

META = {"legal_basis": "National law on counter-terrorism, art. 12", "source": "KG GKNB"}
_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_0-9]+)" value="([^"]*)">')


def _upload(
    client: TestClient, token: str, content: str, name: str = "kg-test", **fields: str
) -> Response:
    return client.post(
        "/watchlists/import",
        data={"csrf_token": token, "name": name, **META, **fields},
        files={"upload": ("kg.csv", content.encode(), "text/csv")},
    )


def _confirm(client: TestClient, preview: Response) -> Response:
    form = preview.text.split('action="/watchlists/import/confirm"', 1)[1]
    data = {k: html.unescape(v) for k, v in _HIDDEN.findall(form)}
    return client.post("/watchlists/import/confirm", data=data)


def _entries(engine: Engine, name: str) -> dict[str, list[str]]:
    with engine.connect() as conn:
        info = get_watchlist(conn, name)
        if info is None:
            return {}
        rows = conn.execute(
            select(watchlist_entries).where(
                (watchlist_entries.c.watchlist_id == info.id)
                & watchlist_entries.c.removed_at.is_(None)
            )
        ).all()
    return {r.entry_key: list(r.names) for r in rows}


def _staged(settings: Settings) -> list[Path]:
    return sorted((settings.data_dir / "staging" / "watchlists").glob("*"))


def _cards(page: str) -> dict[str, int]:
    return {label: int(n) for n, label in re.findall(r'class="n">(\d+)</div>(\w+)', page)}


def test_upload_preview_confirm_creates_then_changes_the_list(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    assert client.get("/watchlists/import").status_code == 200

    preview = _upload(client, token, FIRST)
    assert preview.status_code == 200, preview.text
    assert "a new list" in preview.text and "Азамат Абдулхакимов" in preview.text
    assert _cards(preview.text) == {"added": 2, "changed": 0, "removed": 0, "unchanged": 0}
    assert _entries(engine, "kg-test") == {}  # nothing applied by the preview
    assert len(_staged(settings)) == 1

    done = _confirm(client, preview)
    assert done.status_code == 200, done.text
    assert "kg-test created" in done.text and "2 added" in done.text
    assert "against the 2 added or changed entries, in the background" in done.text
    assert set(_entries(engine, "kg-test")) == {"KG-1", "KG-2"}
    assert _staged(settings) == []  # applied: the upload is gone

    preview = _upload(client, token, SECOND, severity="critical")
    assert _cards(preview.text) == {"added": 1, "changed": 1, "removed": 1, "unchanged": 0}
    assert "Эркин Садыров" in preview.text and "Нурлан Токтогулов" in preview.text
    assert "dobs" in preview.text  # the changed field is named
    assert set(_entries(engine, "kg-test")) == {"KG-1", "KG-2"}  # still the old list

    done = _confirm(client, preview)
    assert "kg-test updated" in done.text
    assert set(_entries(engine, "kg-test")) == {"KG-1", "KG-3"}
    with engine.connect() as conn:
        info = get_watchlist(conn, "kg-test")
    assert info is not None
    assert (info.severity, info.entry_count) == ("critical", 2)
    assert info.legal_basis == META["legal_basis"]
    imports = audit.search(engine, actor="wanda", action="watchlist.import")
    assert [(e.detail["added"], e.detail["changed"], e.detail["removed"]) for e in imports] == [
        (1, 1, 1),
        (2, 0, 0),
    ]
    assert audit.search(engine, actor="wanda", action="page.watchlist_preview")


def test_a_malformed_file_is_refused_with_its_line_and_changes_nothing(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    _confirm(client, _upload(client, token, FIRST))
    before = _entries(engine, "kg-test")

    refused = _upload(client, token, BROKEN)
    assert refused.status_code == 400
    assert "refused, nothing was changed" in refused.text
    assert "kg.csv, line 3" in refused.text
    assert _entries(engine, "kg-test") == before
    assert _staged(settings) == []
    assert len(audit.search(engine, action="watchlist.import")) == 1


def test_the_confirmation_rechecks_the_staged_bytes(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    preview = _upload(client, token, FIRST)
    (staged,) = _staged(settings)
    assert staged.stat().st_mode & 0o077 == 0  # list data: readable by PIU only
    staged.write_bytes(SECOND.encode())  # swapped behind the preview's back
    refused = _confirm(client, preview)
    assert refused.status_code == 400 and "no longer waiting" in refused.text
    assert _entries(engine, "kg-test") == {}


def test_a_confirmation_after_another_import_shows_the_new_difference(
    client: TestClient, engine: Engine
) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    _confirm(client, _upload(client, token, FIRST))
    stale = _upload(client, token, SECOND)
    _confirm(client, _upload(client, token, FIRST.replace("1975", "1976")))  # someone else
    again = _confirm(client, stale)
    assert again.status_code == 409 and "changed by another import" in again.text
    assert set(_entries(engine, "kg-test")) == {"KG-1", "KG-2"}
    assert _confirm(client, again).status_code == 200  # the new preview can be applied
    assert set(_entries(engine, "kg-test")) == {"KG-1", "KG-3"}


def test_a_new_list_needs_a_legal_basis(client: TestClient, engine: Engine) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    refused = _upload(client, token, FIRST, legal_basis="")
    assert refused.status_code == 400 and "legal basis" in refused.text
    assert _entries(engine, "kg-test") == {}


def test_csrf_and_roles_guard_the_upload(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    forged = _upload(client, "not-the-token", FIRST)
    assert forged.status_code == 403 and "security token" in forged.text
    client.cookies.clear()
    token = sign_in(client, engine, "ana", Role.ANALYST)
    refused = _upload(client, token, FIRST)
    assert refused.status_code == 403 and "watchlist_manager" in refused.text
    assert _staged(settings) == [] and _entries(engine, "kg-test") == {}
    listing = client.get("/watchlists")
    assert listing.status_code == 200 and 'href="/watchlists/import"' not in listing.text


def test_the_overview_shows_settings_and_the_last_import(
    client: TestClient, engine: Engine
) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    _confirm(client, _upload(client, token, FIRST))
    page = client.get("/watchlists")
    assert page.status_code == 200
    assert "kg-test" in page.text and "KG GKNB" in page.text and META["legal_basis"] in page.text
    assert "by wanda" in page.text and "+2" in page.text
    assert "Азамат" not in page.text  # no entries on the overview
    assert not audit.search(engine, actor="wanda", action="page.watchlist")


def test_browsing_finds_names_across_scripts_and_is_audited(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    page = client.get("/watchlists/1", params={"q": "asanov"})
    assert page.status_code == 200
    assert "Бакыт Асанов" in page.text  # Latin query, Cyrillic entry
    missed = client.get("/watchlists/1", params={"q": "Токтогулов"})
    assert "Бакыт Асанов" not in missed.text and "No entry" in missed.text
    entries = audit.search(engine, actor="ana", action="page.watchlist")
    assert [e.detail["query"] for e in entries] == ["Токтогулов", "asanov"]
    assert entries[1].subject_id == "1" and entries[1].detail["entries"]
    assert client.get("/watchlists/999").status_code == 404


def test_browsing_pages_through_a_long_list(client: TestClient, engine: Engine) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    surnames = ("Asanov", "Bekov", "Toktogulov", "Sadyrov", "Usenov", "Aliev")
    rows = "".join(f"N-{i:03d},Nurlan {surnames[i // 20]},,,,,,\n" for i in range(120))
    _confirm(client, _upload(client, token, HEADER + rows, name="long"))
    with engine.connect() as conn:
        info = get_watchlist(conn, "long")
    assert info is not None
    first = client.get(f"/watchlists/{info.id}")
    assert "N-000" in first.text and "N-050" not in first.text
    assert "offset=50" in first.text
    third = client.get(f"/watchlists/{info.id}", params={"offset": 100})
    assert "N-119" in third.text and "Next page" not in third.text
    found = client.get(f"/watchlists/{info.id}", params={"q": "тоКТОГУлов"})
    assert re.findall(r"N-\d{3}", found.text) == [f"N-{i:03d}" for i in range(40, 60)]


def test_entries_are_escaped_and_stale_uploads_swept(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    folder = settings.data_dir / "staging" / "watchlists"
    folder.mkdir(parents=True)
    stale = folder / ("0" * 64 + ".upload")
    stale.write_bytes(b"forgotten")
    os.utime(stale, (time.time() - 2 * 86400,) * 2)
    hostile = HEADER + 'X-1,"<script>alert(1)</script> Asanov",,,,,,\n'
    _confirm(client, _upload(client, token, hostile, name="hostile"))
    assert not stale.exists()
    with engine.connect() as conn:
        info = get_watchlist(conn, "hostile")
    assert info is not None
    page = client.get(f"/watchlists/{info.id}").text
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Asanov" in page


def test_the_stored_travellers_are_rescreened_in_the_background_after_an_upload(
    client: TestClient, engine: Engine
) -> None:
    departs = (datetime.now(UTC) + timedelta(hours=24)).strftime("%y%m%d%H%M")
    arrives = (datetime.now(UTC) + timedelta(hours=26)).strftime("%y%m%d%H%M")
    raw = paxlst(
        dep_time=departs,
        arr_time=arrives,
        travellers=[("ABDULKHAKIMOV", "AZAMAT", "800311", "AC1111111")],
    )
    assert receive(engine, raw, sender="KC", channel="cli").hits == 0
    token = sign_in(client, engine, "wanda", Role.WATCHLIST_MANAGER)
    done = _confirm(client, _upload(client, token, FIRST))
    assert "in the background" in done.text
    assert client.app.state.rescreener.join(30)  # type: ignore[attr-defined]
    found = re.search(r'href="(/watchlists/\d+)"', done.text)
    assert found is not None
    listed = client.get(found.group(1))
    assert "<td>1: 1 new hits</td>" in listed.text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(hits)).scalar_one() == 1
