"""Cases: what an analyst has found about a matter (DESIGN principle 6).

A **case** gathers hits that a person has *confirmed* (an open, dismissed or undecided hit
is a suggestion and cannot join), notes and attachments. Nothing in a case is overwritten:
notes and attachments are append-only and a hit joins once. A closed case takes no more
changes until it is reopened. Sending a case to a competent authority is
:mod:`piu.store.disseminations`.

Every change is written to the hash-chained audit log in the same transaction
(``case.create``, ``case.add_hit``, ``case.note``, ``case.attach``, ``case.close``,
``case.reopen``). The entries name ids, sizes and hashes, never note text, titles or file
names: those may be personal data, which belongs in the tables that retention and masking
reach.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from piu.store import _case_common as common
from piu.store._case_common import MAX_TEXT_CHARS, CaseError, CaseStateError, NotFound
from piu.store.disseminations import list_disseminations
from piu.store.read import MAX_LIMIT, Page
from piu.store.schema import case_attachments, case_hits, case_notes, cases, disseminations, hits

__all__ = [
    "CASE_STATUSES",
    "MAX_ATTACHMENT_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS",
    "PRIORITIES",
    "AttachmentTooLarge",
    "CaseError",
    "CaseStateError",
    "HitNotConfirmed",
    "NotFound",
    "add_attachment",
    "add_hit",
    "add_note",
    "cases_of_hit",
    "close_case",
    "create_case",
    "get_attachment",
    "get_case",
    "list_cases",
    "reopen_case",
    "sanitise_filename",
]

PRIORITIES = ("low", "medium", "high", "critical")
CASE_STATUSES = ("open", "closed")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_TITLE_CHARS = 200
_FILENAME_CHARS = 180
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")
_UNSAFE_IN_NAME = re.compile(r'[<>:"/\\|?*;\x00-\x1f\x7f]')


class HitNotConfirmed(CaseError):  # noqa: N818
    """Only a hit a person has confirmed may join a case."""


class AttachmentTooLarge(CaseError):  # noqa: N818
    """The file is over the size limit."""


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


# --- changes ---------------------------------------------------------------------------
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
    title = common.one_line(title, "a title", min_chars=3, max_chars=MAX_TITLE_CHARS)
    summary = (summary or "").strip()
    if len(summary) > MAX_TEXT_CHARS:
        raise CaseError(f"the summary is longer than {MAX_TEXT_CHARS} characters")
    if priority not in PRIORITIES:
        raise CaseError(f"priority must be one of {', '.join(PRIORITIES)}; got {priority!r}")
    now = common.aware(now)
    values = {
        "title": title,
        "summary": summary,
        "priority": priority,
        "status": "open",
        "created_by": common.who(by),
        "created_at": now,
        "updated_at": now,
    }
    case_id = common.insert_row(conn, cases, **values)
    common.audited(
        conn, "case.create", case_id, {"priority": priority}, by=by, now=now, remote=remote
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
    now = common.aware(now)
    common.open_case_row(conn, case_id)
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
        insert(case_hits).values(
            case_id=case_id, hit_id=hit_id, added_by=common.who(by), added_at=now
        )
    )
    common.touch(conn, case_id, now)
    detail = {"hit": hit_id, "traveller": hit.traveller_id}
    common.audited(conn, "case.add_hit", case_id, detail, by=by, now=now, remote=remote)
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
    now = common.aware(now)
    body = common.checked_text(text, "the note", min_chars=1, max_chars=MAX_TEXT_CHARS)
    common.open_case_row(conn, case_id)
    values = {"case_id": case_id, "text": body, "by": common.who(by), "at": now}
    note_id = common.insert_row(conn, case_notes, **values)
    common.touch(conn, case_id, now)
    detail = {"note": note_id, "chars": len(body)}
    common.audited(conn, "case.note", case_id, detail, by=by, now=now, remote=remote)
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
    now = common.aware(now)
    name = sanitise_filename(filename)
    if not content:
        raise CaseError(f"{name} is empty; nothing to attach")
    if len(content) > max_bytes:
        raise AttachmentTooLarge(
            f"{name} is {len(content):,} bytes; an attachment may be at most "
            f"{max_bytes:,} bytes ({max_bytes / 1024 / 1024:g} MB)"
        )
    common.open_case_row(conn, case_id)
    values = {
        "case_id": case_id,
        "filename": name,
        "content_type": _content_type(content_type),
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "by": common.who(by),
        "at": now,
    }
    attachment_id = common.insert_row(conn, case_attachments, content=content, **values)
    common.touch(conn, case_id, now)
    detail = {
        "attachment": attachment_id,
        "size": values["size"],
        "sha256": values["sha256"],
        "content_type": values["content_type"],
    }
    common.audited(conn, "case.attach", case_id, detail, by=by, now=now, remote=remote)
    return {"id": attachment_id, **values}


def _set_status(
    conn: Connection, case_id: int, *, to: str, by: str, now: datetime, remote: str | None
) -> dict[str, Any]:
    now = common.aware(now)
    row = common.case_row(conn, case_id, lock=True)
    if row.status == to:
        raise CaseStateError(f"case {case_id} is already {to}")
    closing = to == "closed"
    conn.execute(
        update(cases)
        .where(cases.c.id == case_id)
        .values(
            status=to,
            updated_at=now,
            closed_by=common.who(by) if closing else None,
            closed_at=now if closing else None,
        )
    )
    action = "case.close" if closing else "case.reopen"
    common.audited(
        conn, action, case_id, {"previous_status": row.status}, by=by, now=now, remote=remote
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


# --- reading ---------------------------------------------------------------------------
def list_cases(
    conn: Connection, *, status: str | None = None, limit: int = 100, offset: int = 0
) -> Page:
    """Cases, most recently changed first, with how many hits, notes, files and pending
    dissemination requests each holds."""
    common.check_status(status, CASE_STATUSES)
    query = select(
        cases,
        common.count(case_hits, case_hits.c.case_id == cases.c.id).label("hit_count"),
        common.count(case_notes, case_notes.c.case_id == cases.c.id).label("note_count"),
        common.count(case_attachments, case_attachments.c.case_id == cases.c.id).label(
            "attachment_count"
        ),
        common.count(
            disseminations,
            disseminations.c.case_id == cases.c.id,
            disseminations.c.status == "requested",
        ).label("pending_count"),
    )
    if status is not None:
        query = query.where(cases.c.status == status)
    query = query.order_by(cases.c.updated_at.desc(), cases.c.id.desc())
    return common.page(conn, query, limit, offset)


def get_case(conn: Connection, case_id: int) -> dict[str, Any] | None:
    """A case with its hits (traveller, flight, source, current status), notes, attachment
    metadata and disseminations; None if there is no such case."""
    row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
    if row is None:
        return None
    found = dict(row._mapping)
    hit_rows = conn.execute(
        select(*common.hit_columns(), case_hits.c.added_by, case_hits.c.added_at)
        .select_from(case_hits.join(common.hit_joins(), hits.c.id == case_hits.c.hit_id))
        .where(case_hits.c.case_id == case_id)
        .order_by(case_hits.c.added_at, hits.c.id)
    )
    found["hits"] = [common.with_source(r) for r in hit_rows]
    found["notes"] = common.notes_where(conn, case_notes.c.case_id == case_id)
    found["attachments"] = common.attachments_where(conn, case_attachments.c.case_id == case_id)
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
    return common.dicts(
        conn,
        select(cases.c.id, cases.c.title, cases.c.status)
        .join(case_hits, case_hits.c.case_id == cases.c.id)
        .where(case_hits.c.hit_id == hit_id)
        .order_by(cases.c.id),
    )
