"""A targeting rule through its four-eyes life in the browser: written with the editor's
live check (the one page with a script), tried on today's data, saved, submitted, refused
to its own author, approved and activated by a second rule manager."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from piu.accounts import Role
from tests.browser.conftest import Piu
from tests.browser.support import rows, shot, sign_in, submit

pytestmark = pytest.mark.browser

RULE = "fru-cash-browser"
EXPRESSION = "flight.destination = 'FRU' and booking.paid_cash"


def test_a_rule_is_written_tried_and_approved_by_a_second_rule_manager(
    page: Page, another_page: Page, piu: Piu
) -> None:
    author = piu.user(Role.RULE_MANAGER)
    sign_in(page, author)
    page.click("header a:has-text('Rules')")
    expect(page.locator("h1")).to_have_text("Targeting rules")
    page.click("main a:has-text('Write a new rule')")
    page.fill("#name", RULE)

    # The live check (rule-check.js) answers as the expression is typed, without a submit.
    live = page.locator("#live-check")
    page.locator("#expression").press_sequentially("flight.destination = 'FRU' and", delay=5)
    expect(live).to_have_class("error")
    expect(live).to_contain_text("a condition was expected")
    page.locator("#expression").press_sequentially(" booking.paid_cash", delay=5)
    expect(live).to_have_class("ok")
    expect(live).to_contain_text(f"Accepted: {EXPRESSION}")
    shot(page, "rule-editor")

    page.fill("#justification", "Cash-paid tickets into Bishkek: a courier pattern in cases.")
    page.fill("#category", "smuggling")
    submit(page, "main button:has-text('Try on past data')")
    # The period is the last 30 days by default: today's flights are in it.
    trial = page.locator("main h2", has_text="Trial:")
    expect(trial).to_contain_text(re.compile(r"Trial: \d+ of [1-9]\d* travellers would have"))
    shot(page, "rule-trial")

    submit(page, "main button:has-text('Save as a draft')")
    expect(page).to_have_url(re.compile(f"/rules/{RULE}$"))
    expect(page.locator("main")).to_contain_text("v1 draft")
    submit(page, "main form[action$='/versions/1/submit'] button")
    expect(page.locator("main")).to_contain_text("another rule manager must review it")
    approve = "main form[action$='/versions/1/approve'] button"
    submit(page, approve)  # the author's own approval is refused, and says why
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("main")).to_contain_text("v1 submitted")

    reviewer = another_page
    second = piu.user(Role.RULE_MANAGER)
    sign_in(reviewer, second)
    reviewer.goto(f"/rules/{RULE}")
    submit(reviewer, approve)
    expect(reviewer.locator("main")).to_contain_text("v1 approved")
    submit(reviewer, "main form[action$='/versions/1/activate'] button")
    expect(reviewer.locator("main")).to_contain_text("v1 active")
    history = rows(reviewer.locator("main table").last)  # when, version, who, step, note
    steps = {(row[2], row[3]) for row in history}
    assert {(author, "submit"), (second, "approve"), (second, "activate")} <= steps, history
    shot(reviewer, "rule")

    reviewer.click("header a:has-text('Rules')")
    expect(reviewer.locator("main table tr", has_text=RULE)).to_contain_text("v1")
    shot(reviewer, "rules")
