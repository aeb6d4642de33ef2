"""Screening stored travellers against the watchlists in force, and recording hits.

This is the *assess* step of the pipeline (DESIGN: receive -> keep raw -> parse -> store ->
assess). It runs after the travel data is committed, in its own transaction: a failure here
never loses a message, and travellers whose ``screened_at`` is still empty are screened
again by :func:`screen_due` (``piu screen --due``).

Two kinds of evidence raise a watchlist hit:

* a listed **person** whose names, dates of birth, nationality, gender and documents the
  matcher (:mod:`piu.screening`) scores at or above the list's threshold, with the
  matcher's explanation stored on the hit;
* a listed **document** (lost and stolen documents) whose number equals one of the
  traveller's, exactly or up to the keying confusions O/0 and I/1, and whose issuing state
  does not contradict.

A hit is unique per traveller, entry and evidence (a hash of what was compared), so
re-screening the same data never alerts twice. Evidence a reviewer dismissed as a false
match (``false_matches``) raises no hit again, for any traveller row.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from piu.domain.linking import without_titles
from piu.screening import BUILD, Matcher, written_name
from piu.screening.matcher import PER_WORKER, settle_heap
from piu.screening.model import DateOfBirth, Document, Match, Query, WatchlistEntry
from piu.store.dialect import insert_ignoring_conflicts
from piu.store.schema import (
    documents,
    false_matches,
    flights,
    hits,
    travellers,
    watchlist_entries,
    watchlist_imports,
    watchlists,
)
from piu.store.watchlists import entries_in_force

__all__ = [
    "ScreeningIndex",
    "ScreeningInterruptedError",
    "build_index",
    "document_hits",
    "rescreen_for_entries",
    "screen_due",
    "screen_travellers",
]

log = logging.getLogger(__name__)

_CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8"})


def _doc_key(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def _doc_fuzzy_key(number: str) -> str:
    return _doc_key(number).translate(_CONFUSABLE)


@dataclass(slots=True)
class _EntryInfo:
    row_id: int
    watchlist_id: int
    severity: str
    content_hash: str
    entry: WatchlistEntry


@dataclass(slots=True)
class ScreeningIndex:
    """A matcher over the persons in force plus a document-number index; immutable once built."""

    generation: tuple[Any, ...]
    matcher: Matcher | None
    by_key: dict[tuple[str, str], _EntryInfo] = field(default_factory=dict)
    documents: dict[str, list[tuple[_EntryInfo, Document]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.matcher is None and not self.documents


def _generation(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever an import is applied or a list's settings change."""
    last_import = conn.execute(select(func.max(watchlist_imports.c.id))).scalar()
    last_change = conn.execute(select(func.max(watchlists.c.updated_at))).scalar()
    active = conn.execute(
        select(func.count()).select_from(watchlists).where(watchlists.c.active.is_(True))
    ).scalar()
    return (last_import, last_change, active, date.today())


def build_index(
    conn: Connection, *, entry_ids: list[int] | None = None, generation: tuple[Any, ...] = ()
) -> ScreeningIndex:
    lists = {r.id: r for r in conn.execute(select(watchlists))}
    hashes = dict(
        conn.execute(
            select(watchlist_entries.c.id, watchlist_entries.c.content_hash).where(
                watchlist_entries.c.removed_at.is_(None)
                if entry_ids is None
                else watchlist_entries.c.id.in_(entry_ids)
            )
        ).all()
    )
    persons: list[WatchlistEntry] = []
    index = ScreeningIndex(generation=generation, matcher=None)
    for row_id, watchlist_id, entry in entries_in_force(
        conn, entry_ids=entry_ids, today=datetime.now(UTC).date()
    ):
        info = _EntryInfo(
            row_id, watchlist_id, lists[watchlist_id].severity, hashes.get(row_id, ""), entry
        )
        index.by_key[(entry.list_id, entry.id)] = info
        if entry.kind == "person" and entry.names:
            persons.append(entry)
        elif entry.kind == "document":
            for doc in entry.documents:
                index.documents.setdefault(_doc_fuzzy_key(doc.number), []).append((info, doc))
    if persons:
        thresholds = {r.name: r.threshold for r in lists.values() if r.threshold is not None}
        index.matcher = Matcher(list_thresholds=thresholds).build(persons)
    return index


# entries from which a new cached index is kept out of garbage collections (a smaller one
# costs the collector little, and settling costs a full collection)
_SETTLE_AT = 10_000


class _Cache:
    """One index per engine, rebuilt when the lists in force change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_engine: weakref.WeakKeyDictionary[Engine, ScreeningIndex] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, engine: Engine, conn: Connection) -> ScreeningIndex:
        generation = _generation(conn)
        current = self._by_engine.get(engine)
        if current is not None and current.generation == generation:
            return current
        with self._lock:
            current = self._by_engine.get(engine)
            if current is None or current.generation != generation:
                current = build_index(conn, generation=generation)
                self._by_engine[engine] = current
                if len(current.by_key) >= _SETTLE_AT:
                    settle_heap()  # it lives until the lists change: spare it the collector
                log.info("screening index rebuilt: %d entries (matcher %s)",
                         len(current.by_key), BUILD)  # fmt: skip
            return current


_CACHE = _Cache()


def _query_for(row: Any, docs: Sequence[Any]) -> Query:
    dob = row.date_of_birth
    # a PNR traveller's given names come as booked, with the title a booking system
    # appends (NURLAN MR): no name of the traveller's, and a name no list gives
    given = without_titles(row.given_names)
    return Query(
        name=written_name(" ".join(p for p in (given, row.middle_names) if p), row.surname),
        dob=DateOfBirth(dob.year, dob.month, dob.day) if dob else None,
        nationality=row.nationality,
        gender=row.gender if row.gender in ("M", "F") else None,
        documents=[Document(d.number, d.doc_type, d.issuing_state) for d in docs],
    )


def _evidence(query: Query, info: _EntryInfo) -> str:
    payload = {
        # in capitals: the case that tells the matcher the surname is no evidence
        "name": query.name.upper(),
        "dob": str(query.dob) if query.dob else None,
        "nationality": query.nationality,
        "gender": query.gender,
        "documents": sorted(_doc_key(d.number) for d in query.documents),
        "entry": info.content_hash,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _match_explanation(match: Match) -> dict[str, Any]:
    data = asdict(match)
    data["features"] = {k: {"outcome": v[0], "adjustment": v[1]} for k, v in match.features.items()}
    data["text"] = match.explain()
    return data


def document_hits(query: Query, index: ScreeningIndex) -> list[tuple[_EntryInfo, dict[str, Any]]]:
    found = []
    for doc in query.documents:
        for info, listed in index.documents.get(_doc_fuzzy_key(doc.number), []):
            if doc.country and listed.country and doc.country != listed.country:
                continue
            exact = _doc_key(doc.number) == _doc_key(listed.number)
            found.append(
                (
                    info,
                    {
                        "kind": "document",
                        "score": 1.0 if exact else 0.9,
                        "traveller_document": doc.number,
                        "listed_document": listed.number,
                        "how": "exact" if exact else "equal up to O/0, I/1 keying confusions",
                        "issuing_state": {
                            "traveller": doc.country,
                            "listed": listed.country,
                            "outcome": "agree"
                            if doc.country and doc.country == listed.country
                            else "unknown",
                        },
                        "text": f"document {doc.number} is listed as {listed.number} "
                        f"on {info.entry.list_id} ({'exact' if exact else 'keying confusion'})",
                    },
                )
            )
    return found


def _drop_false_matches(conn: Connection, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave out evidence a reviewer dismissed as a false match (:mod:`piu.store.reviews`):
    the hash covers the screened values and the entry, not the traveller row, so the same
    person with the same data on a later flight stays quiet too."""
    if not found:
        return found
    known = {
        (entry_id, evidence)
        for entry_id, evidence in conn.execute(
            select(false_matches.c.entry_id, false_matches.c.evidence_hash).where(
                false_matches.c.evidence_hash.in_(sorted({h["evidence_hash"] for h in found}))
            )
        )
    }
    return [h for h in found if (h["entry_id"], h["evidence_hash"]) not in known]


def _screen_rows(
    conn: Connection,
    index: ScreeningIndex,
    ids: Sequence[int],
    now: datetime,
    workers: int = 1,
) -> int:
    rows = conn.execute(select(travellers).where(travellers.c.id.in_(ids))).all()
    docs_by: dict[int, list[Any]] = {}
    for d in conn.execute(select(documents).where(documents.c.traveller_id.in_(ids))):
        docs_by.setdefault(d.traveller_id, []).append(d)
    new_hits = []
    queries = [_query_for(row, docs_by.get(row.id, [])) for row in rows]
    by_name: list[list[Match]] = (
        index.matcher.screen_many(queries, workers=workers)
        if index.matcher is not None
        else [[] for _ in rows]
    )
    for row, query, matches in zip(rows, queries, by_name, strict=True):
        found: list[tuple[_EntryInfo, float, str, dict[str, Any]]] = []
        for match in matches:
            info = index.by_key.get((match.list_id, match.entry_id))
            if info is not None:
                found.append((info, match.score, match.algorithm, _match_explanation(match)))
        for info, explanation in document_hits(query, index):
            found.append((info, explanation["score"], "piu-documents-1.0", explanation))
        for info, score, algorithm, explanation in found:
            new_hits.append(
                {
                    "traveller_id": row.id,
                    "kind": "watchlist",
                    "watchlist_id": info.watchlist_id,
                    "entry_id": info.row_id,
                    "score": float(score),
                    "severity": info.severity,
                    "algorithm": algorithm,
                    "explanation": explanation,
                    "evidence_hash": _evidence(query, info),
                    "message_id": row.last_message_id,
                    "status": "open",
                    "created_at": now,
                }
            )
    inserted = 0
    new_hits = _drop_false_matches(conn, new_hits)
    if new_hits:
        for h in new_hits:  # one by one: RETURNING tells which were new
            result = conn.execute(
                insert_ignoring_conflicts(conn, hits).values(**h).returning(hits.c.id)
            )
            inserted += result.first() is not None
    return inserted


def screen_travellers(engine: Engine, traveller_ids: Iterable[int], *, workers: int = 1) -> int:
    """Screen these travellers against every list in force; returns the number of new hits.

    ``workers`` > 1 spreads the names over that many processes
    (:meth:`~piu.screening.Matcher.screen_many`): for commands, not inside the server."""
    ids = list(traveller_ids)
    if not ids:
        return 0
    now = datetime.now(UTC)
    with engine.begin() as conn:
        index = _CACHE.get(engine, conn)
        new = 0
        if not index.empty:
            # enough travellers a call for each worker process to pay (PER_WORKER)
            step = PER_WORKER * workers if workers > 1 else 500
            for start in range(0, len(ids), step):
                new += _screen_rows(conn, index, ids[start : start + step], now, workers)
        for start in range(0, len(ids), 500):
            conn.execute(
                update(travellers)
                .where(travellers.c.id.in_(ids[start : start + 500]))
                .values(screened_at=now)
            )
    return new


def screen_due(
    engine: Engine,
    *,
    batch: int = 2000,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Screen every traveller not screened since it was stored or changed: (screened, hits);
    ``workers`` as in :func:`screen_travellers`. ``progress(done, total)`` is called after
    each batch (the total as counted at the start; travellers stored meanwhile add to it)."""
    screened = new = 0
    total = 0
    if progress is not None:
        with engine.connect() as conn:
            total = conn.execute(
                select(func.count())
                .select_from(travellers)
                .where(travellers.c.screened_at.is_(None))
            ).scalar_one()
    while True:
        with engine.connect() as conn:
            ids = list(
                conn.execute(
                    select(travellers.c.id)
                    .where(travellers.c.screened_at.is_(None))
                    .order_by(travellers.c.id)
                    .limit(batch)
                ).scalars()
            )
        if not ids:
            return screened, new
        new += screen_travellers(engine, ids, workers=workers)
        screened += len(ids)
        if progress is not None:
            progress(screened, max(total, screened))


class ScreeningInterruptedError(Exception):
    """A screening was asked to stop (its process is shutting down) before it was done;
    what it committed stays, and doing it again raises no hit twice."""


def rescreen_for_entries(
    engine: Engine,
    entry_ids: Sequence[int],
    *,
    days_back: int = 7,
    days_ahead: int = 30,
    stop: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Screen travellers of recent and upcoming flights against just these (new or changed)
    entries, so that a person added to a list today is found on tomorrow's flight already
    stored. Returns (travellers screened, new hits). ``stop`` is asked between batches of
    travellers; when it says so, :class:`ScreeningInterruptedError` is raised.
    ``progress(done, total)`` is called after each batch."""
    if not entry_ids:
        return 0, 0
    now = datetime.now(UTC)
    with engine.connect() as conn:
        index = build_index(conn, entry_ids=list(entry_ids))
        if index.empty:
            return 0, 0
        ids = list(
            conn.execute(
                select(travellers.c.id)
                .join(flights, flights.c.id == travellers.c.flight_id)
                .where(
                    flights.c.departure_utc.between(
                        now - timedelta(days=days_back), now + timedelta(days=days_ahead)
                    )
                )
            ).scalars()
        )
    new = 0
    for start in range(0, len(ids), 500):
        if stop is not None and stop():
            raise ScreeningInterruptedError(f"stopped after {start} of {len(ids)} travellers")
        with engine.begin() as conn:
            new += _screen_rows(conn, index, ids[start : start + 500], now)
        if progress is not None:
            progress(min(start + 500, len(ids)), len(ids))
    return len(ids), new
