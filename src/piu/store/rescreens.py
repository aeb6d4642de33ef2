"""The re-screenings that watchlist imports owe, kept in ``watchlist_imports``.

An import that adds or changes entries owes a screening of the stored travellers of
recent and upcoming flights against those entries (:func:`piu.store.watchlists.apply_import`
records it due, in the import's own transaction). The screening itself is long work that
runs after that transaction: in the background for the web pages, at once for
``piu watchlist import``, and for any left over by ``piu screen --due``. So the debt is
stored, not held in memory: a process stopped half-way leaves the import due, and the
next run takes it up again (re-screening raises no hit twice).

A process *claims* an import before working on it, so that two processes (two web
servers, a server and the command line) do not screen the same travellers at once. A
claim older than ``stale_after`` is taken to be a stopped process's and can be claimed
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, select, update

from piu.store.schema import watchlist_imports, watchlists

__all__ = ["DueRescreen", "claim", "due", "record_done", "record_failure", "release"]

STALE_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class DueRescreen:
    """One import's owed re-screening."""

    import_id: int
    watchlist: str
    entry_ids: list[int]


def _claimable(now: datetime, stale_after: timedelta) -> ColumnElement[bool]:
    """Due, and claimed by no process, or by one silent for ``stale_after``."""
    claimed_at = watchlist_imports.c.rescreen_claimed_at
    return watchlist_imports.c.rescreen_due & (
        claimed_at.is_(None) | (claimed_at < now - stale_after)
    )


def due(
    conn: Connection, *, now: datetime, stale_after: timedelta = STALE_AFTER
) -> list[DueRescreen]:
    """Imports whose re-screening is due and not claimed by a live process, oldest first."""
    rows = conn.execute(
        select(
            watchlist_imports.c.id,
            watchlists.c.name,
            watchlist_imports.c.rescreen_entry_ids,
        )
        .join(watchlists, watchlists.c.id == watchlist_imports.c.watchlist_id)
        .where(_claimable(now, stale_after))
        .order_by(watchlist_imports.c.id)
    )
    return [DueRescreen(r.id, r.name, [int(i) for i in r.rescreen_entry_ids]) for r in rows]


def claim(
    conn: Connection, import_id: int, *, now: datetime, stale_after: timedelta = STALE_AFTER
) -> bool:
    """Claim a due import for this process; False when it is done or another holds it."""
    result = conn.execute(
        update(watchlist_imports)
        .where((watchlist_imports.c.id == import_id) & _claimable(now, stale_after))
        .values(rescreen_claimed_at=now)
    )
    return result.rowcount == 1


def record_done(
    conn: Connection, import_id: int, *, now: datetime, travellers: int, hits: int
) -> None:
    """The import's re-screening is done: how many travellers, how many new hits."""
    conn.execute(
        update(watchlist_imports)
        .where(watchlist_imports.c.id == import_id)
        .values(
            rescreen_due=False,
            rescreen_claimed_at=None,
            rescreened_at=now,
            rescreened_travellers=travellers,
            rescreen_hits=hits,
            rescreen_error=None,
        )
    )


def record_failure(conn: Connection, import_id: int, error: str) -> None:
    """The attempt failed: the import stays due, unclaimed, with the reason shown."""
    _unclaim(conn, import_id, rescreen_error=error[:500])


def release(conn: Connection, import_id: int) -> None:
    """Give the claim up, the work not done (the process is stopping): the next run takes
    the import up at once, not after ``stale_after``."""
    _unclaim(conn, import_id)


def _unclaim(conn: Connection, import_id: int, **values: object) -> None:
    conn.execute(
        update(watchlist_imports)
        .where(watchlist_imports.c.id == import_id)
        .values(rescreen_claimed_at=None, **values)
    )
