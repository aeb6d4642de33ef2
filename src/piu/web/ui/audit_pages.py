"""The audit trail for the data-protection officer: search, chain verification, export.

The DPO's questions are "who saw traveller 42", "what did this user do last week", "was
anything changed after the fact". The pages answer them with the functions behind ``piu
audit``: :func:`audit.search` (newest first, paged), :func:`audit.verify` (walks the
whole hash chain, so it runs only when asked) and :func:`audit.export` (oldest first,
with the hashes, so a downloaded file can be checked on its own).

The log names users, their addresses and the people they looked at, so reading it is
itself recorded: every search (``page.audit``) and every export (``audit.export``, with
its filters and format). Roles: the DPO, whose work this is, and admins, who run the
system.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Engine

from piu.store import audit
from piu.web.deps import get_engine
from piu.web.ui.framework import AUDITORS, PageUser, audit_page, render, require_page_roles

__all__ = ["AUDITORS", "router"]

router = APIRouter(include_in_schema=False)

AuditorPageUser = Annotated[PageUser, Depends(require_page_roles(AUDITORS))]

PAGE_SIZE = 50
SUBJECT_TYPES = ("traveller", "flight", "hit", "message", "booking", "watchlist", "rule", "user")
_Text = Annotated[str, Query(max_length=128)]


@dataclass(slots=True)
class AuditFilters:
    """The search fields as typed, and the error if a time cannot be read."""

    actor: str = ""
    action: str = ""
    subject_type: str = ""
    subject_id: str = ""
    since: str = ""
    until: str = ""
    errors: list[str] = field(default_factory=list)

    def query(self) -> dict[str, Any]:
        """Keyword arguments for :func:`audit.search` and :func:`audit.export`."""
        return {
            "actor": self.actor.strip() or None,
            "action": self.action.strip() or None,
            "subject_type": self.subject_type.strip() or None,
            "subject_id": self.subject_id.strip() or None,
            "since": self._instant(self.since, "From"),
            "until": self._instant(self.until, "Before"),
        }

    def _instant(self, value: str, label: str) -> datetime | None:
        if not value.strip():
            return None
        try:
            return audit.parse_instant(value)
        except ValueError:
            self.errors.append(f"{label}: {value!r} is not a day (YYYY-MM-DD) or a time.")
            return None

    def as_params(self) -> dict[str, str]:
        """The filters that are set: for links that keep them (next page, export) and for
        the audit entry saying what was asked."""
        fields = ("actor", "action", "subject_type", "subject_id", "since", "until")
        return {k: getattr(self, k) for k in fields if getattr(self, k)}


def audit_filters(
    actor: _Text = "",
    action: _Text = "",
    subject_type: _Text = "",
    subject_id: _Text = "",
    since: _Text = "",
    until: _Text = "",
) -> AuditFilters:
    return AuditFilters(actor, action, subject_type, subject_id, since, until)


FiltersDep = Annotated[AuditFilters, Depends(audit_filters)]


def _detail_text(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else ""


@router.get("/audit")
def audit_page_view(
    request: Request,
    page_user: AuditorPageUser,
    filters: FiltersDep,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    query = filters.query()
    entries: list[audit.AuditEntry] = []
    if not filters.errors:
        entries = audit.search(get_engine(request), **query, limit=PAGE_SIZE + 1, offset=offset)
        audit_page(
            request,
            page_user,
            "page.audit",
            detail={"filters": filters.as_params(), "offset": offset, "shown": len(entries)},
        )
    more = len(entries) > PAGE_SIZE
    params = filters.as_params()
    return render(
        request,
        "audit.html",
        page_user,
        400 if filters.errors else 200,
        title="Audit log",
        filters=filters,
        entries=entries[:PAGE_SIZE],
        details={e.id: _detail_text(e.detail) for e in entries},
        offset=offset,
        next_query=urlencode({**params, "offset": offset + PAGE_SIZE}) if more else None,
        prev_query=urlencode({**params, "offset": max(offset - PAGE_SIZE, 0)}) if offset else None,
        export_query=urlencode(params),
        subject_types=SUBJECT_TYPES,
    )


@router.get("/audit/verify")
def verify_page(request: Request, page_user: AuditorPageUser) -> Response:
    """Walk the whole chain now (it reads every entry, so only on request)."""
    result = audit.verify(get_engine(request))
    return render(
        request,
        "audit_verify.html",
        page_user,
        title="Audit chain",
        result=result,
        checked_at=datetime.now(UTC),
    )


def _lines(engine: Engine, query: dict[str, Any], fmt: str) -> Iterator[bytes]:
    to_lines = audit.csv_lines if fmt == "csv" else audit.jsonl_lines
    with engine.connect() as conn:
        for line in to_lines(audit.export(conn, **query)):
            yield line.encode("utf-8")


@router.get("/audit/export")
def export_page(
    request: Request,
    page_user: AuditorPageUser,
    filters: FiltersDep,
    fmt: Annotated[Literal["jsonl", "csv"], Query(alias="format")] = "jsonl",
) -> Response:
    """The filtered entries as a download, oldest first, with their hashes."""
    query = filters.query()
    if filters.errors:
        return audit_page_view(request, page_user, filters)
    audit_page(
        request,
        page_user,
        "audit.export",
        detail={"filters": filters.as_params(), "format": fmt},
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return StreamingResponse(
        _lines(get_engine(request), query, fmt),
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="piu-audit-{stamp}.{fmt}"'},
    )
