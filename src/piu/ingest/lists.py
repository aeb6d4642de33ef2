"""Loading a watchlist into force: apply the difference, audit it, re-screen recent travel.

Why one function for every door: ``piu watchlist import`` and the watchlist manager's
upload page must do exactly the same thing, in the same order. The difference is applied
and its audit entry written in one transaction (a list is never half-imported, and never
changed without a record of who did it), together with the re-screening the import owes:
the stored travellers of recent and upcoming flights are to be screened against the
added and changed entries, so that a person added today is found on tomorrow's flight
that is already stored.

That re-screening is long work (every traveller of the window), so it runs after the
commit, from the record (:mod:`piu.store.rescreens`): :func:`rescreen_due` does every
owed one; the command runs it at once, the web pages through a :class:`Rescreener`
thread, so that an upload does not wait on it, and ``piu screen --due`` takes up what a
stopped process left.

Parsing is the caller's (:func:`piu.screening.importers.load` or ``parse_bytes``): a file
that is refused raises before this module is reached, so nothing in force changes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial

from sqlalchemy import Engine

from piu.ingest.assess import ScreeningInterruptedError, rescreen_for_entries
from piu.screening.importers import ImportedList
from piu.store import audit, rescreens
from piu.store.watchlists import AppliedImport, apply_import

__all__ = ["ListSettings", "Rescreened", "Rescreener", "import_list", "rescreen_due"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ListSettings:
    """What the person loading a list says about it; ``None`` keeps the value in force."""

    source: str | None = None
    legal_basis: str | None = None
    category: str | None = None
    severity: str | None = None
    threshold: float | None = None
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True)
class Rescreened:
    """One import's re-screening: done, or failed (``error``; the import stays due)."""

    import_id: int
    watchlist: str
    travellers: int = 0
    new_hits: int = 0
    error: str | None = None


def import_list(
    engine: Engine,
    *,
    name: str,
    imported: ImportedList,
    by: str,
    file_name: str,
    settings: ListSettings = ListSettings(),  # frozen: safe as a default
    remote: str | None = None,
    now: datetime | None = None,
    rescreen: bool = True,
) -> AppliedImport:
    """Create list ``name`` or bring it to ``imported``; one transaction with its audit entry
    and, with ``rescreen``, the re-screening it owes (done later by :func:`rescreen_due`)."""
    with engine.begin() as conn:
        applied = apply_import(
            conn,
            name=name,
            imported=imported,
            by=by,
            now=now or datetime.now(UTC),
            source=settings.source,
            legal_basis=settings.legal_basis,
            category=settings.category,
            severity=settings.severity,
            threshold=settings.threshold,
            valid_from=settings.valid_from,
            valid_to=settings.valid_to,
            rescreen=rescreen,
        )
        changes = applied.diff
        audit.record(
            conn,
            actor=by,
            action="watchlist.import",
            subject_type="watchlist",
            subject_id=name,
            detail={
                "created": applied.created,
                "format": imported.format,
                "file": file_name,
                "added": len(changes.added),
                "changed": len(changes.changed),
                "removed": len(changes.removed),
                "unchanged": changes.unchanged,
            },
            remote=remote,
        )
    return applied


def rescreen_due(
    engine: Engine,
    *,
    days_back: int,
    days_ahead: int,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    stop: Callable[[], bool] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Rescreened]:
    """Do every re-screening that imports owe, oldest first: screen the stored travellers
    of flights from ``days_back`` days ago to ``days_ahead`` days ahead against the
    entries each import added or changed, and record it done.

    An import another process has claimed is left to it. A failure is logged and recorded
    on its import, which stays due for the next run, and the others are done still. When
    ``stop`` says so (asked between batches of travellers), the import in hand is given up
    unfinished, for the next run, and what is done so far is returned.
    ``progress(list name, travellers done, travellers in the window)`` follows each."""
    done: list[Rescreened] = []
    with engine.connect() as conn:
        owed = rescreens.due(conn, now=now())
    for item in owed:
        with engine.begin() as conn:
            if not rescreens.claim(conn, item.import_id, now=now()):
                continue
        try:
            travellers, hits = rescreen_for_entries(
                engine,
                item.entry_ids,
                days_back=days_back,
                days_ahead=days_ahead,
                stop=stop,
                progress=None if progress is None else partial(progress, item.watchlist),
            )
        except ScreeningInterruptedError:
            with engine.begin() as conn:
                rescreens.release(conn, item.import_id)
            break
        except Exception as exc:
            log.exception("watchlist %s (import %d): re-screening failed; it stays due",
                          item.watchlist, item.import_id)  # fmt: skip
            error = f"{type(exc).__name__}: {exc}"
            with engine.begin() as conn:
                rescreens.record_failure(conn, item.import_id, error)
            done.append(Rescreened(item.import_id, item.watchlist, error=error))
            continue
        with engine.begin() as conn:
            rescreens.record_done(conn, item.import_id, now=now(), travellers=travellers, hits=hits)
        done.append(Rescreened(item.import_id, item.watchlist, travellers, hits))
    return done


class Rescreener:
    """Runs :func:`rescreen_due` in a background thread of a long-running process (the web
    server), so that a list upload returns at once.

    :meth:`kick` after an import, and once at start (what a stopped server left is taken
    up). One thread at a time: a kick while it runs makes it look again when done, so an
    import applied meanwhile is not missed. A failure is logged and recorded on the
    import (the list page shows it); the next kick tries again. :meth:`stop` (at shutdown)
    has the thread give up the import in hand between two batches of travellers, for the
    next start to take up."""

    def __init__(self, engine: Engine, *, days_back: int, days_ahead: int) -> None:
        self._engine = engine
        self._days_back = days_back
        self._days_ahead = days_ahead
        self._lock = threading.Lock()
        self._again = False
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def kick(self) -> None:
        """Start the re-screening thread, or have the running one look again."""
        with self._lock:
            if self._stopping.is_set():
                return
            self._again = True
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._run, name="rescreen", daemon=True)
            self._thread.start()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the running thread (tests, shutdown); True when none is running."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def stop(self, timeout: float | None = None) -> bool:
        """Have the thread stop soon and wait for it; True when it has stopped."""
        self._stopping.set()
        return self.join(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._again or self._stopping.is_set():
                    self._thread = None
                    return
                self._again = False
            try:
                owed = rescreen_due(
                    self._engine,
                    days_back=self._days_back,
                    days_ahead=self._days_ahead,
                    stop=self._stopping.is_set,
                )
                for r in owed:
                    if r.error is None:
                        log.info("watchlist %s (import %d): re-screened %d stored travellers, "
                                 "%d new hits", r.watchlist, r.import_id, r.travellers,
                                 r.new_hits)  # fmt: skip
            except Exception:  # the store itself failed: the imports stay due
                log.exception("re-screening after watchlist imports failed; they stay due")
