"""Watchlists in force: applying an import as a difference, and loading entries to screen.

An import never replaces a list wholesale. The new file is diffed against the entries in
force (:func:`piu.screening.importers.diff`), and the additions, changes and removals are
applied in one transaction together with an audit row in ``watchlist_imports``. A removed
entry is only marked ``removed_at``: hits raised on it keep pointing at what was listed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from piu.screening.importers import ImportedList, ListDiff, diff
from piu.screening.model import DateOfBirth, Document, WatchlistEntry
from piu.screening.names import Token, analyse_name
from piu.store.schema import watchlist_entries, watchlist_imports, watchlists

__all__ = [
    "AppliedImport",
    "EntryPage",
    "ImportRecord",
    "StoredEntry",
    "WatchlistInfo",
    "apply_import",
    "browse_entries",
    "entries_in_force",
    "entry_from_row",
    "get_watchlist",
    "get_watchlist_by_id",
    "import_history",
    "last_imports",
    "list_watchlists",
    "preview_import",
]

SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True, slots=True)
class WatchlistInfo:
    id: int
    name: str
    source: str | None
    legal_basis: str | None
    category: str
    severity: str
    format: str
    threshold: float | None
    valid_from: date | None
    valid_to: date | None
    active: bool
    entry_count: int
    created_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AppliedImport:
    watchlist_id: int
    created: bool
    diff: ListDiff
    added_entry_ids: list[int]
    changed_entry_ids: list[int]
    import_id: int = 0
    rescreen_due: bool = False  # the stored travellers are still to be screened against it


def _entry_values(e: WatchlistEntry) -> dict[str, Any]:
    values = {
        "kind": e.kind,
        "names": list(e.names),
        "weak_names": list(e.weak_names),
        "dobs": [
            {"year": d.year, "month": d.month, "day": d.day, "year_to": d.year_to} for d in e.dobs
        ],
        "nationalities": list(e.nationalities),
        "gender": e.gender,
        "documents": [
            {"number": d.number, "type": d.type, "country": d.country} for d in e.documents
        ],
        "attributes": dict(e.attributes),
    }
    values["content_hash"] = hashlib.sha256(
        json.dumps(values, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return values


def entry_from_row(row: Any, list_name: str) -> WatchlistEntry:
    """A stored entry as the matcher's :class:`WatchlistEntry` (``list_id`` = list name)."""
    return WatchlistEntry(
        id=row.entry_key,
        list_id=list_name,
        names=list(row.names),
        weak_names=list(row.weak_names or []),
        dobs=[DateOfBirth(**d) for d in row.dobs or []],
        nationalities=list(row.nationalities or []),
        gender=row.gender,
        documents=[Document(**d) for d in row.documents or []],
        kind=row.kind,
        attributes=dict(row.attributes or {}),
    )


def _info(row: Any) -> WatchlistInfo:
    return WatchlistInfo(
        id=row.id,
        name=row.name,
        source=row.source,
        legal_basis=row.legal_basis,
        category=row.category,
        severity=row.severity,
        format=row.format,
        threshold=row.threshold,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        active=row.active,
        entry_count=row.entry_count,
        created_by=row.created_by,
        updated_at=row.updated_at,
    )


def list_watchlists(conn: Connection) -> list[WatchlistInfo]:
    return [_info(r) for r in conn.execute(select(watchlists).order_by(watchlists.c.name))]


def get_watchlist(conn: Connection, name: str) -> WatchlistInfo | None:
    row = conn.execute(select(watchlists).where(watchlists.c.name == name)).first()
    return _info(row) if row else None


def get_watchlist_by_id(conn: Connection, watchlist_id: int) -> WatchlistInfo | None:
    row = conn.execute(select(watchlists).where(watchlists.c.id == watchlist_id)).first()
    return _info(row) if row else None


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One applied import of a list (a row of ``watchlist_imports``)."""

    id: int
    watchlist_id: int
    at: datetime
    by: str
    source_path: str | None
    format: str
    generated_at: str | None
    added: int
    changed: int
    removed: int
    warnings: int
    rescreen: str = ""  # "due", "failed" (and due again), "done", or "" (none owed)
    rescreened_travellers: int | None = None
    rescreen_hits: int | None = None
    rescreen_error: str | None = None


def _rescreen_state(row: Any) -> str:
    if row.rescreen_due:
        return "failed" if row.rescreen_error else "due"
    return "done" if row.rescreened_at is not None else ""


def _import_record(row: Any) -> ImportRecord:
    return ImportRecord(
        id=row.id,
        watchlist_id=row.watchlist_id,
        at=row.at,
        by=row.by,
        source_path=row.source_path,
        format=row.format,
        generated_at=row.generated_at,
        added=row.added,
        changed=row.changed,
        removed=row.removed,
        warnings=len(row.warnings or []),
        rescreen=_rescreen_state(row),
        rescreened_travellers=row.rescreened_travellers,
        rescreen_hits=row.rescreen_hits,
        rescreen_error=row.rescreen_error,
    )


def import_history(conn: Connection, watchlist_id: int, *, limit: int = 20) -> list[ImportRecord]:
    """The latest imports of a list, newest first."""
    rows = conn.execute(
        select(watchlist_imports)
        .where(watchlist_imports.c.watchlist_id == watchlist_id)
        .order_by(watchlist_imports.c.id.desc())
        .limit(limit)
    )
    return [_import_record(r) for r in rows]


def last_imports(conn: Connection) -> dict[int, ImportRecord]:
    """The newest import of every list, by list id (for the overview of lists)."""
    newest = (
        select(func.max(watchlist_imports.c.id))
        .group_by(watchlist_imports.c.watchlist_id)
        .scalar_subquery()
    )
    rows = conn.execute(select(watchlist_imports).where(watchlist_imports.c.id.in_(newest)))
    return {r.watchlist_id: _import_record(r) for r in rows}


def _current_entries(conn: Connection, watchlist_id: int, name: str) -> dict[str, Any]:
    rows = conn.execute(
        select(watchlist_entries).where(
            (watchlist_entries.c.watchlist_id == watchlist_id)
            & watchlist_entries.c.removed_at.is_(None)
        )
    ).all()
    return {r.entry_key: r for r in rows}


def preview_import(conn: Connection, name: str, imported: ImportedList) -> ListDiff:
    """What importing ``imported`` into list ``name`` would change (nothing is written)."""
    info = get_watchlist(conn, name)
    old = (
        [entry_from_row(r, name) for r in _current_entries(conn, info.id, name).values()]
        if info
        else []
    )
    return diff(old, [_relabel(e, name) for e in imported.entries])


def _relabel(e: WatchlistEntry, name: str) -> WatchlistEntry:
    if e.list_id == name:
        return e
    return WatchlistEntry(
        id=e.id,
        list_id=name,
        names=e.names,
        weak_names=e.weak_names,
        dobs=e.dobs,
        nationalities=e.nationalities,
        gender=e.gender,
        documents=e.documents,
        kind=e.kind,
        attributes=e.attributes,
    )


def apply_import(
    conn: Connection,
    *,
    name: str,
    imported: ImportedList,
    by: str,
    now: datetime,
    source: str | None = None,
    legal_basis: str | None = None,
    category: str | None = None,
    severity: str | None = None,
    threshold: float | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    rescreen: bool = True,
) -> AppliedImport:
    """Create list ``name`` or bring it to ``imported``'s content; one transaction (caller's).

    With ``rescreen``, the import row records the entries it added or changed as due for
    a re-screening of the stored travellers (:mod:`piu.store.rescreens`), in the same
    transaction: the list cannot change without the re-screening it owes being kept."""
    if severity is not None and severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")
    info = get_watchlist(conn, name)
    settings: dict[str, Any] = {
        k: v
        for k, v in {
            "source": source,
            "legal_basis": legal_basis,
            "category": category,
            "severity": severity,
            "threshold": threshold,
            "valid_from": valid_from,
            "valid_to": valid_to,
        }.items()
        if v is not None
    }
    created = info is None
    if info is None:
        watchlist_id = conn.execute(
            watchlists.insert()
            .values(
                name=name,
                format=imported.format,
                created_by=by,
                created_at=now,
                updated_at=now,
                **({"category": "sanctions", "severity": "high"} | settings),
            )
            .returning(watchlists.c.id)
        ).scalar_one()
        current: dict[str, Any] = {}
    else:
        watchlist_id = info.id
        current = _current_entries(conn, watchlist_id, name)
    old = [entry_from_row(r, name) for r in current.values()]
    new = [_relabel(e, name) for e in imported.entries]
    changes = diff(old, new)

    added_ids: list[int] = []
    if changes.added:
        rows = []
        for e in changes.added:
            rows.append(
                {
                    "watchlist_id": watchlist_id,
                    "entry_key": e.id,
                    "added_at": now,
                    "changed_at": now,
                    **_entry_values(e),
                }
            )
        # An entry that was removed earlier and comes back is revived, not duplicated.
        revived = {
            r.entry_key: r.id
            for r in conn.execute(
                select(watchlist_entries.c.id, watchlist_entries.c.entry_key).where(
                    (watchlist_entries.c.watchlist_id == watchlist_id)
                    & watchlist_entries.c.removed_at.is_not(None)
                )
            )
        }
        fresh = [r for r in rows if r["entry_key"] not in revived]
        for r in rows:
            if r["entry_key"] in revived:
                rid = revived[r["entry_key"]]
                values = {k: v for k, v in r.items() if k not in ("watchlist_id", "entry_key")}
                conn.execute(
                    update(watchlist_entries)
                    .where(watchlist_entries.c.id == rid)
                    .values(removed_at=None, **values)
                )
                added_ids.append(rid)
        if fresh:
            added_ids += list(
                conn.execute(
                    watchlist_entries.insert().returning(
                        watchlist_entries.c.id, sort_by_parameter_order=True
                    ),
                    fresh,
                ).scalars()
            )
    changed_ids: list[int] = []
    for change in changes.changed:
        row_id = current[change.new.id].id
        conn.execute(
            update(watchlist_entries)
            .where(watchlist_entries.c.id == row_id)
            .values(changed_at=now, **_entry_values(change.new))
        )
        changed_ids.append(row_id)
    if changes.removed:
        conn.execute(
            update(watchlist_entries)
            .where(watchlist_entries.c.id.in_([current[e.id].id for e in changes.removed]))
            .values(removed_at=now)
        )
    count = conn.execute(
        select(func.count())
        .select_from(watchlist_entries)
        .where(
            (watchlist_entries.c.watchlist_id == watchlist_id)
            & watchlist_entries.c.removed_at.is_(None)
        )
    ).scalar_one()
    conn.execute(
        update(watchlists)
        .where(watchlists.c.id == watchlist_id)
        .values(entry_count=count, updated_at=now, format=imported.format, **settings)
    )
    owed = added_ids + changed_ids if rescreen else []
    import_id = conn.execute(
        watchlist_imports.insert()
        .values(
            watchlist_id=watchlist_id,
            at=now,
            by=by,
            source_path=str(imported.source_path) if imported.source_path else None,
            format=imported.format,
            generated_at=str(imported.generated_at) if imported.generated_at else None,
            added=len(changes.added),
            changed=len(changes.changed),
            removed=len(changes.removed),
            warnings=list(imported.warnings)[:1000],
            rescreen_entry_ids=owed,
            rescreen_due=bool(owed),
        )
        .returning(watchlist_imports.c.id)
    ).scalar_one()
    return AppliedImport(
        watchlist_id, created, changes, added_ids, changed_ids, import_id, bool(owed)
    )


def entries_in_force(
    conn: Connection, *, entry_ids: list[int] | None = None, today: date | None = None
) -> list[tuple[int, int, WatchlistEntry]]:
    """(entry row id, list id, entry) for every entry of every active, valid list."""
    query = (
        select(watchlist_entries, watchlists.c.name.label("list_name"))
        .join(watchlists, watchlists.c.id == watchlist_entries.c.watchlist_id)
        .where(watchlists.c.active.is_(True) & watchlist_entries.c.removed_at.is_(None))
    )
    if today is not None:
        query = query.where(
            (watchlists.c.valid_from.is_(None) | (watchlists.c.valid_from <= today))
            & (watchlists.c.valid_to.is_(None) | (watchlists.c.valid_to >= today))
        )
    if entry_ids is not None:
        query = query.where(watchlist_entries.c.id.in_(entry_ids))
    return [(r.id, r.watchlist_id, entry_from_row(r, r.list_name)) for r in conn.execute(query)]


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An entry in force with its row id and when it was added or last changed."""

    row_id: int
    entry: WatchlistEntry
    added_at: datetime
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class EntryPage:
    """One page of a list's entries; ``next_offset`` is None on the last page."""

    items: list[StoredEntry]
    limit: int
    offset: int
    next_offset: int | None


_SCAN_BATCH = 1000


def _search_tokens(query: str) -> tuple[Token, ...]:
    form = analyse_name(query)
    return form.main_tokens or form.tokens


def _token_fits(wanted: Token, seen: Token) -> bool:
    """A typed token fits a listed one if it starts one of its folded keys or Latin
    spellings: "asan" finds АСАНОВ, "hassan" finds حسن, whatever the script typed."""
    return any(k.startswith(q) for q in wanted.keys for k in seen.keys) or any(
        r.startswith(wanted.text) for r in seen.renditions
    )


def _entry_fits(wanted: tuple[Token, ...], entry: WatchlistEntry) -> bool:
    seen = [t for name in (*entry.names, *entry.weak_names) for t in analyse_name(name).tokens]
    return all(any(_token_fits(w, s) for s in seen) for w in wanted)


def browse_entries(
    conn: Connection,
    watchlist_id: int,
    name: str,
    *,
    query: str = "",
    limit: int = 50,
    offset: int = 0,
) -> EntryPage:
    """Entries in force of one list, in the order they were added, optionally only those
    whose names fit ``query``.

    Why the search runs here and not in SQL: names are JSON arrays in any script, and a
    person looking for "Asanov" must find "Асанов". The name analysis of the matcher
    (transliteration and folding keys) does that; the entries are scanned in batches and
    the scan stops as soon as the page is full.
    """
    if not 1 <= limit <= 500 or offset < 0:
        raise ValueError("bad paging")
    base = (
        select(watchlist_entries)
        .where(
            (watchlist_entries.c.watchlist_id == watchlist_id)
            & watchlist_entries.c.removed_at.is_(None)
        )
        .order_by(watchlist_entries.c.id)
    )
    wanted = _search_tokens(query) if query.strip() else ()
    found: list[StoredEntry] = []
    if not wanted:
        rows = conn.execute(base.limit(limit + 1).offset(offset)).all()
        found = [_stored(r, name) for r in rows]
    else:
        skipped, last_id = 0, 0
        while len(found) <= limit:
            rows = conn.execute(
                base.where(watchlist_entries.c.id > last_id).limit(_SCAN_BATCH)
            ).all()
            if not rows:
                break
            for row in rows:
                last_id = row.id
                stored = _stored(row, name)
                if not _entry_fits(wanted, stored.entry):
                    continue
                if skipped < offset:
                    skipped += 1
                    continue
                found.append(stored)
                if len(found) > limit:
                    break
    more = len(found) > limit
    return EntryPage(found[:limit], limit, offset, offset + limit if more else None)


def _stored(row: Any, name: str) -> StoredEntry:
    return StoredEntry(row.id, entry_from_row(row, name), row.added_at, row.changed_at)
