"""`piu serve` as a user starts it: a real process, a real port, the first admin, a push."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from piu.cli import app
from tests.fixtures.messages import paxlst


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str], Path]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIU_")}
    env.update(PIU_DATA_DIR=str(tmp_path / "data"), PIU_INBOX_POLL_SECONDS="0.2")
    proc = subprocess.Popen(
        [sys.executable, "-m", "piu", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    password = None
    deadline = time.time() + 60
    try:
        assert proc.stdout is not None
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("admin password:"):
                password = line.split(":", 1)[1].strip()
            if "PIU listening" in line:
                break
        base = f"http://127.0.0.1:{port}"
        while time.time() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not answer /health:\n" + "".join(lines))
        assert password, "no 'admin password:' line:\n" + "".join(lines)
        yield base, password, env, tmp_path / "data"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_fresh_install_serves_health_push_and_inbox(
    server: tuple[str, str, dict[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, password, _env, data = server
    assert len(password) >= 16 and re.fullmatch(r"[A-Za-z0-9_-]+", password)

    # Credentials are made with the CLI against the same data folder.
    monkeypatch.setenv("PIU_DATA_DIR", str(data))
    runner = CliRunner()
    carrier = runner.invoke(app, ["carriers", "add", "KC", "--name", "Air Astana"])
    assert carrier.exit_code == 0, carrier.output
    carrier_token = carrier.stdout.strip().splitlines()[-1]
    user = runner.invoke(app, ["users", "add", "aigul", "--role", "analyst"])
    assert user.exit_code == 0, user.output
    token = runner.invoke(app, ["users", "token", "aigul", "--name", "test"]).stdout.strip()
    token = token.splitlines()[-1]

    assert httpx.get(f"{base}/api/v1/flights").status_code == 401
    pushed = httpx.post(f"{base}/api/v1/push", content=paxlst(), auth=("KC", carrier_token))
    assert pushed.status_code == 202, pushed.text
    assert pushed.json()["status"] == "stored"

    (data / "inbox" / "KC").mkdir(parents=True, exist_ok=True)
    dropped = data / "inbox" / "KC" / "crew.edi"
    dropped.write_bytes(
        paxlst(ref="9", bgm="250", nad="FM", travellers=[("PILOT", "ONE", "750303", "CR1")])
    )
    old = time.time() - 5
    os.utime(dropped, (old, old))
    deadline = time.time() + 20
    while dropped.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert not dropped.exists(), "the inbox did not take the file"

    headers = {"Authorization": f"Bearer {token}"}
    flights = httpx.get(f"{base}/api/v1/flights", headers=headers).json()
    [flight] = flights["items"]
    assert (flight["passenger_count"], flight["crew_count"]) == (1, 1)
