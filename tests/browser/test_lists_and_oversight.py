"""Watchlist import, rejected messages and the audit log in a real browser.

A watchlist manager uploads a national list naming a traveller already on today's flights,
sees what it would change, applies it, and the re-screening raises a hit that an analyst
finds at the top of the queue. A supervisor reads why a pushed message was rejected and
tries it again; a data-protection officer finds that read in the audit log and checks
the chain.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import FilePayload, Page, expect
from sqlalchemy import select

from piu.accounts import Role
from piu.store.schema import hits, travellers
from tests.browser.conftest import Piu
from tests.browser.support import rows, shot, sign_in, submit

pytestmark = pytest.mark.browser

LIST = "kg-browser"
HEADER = "id,names,weak_names,dob,nationality,gender,documents,notes\n"


def _unlisted_passenger(piu: Piu) -> tuple[str, str, str, str]:
    """Surname, given names, birth date and nationality of a passenger with no hit."""
    with piu.engine.connect() as conn:
        row = conn.execute(
            select(
                travellers.c.surname,
                travellers.c.given_names,
                travellers.c.date_of_birth,
                travellers.c.nationality,
            )
            .where(
                travellers.c.role == "passenger",
                travellers.c.given_names.is_not(None),
                travellers.c.date_of_birth.is_not(None),
                travellers.c.id.not_in(select(hits.c.traveller_id)),
            )
            .order_by(travellers.c.id)
            .limit(1)
        ).one()
    return row.surname, row.given_names, row.date_of_birth.isoformat(), row.nationality or ""


def test_an_imported_list_hits_a_traveller_already_on_a_flight(
    page: Page, another_page: Page, piu: Piu
) -> None:
    surname, given, born, nationality = _unlisted_passenger(piu)
    csv = HEADER + f"BT-1,{given} {surname},,{born},{nationality},,,browser test\n"

    sign_in(page, piu.user(Role.WATCHLIST_MANAGER))
    page.click("header a:has-text('Watchlists')")
    expect(page.locator("h1")).to_have_text("Watchlists")
    expect(page.locator("main table")).to_contain_text("synth-national")
    shot(page, "watchlists")

    page.click("main a:has-text('Import a list')")
    page.set_input_files(
        "#upload",
        files=FilePayload(name=f"{LIST}.csv", mimeType="text/csv", buffer=csv.encode()),
    )
    page.select_option("#format", "piu_national_csv")
    page.fill("#name", LIST)
    page.fill("#source", "PIU browser test")
    page.fill("#legal_basis", "National law on the PIU, article 12 (test list).")
    page.fill("#category", "national")
    page.select_option("#severity", "critical")
    shot(page, "watchlist-import")
    submit(page, "main button:has-text('Upload and compare')")
    expect(page.locator("h1")).to_have_text(f"Import into {LIST}: what would change")
    expect(page.locator(".card", has_text="added").locator(".n")).to_have_text("1")
    expect(page.locator("main")).to_contain_text(f"{given} {surname}")
    shot(page, "watchlist-preview")

    submit(page, "main button:has-text('Apply this import')")
    expect(page.locator("h1")).to_have_text(f"{LIST} created")
    expect(page.locator("main")).to_contain_text("1 added or changed entries, in the background")
    page.click("main a:has-text('Open the list')")
    expect(page.locator("h1")).to_contain_text(f"Watchlist {LIST}")
    entries = page.locator("main table", has=page.locator("th", has_text="Weak names"))
    expect(entries.locator("tr", has_text="BT-1")).to_contain_text(f"{given} {surname}")
    expect(page.locator("main")).to_contain_text("kg-browser.csv")  # the import's record
    # the server re-screens the stored travellers in the background: the import's row
    # says so once it is done
    imports = page.locator("main table", has=page.locator("th", has_text="re-screened"))
    for _ in range(100):
        if "new hits" in imports.inner_text():
            break
        page.wait_for_timeout(300)
        page.reload()
    expect(imports).to_contain_text(re.compile(r"\d+: [1-9]\d* new hits"))
    shot(page, "watchlist")

    # An analyst finds the new, critical hit first in the queue.
    analyst = another_page
    sign_in(analyst, piu.user(Role.ANALYST))
    analyst.click("header a:has-text('Review queue')")
    first = rows(analyst.locator("main table"))[0]
    assert first[1] == "critical" and surname in first[2] and LIST in first[6], first


def test_a_rejected_message_is_read_then_found_in_the_audit_log(
    page: Page, another_page: Page, piu: Piu
) -> None:
    supervisor = piu.user(Role.SUPERVISOR)
    sign_in(page, supervisor)
    page.click("header a:has-text('Rejected messages')")
    link = page.locator(f"main table a[href='/messages/{piu.rejected_message}']")
    link.click()
    expect(page.locator("h1")).to_contain_text(f"Message #{piu.rejected_message}")
    expect(page.locator("main h2", has_text="Why it was rejected")).to_be_visible()
    submit(page, "main button:has-text('Reprocess')")
    expect(page.get_by_role("alert")).to_contain_text("Reprocessed: still rejected")
    shot(page, "message")

    dpo = another_page
    sign_in(dpo, piu.user(Role.DPO))
    dpo.click("header a:has-text('Audit log')")
    expect(dpo.locator("h1")).to_have_text("Audit log")
    dpo.fill("#actor", supervisor)
    submit(dpo, "main button:has-text('Search')")
    entries = rows(dpo.locator("main table"))
    actions = {row[3] for row in entries}
    assert {"ui.login", "page.messages", "page.message"} <= actions, entries
    assert all(row[2] == supervisor for row in entries), entries
    shot(dpo, "audit")

    dpo.click("main a:has-text('Verify the hash chain')")
    expect(dpo.get_by_role("status")).to_contain_text("the chain is intact")
    shot(dpo, "audit-verify")
