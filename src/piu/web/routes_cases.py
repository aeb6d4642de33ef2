"""Cases and dissemination over HTTP (the rules: :mod:`piu.store.cases`,
:mod:`piu.store.disseminations`).

Who may do what (the table in :mod:`piu.web.deps` is the whole map): cases and
disseminations are read by the roles that read travel data (analyst, supervisor, DPO,
admin: the DPO oversees what leaves); analysts and supervisors build cases, request a
dissemination and export an approved package; only a supervisor approves or rejects, and
never their own request (four eyes, enforced by the store). Every change is audited by the
store in its own transaction; every read of a case, file or package is audited here.

Errors: 404 no such id; 409 not in this state (closed case, hit not confirmed, not yet
approved); 403 also for a supervisor deciding their own request; 413 file over the cap;
422 a missing or bad value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from piu.accounts.roles import Role
from piu.accounts.users import User
from piu.store import cases, disseminations
from piu.web.audited import audit_read, ids_of
from piu.web.deps import TravelReader, acting, require_roles
from piu.web.models import Page
from piu.web.params import EngineDep, Id, Limit, Offset, page_dict

__all__ = [
    "CASE_WORKERS",
    "DISSEMINATION_APPROVERS",
    "download",
    "package_download",
    "read_upload",
    "router",
    "status_of",
]

router = APIRouter(prefix="/api/v1", tags=["cases"])

CASE_WORKERS = frozenset({Role.ANALYST, Role.SUPERVISOR})
DISSEMINATION_APPROVERS = frozenset({Role.SUPERVISOR})
CaseWorker = Annotated[User, Depends(require_roles(CASE_WORKERS))]
Approver = Annotated[User, Depends(require_roles(DISSEMINATION_APPROVERS))]

T = TypeVar("T")

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such id."}}
# Content types a browser would run or render as a page: handed out as plain bytes.
_ACTIVE_TYPES = ("html", "xml", "svg", "javascript", "ecmascript", "xhtml")


# --- models -----------------------------------------------------------------------------
class NewCase(BaseModel):
    title: str = Field(min_length=3, max_length=cases.MAX_TITLE_CHARS)
    summary: str = Field("", max_length=cases.MAX_TEXT_CHARS)
    priority: Literal["low", "medium", "high", "critical"] = "medium"


class CaseSummary(BaseModel):
    id: int
    title: str
    summary: str
    priority: str
    status: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    closed_by: str | None
    closed_at: datetime | None


class CaseListItem(CaseSummary):
    hit_count: int
    note_count: int
    attachment_count: int
    pending_count: int = Field(description="Dissemination requests awaiting a decision.")


class CasePage(Page[CaseListItem]):
    pass


class CaseHit(BaseModel):
    id: int
    kind: str
    status: str = Field(description="The hit's status now; only confirmed hits are sent.")
    severity: str
    score: float
    traveller_id: int
    surname: str
    given_names: str | None
    date_of_birth: date | None
    flight_id: int
    flight_code: str
    departure_utc: datetime | None
    source: str | None
    entry: str | None
    rule_version: int | None
    added_by: str
    added_at: datetime


class Note(BaseModel):
    id: int
    text: str
    by: str
    at: datetime


class Attachment(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    by: str
    at: datetime


class DisseminationSummary(BaseModel):
    id: int
    case_id: int
    case_title: str
    recipient: str
    legal_basis: str
    purpose: str
    formats: list[str]
    hit_ids: list[int]
    note_ids: list[int]
    attachment_ids: list[int]
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


class DisseminationListItem(DisseminationSummary):
    export_count: int


class DisseminationPage(Page[DisseminationListItem]):
    pass


class ExportRecord(BaseModel):
    id: int
    format: str
    sha256: str
    size: int
    by: str
    at: datetime


class DisseminationDetail(DisseminationSummary):
    exports: list[ExportRecord]


class CaseDetail(CaseSummary):
    hits: list[CaseHit]
    notes: list[Note]
    attachments: list[Attachment]
    disseminations: list[DisseminationListItem]


class AddHit(BaseModel):
    hit_id: int = Field(ge=1, le=2**63 - 1)


class NewNote(BaseModel):
    text: str = Field(min_length=1, max_length=cases.MAX_TEXT_CHARS)


class StatusChange(BaseModel):
    status: Literal["open", "closed"]


class NewDissemination(BaseModel):
    recipient: str = Field(min_length=2, max_length=disseminations.MAX_RECIPIENT_CHARS)
    legal_basis: str = Field(min_length=5, max_length=cases.MAX_TEXT_CHARS)
    purpose: str = Field(min_length=5, max_length=cases.MAX_TEXT_CHARS)
    formats: list[Literal["pdf", "json"]] = Field(min_length=1, max_length=2)


class DisseminationDecision(BaseModel):
    decision: Literal["approve", "reject"]
    note: str = Field(
        max_length=cases.MAX_TEXT_CHARS,
        description=f"Why, in at least {disseminations.MIN_DECISION_WORDS} words.",
    )


class ExportRequest(BaseModel):
    format: Literal["pdf", "json"]


# --- helpers ----------------------------------------------------------------------------
def status_of(exc: cases.CaseError, otherwise: int = status.HTTP_422_UNPROCESSABLE_CONTENT) -> int:
    """The HTTP status of the store's refusal: 404 no such id, 403 four eyes, 413 a file
    over the cap, 409 not in this state; ``otherwise`` for a missing or bad value."""
    if isinstance(exc, cases.NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(exc, disseminations.FourEyesError):
        return status.HTTP_403_FORBIDDEN
    if isinstance(exc, cases.AttachmentTooLarge):
        return status.HTTP_413_CONTENT_TOO_LARGE
    if isinstance(exc, cases.HitNotConfirmed | cases.CaseStateError):
        return status.HTTP_409_CONFLICT
    return otherwise


def _change(engine: Engine, step: Callable[[Connection], T]) -> T:
    """Run ``step(conn)`` in one transaction; the store's refusal becomes the matching HTTP
    status, with its message."""
    try:
        with engine.begin() as conn:
            return step(conn)
    except cases.CaseError as exc:
        raise HTTPException(status_of(exc), str(exc)) from None


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 name (RFC 6266/5987)."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(content: bytes, filename: str, media_type: str) -> Response:
    """Bytes handed out as a file to save, never rendered or run by the browser (the app
    adds ``X-Content-Type-Options: nosniff`` to every answer)."""
    if any(word in media_type for word in _ACTIVE_TYPES):
        media_type = "application/octet-stream"
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def package_download(made: disseminations.Export) -> Response:
    """An exported package as a file, its SHA-256 in ``X-Package-SHA256``."""
    response = download(made.content, made.filename, made.media_type)
    response.headers["X-Package-SHA256"] = made.sha256
    return response


def read_upload(upload: UploadFile, limit: int = cases.MAX_ATTACHMENT_BYTES) -> bytes:
    """At most ``limit + 1`` bytes of an upload: enough for the store to refuse a big one
    without reading all of it into memory."""
    return upload.file.read(limit + 1)


def _case_or_404(engine: Engine, case_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        found = cases.get_case(conn, case_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id}")
    return found


# --- cases ------------------------------------------------------------------------------
@router.get("/cases", response_model=CasePage)
def list_cases(
    user: TravelReader,
    engine: EngineDep,
    request: Request,
    status_: Annotated[
        Literal["open", "closed"] | None, Query(alias="status", description="open or closed")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Cases, most recently changed first, with their counts."""
    with engine.connect() as conn:
        page = cases.list_cases(conn, status=status_, limit=limit, offset=offset)
    audit_read(engine, user, request, "read.cases", detail={"cases": ids_of(page.items)})
    return page_dict(page)


@router.post("/cases", response_model=CaseSummary, status_code=status.HTTP_201_CREATED)
def create_case(
    user: CaseWorker, engine: EngineDep, request: Request, body: NewCase
) -> dict[str, Any]:
    """Open a case."""
    return _change(
        engine,
        lambda conn: cases.create_case(
            conn,
            title=body.title,
            summary=body.summary,
            priority=body.priority,
            **acting(user.username, request),
        ),
    )


@router.get("/cases/{case_id}", response_model=CaseDetail, responses=_NOT_FOUND)
def get_case(user: TravelReader, engine: EngineDep, request: Request, case_id: Id) -> Any:
    """A case with its hits, notes, attachment list and disseminations."""
    found = _case_or_404(engine, case_id)
    audit_read(
        engine,
        user,
        request,
        "read.case",
        subject_type="case",
        subject_id=case_id,
        detail={
            "hits": ids_of(found["hits"]),
            "travellers": ids_of(found["hits"], "traveller_id"),
        },
    )
    return found


@router.post("/cases/{case_id}/hits", responses=_NOT_FOUND)
def add_hit(
    user: CaseWorker, engine: EngineDep, request: Request, case_id: Id, body: AddHit
) -> dict[str, Any]:
    """Add a confirmed hit to the case (409 if the hit is not confirmed)."""
    return _change(
        engine,
        lambda conn: cases.add_hit(conn, case_id, body.hit_id, **acting(user.username, request)),
    )


@router.post(
    "/cases/{case_id}/notes",
    response_model=Note,
    status_code=status.HTTP_201_CREATED,
    responses=_NOT_FOUND,
)
def add_note(
    user: CaseWorker, engine: EngineDep, request: Request, case_id: Id, body: NewNote
) -> dict[str, Any]:
    """Append a note (notes are never edited)."""
    return _change(
        engine,
        lambda conn: cases.add_note(
            conn, case_id, text=body.text, **acting(user.username, request)
        ),
    )


@router.post(
    "/cases/{case_id}/attachments",
    response_model=Attachment,
    status_code=status.HTTP_201_CREATED,
    responses={**_NOT_FOUND, 413: {"description": "Larger than the cap."}},
)
def add_attachment(
    user: CaseWorker,
    engine: EngineDep,
    request: Request,
    case_id: Id,
    file: Annotated[UploadFile, File(description="The file (multipart/form-data).")],
) -> dict[str, Any]:
    """Attach a file (at most 10 MB: ``piu.store.cases.MAX_ATTACHMENT_BYTES``)."""
    content = read_upload(file)
    return _change(
        engine,
        lambda conn: cases.add_attachment(
            conn,
            case_id,
            filename=file.filename,
            content_type=file.content_type,
            content=content,
            **acting(user.username, request),
        ),
    )


@router.get("/cases/{case_id}/attachments/{attachment_id}", responses=_NOT_FOUND)
def get_attachment(
    user: TravelReader, engine: EngineDep, request: Request, case_id: Id, attachment_id: Id
) -> Response:
    """The file itself, as a download."""
    with engine.connect() as conn:
        found = cases.get_attachment(conn, case_id, attachment_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no attachment {attachment_id}")
    audit_read(
        engine,
        user,
        request,
        "read.attachment",
        subject_type="case",
        subject_id=case_id,
        detail={"attachment": attachment_id, "sha256": found["sha256"]},
    )
    return download(found["content"], found["filename"], found["content_type"])


@router.post("/cases/{case_id}/status", response_model=CaseSummary, responses=_NOT_FOUND)
def set_status(
    user: CaseWorker, engine: EngineDep, request: Request, case_id: Id, body: StatusChange
) -> Any:
    """Close (no more changes) or reopen a case."""
    step = cases.close_case if body.status == "closed" else cases.reopen_case
    _change(engine, lambda conn: step(conn, case_id, **acting(user.username, request)))
    return _case_or_404(engine, case_id)


# --- dissemination ----------------------------------------------------------------------
@router.post(
    "/cases/{case_id}/disseminations",
    response_model=DisseminationDetail,
    status_code=status.HTTP_201_CREATED,
    responses=_NOT_FOUND,
)
def request_dissemination(
    user: CaseWorker, engine: EngineDep, request: Request, case_id: Id, body: NewDissemination
) -> Any:
    """Ask to send the case's confirmed hits, notes and file list to an authority."""

    def ask(conn: Connection) -> dict[str, Any] | None:
        made = disseminations.request_dissemination(
            conn,
            case_id,
            recipient=body.recipient,
            legal_basis=body.legal_basis,
            purpose=body.purpose,
            formats=body.formats,
            **acting(user.username, request),
        )
        return disseminations.get_dissemination(conn, made["id"])

    return _change(engine, ask)


@router.get("/disseminations", response_model=DisseminationPage)
def list_disseminations(
    user: TravelReader,
    engine: EngineDep,
    request: Request,
    status_: Annotated[
        Literal["requested", "approved", "rejected"] | None,
        Query(alias="status", description="requested: waiting for a supervisor."),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Disseminations; ``status=requested`` lists those awaiting approval, oldest first."""
    with engine.connect() as conn:
        page = disseminations.list_disseminations(conn, status=status_, limit=limit, offset=offset)
    audit_read(
        engine, user, request, "read.disseminations", detail={"disseminations": ids_of(page.items)}
    )
    return page_dict(page)


@router.get(
    "/disseminations/{dissemination_id}",
    response_model=DisseminationDetail,
    responses=_NOT_FOUND,
)
def get_dissemination(
    user: TravelReader, engine: EngineDep, request: Request, dissemination_id: Id
) -> Any:
    """One dissemination with the record of every export."""
    with engine.connect() as conn:
        found = disseminations.get_dissemination(conn, dissemination_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no dissemination {dissemination_id}")
    audit_read(
        engine,
        user,
        request,
        "read.dissemination",
        subject_type="dissemination",
        subject_id=dissemination_id,
    )
    return found


@router.post(
    "/disseminations/{dissemination_id}/decision",
    response_model=DisseminationDetail,
    responses=_NOT_FOUND,
)
def decide(
    user: Approver,
    engine: EngineDep,
    request: Request,
    dissemination_id: Id,
    body: DisseminationDecision,
) -> Any:
    """A supervisor other than the requester approves or rejects, with a note."""
    step = disseminations.approve if body.decision == "approve" else disseminations.reject

    def decided(conn: Connection) -> dict[str, Any] | None:
        step(conn, dissemination_id, note=body.note, **acting(user.username, request))
        return disseminations.get_dissemination(conn, dissemination_id)

    return _change(engine, decided)


@router.post(
    "/disseminations/{dissemination_id}/export",
    responses={
        **_NOT_FOUND,
        200: {"description": "The package (PDF or JSON) as a file to save."},
        409: {"description": "Not approved (yet), or not in that format."},
    },
)
def export(
    user: CaseWorker,
    engine: EngineDep,
    request: Request,
    dissemination_id: Id,
    body: ExportRequest,
) -> Response:
    """The approved package; each export is recorded with its SHA-256 (also sent back in
    ``X-Package-SHA256``)."""
    made = _change(
        engine,
        lambda conn: disseminations.export(
            conn, dissemination_id, fmt=body.format, **acting(user.username, request)
        ),
    )
    return package_download(made)
