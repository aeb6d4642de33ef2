"""The travel pages: dashboard, flights and manifests, travellers, the review queue and
hit decisions (the message monitor is in :mod:`piu.web.ui.message_pages`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from piu.store import cases, overview, read, reviews, travel_history
from piu.web.deps import TRAVEL_READERS, get_engine, get_settings, remote_address
from piu.web.params import Id
from piu.web.ui import csrf
from piu.web.ui.framework import (
    DECIDERS,
    AnyPageUser,
    CsrfField,
    DeciderPageUser,
    PageUser,
    TravelPageUser,
    audit_page,
    not_found,
    redirect,
    render,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

SEVERITIES = ("critical", "high", "medium", "low")
DECISION_LABELS = {
    "confirmed": "Confirmed: the traveller is the listed person / the concern is real",
    "dismissed": "Dismissed: a false match",
    "more_info": "More information needed",
}


def _severity_chart(counts: dict[str, int]) -> dict[str, Any]:
    """Bars for an inline SVG chart (computed here; the template only draws them)."""
    width, bar_h, gap, label_w = 360, 22, 8, 80
    biggest = max(counts.values(), default=0) or 1
    bars = []
    for i, severity in enumerate(SEVERITIES):
        n = counts.get(severity, 0)
        y = i * (bar_h + gap)
        bars.append(
            {
                "severity": severity,
                "count": n,
                "y": y,
                "w": round((width - label_w - 40) * n / biggest),
                "x": label_w,
                "h": bar_h,
            }
        )
    return {"width": width, "height": len(SEVERITIES) * (bar_h + gap), "bars": bars}


@router.get("/")
def dashboard(request: Request, page_user: AnyPageUser) -> Response:
    engine = get_engine(request)
    now = datetime.now(UTC)
    start, end = overview.day_bounds(now)
    context: dict[str, Any] = {"title": "Dashboard", "today": start.date(), "travel": False}
    if page_user.user.has_any_role(TRAVEL_READERS):
        todays = overview.todays_flights(
            overview.flights_between(engine, start, end), start, end, get_settings(request).country
        )
        hits_by_severity = overview.open_hits_by_severity(engine)
        context.update(
            travel=True,
            flights=todays,
            hits_by_severity=hits_by_severity,
            open_hits=sum(hits_by_severity.values()),
            chart=_severity_chart(hits_by_severity),
            rejected_today=overview.rejected_since(engine, start),
        )
    return render(request, "dashboard.html", page_user, **context)


@router.get("/flights")
def flights_page(
    request: Request,
    page_user: TravelPageUser,
    day: Annotated[date | None, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    # Flight lists hold no personal data (codes, routes, counts): not audited.
    engine = get_engine(request)
    kwargs: dict[str, Any] = {}
    if day is not None:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        kwargs = {"departure_from": start, "departure_to": overview.day_bounds(start)[1]}
    page = read.list_flights(engine, limit=100, offset=offset, **kwargs)
    return render(request, "flights.html", page_user, title="Flights", page=page, day=day)


@router.get("/flights/{flight_id}")
def flight_page(request: Request, page_user: TravelPageUser, flight_id: Id) -> Response:
    engine = get_engine(request)
    flight = read.get_flight(engine, flight_id)
    manifest = read.flight_travellers(engine, flight_id, limit=read.MAX_LIMIT)
    if flight is None or manifest is None:
        return not_found(request, page_user, f"flight {flight_id}")
    audit_page(
        request,
        page_user,
        "page.flight",
        subject_type="flight",
        subject_id=flight_id,
        detail={"travellers": [t["id"] for t in manifest.items]},
    )
    return render(
        request,
        "flight.html",
        page_user,
        title=f"Flight {flight['flight_code']}",
        flight=flight,
        manifest=manifest,
    )


def _pnr_view(engine: Any, booking: dict[str, Any]) -> dict[str, Any]:
    """The booking's versions and, from the newest, this traveller's PNR entry if found."""
    full = read.get_booking(engine, booking["id"]) or {"versions": []}
    versions = full["versions"]
    entry = None
    if versions:
        data = versions[0].get("data") or {}
        pnr = data.get("pnr", data) if isinstance(data, dict) else {}
        for candidate in pnr.get("travellers", []) if isinstance(pnr, dict) else []:
            if isinstance(candidate, dict) and str(candidate.get("ref")) == str(booking["pnr_ref"]):
                entry = candidate
                break
    return {**booking, "versions": versions, "entry": _flatten(entry) if entry else []}


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested PNR data as ``(path, text)`` rows for a plain two-column table."""
    rows: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            rows.extend(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            rows.extend(_flatten(item, f"{prefix}[{i}]"))
    elif value not in (None, "", [], {}):
        rows.append((prefix, str(value)))
    return rows


API_FIELDS = (
    ("Surname", "surname"),
    ("Given names", "given_names"),
    ("Middle names", "middle_names"),
    ("Gender", "gender"),
    ("Date of birth", "date_of_birth"),
    ("Nationality", "nationality"),
    ("Residence", "residence_country"),
    ("Birth place", "birth_place"),
    ("Role", "role"),
    ("Embarks", "embarkation"),
    ("Disembarks", "debarkation"),
    ("Record locator", "record_locator"),
    ("Seat", "seat"),
    ("Ticket", "ticket"),
    ("Bags", "bag_count"),
    ("List status", "list_status"),
)


@router.get("/travellers/{traveller_id}")
def traveller_page(request: Request, page_user: TravelPageUser, traveller_id: Id) -> Response:
    engine = get_engine(request)
    traveller = read.get_traveller(engine, traveller_id)
    if traveller is None:
        return not_found(request, page_user, f"traveller {traveller_id}")
    bookings = [_pnr_view(engine, b) for b in traveller["bookings"]]
    hits = [read.get_hit(engine, h["id"]) or h for h in traveller["hits"]]
    audit_page(
        request,
        page_user,
        "page.traveller",
        subject_type="traveller",
        subject_id=traveller_id,
        # Companions and earlier trips show other people's names (and the same person's
        # other journeys): their ids are part of what was read.
        detail={
            "bookings": [b["id"] for b in bookings],
            "hits": [h["id"] for h in hits],
            "co_travellers": [c["id"] for c in traveller["co_travellers"]],
            "earlier_trips": [e["id"] for e in traveller["earlier_trips"]],
        },
    )
    api_rows = [(label, traveller.get(key)) for label, key in API_FIELDS]
    return render(
        request,
        "traveller.html",
        page_user,
        title=f"Traveller {traveller['surname']}",
        t=traveller,
        api_rows=api_rows,
        address=_flatten(traveller.get("address") or {}),
        bookings=bookings,
        hits=hits,
        co_travellers=traveller["co_travellers"],
        earlier_trips=traveller["earlier_trips"],
        co_limit=travel_history.CO_TRAVELLER_LIMIT,
        trip_limit=travel_history.EARLIER_TRIP_LIMIT,
    )


@router.get("/queue")
def queue_page(
    request: Request,
    page_user: TravelPageUser,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    engine = get_engine(request)
    with engine.connect() as conn:
        page = reviews.review_queue(conn, limit=100, offset=offset)
    audit_page(request, page_user, "page.queue", detail={"hits": [h["id"] for h in page.items]})
    return render(request, "queue.html", page_user, title="Review queue", page=page)


def _hit_page(
    request: Request,
    page_user: PageUser,
    hit_id: int,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
    case_error: str | None = None,
) -> Response:
    engine = get_engine(request)
    hit = read.get_hit(engine, hit_id)
    if hit is None:
        return not_found(request, page_user, f"hit {hit_id}")
    with engine.connect() as conn:
        history = reviews.hit_history(conn, hit_id)
        in_cases = cases.cases_of_hit(conn, hit_id)
        open_cases = cases.list_cases(conn, status="open", limit=read.MAX_LIMIT).items
    audit_page(
        request,
        page_user,
        "page.hit",
        subject_type="hit",
        subject_id=hit_id,
        detail={"traveller": hit["traveller_id"]},
    )
    return render(
        request,
        "hit.html",
        page_user,
        status_code,
        title=f"Hit {hit_id}",
        hit=hit,
        explanation=_flatten(hit.get("explanation") or {}),
        history=history,
        can_decide=page_user.user.has_any_role(DECIDERS),
        in_cases=in_cases,  # the "Add to case" form (piu.web.ui.case_pages)
        open_cases=[c for c in open_cases if c["id"] not in {k["id"] for k in in_cases}],
        case_error=case_error,
        decisions=DECISION_LABELS,
        min_words=reviews.MIN_REASON_WORDS,
        error=error,
        form=form or {},
    )


def hit_case_error(
    request: Request, page_user: PageUser, hit_id: int, message: str, status_code: int
) -> Response:
    """The hit page again with an error from its "Add to case" form."""
    return _hit_page(request, page_user, hit_id, status_code=status_code, case_error=message)


@router.get("/hits/{hit_id}")
def hit_page(request: Request, page_user: TravelPageUser, hit_id: Id) -> Response:
    return _hit_page(request, page_user, hit_id)


@router.post("/hits/{hit_id}/decision")
def decide_page(
    request: Request,
    page_user: DeciderPageUser,
    hit_id: Id,
    csrf_token: CsrfField = "",
    decision: Annotated[str, Form(max_length=32)] = "",
    reason: Annotated[str, Form(max_length=reviews.MAX_REASON_CHARS)] = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    try:
        with engine.begin() as conn:
            reviews.decide(
                conn,
                hit_id,
                decision=decision,
                reason=reason,
                by=page_user.name,
                now=datetime.now(UTC),
                remote=remote_address(request),
            )
    except reviews.HitNotFound:
        return not_found(request, page_user, f"hit {hit_id}")
    except reviews.ReviewError as exc:
        return _hit_page(
            request,
            page_user,
            hit_id,
            error=str(exc),
            form={"decision": decision, "reason": reason},
            status_code=400,
        )
    return redirect(request, f"/hits/{hit_id}")
