"""Helpers for the browser tests: signing in and out, and screenshots.

Screenshots go to ``test-artifacts/screenshots/NAME.png`` (git-ignored), one per main page,
overwritten by each run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "Correct-Horse-42x"
NEW_PASSWORD = "Battery-Staple-77q"


def shot(page: Page, name: str) -> Path:
    """A full-page screenshot in ``test-artifacts/screenshots/NAME.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000, f"empty screenshot {path}"
    return path


def submit(page: Page, button: str) -> None:
    """Click a form's submit button and wait for the page it leads to (after redirects)."""
    with page.expect_navigation():
        page.click(button)


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Open the login form, fill it and send it."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    submit(page, "main button:has-text('Sign in')")


def sign_out(page: Page) -> None:
    submit(page, "header button:has-text('Sign out')")


def rows(table: Locator) -> list[list[str]]:
    """The text of each data cell, row by row (header rows, which have none, left out)."""
    found = []
    for row in table.locator("tr").all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        if cells:
            found.append(cells)
    return found
