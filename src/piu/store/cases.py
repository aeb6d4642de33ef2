"""Cases and their dissemination to competent authorities (DESIGN principle 6).

A **case** gathers what an analyst has found about a matter: hits that a person has
*confirmed* (an open, dismissed or undecided hit is a suggestion and cannot join), notes
and attachments. Nothing in a case is overwritten: notes and attachments are append-only
and a hit joins once. A closed case takes no more changes until it is reopened.

A **dissemination** sends a case to a competent authority, and nothing adverse leaves the
system without a recorded human decision:

1. an analyst or supervisor *requests* it, naming the recipient, the legal basis, the
   purpose and the formats (PDF for people, JSON for systems). The request freezes what
   will leave: the case's confirmed hits, its notes and its attachment list as they are
   now, so the approver approves exactly what is sent;
2. a supervisor who is **not** the requester *approves* or *rejects* it with a written
   note (four eyes). Roles are checked by the caller (HTTP, pages, CLI), who knows them;
   this module enforces the second person;
3. only then can it be *exported*, as often as needed, each time recorded with who, when,
   the format and the SHA-256 of the bytes handed out. A hit that is no longer confirmed
   (a later decision dismissed it) stops the approval and the export: the request must be
   made again.

Every change is written to the hash-chained audit log in the same transaction
(``case.create``, ``case.add_hit``, ``case.note``, ``case.attach``, ``case.close``,
``case.reopen``, ``dissemination.request``, ``.approve``, ``.reject``, ``.export``). The
entries name ids, sizes and hashes, never note text, titles or file names: those may be
personal data, which belongs in the tables that retention and masking reach.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from piu.errors import PiuError
from piu.review import package
from piu.store import audit
from piu.store.read import MAX_LIMIT, Page
from piu.store.schema import (
    case_attachments,
    case_hits,
    case_notes,
    cases,
    dissemination_exports,
    disseminations,
    documents,
    flights,
    hit_reviews,
    hits,
    rule_versions,
    rules,
    travellers,
    watchlist_entries,
    watchlists,
)

__all__ = [
    "CASE_STATUSES",
    "DISSEMINATION_STATUSES",
    "FORMATS",
    "MAX_ATTACHMENT_BYTES",
    "MIN_DECISION_WORDS",
    "PRIORITIES",
    "AttachmentTooLarge",
    "CaseError",
    "CaseStateError",
    "Export",
    "FourEyesError",
    "HitNotConfirmed",
    "NotFound",
    "add_attachment",
    "add_hit",
    "add_note",
    "approve",
    "cases_of_hit",
    "close_case",
    "create_case",
    "export",
    "get_attachment",
    "get_case",
    "get_dissemination",
    "list_cases",
    "list_disseminations",
    "package_data",
    "reject",
    "reopen_case",
    "request_dissemination",
    "sanitise_filename",
]

PRIORITIES = ("low", "medium", "high", "critical")
CASE_STATUSES = ("open", "closed")
DISSEMINATION_STATUSES = ("requested", "approved", "rejected")
FORMATS = package.FORMATS
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_TITLE_CHARS = 200
MAX_TEXT_CHARS = 20_000
MAX_RECIPIENT_CHARS = 255
MIN_DECISION_WORDS = 3
_FILENAME_CHARS = 180
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")
_UNSAFE_IN_NAME = re.compile(r'[<>:"/\\|?*;\x00-\x1f\x7f]')


class CaseError(PiuError):
    """A case or dissemination step that cannot be done, with the reason for a person."""


class NotFound(CaseError):  # noqa: N818 - named for what happened
    """No case, hit, dissemination or attachment has this id."""

    def __init__(self, what: str, ident: int) -> None:
        self.what = what
        self.ident = ident
        super().__init__(f"no {what} {ident}")


class HitNotConfirmed(CaseError):  # noqa: N818
    """Only a hit a person has confirmed may join a case."""


class AttachmentTooLarge(CaseError):  # noqa: N818
    """The file is over the size limit."""


class FourEyesError(CaseError):
    """The requester of a dissemination cannot also approve or reject it."""


class CaseStateError(CaseError):
    """Not allowed in the current state (closed case, already decided, not approved)."""


@dataclass(frozen=True, slots=True)
class Export:
    """A package handed out: its bytes and how it was recorded."""

    export_id: int
    dissemination_id: int
    format: str
    content: bytes
    sha256: str
    filename: str
    media_type: str


# --- checks ----------------------------------------------------------------------------
def _text(value: str | None, what: str, *, min_chars: int, max_chars: int) -> str:
    text = (value or "").strip()
    if len(text) < min_chars:
        more = f" (at least {min_chars} characters)" if min_chars > 1 else ""
        raise CaseError(f"{what} is needed{more}")
    if len(text) > max_chars:
        raise CaseError(f"{what} is longer than {max_chars} characters")
    return text


def _words(value: str | None, what: str) -> str:
    text = " ".join((value or "").split())
    if len(text.split(" ")) < MIN_DECISION_WORDS or len(text) < 10:
        raise CaseError(f"{what} needs at least {MIN_DECISION_WORDS} words saying why")
    if len(text) > MAX_TEXT_CHARS:
        raise CaseError(f"{what} is longer than {MAX_TEXT_CHARS} characters")
    return text


def _who(by: str) -> str:
    if not by or not by.strip():
        raise CaseError("the name of the person acting is needed")
    return by


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now


def sanitise_filename(name: str | None) -> str:
    """A file name safe to store and to send back in a header: no folders, no control or
    reserved characters, no leading dot, at most 180 characters (the extension kept)."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE_IN_NAME.sub("_", base)
    base = " ".join(base.split()).lstrip(". ")
    if len(base) > _FILENAME_CHARS:
        stem, dot, ext = base.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            base = stem[: _FILENAME_CHARS - len(ext) - 1] + "." + ext
        else:
            base = base[:_FILENAME_CHARS]
    return base or "attachment"


def _content_type(value: str | None) -> str:
    kind = (value or "").split(";", 1)[0].strip().lower()
    return kind if _CONTENT_TYPE.match(kind) else "application/octet-stream"


# --- cases -----------------------------------------------------------------------------
def _case(conn: Connection, case_id: int, *, lock: bool = False) -> Row[Any]:
    query = select(cases).where(cases.c.id == case_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound("case", case_id)
    return row


def _open_case(conn: Connection, case_id: int) -> Row[Any]:
    row = _case(conn, case_id, lock=True)
    if row.status != "open":
        raise CaseStateError(f"case {case_id} is closed; reopen it first")
    return row


def _touch(conn: Connection, case_id: int, now: datetime) -> None:
    conn.execute(update(cases).where(cases.c.id == case_id).values(updated_at=now))


def create_case(
    conn: Connection,
    *,
    title: str,
    summary: str = "",
    priority: str = "medium",
    by: str,
    now: datetime,
    remote: str | None = None,
) -> dict[str, Any]:
    """Open a case and return its row."""
    title = " ".join(_text(title, "a title", min_chars=3, max_chars=MAX_TITLE_CHARS).split())
    summary = (summary or "").strip()
    if len(summary) > MAX_TEXT_CHARS:
        raise CaseError(f"the summary is longer than {MAX_TEXT_CHARS} characters")
    if priority not in PRIORITIES:
        raise CaseError(f"priority must be one of {', '.join(PRIORITIES)}; got {priority!r}")
    now = _aware(now)
    values = {
        "title": title,
        "summary": summary,
        "priority": priority,
        "status": "open",
        "created_by": _who(by),
        "created_at": now,
        "updated_at": now,
    }
    case_id = int(conn.execute(insert(cases).values(**values).returning(cases.c.id)).scalar_one())
    audit.record(
        conn,
        actor=by,
        action="case.create",
        subject_type="case",
        subject_id=case_id,
        detail={"priority": priority},
        remote=remote,
        now=now,
    )
    return {"id": case_id, **values, "closed_by": None, "closed_at": None}


def add_hit(
    conn: Connection,
    case_id: int,
    hit_id: int,
    *,
    by: str,
    now: datetime,
    remote: str | None = None,
) -> dict[str, Any]:
    """Add a confirmed hit to an open case; ``added`` is False if it was already there."""
    now = _aware(now)
    _open_case(conn, case_id)
    hit = conn.execute(
        select(hits.c.id, hits.c.status, hits.c.traveller_id).where(hits.c.id == hit_id)
    ).first()
    if hit is None:
        raise NotFound("hit", hit_id)
    if hit.status != "confirmed":
        raise HitNotConfirmed(
            f"hit {hit_id} is {hit.status}: only a hit a person has confirmed can join a "
            "case; decide it first"
        )
    present = conn.execute(
        select(case_hits.c.hit_id).where(
            (case_hits.c.case_id == case_id) & (case_hits.c.hit_id == hit_id)
        )
    ).first()
    if present is not None:
        return {"case_id": case_id, "hit_id": hit_id, "added": False}
    conn.execute(
        insert(case_hits).values(case_id=case_id, hit_id=hit_id, added_by=_who(by), added_at=now)
    )
    _touch(conn, case_id, now)
    audit.record(
        conn,
        actor=by,
        action="case.add_hit",
        subject_type="case",
        subject_id=case_id,
        detail={"hit": hit_id, "traveller": hit.traveller_id},
        remote=remote,
        now=now,
    )
    return {"case_id": case_id, "hit_id": hit_id, "added": True}


def add_note(
    conn: Connection,
    case_id: int,
    *,
    text: str,
    by: str,
    now: datetime,
    remote: str | None = None,
) -> dict[str, Any]:
    """Append a note to an open case (notes are never edited or deleted)."""
    now = _aware(now)
    body = _text(text, "the note", min_chars=1, max_chars=MAX_TEXT_CHARS)
    _open_case(conn, case_id)
    values = {"case_id": case_id, "text": body, "by": _who(by), "at": now}
    note_id = int(
        conn.execute(insert(case_notes).values(**values).returning(case_notes.c.id)).scalar_one()
    )
    _touch(conn, case_id, now)
    audit.record(
        conn,
        actor=by,
        action="case.note",
        subject_type="case",
        subject_id=case_id,
        detail={"note": note_id, "chars": len(body)},
        remote=remote,
        now=now,
    )
    return {"id": note_id, **values}


def add_attachment(
    conn: Connection,
    case_id: int,
    *,
    filename: str | None,
    content_type: str | None,
    content: bytes,
    by: str,
    now: datetime,
    remote: str | None = None,
    max_bytes: int = MAX_ATTACHMENT_BYTES,
) -> dict[str, Any]:
    """Store a file in an open case with its SHA-256; returns its metadata (no bytes)."""
    now = _aware(now)
    name = sanitise_filename(filename)
    if not content:
        raise CaseError(f"{name} is empty; nothing to attach")
    if len(content) > max_bytes:
        raise AttachmentTooLarge(
            f"{name} is {len(content):,} bytes; an attachment may be at most "
            f"{max_bytes:,} bytes ({max_bytes / 1024 / 1024:g} MB)"
        )
    _open_case(conn, case_id)
    values = {
        "case_id": case_id,
        "filename": name,
        "content_type": _content_type(content_type),
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "by": _who(by),
        "at": now,
    }
    attachment_id = int(
        conn.execute(
            insert(case_attachments)
            .values(content=content, **values)
            .returning(case_attachments.c.id)
        ).scalar_one()
    )
    _touch(conn, case_id, now)
    audit.record(
        conn,
        actor=by,
        action="case.attach",
        subject_type="case",
        subject_id=case_id,
        detail={
            "attachment": attachment_id,
            "size": values["size"],
            "sha256": values["sha256"],
            "content_type": values["content_type"],
        },
        remote=remote,
        now=now,
    )
    return {"id": attachment_id, **values}


def _set_status(
    conn: Connection, case_id: int, *, to: str, by: str, now: datetime, remote: str | None
) -> dict[str, Any]:
    now = _aware(now)
    row = _case(conn, case_id, lock=True)
    if row.status == to:
        raise CaseStateError(f"case {case_id} is already {to}")
    closing = to == "closed"
    conn.execute(
        update(cases)
        .where(cases.c.id == case_id)
        .values(
            status=to,
            updated_at=now,
            closed_by=_who(by) if closing else None,
            closed_at=now if closing else None,
        )
    )
    audit.record(
        conn,
        actor=by,
        action="case.close" if to == "closed" else "case.reopen",
        subject_type="case",
        subject_id=case_id,
        detail={"previous_status": row.status},
        remote=remote,
        now=now,
    )
    return {"id": case_id, "status": to}


def close_case(
    conn: Connection, case_id: int, *, by: str, now: datetime, remote: str | None = None
) -> dict[str, Any]:
    """Close a case: it takes no more hits, notes, files or requests until reopened."""
    return _set_status(conn, case_id, to="closed", by=by, now=now, remote=remote)


def reopen_case(
    conn: Connection, case_id: int, *, by: str, now: datetime, remote: str | None = None
) -> dict[str, Any]:
    return _set_status(conn, case_id, to="open", by=by, now=now, remote=remote)


def _count(table: Any, *where: Any) -> Any:
    return select(func.count()).select_from(table).where(*where).scalar_subquery()


def list_cases(
    conn: Connection, *, status: str | None = None, limit: int = 100, offset: int = 0
) -> Page:
    """Cases, most recently changed first, with how many hits, notes, files and pending
    dissemination requests each holds."""
    if status is not None and status not in CASE_STATUSES:
        raise CaseError(f"status must be one of {', '.join(CASE_STATUSES)}; got {status!r}")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    query = select(
        cases,
        _count(case_hits, case_hits.c.case_id == cases.c.id).label("hit_count"),
        _count(case_notes, case_notes.c.case_id == cases.c.id).label("note_count"),
        _count(case_attachments, case_attachments.c.case_id == cases.c.id).label(
            "attachment_count"
        ),
        _count(
            disseminations,
            disseminations.c.case_id == cases.c.id,
            disseminations.c.status == "requested",
        ).label("pending_count"),
    )
    if status is not None:
        query = query.where(cases.c.status == status)
    query = query.order_by(cases.c.updated_at.desc(), cases.c.id.desc())
    rows = [dict(r._mapping) for r in conn.execute(query.limit(limit + 1).offset(offset))]
    more = len(rows) > limit
    return Page(rows[:limit], limit, offset, offset + limit if more else None)


def _hit_columns() -> list[Any]:
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


def _hit_joins() -> Any:
    return (
        hits.join(travellers, travellers.c.id == hits.c.traveller_id)
        .join(flights, flights.c.id == travellers.c.flight_id)
        .outerjoin(watchlists, watchlists.c.id == hits.c.watchlist_id)
        .outerjoin(watchlist_entries, watchlist_entries.c.id == hits.c.entry_id)
        .outerjoin(rule_versions, rule_versions.c.id == hits.c.rule_version_id)
        .outerjoin(rules, rules.c.id == rule_versions.c.rule_id)
    )


def _with_source(row: Any) -> dict[str, Any]:
    item = dict(row._mapping)
    item["source"] = item["watchlist"] if item["kind"] == "watchlist" else item["rule"]
    return item


def _attachment_meta() -> list[Any]:
    return [c for c in case_attachments.c if c.name != "content"]


def get_case(conn: Connection, case_id: int) -> dict[str, Any] | None:
    """A case with its hits (traveller, flight, source, current status), notes, attachment
    metadata and disseminations; None if there is no such case."""
    row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
    if row is None:
        return None
    found = dict(row._mapping)
    hit_rows = conn.execute(
        select(*_hit_columns(), case_hits.c.added_by, case_hits.c.added_at)
        .select_from(case_hits.join(_hit_joins(), hits.c.id == case_hits.c.hit_id))
        .where(case_hits.c.case_id == case_id)
        .order_by(case_hits.c.added_at, hits.c.id)
    )
    found["hits"] = [_with_source(r) for r in hit_rows]
    found["notes"] = [
        dict(r._mapping)
        for r in conn.execute(
            select(case_notes)
            .where(case_notes.c.case_id == case_id)
            .order_by(case_notes.c.at, case_notes.c.id)
        )
    ]
    found["attachments"] = [
        dict(r._mapping)
        for r in conn.execute(
            select(*_attachment_meta())
            .where(case_attachments.c.case_id == case_id)
            .order_by(case_attachments.c.id)
        )
    ]
    found["disseminations"] = list_disseminations(conn, case_id=case_id, limit=MAX_LIMIT).items
    return found


def get_attachment(conn: Connection, case_id: int, attachment_id: int) -> dict[str, Any] | None:
    """An attachment of the case with its bytes (``content``); None if not found."""
    row = conn.execute(
        select(case_attachments).where(
            (case_attachments.c.id == attachment_id) & (case_attachments.c.case_id == case_id)
        )
    ).first()
    if row is None:
        return None
    found = dict(row._mapping)
    found["content"] = bytes(found["content"])
    return found


def cases_of_hit(conn: Connection, hit_id: int) -> list[dict[str, Any]]:
    """The cases a hit belongs to (id, title, status)."""
    rows = conn.execute(
        select(cases.c.id, cases.c.title, cases.c.status)
        .join(case_hits, case_hits.c.case_id == cases.c.id)
        .where(case_hits.c.hit_id == hit_id)
        .order_by(cases.c.id)
    )
    return [dict(r._mapping) for r in rows]


# --- dissemination ---------------------------------------------------------------------
def _formats(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(v.strip().lower() for v in values if v and v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise CaseError(
            f"choose the formats among {', '.join(FORMATS)} (PDF for people, JSON for "
            f"systems); got {', '.join(chosen) or 'none'}"
        )
    return chosen


def _confirmed_hits(conn: Connection, case_id: int) -> list[int]:
    rows = conn.execute(
        select(case_hits.c.hit_id)
        .join(hits, hits.c.id == case_hits.c.hit_id)
        .where((case_hits.c.case_id == case_id) & (hits.c.status == "confirmed"))
        .order_by(case_hits.c.hit_id)
    )
    return [int(r.hit_id) for r in rows]


def _ids(conn: Connection, column: Any, case_column: Any, case_id: int) -> list[int]:
    return [int(v) for v in conn.execute(select(column).where(case_column == case_id)).scalars()]


def request_dissemination(
    conn: Connection,
    case_id: int,
    *,
    recipient: str,
    legal_basis: str,
    purpose: str,
    formats: Sequence[str],
    by: str,
    now: datetime,
    remote: str | None = None,
) -> dict[str, Any]:
    """Ask to send the case to ``recipient``; freezes the confirmed hits, notes and files."""
    now = _aware(now)
    values: dict[str, Any] = {
        "recipient": " ".join(
            _text(
                recipient, "the recipient authority", min_chars=2, max_chars=MAX_RECIPIENT_CHARS
            ).split()
        ),
        "legal_basis": _text(legal_basis, "the legal basis", min_chars=5, max_chars=MAX_TEXT_CHARS),
        "purpose": _text(purpose, "the purpose", min_chars=5, max_chars=MAX_TEXT_CHARS),
        "formats": _formats(formats),
    }
    _open_case(conn, case_id)
    hit_ids = _confirmed_hits(conn, case_id)
    if not hit_ids:
        raise CaseError(f"case {case_id} has no confirmed hit: there is nothing to disseminate")
    values |= {
        "case_id": case_id,
        "hit_ids": hit_ids,
        "note_ids": sorted(_ids(conn, case_notes.c.id, case_notes.c.case_id, case_id)),
        "attachment_ids": sorted(
            _ids(conn, case_attachments.c.id, case_attachments.c.case_id, case_id)
        ),
        "status": "requested",
        "requested_by": _who(by),
        "requested_at": now,
    }
    dissemination_id = int(
        conn.execute(
            insert(disseminations).values(**values).returning(disseminations.c.id)
        ).scalar_one()
    )
    _touch(conn, case_id, now)
    audit.record(
        conn,
        actor=by,
        action="dissemination.request",
        subject_type="dissemination",
        subject_id=dissemination_id,
        detail={
            "case": case_id,
            "recipient": values["recipient"],
            "legal_basis": values["legal_basis"],
            "formats": values["formats"],
            "hits": hit_ids,
        },
        remote=remote,
        now=now,
    )
    return {"id": dissemination_id, **values}


def _dissemination(conn: Connection, dissemination_id: int, *, lock: bool = False) -> Row[Any]:
    query = select(disseminations).where(disseminations.c.id == dissemination_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound("dissemination", dissemination_id)
    return row


def _check_still_confirmed(conn: Connection, row: Row[Any]) -> None:
    """The frozen hits must all still exist and be confirmed for the approval to hold."""
    wanted = [int(h) for h in row.hit_ids]
    found = {
        int(r.id): r.status
        for r in conn.execute(select(hits.c.id, hits.c.status).where(hits.c.id.in_(wanted)))
    }
    for hit_id in wanted:
        status = found.get(hit_id)
        if status != "confirmed":
            now_is = "deleted" if status is None else status
            raise CaseStateError(
                f"hit {hit_id} in dissemination {row.id} is no longer confirmed (now "
                f"{now_is}); reject this request and make a new one from the case"
            )


def _decide(
    conn: Connection,
    dissemination_id: int,
    *,
    approve: bool,
    note: str,
    by: str,
    now: datetime,
    remote: str | None,
) -> dict[str, Any]:
    now = _aware(now)
    text = _words(note, "an approval or rejection")
    row = _dissemination(conn, dissemination_id, lock=True)
    if row.status != "requested":
        raise CaseStateError(
            f"dissemination {dissemination_id} was already {row.status} by {row.decided_by}"
        )
    if _who(by) == row.requested_by:
        raise FourEyesError(
            f"four eyes: {by} requested dissemination {dissemination_id}; another "
            "supervisor must approve or reject it"
        )
    if approve:
        _check_still_confirmed(conn, row)
    status = "approved" if approve else "rejected"
    conn.execute(
        update(disseminations)
        .where(disseminations.c.id == dissemination_id)
        .values(status=status, decided_by=by, decided_at=now, decision_note=text)
    )
    audit.record(
        conn,
        actor=by,
        action=f"dissemination.{'approve' if approve else 'reject'}",
        subject_type="dissemination",
        subject_id=dissemination_id,
        detail={
            "case": row.case_id,
            "recipient": row.recipient,
            "requested_by": row.requested_by,
        },
        remote=remote,
        now=now,
    )
    return {
        "id": dissemination_id,
        "case_id": row.case_id,
        "status": status,
        "decided_by": by,
        "decided_at": now,
        "decision_note": text,
    }


def approve(
    conn: Connection,
    dissemination_id: int,
    *,
    note: str,
    by: str,
    now: datetime,
    remote: str | None = None,
) -> dict[str, Any]:
    """A supervisor (not the requester) approves; the caller checks the role."""
    return _decide(conn, dissemination_id, approve=True, note=note, by=by, now=now, remote=remote)


def reject(
    conn: Connection,
    dissemination_id: int,
    *,
    note: str,
    by: str,
    now: datetime,
    remote: str | None = None,
) -> dict[str, Any]:
    """A supervisor (not the requester) rejects, saying why; nothing can be exported."""
    return _decide(conn, dissemination_id, approve=False, note=note, by=by, now=now, remote=remote)


def list_disseminations(
    conn: Connection,
    *,
    status: str | None = None,
    case_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """Disseminations, oldest pending first when filtered by status, else newest first;
    each with its case's title and how often it was exported."""
    if status is not None and status not in DISSEMINATION_STATUSES:
        raise CaseError(
            f"status must be one of {', '.join(DISSEMINATION_STATUSES)}; got {status!r}"
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}, got {limit}")
    query = select(
        disseminations,
        cases.c.title.label("case_title"),
        cases.c.priority.label("case_priority"),
        _count(
            dissemination_exports,
            dissemination_exports.c.dissemination_id == disseminations.c.id,
        ).label("export_count"),
    ).join(cases, cases.c.id == disseminations.c.case_id)
    if status is not None:
        query = query.where(disseminations.c.status == status)
        query = query.order_by(disseminations.c.requested_at, disseminations.c.id)
    else:
        query = query.order_by(disseminations.c.requested_at.desc(), disseminations.c.id.desc())
    if case_id is not None:
        query = query.where(disseminations.c.case_id == case_id)
    rows = [dict(r._mapping) for r in conn.execute(query.limit(limit + 1).offset(offset))]
    more = len(rows) > limit
    return Page(rows[:limit], limit, offset, offset + limit if more else None)


def get_dissemination(conn: Connection, dissemination_id: int) -> dict[str, Any] | None:
    """One dissemination with its case title and every export; None if not found."""
    found = conn.execute(
        select(disseminations, cases.c.title.label("case_title"))
        .join(cases, cases.c.id == disseminations.c.case_id)
        .where(disseminations.c.id == dissemination_id)
    ).first()
    if found is None:
        return None
    item = dict(found._mapping)
    item["exports"] = [
        dict(r._mapping)
        for r in conn.execute(
            select(dissemination_exports)
            .where(dissemination_exports.c.dissemination_id == dissemination_id)
            .order_by(dissemination_exports.c.id)
        )
    ]
    return item


_TRAVELLER_FIELDS = (
    "id",
    "surname",
    "given_names",
    "middle_names",
    "gender",
    "date_of_birth",
    "nationality",
    "residence_country",
    "birth_place",
    "record_locator",
    "seat",
    "flight_id",
)


def _traveller(conn: Connection, traveller_id: int) -> dict[str, Any]:
    row = conn.execute(
        select(*(travellers.c[name] for name in _TRAVELLER_FIELDS)).where(
            travellers.c.id == traveller_id
        )
    ).one()
    found = dict(row._mapping)
    found["documents"] = [
        dict(r._mapping)
        for r in conn.execute(
            select(
                documents.c.doc_type,
                documents.c.number,
                documents.c.issuing_state,
                documents.c.expiry,
            )
            .where(documents.c.traveller_id == traveller_id)
            .order_by(documents.c.id)
        )
    ]
    flight = conn.execute(
        select(
            flights.c.flight_code,
            flights.c.origin,
            flights.c.destination,
            flights.c.departure_date,
            flights.c.departure_utc,
            flights.c.arrival_utc,
        ).where(flights.c.id == found["flight_id"])
    ).one()
    found["flight"] = dict(flight._mapping)
    return found


def _package_hits(conn: Connection, hit_ids: list[int]) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(*_hit_columns())
        .select_from(_hit_joins())
        .where(hits.c.id.in_(hit_ids))
        .order_by(hits.c.id)
    )
    found = []
    for row in rows:
        hit = _with_source(row)
        hit["traveller"] = _traveller(conn, hit["traveller_id"])
        hit["decisions"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    hit_reviews.c.decision, hit_reviews.c.reason, hit_reviews.c.by, hit_reviews.c.at
                )
                .where(hit_reviews.c.hit_id == hit["id"])
                .order_by(hit_reviews.c.at, hit_reviews.c.id)
            )
        ]
        found.append(hit)
    return found


def package_data(
    conn: Connection, dissemination_id: int, *, exported_by: str, exported_at: datetime
) -> dict[str, Any]:
    """What :mod:`piu.review.package` needs to build the package of an **approved**
    dissemination: the case, the record, and the frozen hits, notes and attachment list.
    Raises :class:`CaseStateError` before approval, after a rejection, or when a hit is no
    longer confirmed."""
    row = _dissemination(conn, dissemination_id)
    if row.status != "approved":
        raise CaseStateError(
            f"dissemination {dissemination_id} is {row.status}: it can be exported only after "
            "a supervisor other than the requester has approved it"
        )
    _check_still_confirmed(conn, row)
    case = dict(_case(conn, row.case_id)._mapping)
    notes = [
        dict(r._mapping)
        for r in conn.execute(
            select(case_notes)
            .where(case_notes.c.id.in_([int(i) for i in row.note_ids]))
            .order_by(case_notes.c.at, case_notes.c.id)
        )
    ]
    attachments = [
        dict(r._mapping)
        for r in conn.execute(
            select(*_attachment_meta())
            .where(case_attachments.c.id.in_([int(i) for i in row.attachment_ids]))
            .order_by(case_attachments.c.id)
        )
    ]
    return {
        "case": case,
        "dissemination": dict(row._mapping),
        "hits": _package_hits(conn, [int(h) for h in row.hit_ids]),
        "notes": notes,
        "attachments": attachments,
        "exported_by": exported_by,
        "exported_at": exported_at,
    }


def export(
    conn: Connection,
    dissemination_id: int,
    *,
    fmt: str,
    by: str,
    now: datetime,
    remote: str | None = None,
    font_path: Path | None = package.DEFAULT_FONT,
) -> Export:
    """Build the package of an approved dissemination in ``fmt`` and record the export
    (who, when, format, SHA-256 of the bytes) and its audit entry; returns the bytes."""
    now = _aware(now)
    row = _dissemination(conn, dissemination_id, lock=True)
    if row.status == "approved" and fmt not in row.formats:
        raise CaseStateError(
            f"dissemination {dissemination_id} was approved as {', '.join(row.formats)} only; "
            f"not as {fmt!r}"
        )
    data = package_data(conn, dissemination_id, exported_by=_who(by), exported_at=now)
    content = package.build(data, fmt, font_path=font_path)
    digest = hashlib.sha256(content).hexdigest()
    export_id = int(
        conn.execute(
            insert(dissemination_exports)
            .values(
                dissemination_id=dissemination_id,
                format=fmt,
                sha256=digest,
                size=len(content),
                by=by,
                at=now,
            )
            .returning(dissemination_exports.c.id)
        ).scalar_one()
    )
    audit.record(
        conn,
        actor=by,
        action="dissemination.export",
        subject_type="dissemination",
        subject_id=dissemination_id,
        detail={
            "case": row.case_id,
            "recipient": row.recipient,
            "format": fmt,
            "sha256": digest,
            "size": len(content),
            "export": export_id,
            "hits": [int(h) for h in row.hit_ids],
        },
        remote=remote,
        now=now,
    )
    return Export(
        export_id=export_id,
        dissemination_id=dissemination_id,
        format=fmt,
        content=content,
        sha256=digest,
        filename=package.filename(data, fmt),
        media_type=package.MEDIA_TYPES[fmt],
    )
