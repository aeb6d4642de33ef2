"""The administrator's pages in a real browser, and an analyst kept out of them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from piu.accounts import Role
from tests.browser.conftest import Piu
from tests.browser.support import NEW_PASSWORD, shot, sign_in, submit

pytestmark = pytest.mark.browser

ADMIN_PAGES = ("/admin/users", "/admin/sessions", "/admin/carriers")


def test_an_admin_creates_an_analyst_who_cannot_reach_the_admin_pages(
    page: Page, another_page: Page, piu: Piu
) -> None:
    sign_in(page, piu.user(Role.ADMIN))
    page.click("header a:has-text('Administration')")
    expect(page.locator("h1")).to_have_text("Users")
    shot(page, "admin-users")

    page.fill("#username", "nurlan")
    page.fill("#display_name", "Nurlan Analyst")
    page.check("input[name='roles'][value='analyst']")
    submit(page, "main button:has-text('Create user')")
    expect(page.locator("h1")).to_have_text("User created")
    first_password = page.locator(".secret-once code").inner_text().strip()
    assert len(first_password) >= 12

    page.goto("/admin/sessions")
    expect(page.locator("h1")).to_have_text("Open sessions")
    shot(page, "admin-sessions")

    # The new analyst, at another browser: the shown password, then a forced change.
    analyst = another_page
    sign_in(analyst, "nurlan", first_password)
    expect(analyst).to_have_url(re.compile(r"/password$"))
    analyst.fill("#current", first_password)
    analyst.fill("#new", NEW_PASSWORD)
    analyst.fill("#repeat", NEW_PASSWORD)
    submit(analyst, "main button:has-text('Change password')")
    expect(analyst.locator("h1")).to_contain_text("Dashboard")
    expect(analyst.locator("header")).to_contain_text("Nurlan Analyst")
    expect(analyst.locator("header a:has-text('Administration')")).to_have_count(0)

    for path in ADMIN_PAGES:
        response = analyst.goto(path)
        assert response is not None and response.status == 403, path
        expect(analyst.locator("h1")).to_have_text("Not allowed")
        expect(analyst.locator("main")).to_contain_text("This page needs one of the roles: admin")
        expect(analyst.locator("main table")).to_have_count(0)
    shot(analyst, "admin-forbidden")

    # The administrator sees the new account, its password now set by its owner.
    page.goto("/admin/users")
    row = page.locator("main table tr", has_text="nurlan")
    expect(row).to_contain_text("analyst")
    expect(row).to_contain_text("active")
    expect(row).not_to_contain_text("must change")
