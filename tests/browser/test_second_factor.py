"""The second factor in a real browser: enrol from the account page (QR code and secret),
then a sign-in that asks for the code before anything opens.

Codes are computed here from the secret shown on the page with RFC 6238 written out
(not with :mod:`piu.accounts.totp`), as an authenticator app would.
"""

from __future__ import annotations

import base64
import hmac
import re
import struct
import time

import pytest
from playwright.sync_api import Page, expect

from piu.accounts import Role
from tests.browser.conftest import Piu
from tests.browser.support import shot, sign_in, sign_out, submit

pytestmark = pytest.mark.browser


def _code(secret: str, step: int) -> str:
    text = secret.replace(" ", "").upper()
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
    offset = mac[-1] & 0x0F
    return str((struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFF_FFFF) % 10**6).zfill(6)


def test_an_analyst_turns_on_the_second_factor_and_signs_in_with_a_code(
    page: Page, piu: Piu
) -> None:
    name = piu.user(Role.ANALYST)
    sign_in(page, name)
    page.click("header a:has-text('Second factor')")
    expect(page.locator("h1")).to_have_text("Second factor")
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0, "the QR code did not render"
    secret = page.locator("code.secret").inner_text()
    expect(page.locator("main")).to_contain_text(f"otpauth://totp/PIU:{name}")
    shot(page, "account-totp")

    # The code of the previous step (apps run a little behind), so that the login below
    # can use the current one: a code is accepted once.
    step = int(time.time() // 30)
    page.fill("#code", _code(secret, step - 1))
    submit(page, "main button:has-text('Turn on')")
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("main")).to_contain_text("asks for a code")

    sign_out(page)
    sign_in(page, name)
    expect(page).to_have_url(re.compile(r"/login/totp"))
    expect(page.locator("h1")).to_have_text("Sign-in code")
    shot(page, "login-totp")
    page.goto("/queue")  # nothing opens before the code
    expect(page).to_have_url(re.compile(r"/login/totp"))

    page.fill("#code", "000000" if _code(secret, step) != "000000" else "111111")
    submit(page, "main button:has-text('Continue')")
    expect(page.get_by_role("alert")).to_contain_text("wrong or already used code")
    page.fill("#code", _code(secret, int(time.time() // 30)))
    submit(page, "main button:has-text('Continue')")
    expect(page.locator("h1")).to_have_text("Review queue")
