"""Browser tests: the real pages in Debian's Chromium, driven by Playwright.

One PIU server for the package (uvicorn in a thread, on a free 127.0.0.1 port, a
temporary ``PIU_DATA_DIR`` with SQLite) fed with a small synthetic day through the carriers'
push door, exactly as ``piu demo`` does: real flights, travellers, PNRs and watchlist hits.
One Chromium for the package (both end when its last test is done); each test gets a fresh
browser context (no cookies), so tests do not depend on each other's sign-ins. Users are
made straight through :mod:`piu.accounts.users`.

Chromium is Debian's ``/usr/bin/chromium`` (``make test`` installs it when run as root);
Playwright's own browser download is never used. Without it the tests skip, except under
``PIU_REQUIRE_SERVICES=1`` (set by ``.ci/run``), where that is a failure.

Helpers (signing in, screenshots) are in :mod:`tests.browser.support`.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from piu.accounts import Role, create_user
from piu.cli.demo import Demo
from piu.config import Settings
from piu.synth import Config
from piu.web.app import create_app
from tests.browser.support import PASSWORD, SCREENSHOTS
from tests.conftest import REQUIRE_SERVICES

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# A small day of traffic, today (so that the dashboard and the queue have something due):
# two flights, a few hundred travellers, API lists and PNR pushes, planted watchlist cases.
DAY = Config(
    passengers=300,
    seed=11,
    first_day=datetime.now(UTC).date(),
    pnr_hours=(24.0, 0.0),
    watch=4,
    namesakes=1,
    sltd=1,
    patterns=1,
)

# A passenger list cut short (no flight, no end): kept, and rejected with the reason.
BROKEN_PAXLST = (
    b"UNA:+.? 'UNB+UNOA:4+KC+KGZAPI+261128:0600+77++PAXLST'"
    b"UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++ASANOV:BAKYT'"
)


def _push(base: str, tokens: dict[str, str], body: bytes) -> int:
    """Deliver ``body`` through the carriers' push door; the stored message's id."""
    code, token = sorted(tokens.items())[0]
    answer = httpx.post(f"{base}/api/v1/push", content=body, auth=(code, token), timeout=30)
    assert answer.status_code == 202, answer.text
    receipt = answer.json()
    assert receipt["status"] == "rejected", receipt
    return int(receipt["message_id"])


def _unavailable(reason: str) -> NoReturn:
    if REQUIRE_SERVICES:
        pytest.fail(reason + " and PIU_REQUIRE_SERVICES=1 forbids skipping")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Piu:
    """The running PIU: its address, its store, and a maker of users."""

    base: str
    engine: Engine
    _made: Iterator[int]
    rejected_message: int  # a PAXLST that a carrier pushed and PIU could not read

    def user(self, *roles: Role, must_change: bool = False) -> str:
        """A new account holding ``roles``, password :data:`PASSWORD`; returns its name."""
        name = f"{roles[0].value.replace('_', '-') if roles else 'nobody'}{next(self._made)}"
        create_user(
            self.engine, name, roles=roles, password=PASSWORD, must_change_password=must_change
        )
        return name


@pytest.fixture(scope="package")
def piu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Piu]:
    port = _free_port()
    settings = Settings(data_dir=tmp_path_factory.mktemp("browser") / "data", port=port)
    demo = Demo(settings, config=DAY, span=0)
    demo.prepare()
    assert demo.engine is not None
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, demo.engine), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, name="piu-browser-tests", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    base = f"http://127.0.0.1:{port}"
    try:
        gen = demo.generator()
        demo.import_lists(gen)
        demo.feed(base, gen)
        rejected = _push(base, demo.tokens, BROKEN_PAXLST)
        yield Piu(base, demo.engine, itertools.count(1), rejected)
    finally:
        server.should_exit = True
        thread.join(10)
        demo.engine.dispose()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        _unavailable(
            f"browser tests need Debian's Chromium at {CHROMIUM} "
            "(`make test` installs it as root; or: apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("browser tests need the playwright package (pip install -e '.[dev]')")
    for old in SCREENSHOTS.glob("*.png"):  # this run's pictures only
        old.unlink()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def _person(browser: Browser, piu: Piu) -> Iterator[Page]:
    """A page in a browser context of its own: its own cookies, as another browser."""
    ctx = browser.new_context(base_url=piu.base, viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(10_000)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


@pytest.fixture
def page(browser: Browser, piu: Piu) -> Iterator[Page]:
    with _person(browser, piu) as p:
        yield p


@pytest.fixture
def another_page(browser: Browser, piu: Piu) -> Iterator[Page]:
    """A second person at another browser (no cookies shared with ``page``)."""
    with _person(browser, piu) as p:
        yield p
