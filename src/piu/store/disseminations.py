"""Dissemination: a case sent to a competent authority (DESIGN principle 6).

Nothing adverse leaves the system without a recorded human decision:

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

The case itself is :mod:`piu.store.cases`. Every step is written to the hash-chained audit
log in the same transaction (``dissemination.request``, ``.approve``, ``.reject``,
``.export``), naming ids, the recipient, formats and hashes, never note text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, select, update

from piu.review import package
from piu.store import _case_common as common
from piu.store._case_common import MAX_TEXT_CHARS, CaseError, CaseStateError, NotFound
from piu.store.read import Page
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
    travellers,
)

__all__ = [
    "DISSEMINATION_STATUSES",
    "FORMATS",
    "MAX_RECIPIENT_CHARS",
    "MAX_TEXT_CHARS",
    "MIN_DECISION_WORDS",
    "CaseError",
    "CaseStateError",
    "Export",
    "FourEyesError",
    "NotFound",
    "approve",
    "export",
    "get_dissemination",
    "list_disseminations",
    "package_data",
    "reject",
    "request_dissemination",
]

DISSEMINATION_STATUSES = ("requested", "approved", "rejected")
FORMATS = package.FORMATS
MAX_RECIPIENT_CHARS = 255
MIN_DECISION_WORDS = 3


class FourEyesError(CaseError):
    """The requester of a dissemination cannot also approve or reject it."""


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
def _words(value: str | None, what: str) -> str:
    text = " ".join((value or "").split())
    if len(text.split(" ")) < MIN_DECISION_WORDS or len(text) < 10:
        raise CaseError(f"{what} needs at least {MIN_DECISION_WORDS} words saying why")
    if len(text) > MAX_TEXT_CHARS:
        raise CaseError(f"{what} is longer than {MAX_TEXT_CHARS} characters")
    return text


def _formats(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(v.strip().lower() for v in values if v and v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise CaseError(
            f"choose the formats among {', '.join(FORMATS)} (PDF for people, JSON for "
            f"systems); got {', '.join(chosen) or 'none'}"
        )
    return chosen


def _ids(conn: Connection, column: Any, case_column: Any, case_id: int) -> list[int]:
    return [int(v) for v in conn.execute(select(column).where(case_column == case_id)).scalars()]


def _confirmed_hits(conn: Connection, case_id: int) -> list[int]:
    rows = conn.execute(
        select(case_hits.c.hit_id)
        .join(hits, hits.c.id == case_hits.c.hit_id)
        .where((case_hits.c.case_id == case_id) & (hits.c.status == "confirmed"))
        .order_by(case_hits.c.hit_id)
    )
    return [int(r.hit_id) for r in rows]


def _dissemination(conn: Connection, dissemination_id: int, *, lock: bool = False) -> Row[Any]:
    return common.row_by_id(conn, disseminations, dissemination_id, "dissemination", lock=lock)


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


# --- request and decision --------------------------------------------------------------
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
    now = common.aware(now)
    values: dict[str, Any] = {
        "recipient": common.one_line(
            recipient, "the recipient authority", min_chars=2, max_chars=MAX_RECIPIENT_CHARS
        ),
        "legal_basis": common.checked_text(
            legal_basis, "the legal basis", min_chars=5, max_chars=MAX_TEXT_CHARS
        ),
        "purpose": common.checked_text(
            purpose, "the purpose", min_chars=5, max_chars=MAX_TEXT_CHARS
        ),
        "formats": _formats(formats),
    }
    common.open_case_row(conn, case_id)
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
        "requested_by": common.who(by),
        "requested_at": now,
    }
    dissemination_id = common.insert_row(conn, disseminations, **values)
    common.touch(conn, case_id, now)
    detail = {
        "case": case_id,
        "recipient": values["recipient"],
        "legal_basis": values["legal_basis"],
        "formats": values["formats"],
        "hits": hit_ids,
    }
    common.audited(
        conn, "dissemination.request", dissemination_id, detail, by=by, now=now, remote=remote
    )
    return {"id": dissemination_id, **values}


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
    now = common.aware(now)
    text = _words(note, "an approval or rejection")
    row = _dissemination(conn, dissemination_id, lock=True)
    if row.status != "requested":
        raise CaseStateError(
            f"dissemination {dissemination_id} was already {row.status} by {row.decided_by}"
        )
    if common.who(by) == row.requested_by:
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
    common.audited(
        conn,
        f"dissemination.{'approve' if approve else 'reject'}",
        dissemination_id,
        {"case": row.case_id, "recipient": row.recipient, "requested_by": row.requested_by},
        by=by,
        now=now,
        remote=remote,
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


# --- reading ---------------------------------------------------------------------------
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
    common.check_status(status, DISSEMINATION_STATUSES)
    query = select(
        disseminations,
        cases.c.title.label("case_title"),
        cases.c.priority.label("case_priority"),
        common.count(
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
    return common.page(conn, query, limit, offset)


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
    item["exports"] = common.dicts(
        conn,
        select(dissemination_exports)
        .where(dissemination_exports.c.dissemination_id == dissemination_id)
        .order_by(dissemination_exports.c.id),
    )
    return item


# --- the package -----------------------------------------------------------------------
def _traveller(conn: Connection, traveller_id: int) -> dict[str, Any]:
    """The traveller as the package shows them (:mod:`piu.review.package` names the
    fields), with their documents and flight."""
    row = conn.execute(
        select(*(travellers.c[name] for name in (*package.TRAVELLER_FIELDS, "flight_id"))).where(
            travellers.c.id == traveller_id
        )
    ).one()
    found = dict(row._mapping)
    found["documents"] = common.dicts(
        conn,
        select(*(documents.c[name] for name in package.DOCUMENT_FIELDS))
        .where(documents.c.traveller_id == traveller_id)
        .order_by(documents.c.id),
    )
    flight = conn.execute(
        select(*(flights.c[name] for name in package.FLIGHT_FIELDS)).where(
            flights.c.id == found["flight_id"]
        )
    ).one()
    found["flight"] = dict(flight._mapping)
    return found


def _package_hits(conn: Connection, hit_ids: list[int]) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(*common.hit_columns())
        .select_from(common.hit_joins())
        .where(hits.c.id.in_(hit_ids))
        .order_by(hits.c.id)
    )
    found = []
    for row in rows:
        hit = common.with_source(row)
        hit["traveller"] = _traveller(conn, hit["traveller_id"])
        hit["decisions"] = common.dicts(
            conn,
            select(hit_reviews.c.decision, hit_reviews.c.reason, hit_reviews.c.by, hit_reviews.c.at)
            .where(hit_reviews.c.hit_id == hit["id"])
            .order_by(hit_reviews.c.at, hit_reviews.c.id),
        )
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
    return {
        "case": dict(common.case_row(conn, row.case_id)._mapping),
        "dissemination": dict(row._mapping),
        "hits": _package_hits(conn, [int(h) for h in row.hit_ids]),
        "notes": common.notes_where(conn, case_notes.c.id.in_([int(i) for i in row.note_ids])),
        "attachments": common.attachments_where(
            conn, case_attachments.c.id.in_([int(i) for i in row.attachment_ids])
        ),
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
    now = common.aware(now)
    row = _dissemination(conn, dissemination_id, lock=True)
    if row.status == "approved" and fmt not in row.formats:
        raise CaseStateError(
            f"dissemination {dissemination_id} was approved as {', '.join(row.formats)} only; "
            f"not as {fmt!r}"
        )
    data = package_data(conn, dissemination_id, exported_by=common.who(by), exported_at=now)
    content = package.build(data, fmt, font_path=font_path)
    digest = hashlib.sha256(content).hexdigest()
    export_id = common.insert_row(
        conn,
        dissemination_exports,
        dissemination_id=dissemination_id,
        format=fmt,
        sha256=digest,
        size=len(content),
        by=by,
        at=now,
    )
    detail = {
        "case": row.case_id,
        "recipient": row.recipient,
        "format": fmt,
        "sha256": digest,
        "size": len(content),
        "export": export_id,
        "hits": [int(h) for h in row.hit_ids],
    }
    common.audited(
        conn, "dissemination.export", dissemination_id, detail, by=by, now=now, remote=remote
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
