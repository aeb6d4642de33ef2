"""What :mod:`piu.store.cases` and :mod:`piu.store.disseminations` share; private to them.

The errors both raise, the checks of what a person typed, the case row (read, or locked
and checked open), the query of a hit with its traveller, flight and source, the reads of
notes and attachment metadata, and the audit entry that every change writes in its own
transaction. Callers use the two public modules, which re-export the errors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, func, insert, select, update

from piu.errors import PiuError
from piu.store import audit
from piu.store.read import MAX_LIMIT, Page
from piu.store.schema import (
    case_attachments,
    case_notes,
    cases,
    flights,
    hits,
    rule_versions,
    rules,
    travellers,
    watchlist_entries,
    watchlists,
)

MAX_TEXT_CHARS = 20_000


class CaseError(PiuError):
    """A case or dissemination step that cannot be done, with the reason for a person."""


class NotFound(CaseError):  # noqa: N818 - named for what happened
    """No case, hit, dissemination or attachment has this id."""

    def __init__(self, what: str, ident: int) -> None:
        self.what = what
        self.ident = ident
        super().__init__(f"no {what} {ident}")


class CaseStateError(CaseError):
    """Not allowed in the current state (closed case, already decided, not approved)."""


# --- checks ----------------------------------------------------------------------------
def checked_text(value: str | None, what: str, *, min_chars: int, max_chars: int) -> str:
    """``value`` stripped, between ``min_chars`` and ``max_chars`` long."""
    text = (value or "").strip()
    if len(text) < min_chars:
        more = f" (at least {min_chars} characters)" if min_chars > 1 else ""
        raise CaseError(f"{what} is needed{more}")
    if len(text) > max_chars:
        raise CaseError(f"{what} is longer than {max_chars} characters")
    return text


def one_line(value: str | None, what: str, *, min_chars: int, max_chars: int) -> str:
    """:func:`checked_text` with its runs of white space folded to single spaces."""
    return " ".join(checked_text(value, what, min_chars=min_chars, max_chars=max_chars).split())


def who(by: str) -> str:
    """The name of the person acting; refused when blank."""
    if not by or not by.strip():
        raise CaseError("the name of the person acting is needed")
    return by


def aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now


def check_status(status: str | None, allowed: tuple[str, ...]) -> None:
    """A list's ``status`` filter: None (all) or one of ``allowed``."""
    if status is not None and status not in allowed:
        raise CaseError(f"status must be one of {', '.join(allowed)}; got {status!r}")


# --- writing ---------------------------------------------------------------------------
def insert_row(conn: Connection, table: Any, **values: Any) -> int:
    """Insert one row and return its new ``id``."""
    return int(conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())


def audited(
    conn: Connection,
    action: str,
    subject_id: int,
    detail: dict[str, Any],
    *,
    by: str,
    now: datetime,
    remote: str | None,
) -> None:
    """Write ``action`` (``case.*`` or ``dissemination.*``) on the case or dissemination
    ``subject_id`` to the audit chain, in the caller's transaction."""
    audit.record(
        conn,
        actor=by,
        action=action,
        subject_type=action.partition(".")[0],
        subject_id=subject_id,
        detail=detail,
        remote=remote,
        now=now,
    )


# --- rows by id ------------------------------------------------------------------------
def row_by_id(
    conn: Connection, table: Any, ident: int, what: str, *, lock: bool = False
) -> Row[Any]:
    """The row of ``table`` with this id, locked for the transaction when ``lock``;
    :class:`NotFound` (no ``what`` ``ident``) when there is none."""
    query = select(table).where(table.c.id == ident)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(what, ident)
    return row


def case_row(conn: Connection, case_id: int, *, lock: bool = False) -> Row[Any]:
    return row_by_id(conn, cases, case_id, "case", lock=lock)


def open_case_row(conn: Connection, case_id: int) -> Row[Any]:
    """The case, locked for this transaction; refused when it is closed."""
    row = case_row(conn, case_id, lock=True)
    if row.status != "open":
        raise CaseStateError(f"case {case_id} is closed; reopen it first")
    return row


def touch(conn: Connection, case_id: int, now: datetime) -> None:
    """Mark the case as changed at ``now`` (lists show the most recently changed first)."""
    conn.execute(update(cases).where(cases.c.id == case_id).values(updated_at=now))


# --- reading ---------------------------------------------------------------------------
def dicts(conn: Connection, query: Select[Any]) -> list[dict[str, Any]]:
    """Every row of ``query`` as a plain dict."""
    return [dict(r._mapping) for r in conn.execute(query)]


def count(table: Any, *where: Any) -> Any:
    """``SELECT count(*) FROM table WHERE …`` as a column of an outer query."""
    return select(func.count()).select_from(table).where(*where).scalar_subquery()


def page(conn: Connection, query: Select[Any], limit: int, offset: int) -> Page:
    """One page of ``query``; one row more is read to learn whether another page follows."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    rows = dicts(conn, query.limit(limit + 1).offset(offset))
    more = len(rows) > limit
    return Page(rows[:limit], limit, offset, offset + limit if more else None)


def hit_columns() -> list[Any]:
    """A hit with its traveller, flight and source (watchlist entry or rule version)."""
    return [
        hits.c.id,
        hits.c.kind,
        hits.c.status,
        hits.c.severity,
        hits.c.score,
        hits.c.algorithm,
        hits.c.created_at,
        hits.c.explanation,
        hits.c.traveller_id,
        travellers.c.surname,
        travellers.c.given_names,
        travellers.c.date_of_birth,
        travellers.c.flight_id,
        flights.c.flight_code,
        flights.c.origin,
        flights.c.destination,
        flights.c.departure_date,
        flights.c.departure_utc,
        watchlists.c.name.label("watchlist"),
        watchlist_entries.c.entry_key.label("entry"),
        rules.c.name.label("rule"),
        rule_versions.c.version.label("rule_version"),
    ]


def hit_joins() -> Any:
    """The tables :func:`hit_columns` reads, joined from ``hits``."""
    return (
        hits.join(travellers, travellers.c.id == hits.c.traveller_id)
        .join(flights, flights.c.id == travellers.c.flight_id)
        .outerjoin(watchlists, watchlists.c.id == hits.c.watchlist_id)
        .outerjoin(watchlist_entries, watchlist_entries.c.id == hits.c.entry_id)
        .outerjoin(rule_versions, rule_versions.c.id == hits.c.rule_version_id)
        .outerjoin(rules, rules.c.id == rule_versions.c.rule_id)
    )


def with_source(row: Any) -> dict[str, Any]:
    """A row of :func:`hit_columns` as a dict with ``source``: the watchlist or the rule."""
    item = dict(row._mapping)
    item["source"] = item["watchlist"] if item["kind"] == "watchlist" else item["rule"]
    return item


def notes_where(conn: Connection, condition: Any) -> list[dict[str, Any]]:
    """The notes that meet ``condition``, oldest first."""
    return dicts(
        conn, select(case_notes).where(condition).order_by(case_notes.c.at, case_notes.c.id)
    )


def attachments_where(conn: Connection, condition: Any) -> list[dict[str, Any]]:
    """The metadata (never the bytes) of the attachments that meet ``condition``."""
    columns = [c for c in case_attachments.c if c.name != "content"]
    return dicts(conn, select(*columns).where(condition).order_by(case_attachments.c.id))
