"""A case and its dissemination in a real browser, with four eyes.

An analyst confirms a hit, opens a case, adds the hit from its page, writes a note,
attaches a file and requests a dissemination to a competent authority (recipient, legal
basis, purpose). The analyst cannot decide it; a supervisor at another browser approves
it (a note too short is refused first); then the analyst is offered the package and
downloads it in both formats, each export recorded.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import FilePayload, Page, expect

from piu.accounts import Role
from tests.browser.conftest import Piu
from tests.browser.support import rows, shot, sign_in, submit

pytestmark = pytest.mark.browser

TITLE = "Courier network through Bishkek"
RECIPIENT = "State Committee for National Security, Bishkek"
LEGAL_BASIS = "Law on the PIU, article 14: transfer to competent authorities"
PURPOSE = "Prevention of a serious crime: a listed person travelling today"


def test_a_case_is_opened_from_a_confirmed_hit_and_disseminated_after_approval(
    page: Page, another_page: Page, piu: Piu
) -> None:
    analyst = piu.user(Role.ANALYST)
    sign_in(page, analyst)

    # A new case, empty for now.
    page.click("header a:has-text('Cases')")
    expect(page.locator("h1")).to_have_text("Cases")
    page.click("main a:has-text('New case')")
    page.fill("#title", TITLE)
    page.fill("#summary", "Listed persons on today's flights into FRU; see the hits.")
    page.select_option("#priority", "high")
    shot(page, "case-new")
    submit(page, "main button:has-text('Open the case')")
    expect(page.locator("h1")).to_contain_text(TITLE)
    case_path = page.url.removeprefix(piu.base)
    assert re.fullmatch(r"/cases/\d+", case_path), case_path
    case_id = case_path.rsplit("/", 1)[1]

    # A hit joins a case only once confirmed.
    page.click("header a:has-text('Review queue')")
    page.locator("main table a[href^='/hits/']").first.click()
    hit_path = page.url.removeprefix(piu.base)
    surname = page.locator("main table a[href^='/travellers/']").first.inner_text().split(",")[0]
    expect(page.locator("main")).to_contain_text("Only a confirmed hit can join a case")
    page.check("#d-confirmed")
    page.fill("#reason", "Same name, date of birth and passport as the listed person.")
    submit(page, "main button:has-text('Record decision')")
    expect(page.locator("h1")).to_contain_text("confirmed")
    page.select_option("#case_id", case_id)
    submit(page, "main button:has-text('Add to case')")
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    hits = page.locator("main table", has=page.locator("th", has_text="Status now"))
    expect(hits.locator(f"a[href='{hit_path}']")).to_be_visible()
    expect(hits).to_contain_text(surname)

    page.fill("#text", "Met by a second traveller at arrivals last month (liaison report).")
    submit(page, "main button:has-text('Add note')")
    expect(page.locator("main")).to_contain_text("liaison report")
    page.set_input_files(
        "#upload",
        files=FilePayload(name="liaison.txt", mimeType="text/plain", buffer=b"liaison report\n"),
    )
    submit(page, "main button:has-text('Upload')")
    expect(page.locator("main a:has-text('liaison.txt')")).to_be_visible()

    page.fill("#recipient", RECIPIENT)
    page.fill("#legal_basis", LEGAL_BASIS)
    page.fill("#purpose", PURPOSE)
    submit(page, "main button:has-text('Request dissemination')")
    sent = page.locator("main table", has=page.locator("th", has_text="Exports"))
    expect(sent.locator("tr", has_text=RECIPIENT)).to_contain_text("requested")
    shot(page, "case")

    sent.locator("a[href^='/disseminations/']").first.click()
    dissemination_path = page.url.removeprefix(piu.base)
    expect(page.locator("h1")).to_contain_text("requested")
    expect(page.locator("main")).to_contain_text("another supervisor must approve or reject it")
    expect(page.locator("#d-approve")).to_have_count(0)
    expect(page.locator("main button:has-text('Download')")).to_have_count(0)
    shot(page, "dissemination-requested")

    # A supervisor, at another browser, finds it waiting and approves it.
    supervisor = piu.user(Role.SUPERVISOR)
    boss = another_page
    sign_in(boss, supervisor)
    boss.click("header a:has-text('Cases')")
    expect(boss.locator("main")).to_contain_text("awaiting a supervisor")
    expect(boss.locator("main table tr", has_text=TITLE)).to_contain_text("open")
    shot(boss, "cases")
    boss.click("main a:has-text('Disseminations')")
    waiting = boss.locator("main table").first
    expect(waiting.locator("tr", has_text=RECIPIENT)).to_contain_text(analyst)
    shot(boss, "disseminations")
    waiting.locator(f"a[href='{dissemination_path}']").click()
    boss.check("#d-approve")
    boss.fill("#note", "fine")
    submit(boss, "main button:has-text('Record decision')")
    expect(boss.get_by_role("alert")).to_contain_text("3 words")
    boss.fill("#note", "Recipient, legal basis and purpose fit the confirmed hit.")
    submit(boss, "main button:has-text('Record decision')")
    expect(boss.locator("h1")).to_contain_text("approved")
    expect(boss.locator("main")).to_contain_text(f"approved by {supervisor}")

    # The analyst is now offered the package; each download is recorded.
    page.reload()
    expect(page.locator("h1")).to_contain_text("approved")
    shot(page, "dissemination-approved")
    with page.expect_download() as got:
        page.click("main button:has-text('Download JSON')")
    package = json.loads(got.value.path().read_bytes())
    assert surname in json.dumps(package, ensure_ascii=False)
    with page.expect_download() as got:
        page.click("main button:has-text('Download PDF')")
    assert got.value.path().read_bytes().startswith(b"%PDF")
    page.reload()
    exports = rows(page.locator("main table").last)
    assert sorted((e[1], e[2]) for e in exports) == [(analyst, "json"), (analyst, "pdf")]
