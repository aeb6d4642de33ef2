"""The analyst's pages in a real browser: sign-in with the forced password change, the
travel pages, the review queue and a hit decision, role refusals, and signing out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from piu.accounts import Role
from tests.browser.conftest import Piu
from tests.browser.support import NEW_PASSWORD, PASSWORD, shot, sign_in, sign_out, submit

pytestmark = pytest.mark.browser


def test_first_sign_in_forces_a_password_change(page: Page, piu: Piu) -> None:
    name = piu.user(Role.ANALYST, must_change=True)
    response = page.goto("/queue")
    assert response is not None and response.ok
    expect(page).to_have_url(re.compile(r"/login\?next=/queue$"))
    expect(page.locator("h1")).to_have_text("Sign in")
    shot(page, "login")

    page.fill("#username", name)
    page.fill("#password", "Wrong-Horse-42x")
    submit(page, "main button:has-text('Sign in')")
    expect(page.get_by_role("alert")).to_contain_text("wrong user name or password")

    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    submit(page, "main button:has-text('Sign in')")
    expect(page).to_have_url(re.compile(r"/password$"))
    expect(page.locator("main")).to_contain_text("Please choose a new password")
    shot(page, "password-change")

    # Nothing else opens until the password is changed.
    page.goto("/queue")
    expect(page).to_have_url(re.compile(r"/password$"))

    page.fill("#current", PASSWORD)
    page.fill("#new", NEW_PASSWORD)
    page.fill("#repeat", NEW_PASSWORD)
    submit(page, "main button:has-text('Change password')")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_contain_text("Dashboard")
    expect(page.locator("header")).to_contain_text(name)
    open_hits = page.locator(".card", has_text="Open hits").locator(".n")
    assert int(open_hits.inner_text()) > 0
    expect(page.locator("main h2", has_text="Departing today")).to_be_visible()
    expect(page.locator("main h2", has_text="Arriving today")).to_be_visible()
    shot(page, "dashboard")

    # The old password no longer works; the new one does.
    sign_out(page)
    sign_in(page, name, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("wrong user name or password")
    sign_in(page, name, NEW_PASSWORD)
    expect(page.locator("h1")).to_contain_text("Dashboard")


def test_an_analyst_walks_flights_manifest_and_traveller(page: Page, piu: Piu) -> None:
    sign_in(page, piu.user(Role.ANALYST))
    page.click("header a:has-text('Flights')")
    expect(page.locator("h1")).to_have_text("Flights")
    flight_links = page.locator("main table a[href^='/flights/']")
    assert flight_links.count() >= 1
    shot(page, "flights")

    code = flight_links.first.inner_text()
    flight_links.first.click()
    expect(page.locator("h1")).to_contain_text(f"Flight {code}")
    manifest = page.locator("main table", has=page.locator("th", has_text="Seat"))
    travellers = manifest.locator("a[href^='/travellers/']")
    assert travellers.count() > 10
    manifest_paths = [a.get_attribute("href") or "" for a in travellers.all()]
    shot(page, "flight")

    surname = travellers.first.inner_text().split(",")[0]
    travellers.first.click()
    expect(page.locator("h1")).to_contain_text(surname)
    expect(page.locator("main")).to_contain_text("API data")
    expect(page.locator("main")).to_contain_text("PNR data")

    # A traveller with a hit, reached from the queue: API, PNR and the hit side by side.
    page.click("header a:has-text('Review queue')")
    page.locator("main table a[href^='/travellers/']").first.click()
    hits = page.locator("main table", has=page.locator("th", has_text="Explanation"))
    expect(hits.locator("a[href^='/hits/']").first).to_be_visible()
    companions = page.locator("main table", has=page.locator("th", has_text="Linked by"))
    trips = page.locator("main table", has=page.locator("th", has_text="Matched by"))
    expect(companions).to_be_visible()
    expect(trips).to_be_visible()
    shot(page, "traveller")

    # A companion's page lists this traveller among the companions in turn. Which
    # travellers have one depends on the day the demo simulates (its bookings hold
    # groups and families), so take the first of the manifest who has.
    for path in manifest_paths[:60]:
        page.goto(path)
        if companions.locator("a[href^='/travellers/']").count():
            break
    else:
        pytest.fail("no traveller with a co-traveller among the first 60 of the manifest")
    traveller_path = page.url.removeprefix(piu.base)
    companion = companions.locator("a[href^='/travellers/']").first
    expect(companion).to_be_visible()
    companion_name = companion.inner_text().split(",")[0]
    companion.click()
    expect(page.locator("h1")).to_contain_text(companion_name)
    expect(companions.locator(f"a[href='{traveller_path}']")).to_be_visible()
    page.go_back()

    # The source message is a link to the message's page.
    sources = page.locator("main table", has=page.locator("th", has_text="Segment"))
    source = sources.locator("a[href^='/messages/']").first
    message_id = source.inner_text().lstrip("#")
    source.click()
    expect(page.locator("h1")).to_contain_text(f"Message #{message_id}")
    page.go_back()

    page.click("header a:has-text('Rejected messages')")
    expect(page.locator("h1")).to_have_text("Rejected messages")
    shot(page, "messages")


def test_an_analyst_reviews_a_hit_with_a_reason(page: Page, piu: Piu) -> None:
    name = piu.user(Role.ANALYST)
    sign_in(page, name)
    page.click("header a:has-text('Review queue')")
    expect(page.locator("h1")).to_have_text("Review queue")
    queue_links = page.locator("main table a[href^='/hits/']")
    assert queue_links.count() >= 2
    shot(page, "queue")

    link = queue_links.first
    hit_path = link.get_attribute("href")
    assert hit_path
    link.click()
    expect(page).to_have_url(re.compile(re.escape(hit_path) + "$"))
    expect(page.locator("h1")).to_contain_text("open")
    expect(page.locator("main")).to_contain_text("Why it was raised")
    shot(page, "hit")

    # Too short a reason: refused, said so, and the form keeps what was typed.
    page.check("#d-dismissed")
    page.fill("#reason", "no")
    submit(page, "main button:has-text('Record decision')")
    expect(page.get_by_role("alert")).to_contain_text("at least 3 words")
    expect(page.locator("h1")).to_contain_text("open")
    expect(page.locator("#d-dismissed")).to_be_checked()
    shot(page, "hit-reason-refused")

    reason = "Date of birth and passport number differ from the listed person."
    page.fill("#reason", reason)
    submit(page, "main button:has-text('Record decision')")
    expect(page).to_have_url(re.compile(re.escape(hit_path) + "$"))
    expect(page.locator("h1")).to_contain_text("dismissed")
    history = page.locator("main table", has=page.locator("th", has_text="Reason"))
    row = history.locator("tr", has_text=reason)
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("dismissed")
    expect(page.get_by_role("alert")).to_have_count(0)
    shot(page, "hit-decided")

    # A dismissed hit leaves the queue.
    page.click("header a:has-text('Review queue')")
    expect(page.locator(f"main table a[href='{hit_path}']")).to_have_count(0)


def test_a_role_without_travel_access_gets_the_403_page(page: Page, piu: Piu) -> None:
    sign_in(page, piu.user(Role.RULE_MANAGER))
    expect(page.locator("header a:has-text('Review queue')")).to_have_count(0)
    response = page.goto("/queue")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.locator("main")).to_contain_text("This page needs one of the roles")
    expect(page.locator("main table")).to_have_count(0)
    shot(page, "forbidden")


def test_after_sign_out_back_and_revisit_show_the_login_page(page: Page, piu: Piu) -> None:
    sign_in(page, piu.user(Role.ANALYST))
    page.click("header a:has-text('Review queue')")
    page.locator("main table a[href^='/travellers/']").first.click()
    traveller_path = page.url.removeprefix(piu.base)
    surname = page.locator("h1").inner_text().split(",")[0]
    assert traveller_path.startswith("/travellers/") and surname

    sign_out(page)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("h1")).to_have_text("Sign in")

    page.go_back()
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator("main")).not_to_contain_text(surname)

    page.goto(traveller_path)
    expect(page).to_have_url(re.compile(r"/login\?next=/travellers/\d+$"))
    expect(page.locator("main")).not_to_contain_text(surname)
