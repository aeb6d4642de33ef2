"""Read-only view of inbound messages: metadata, errors and deliveries, and the raw bytes.

The raw bytes are served as ``application/octet-stream`` with ``nosniff`` and as an
attachment, so a browser never renders what a sender wrote.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response, status

from piu.store import read
from piu.web.audited import audit_read
from piu.web.deps import MessageReader, RawReader
from piu.web.models import MessageDetail, MessagePage
from piu.web.params import EngineDep, Id, Limit, Offset, page_dict

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["messages"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such message."}}


@router.get("/messages", response_model=MessagePage)
def list_messages(
    _user: MessageReader,
    engine: EngineDep,
    status_: Annotated[
        Literal["received", "stored", "rejected"] | None, Query(alias="status")
    ] = None,
    type_: Annotated[
        str | None,
        Query(alias="type", pattern=r"^[a-z0-9-]{1,16}$", description="e.g. paxlst"),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    page = read.list_messages(engine, status=status_, msg_type=type_, limit=limit, offset=offset)
    return page_dict(page)


@router.get("/messages/{message_id}", response_model=MessageDetail, responses=_NOT_FOUND)
def get_message(_user: MessageReader, engine: EngineDep, message_id: Id) -> dict[str, Any]:
    message = read.get_message(engine, message_id)
    if message is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no message {message_id}")
    return message


@router.get(
    "/messages/{message_id}/raw",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The bytes as sent."},
        **_NOT_FOUND,
    },
)
def get_message_raw(
    user: RawReader, engine: EngineDep, request: Request, message_id: Id
) -> Response:
    raw = read.get_message_raw(engine, message_id)
    if raw is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no message {message_id}")
    audit_read(
        engine,
        user,
        request,
        "read.message_raw",
        subject_type="message",
        subject_id=message_id,
        detail={"bytes": len(raw)},  # never the content
    )
    return Response(
        raw,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="message-{message_id}.bin"'},
    )
