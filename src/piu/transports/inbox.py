"""The watched inbox folder: a door for carriers and operators who drop files.

A file is taken when it has not changed for ``settle_seconds`` (carriers should still
write under a temporary name, ``.part``/``.tmp`` or a leading dot, and rename when done:
those names are never taken). Its bytes go through :func:`piu.ingest.receive`; only after
that returns, i.e. after the raw message is committed, is the file moved to
``archive/YYYY-MM-DD/<status>/``. Nothing is ever deleted, and a file that cannot be read
stays where it is to be retried.

A file in a subfolder is received with the subfolder's name as sender (``inbox/KC/x.edi``
is from carrier ``KC``); files at the top level have sender ``inbox``.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from piu.ingest import ReceiveResult, receive
from piu.privacy import SensitiveRules

__all__ = ["Inbox"]

log = logging.getLogger(__name__)

_SKIP_SUFFIXES = (".part", ".tmp", ".partial", ".swp")


class Inbox:
    """Polls ``inbox`` and hands each settled file to ``receive()``."""

    def __init__(
        self,
        engine: Engine,
        inbox: Path,
        archive: Path,
        *,
        settle_seconds: float = 1.0,
        rules: SensitiveRules | None = None,
    ) -> None:
        self.engine = engine
        self.inbox = inbox
        self.archive = archive
        self.settle_seconds = settle_seconds
        self.rules = rules
        inbox.mkdir(parents=True, exist_ok=True)
        archive.mkdir(parents=True, exist_ok=True)

    def _candidates(self) -> list[Path]:
        now = time.time()
        found = []
        for path in sorted(self.inbox.rglob("*")):
            rel = path.relative_to(self.inbox)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if path.suffix.lower() in _SKIP_SUFFIXES or not path.is_file():
                continue
            if len(rel.parts) > 2:  # only top level and one carrier folder deep
                continue
            try:
                if now - path.stat().st_mtime < self.settle_seconds:
                    continue
            except FileNotFoundError:
                continue
            found.append(path)
        return found

    def _sender(self, path: Path) -> str:
        rel = path.relative_to(self.inbox)
        return rel.parts[0] if len(rel.parts) == 2 else "inbox"

    def _archive_path(self, path: Path, status: str) -> Path:
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        folder = self.archive / day / status
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / path.name
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{path.stem}.{n}{path.suffix}"
        return target

    def scan_once(self) -> list[ReceiveResult]:
        """Receive every settled file now; returns what happened to each."""
        results = []
        for path in self._candidates():
            try:
                raw = path.read_bytes()
            except OSError as exc:
                log.warning("inbox: cannot read %s (%s); will retry", path, exc)
                continue
            result = receive(
                self.engine,
                raw,
                sender=self._sender(path),
                channel="inbox",
                origin=str(path.relative_to(self.inbox)),
                rules=self.rules,
            )
            target = self._archive_path(path, result.status)
            shutil.move(str(path), target)
            log.info("inbox: %s -> %s (%s)", path.name, target, result.status)
            results.append(result)
        return results

    def run(self, stop: threading.Event, poll_seconds: float = 2.0) -> None:
        """Scan until ``stop`` is set; errors are logged and the loop goes on."""
        while not stop.is_set():
            try:
                self.scan_once()
            except Exception:  # keep the door open; the file stays in the inbox
                log.exception("inbox: scan failed; retrying")
            stop.wait(poll_seconds)
