"""The case pages: cases that gather confirmed hits, notes and files, and their
dissemination to a competent authority after a supervisor's approval.

The rules live in :mod:`piu.store.cases` and :mod:`piu.store.disseminations` (confirmed
hits only, append-only notes and files, four eyes, no export before approval, every change
audited); these pages are forms over them. Roles as in the API
(:mod:`piu.web.routes_cases`): the travel readers read, analysts and supervisors work
cases, request and export, supervisors decide. Every POST checks the CSRF token first;
every page that shows personal data is audited after it has found what it shows
(``page.cases``, ``page.case``, ``page.attachment``,
``page.disseminations``, ``page.dissemination``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import Connection

from piu.accounts.roles import Role
from piu.store import cases, disseminations
from piu.store.read import MAX_LIMIT
from piu.web.deps import acting, get_engine
from piu.web.params import Id
from piu.web.routes_cases import (
    CASE_WORKERS,
    DISSEMINATION_APPROVERS,
    download,
    package_download,
    read_upload,
    status_of,
)
from piu.web.ui import csrf
from piu.web.ui.framework import (
    CsrfField,
    PageUser,
    TravelPageUser,
    audit_page,
    not_found,
    redirect,
    render,
    require_page_roles,
)
from piu.web.ui.travel_pages import hit_case_error

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

CaseWorkerPageUser = Annotated[PageUser, Depends(require_page_roles(CASE_WORKERS))]
ApproverPageUser = Annotated[PageUser, Depends(require_page_roles(DISSEMINATION_APPROVERS))]
TextField = Annotated[str, Form(max_length=cases.MAX_TEXT_CHARS)]
ShortField = Annotated[str, Form(max_length=disseminations.MAX_RECIPIENT_CHARS)]

FORMAT_LABELS = {"pdf": "PDF (for people)", "json": "JSON (for systems)"}


def _status_of(exc: cases.CaseError) -> int:
    """The status of a page answering the store's refusal (400 for a bad value)."""
    return status_of(exc, 400)


def _int(value: str | None) -> int | None:
    text = (value or "").strip().lstrip("#")
    return int(text) if text.isdigit() and 0 < int(text) < 2**63 else None


def _can(page_user: PageUser, roles: frozenset[Role]) -> bool:
    return page_user.user.has_any_role(roles)


def _pending_requests(conn: Connection) -> list[dict[str, Any]]:
    """Every dissemination request awaiting a supervisor, oldest first."""
    return disseminations.list_disseminations(conn, status="requested", limit=MAX_LIMIT).items


# --- lists ------------------------------------------------------------------------------
@router.get("/cases")
def cases_page(
    request: Request,
    page_user: TravelPageUser,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    engine = get_engine(request)
    with engine.connect() as conn:
        page = cases.list_cases(conn, status=status, limit=100, offset=offset)
        pending = _pending_requests(conn)
    audit_page(request, page_user, "page.cases", detail={"cases": [c["id"] for c in page.items]})
    return render(
        request,
        "cases.html",
        page_user,
        title="Cases",
        page=page,
        status=status,
        pending=len(pending),
        can_work=_can(page_user, CASE_WORKERS),
    )


@router.get("/cases/new")
def new_case_page(request: Request, page_user: CaseWorkerPageUser) -> Response:
    return render(
        request,
        "case_new.html",
        page_user,
        title="New case",
        priorities=cases.PRIORITIES,
        form={"priority": "medium"},
        error=None,
    )


@router.post("/cases")
def create_case(
    request: Request,
    page_user: CaseWorkerPageUser,
    csrf_token: CsrfField = "",
    title: Annotated[str, Form(max_length=cases.MAX_TITLE_CHARS)] = "",
    summary: TextField = "",
    priority: Annotated[str, Form(max_length=16)] = "medium",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    try:
        with get_engine(request).begin() as conn:
            made = cases.create_case(
                conn,
                title=title,
                summary=summary,
                priority=priority,
                **acting(page_user.name, request),
            )
    except cases.CaseError as exc:
        return render(
            request,
            "case_new.html",
            page_user,
            400,
            title="New case",
            priorities=cases.PRIORITIES,
            form={"title": title, "summary": summary, "priority": priority},
            error=str(exc),
        )
    return redirect(request, f"/cases/{made['id']}")


# --- one case ---------------------------------------------------------------------------
def _case_page(
    request: Request,
    page_user: PageUser,
    case_id: int,
    *,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    engine = get_engine(request)
    with engine.connect() as conn:
        found = cases.get_case(conn, case_id)
    if found is None:
        return not_found(request, page_user, f"case {case_id}")
    audit_page(
        request,
        page_user,
        "page.case",
        subject_type="case",
        subject_id=case_id,
        detail={
            "hits": [h["id"] for h in found["hits"]],
            "travellers": [h["traveller_id"] for h in found["hits"]],
        },
    )
    return render(
        request,
        "case.html",
        page_user,
        status_code,
        title=f"Case {case_id}",
        case=found,
        can_work=_can(page_user, CASE_WORKERS),
        formats=FORMAT_LABELS,
        max_mb=cases.MAX_ATTACHMENT_BYTES // (1024 * 1024),
        error=error,
        form=form or {},
    )


@router.get("/cases/{case_id}")
def case_page(request: Request, page_user: TravelPageUser, case_id: Id) -> Response:
    return _case_page(request, page_user, case_id)


def _case_step(
    request: Request,
    page_user: PageUser,
    case_id: int,
    step: Callable[[Connection], object],
    form: dict[str, Any] | None = None,
) -> Response:
    """Run ``step(conn)`` in a transaction; back to the case page, with the error if any."""
    try:
        with get_engine(request).begin() as conn:
            step(conn)
    except cases.NotFound as exc:
        return not_found(request, page_user, f"{exc.what} {exc.ident}")
    except cases.CaseError as exc:
        return _case_page(
            request, page_user, case_id, error=str(exc), form=form, status_code=_status_of(exc)
        )
    return redirect(request, f"/cases/{case_id}")


@router.post("/cases/{case_id}/hits")
def add_hit(
    request: Request,
    page_user: CaseWorkerPageUser,
    case_id: Id,
    csrf_token: CsrfField = "",
    hit_id: Annotated[str, Form(max_length=24)] = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    number = _int(hit_id)
    if number is None:
        return _case_page(
            request, page_user, case_id, error="give the number of a hit", status_code=400
        )
    return _case_step(
        request,
        page_user,
        case_id,
        lambda conn: cases.add_hit(conn, case_id, number, **acting(page_user.name, request)),
    )


@router.post("/cases/{case_id}/notes")
def add_note(
    request: Request,
    page_user: CaseWorkerPageUser,
    case_id: Id,
    csrf_token: CsrfField = "",
    text: TextField = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    return _case_step(
        request,
        page_user,
        case_id,
        lambda conn: cases.add_note(conn, case_id, text=text, **acting(page_user.name, request)),
        form={"note": text},
    )


@router.post("/cases/{case_id}/attachments")
def add_attachment(
    request: Request,
    page_user: CaseWorkerPageUser,
    case_id: Id,
    csrf_token: CsrfField = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    if upload is None or not upload.filename:
        return _case_page(request, page_user, case_id, error="choose a file", status_code=400)
    content = read_upload(upload)
    return _case_step(
        request,
        page_user,
        case_id,
        lambda conn: cases.add_attachment(
            conn,
            case_id,
            filename=upload.filename,
            content_type=upload.content_type,
            content=content,
            **acting(page_user.name, request),
        ),
    )


@router.get("/cases/{case_id}/attachments/{attachment_id}")
def attachment_download(
    request: Request, page_user: TravelPageUser, case_id: Id, attachment_id: Id
) -> Response:
    with get_engine(request).connect() as conn:
        found = cases.get_attachment(conn, case_id, attachment_id)
    if found is None:
        return not_found(request, page_user, f"attachment {attachment_id} in case {case_id}")
    audit_page(
        request,
        page_user,
        "page.attachment",
        subject_type="case",
        subject_id=case_id,
        detail={"attachment": attachment_id, "sha256": found["sha256"]},
    )
    return download(found["content"], found["filename"], found["content_type"])


@router.post("/cases/{case_id}/status")
def set_status(
    request: Request,
    page_user: CaseWorkerPageUser,
    case_id: Id,
    csrf_token: CsrfField = "",
    status: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    if status not in cases.CASE_STATUSES:
        return _case_page(request, page_user, case_id, error="open or closed?", status_code=400)
    step = cases.close_case if status == "closed" else cases.reopen_case
    return _case_step(
        request,
        page_user,
        case_id,
        lambda conn: step(conn, case_id, **acting(page_user.name, request)),
    )


@router.post("/cases/{case_id}/disseminations")
def request_dissemination(
    request: Request,
    page_user: CaseWorkerPageUser,
    case_id: Id,
    csrf_token: CsrfField = "",
    recipient: ShortField = "",
    legal_basis: TextField = "",
    purpose: TextField = "",
    formats: Annotated[list[str] | None, Form(max_length=4)] = None,
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    chosen = [f[:8] for f in formats or []]
    form = {
        "recipient": recipient,
        "legal_basis": legal_basis,
        "purpose": purpose,
        "formats": chosen,
    }
    return _case_step(
        request,
        page_user,
        case_id,
        lambda conn: disseminations.request_dissemination(
            conn,
            case_id,
            recipient=recipient,
            legal_basis=legal_basis,
            purpose=purpose,
            formats=chosen,
            **acting(page_user.name, request),
        ),
        form=form,
    )


# --- add a hit from its own page --------------------------------------------------------
@router.post("/hits/{hit_id}/case")
def hit_to_case(
    request: Request,
    page_user: CaseWorkerPageUser,
    hit_id: Id,
    csrf_token: CsrfField = "",
    case_id: Annotated[str, Form(max_length=24)] = "",
    title: Annotated[str, Form(max_length=cases.MAX_TITLE_CHARS)] = "",
) -> Response:
    """Add the hit to an open case, or to a new case with ``title``; errors go back to the
    hit page's "Add to case" form (one transaction: no empty case is left behind)."""
    csrf.check(page_user.session.csrf, csrf_token)
    chosen = _int(case_id)
    try:
        with get_engine(request).begin() as conn:
            if chosen is None:
                if not title.strip():
                    raise cases.CaseError("choose an open case or give a title for a new one")
                chosen = int(
                    cases.create_case(
                        conn, title=title, priority="medium", **acting(page_user.name, request)
                    )["id"]
                )
            cases.add_hit(conn, chosen, hit_id, **acting(page_user.name, request))
    except cases.NotFound as exc:
        return not_found(request, page_user, f"{exc.what} {exc.ident}")
    except cases.CaseError as exc:
        return hit_case_error(request, page_user, hit_id, str(exc), _status_of(exc))
    return redirect(request, f"/cases/{chosen}")


# --- dissemination ----------------------------------------------------------------------
@router.get("/disseminations")
def disseminations_page(
    request: Request,
    page_user: TravelPageUser,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    with get_engine(request).connect() as conn:
        pending = _pending_requests(conn)
        page = disseminations.list_disseminations(conn, limit=100, offset=offset)
    shown = [d["id"] for d in pending] + [d["id"] for d in page.items]
    audit_page(request, page_user, "page.disseminations", detail={"disseminations": shown})
    return render(
        request,
        "disseminations.html",
        page_user,
        title="Disseminations",
        pending=pending,
        page=page,
        can_approve=_can(page_user, DISSEMINATION_APPROVERS),
    )


def _dissemination_page(
    request: Request,
    page_user: PageUser,
    dissemination_id: int,
    *,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    with get_engine(request).connect() as conn:
        found = disseminations.get_dissemination(conn, dissemination_id)
        case = cases.get_case(conn, found["case_id"]) if found else None
    if found is None or case is None:
        return not_found(request, page_user, f"dissemination {dissemination_id}")
    included = [h for h in case["hits"] if h["id"] in set(found["hit_ids"])]
    audit_page(
        request,
        page_user,
        "page.dissemination",
        subject_type="dissemination",
        subject_id=dissemination_id,
        detail={"hits": found["hit_ids"], "travellers": [h["traveller_id"] for h in included]},
    )
    return render(
        request,
        "dissemination.html",
        page_user,
        status_code,
        title=f"Dissemination {dissemination_id}",
        d=found,
        case=case,
        hits=included,
        notes=[n for n in case["notes"] if n["id"] in set(found["note_ids"])],
        attachments=[a for a in case["attachments"] if a["id"] in set(found["attachment_ids"])],
        can_decide=_can(page_user, DISSEMINATION_APPROVERS)
        and page_user.name != found["requested_by"],
        is_requester=page_user.name == found["requested_by"],
        can_export=_can(page_user, CASE_WORKERS),
        formats=FORMAT_LABELS,
        min_words=disseminations.MIN_DECISION_WORDS,
        error=error,
        form=form or {},
    )


def _dissemination_step(
    request: Request,
    page_user: PageUser,
    dissemination_id: int,
    step: Callable[[Connection], Any],
    *,
    form: dict[str, Any] | None = None,
    answer: Callable[[Any], Response] | None = None,
) -> Response:
    """Run ``step(conn)`` in a transaction and answer with ``answer(its result)``, by default
    back to the dissemination page; on a refusal that page again, with the error."""
    try:
        with get_engine(request).begin() as conn:
            done = step(conn)
    except cases.NotFound:
        return not_found(request, page_user, f"dissemination {dissemination_id}")
    except cases.CaseError as exc:
        return _dissemination_page(
            request,
            page_user,
            dissemination_id,
            error=str(exc),
            form=form,
            status_code=_status_of(exc),
        )
    if answer is not None:
        return answer(done)
    return redirect(request, f"/disseminations/{dissemination_id}")


@router.get("/disseminations/{dissemination_id}")
def dissemination_page(
    request: Request, page_user: TravelPageUser, dissemination_id: Id
) -> Response:
    return _dissemination_page(request, page_user, dissemination_id)


@router.post("/disseminations/{dissemination_id}/decision")
def decide(
    request: Request,
    page_user: ApproverPageUser,
    dissemination_id: Id,
    csrf_token: CsrfField = "",
    decision: Annotated[str, Form(max_length=16)] = "",
    note: TextField = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    if decision not in ("approve", "reject"):
        return _dissemination_page(
            request, page_user, dissemination_id, error="approve or reject?", status_code=400
        )
    step = disseminations.approve if decision == "approve" else disseminations.reject
    return _dissemination_step(
        request,
        page_user,
        dissemination_id,
        lambda conn: step(conn, dissemination_id, note=note, **acting(page_user.name, request)),
        form={"decision": decision, "note": note},
    )


@router.post("/disseminations/{dissemination_id}/export")
def export(
    request: Request,
    page_user: CaseWorkerPageUser,
    dissemination_id: Id,
    csrf_token: CsrfField = "",
    format: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The approved package as a file; the export is recorded with its SHA-256."""
    csrf.check(page_user.session.csrf, csrf_token)
    return _dissemination_step(
        request,
        page_user,
        dissemination_id,
        lambda conn: disseminations.export(
            conn, dissemination_id, fmt=format, **acting(page_user.name, request)
        ),
        answer=package_download,
    )
