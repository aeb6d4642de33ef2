"""The traveller page: companions, earlier trips, links to the source messages, its audit."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from piu.accounts import Role
from piu.store import audit
from tests.web.support import History, Travel, add_history
from tests.web.ui.support import sign_in


@pytest.fixture
def history(engine: Engine, travel: Travel) -> History:
    return add_history(engine, travel)


def _section(html: str, heading: str) -> str:
    """The HTML from an ``<h2>`` to the next one."""
    found = re.search(rf"<h2>{re.escape(heading)}</h2>(.*?)(?=<h2>|\Z)", html, re.S)
    assert found, f"no section {heading!r}"
    return found.group(1)


def _row_of(section: str, href: str) -> str:
    """The table row holding a link to ``href``."""
    found = re.search(rf'<tr>(?:(?!</tr>).)*href="{re.escape(href)}".*?</tr>', section, re.S)
    assert found, f"no row linking {href}"
    return found.group(0)


def test_companions_and_earlier_trips_are_listed_with_links_and_audited(
    client: TestClient, engine: Engine, travel: Travel, history: History
) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    page = client.get(f"/travellers/{travel.asanov}")
    assert page.status_code == 200

    co = _section(page.text, "Co-travellers")
    aida = _row_of(co, f"/travellers/{history.aida}")
    assert "ASANOVA, AIDA" in aida and "12B" in aida
    assert "same PNR KC ABC123" in aida and "same record locator ABC123" in aida
    timur = _row_of(co, f"/travellers/{history.timur}")
    assert "12C" in timur and "same PNR KC ABC123" in timur and "record locator" not in timur
    omurov = _row_of(co, f"/travellers/{history.omurov}")
    assert "same record locator ABC123" in omurov and "PNR" not in omurov
    for other in (history.stranger, history.aida_return, travel.zhumabaeva):
        assert f'href="/travellers/{other}"' not in co

    trips = _section(page.text, "Earlier trips in the PIU's data")
    shown = [int(i) for i in re.findall(r'href="/travellers/(\d+)"', trips)]
    assert shown == history.asanov_trips  # newest first
    tk350 = _row_of(trips, f"/travellers/{history.trip_tk350}")
    assert f'href="/flights/{travel.tk350}"' in tk350 and "TK350" in tk350
    assert "IST → FRU" in tk350 and "2026-12-01" in tk350 and "crew" in tk350
    assert "same document AC1234567 (KGZ)" in tk350 and "same name and date of birth" in tk350
    kc999 = _row_of(trips, f"/travellers/{history.trip_kc999}")
    assert "ASANOV, BAKIT" in kc999 and "same name and date of birth" in kc999
    assert "document" not in kc999
    kc110 = _row_of(trips, f"/travellers/{history.trip_kc110}")
    assert "same document AC1234567" in kc110 and "(KGZ)" not in kc110
    # Namesakes are not the same person: another birth date, another gender, a passport
    # number of another state, and the second row on his own flight.
    for other in (history.namesake, history.other_gender, history.other_state, history.twin_row):
        assert f'href="/travellers/{other}"' not in page.text

    # Every message id is a link: the lists he was read from and the booking's versions.
    sources = _section(page.text, "Source messages")
    assert f'<a href="/messages/{travel.stored_message}">#{travel.stored_message}</a>' in sources
    pnr = _section(page.text, "PNR data")
    for message in (travel.stored_message, travel.rejected_message):  # versions 1 and 2
        assert f'<a href="/messages/{message}">#{message}</a>' in pnr
    assert client.get(f"/messages/{travel.stored_message}").status_code == 200

    [entry] = audit.search(engine, actor="ana", action="page.traveller")
    assert entry.subject_id == str(travel.asanov)
    assert entry.detail["co_travellers"] == [history.timur, history.aida, history.omurov]
    assert entry.detail["earlier_trips"] == history.asanov_trips
    assert entry.detail["bookings"] == [travel.booking] and entry.detail["hits"] == [travel.hit]


def test_a_traveller_alone_says_so(
    client: TestClient, engine: Engine, travel: Travel, history: History
) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    page = client.get(f"/travellers/{history.namesake}")
    assert "No one else on this flight shares a booking or record locator" in page.text
    assert "No other flight in the PIU's data has this traveller" in page.text
    [entry] = audit.search(engine, actor="ana", action="page.traveller")
    assert (entry.detail["co_travellers"], entry.detail["earlier_trips"]) == ([], [])


def test_a_cyrillic_record_finds_the_latin_one(
    client: TestClient, engine: Engine, travel: Travel, history: History
) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    page = client.get(f"/travellers/{history.cyrillic}")
    assert "ЖУМАБАЕВА" in page.text
    trips = _section(page.text, "Earlier trips in the PIU's data")
    row = _row_of(trips, f"/travellers/{travel.zhumabaeva}")
    assert "ZHUMABAEVA, AIGUL" in row and "KC109" in row
