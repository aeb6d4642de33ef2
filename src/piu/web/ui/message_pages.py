"""The message monitor: rejected messages, one message in detail, and reprocessing.

A message that could not be read is kept with the precise error (segment, tag, element,
offset) and can be run again once the parser is fixed (DESIGN principle 1). The Reprocess
button calls the very function ``piu messages reprocess`` calls,
:func:`piu.ingest.pipeline.reprocess`, with the deployment's sensitive-data rules, and
shows what came of it. Errors and warnings quote message content (names, numbers), so the
pages are audited reads; reprocessing is audited as an action of its own.

Reprocessing is for supervisors and admins: it re-applies a carrier's data to the travel
tables and may raise hits, which is more than reading; analysts see the error and ask.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from piu.accounts.roles import Role
from piu.ingest.pipeline import reprocess
from piu.ingest.result import ReceiveResult
from piu.store import overview, read
from piu.web.deps import get_engine, get_settings
from piu.web.params import Id
from piu.web.ui import csrf
from piu.web.ui.framework import (
    CsrfField,
    MessagePageUser,
    PageUser,
    audit_page,
    not_found,
    render,
    require_page_roles,
)

__all__ = ["REPROCESSORS", "router"]

router = APIRouter(include_in_schema=False)

REPROCESSORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ReprocessPageUser = Annotated[PageUser, Depends(require_page_roles(REPROCESSORS))]

# The error's position fields, in the order a person reads them.
ERROR_FIELDS = (
    ("kind", "Kind"),
    ("segment_index", "Segment number"),
    ("tag", "Segment tag"),
    ("element", "Element"),
    ("offset", "Byte offset"),
)


@router.get("/messages")
def messages_page(
    request: Request,
    page_user: MessagePageUser,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    engine = get_engine(request)
    page = overview.rejected_messages(engine, limit=100, offset=offset)
    # Errors quote message content (names, numbers): an audited read.
    audit_page(
        request, page_user, "page.messages", detail={"messages": [m["id"] for m in page.items]}
    )
    return render(request, "messages.html", page_user, title="Rejected messages", page=page)


def _message_page(
    request: Request,
    page_user: PageUser,
    message_id: int,
    *,
    outcome: ReceiveResult | None = None,
) -> Response:
    message = read.get_message(get_engine(request), message_id)
    if message is None:
        return not_found(request, page_user, f"message {message_id}")
    audit_page(request, page_user, "page.message", subject_type="message", subject_id=message_id)
    error: dict[str, Any] = message.get("error") or {}
    return render(
        request,
        "message.html",
        page_user,
        title=f"Message {message_id}",
        m=message,
        error=error,
        error_rows=[(label, error[k]) for k, label in ERROR_FIELDS if error.get(k) is not None],
        can_reprocess=page_user.user.has_any_role(REPROCESSORS),
        outcome=outcome,
    )


@router.get("/messages/{message_id}")
def message_page(request: Request, page_user: MessagePageUser, message_id: Id) -> Response:
    return _message_page(request, page_user, message_id)


@router.post("/messages/{message_id}/reprocess")
def reprocess_page(
    request: Request,
    page_user: ReprocessPageUser,
    message_id: Id,
    csrf_token: CsrfField = "",
) -> Response:
    """Parse and store one kept message again; the page shows the outcome."""
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    rules = get_settings(request).sensitive_rules()
    results = list(reprocess(engine, ids=[message_id], statuses=None, rules=rules))
    if not results:
        return not_found(request, page_user, f"message {message_id}")
    outcome = results[0]
    audit_page(
        request,
        page_user,
        "message.reprocess",
        subject_type="message",
        subject_id=message_id,
        # The outcome in numbers only: an error's reason may quote the message's content.
        detail={"status": outcome.status, "travellers": outcome.travellers, "hits": outcome.hits},
    )
    return _message_page(request, page_user, message_id, outcome=outcome)
