"""Loading a watchlist into force: apply the difference, audit it, re-screen recent travel.

Why one function for every door: ``piu watchlist import`` and the watchlist manager's
upload page must do exactly the same thing, in the same order. The difference is applied
and its audit entry written in one transaction (a list is never half-imported, and never
changed without a record of who did it), and only after the commit are stored travellers
of recent and upcoming flights screened against the added and changed entries, so a
person added today is found on tomorrow's flight that is already stored.

Parsing is the caller's (:func:`piu.screening.importers.load` or ``parse_bytes``): a file
that is refused raises before this module is reached, so nothing in force changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from piu.ingest.assess import rescreen_for_entries
from piu.screening.importers import ImportedList
from piu.store import audit
from piu.store.watchlists import AppliedImport, apply_import

__all__ = ["ListSettings", "Rescreened", "import_list", "rescreen_after"]


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
    travellers: int
    new_hits: int


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
) -> AppliedImport:
    """Create list ``name`` or bring it to ``imported``; one transaction with its audit entry."""
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


def rescreen_after(
    engine: Engine, applied: AppliedImport, *, days_back: int, days_ahead: int
) -> Rescreened:
    """Screen stored travellers of the window against the entries the import added or
    changed (removed entries raise nothing new)."""
    ids = applied.added_entry_ids + applied.changed_entry_ids
    screened, new = rescreen_for_entries(engine, ids, days_back=days_back, days_ahead=days_ahead)
    return Rescreened(screened, new)
