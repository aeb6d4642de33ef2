"""The analyst's pages: session login, the page framework and the first pages.

Who may open what (independent of the API table in :mod:`piu.web.deps`, same reasoning)::

    page                                  analyst supervisor dpo admin rule_mgr watchlist_mgr
    GET  /login, POST /login              public (the form; CSRF-checked)
    POST /logout                          any signed-in user, even one with no role
    GET  /password, POST /password        any signed-in user, even one with no role
    GET  /                                any signed-in user (counts for travel readers)
    GET  /flights, /flights/{id}             x        x       x    x      -           -
    GET  /travellers/{id}                    x        x       x    x      -           -
    GET  /queue, /hits/{id}                  x        x       x    x      -           -
    POST /hits/{id}/decision                 x        x       -    -      -           -
    GET  /messages                           x        x       x    x      -           -

Anonymous visitors (no cookie, a bad signature, an idle or expired session, a disabled
account) are sent to ``/login`` with a 303; a signed-in user without the role gets a 403
page. A user whose password must change is sent to ``/password`` first, whatever page
they asked for. The dashboard shows counts only (no personal data) to every role; the
travel panels are for the roles that read travel data.

Every page that shows personal data writes an audit entry (``page.flight``,
``page.traveller``, ``page.queue``, ``page.hit``, ``page.messages``) after it has found
what it shows, so a refused or missed request leaves none; the decision itself is
audited by :func:`piu.store.reviews.decide` (``hit.decide``).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from piu.accounts import passwords
from piu.accounts.errors import AccountError, PasswordPolicyError
from piu.accounts.roles import Role
from piu.accounts.users import User, authenticate_password, set_password, user_by_id
from piu.errors import AccessError
from piu.store import audit, overview, read, reviews
from piu.web.deps import MESSAGE_READERS, TRAVEL_READERS, get_engine, remote_address
from piu.web.params import Id
from piu.web.ui import csrf
from piu.web.ui.sessions import (
    COOKIE,
    MAX_AGE,
    PRE_COOKIE,
    PRE_MAX_AGE,
    Session,
    SessionSigner,
    account_stamp,
    clear_cookie,
    set_cookie,
)

__all__ = [
    "DECIDERS",
    "LoginRequired",
    "PageForbidden",
    "PageUser",
    "require_page_roles",
    "router",
]

router = APIRouter(include_in_schema=False)

DECIDERS = frozenset({Role.ANALYST, Role.SUPERVISOR})
PASSWORD_PATH = "/password"  # noqa: S105 - a URL path

# Navigation: (label, path, roles that see it). Only what the user may open is shown.
NAV: tuple[tuple[str, str, frozenset[Role] | None], ...] = (
    ("Dashboard", "/", None),
    ("Review queue", "/queue", TRAVEL_READERS),
    ("Flights", "/flights", TRAVEL_READERS),
    ("Rejected messages", "/messages", MESSAGE_READERS),
)

SEVERITIES = ("critical", "high", "medium", "low")
DECISION_LABELS = {
    "confirmed": "Confirmed: the traveller is the listed person / the concern is real",
    "dismissed": "Dismissed: a false match",
    "more_info": "More information needed",
}


# --- templates ----------------------------------------------------------------------
def _fmt_dt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
            return value.strftime("%Y-%m-%d %H:%M UTC")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


templates = Environment(
    loader=PackageLoader("piu.web.ui", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html", "css"), default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["dt"] = _fmt_dt

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


# --- the page framework -------------------------------------------------------------
class LoginRequired(Exception):  # noqa: N818 - a control-flow signal, not a failure
    """No usable session: answered by a 303 to /login."""

    def __init__(self, next_path: str = "/") -> None:
        self.next_path = next_path


class PasswordChangeRequired(Exception):  # noqa: N818
    """The user must set a new password before anything else: a 303 to /password."""


class PageForbidden(Exception):  # noqa: N818
    """Signed in, but without a role the page needs: a 403 page."""

    def __init__(self, page_user: PageUser, allowed: frozenset[Role]) -> None:
        self.page_user = page_user
        self.allowed = allowed


@dataclass(frozen=True, slots=True)
class PageUser:
    user: User
    session: Session

    @property
    def name(self) -> str:
        return self.user.username


def signer(request: Request) -> SessionSigner:
    found: SessionSigner = request.app.state.ui_signer
    return found


def session_of(request: Request) -> Session | None:
    return signer(request).load(request.cookies.get(COOKIE))


def _page_user(request: Request) -> PageUser:
    session = session_of(request)
    if session is None:
        raise LoginRequired(request.url.path)
    engine = get_engine(request)
    with engine.connect() as conn:
        user = user_by_id(conn, session.user_id)
    if (
        user is None
        or not user.active
        or not user.has_password
        or not hmac.compare_digest(session.account, account_stamp(user.updated_at))
    ):
        raise LoginRequired(request.url.path)
    # The sliding idle window: the response re-issues the cookie with a fresh time.
    request.state.ui_session = session.touched(int(time.time()))
    return PageUser(user, session)


def require_page_roles(
    allowed: frozenset[Role] | None = None,
) -> Callable[[Request], PageUser]:
    """A page dependency: anonymous -> 303 /login; wrong role -> 403 page.

    ``allowed`` None lets in any signed-in user, even one holding no role (the dashboard,
    the password page, logout), as ``/api/v1/me`` does.

    A user whose password must change is sent to /password first.
    # TOTP: when a second factor is added, a session will carry "second factor done";
    # this is the one place that checks it (redirecting to /login/totp when missing).
    """

    def check(request: Request) -> PageUser:
        page_user = _page_user(request)
        if page_user.user.must_change_password and request.url.path != PASSWORD_PATH:
            raise PasswordChangeRequired()
        if allowed is not None and not page_user.user.has_any_role(allowed):
            raise PageForbidden(page_user, allowed)
        return page_user

    return check


AnyPageUser = Annotated[PageUser, Depends(require_page_roles(None))]
TravelPageUser = Annotated[PageUser, Depends(require_page_roles(TRAVEL_READERS))]
MessagePageUser = Annotated[PageUser, Depends(require_page_roles(MESSAGE_READERS))]
DeciderPageUser = Annotated[PageUser, Depends(require_page_roles(DECIDERS))]
CsrfField = Annotated[str, Form(alias=csrf.FIELD)]


def _nav(user: User | None) -> list[tuple[str, str]]:
    if user is None:
        return []
    return [
        (label, path) for label, path, roles in NAV if roles is None or user.has_any_role(roles)
    ]


def render(
    request: Request,
    template: str,
    page_user: PageUser | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page in the base layout, with the session cookie refreshed (idle window)."""
    user = page_user.user if page_user else None
    session = getattr(request.state, "ui_session", None) if page_user else None
    html = templates.get_template(template).render(
        user=user,
        nav=_nav(user),
        path=request.url.path,
        csrf_token=session.csrf if session else context.pop("csrf_token", ""),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if session is not None:
        set_cookie(response, request, COOKIE, signer(request).dump(session), MAX_AGE)
    return response


def redirect(request: Request, path: str) -> RedirectResponse:
    response = RedirectResponse(path, status_code=303)
    session = getattr(request.state, "ui_session", None)
    if session is not None:
        set_cookie(response, request, COOKIE, signer(request).dump(session), MAX_AGE)
    return response


def _audit_page(
    request: Request,
    page_user: PageUser,
    action: str,
    *,
    subject_type: str | None = None,
    subject_id: int | str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        get_engine(request),
        actor=page_user.name,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
        remote=remote_address(request),
    )


def _not_found(request: Request, page_user: PageUser, what: str) -> HTMLResponse:
    return render(
        request, "error.html", page_user, 404, title="Not found", message=f"There is no {what}."
    )


def _safe_next(value: str | None) -> str:
    """Only a local path may follow the login (no open redirect to another host)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


# --- exception handlers, installed by piu.web.ui.mount --------------------------------
async def on_login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    target = "/login"
    if exc.next_path not in ("/", "/login", "/logout"):
        target += "?next=" + quote(exc.next_path, safe="/")
    response = RedirectResponse(target, status_code=303)
    if COOKIE in request.cookies:
        clear_cookie(response, request, COOKIE)
    return response


async def on_password_change(request: Request, exc: Exception) -> Response:
    return RedirectResponse(PASSWORD_PATH, status_code=303)


async def on_forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    names = ", ".join(sorted(r.value for r in exc.allowed))
    return render(
        request,
        "error.html",
        exc.page_user,
        403,
        title="Not allowed",
        message=f"This page needs one of the roles: {names}.",
    )


async def on_csrf(request: Request, exc: Exception) -> Response:
    return HTMLResponse(
        templates.get_template("error.html").render(
            user=None, nav=[], title="Form expired", message=str(exc), path=request.url.path
        ),
        status_code=403,
        headers={"Content-Security-Policy": CSP},
    )


# --- login, logout, password ----------------------------------------------------------
def _login_form(
    request: Request, *, error: str | None = None, next_path: str = "/", status_code: int = 200
) -> HTMLResponse:
    cookie, token = signer(request).new_pre_token()
    response = render(
        request,
        "login.html",
        None,
        status_code,
        csrf_token=token,
        error=error,
        next_path=_safe_next(next_path),
        title="Sign in",
    )
    set_cookie(response, request, PRE_COOKIE, cookie, PRE_MAX_AGE)
    return response


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query()] = "/") -> Response:
    if session_of(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_form(request, next_path=next)


@router.post("/login")
def login(
    request: Request,
    csrf_token: CsrfField = "",
    username: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    csrf.check(signer(request).pre_token(request.cookies.get(PRE_COOKIE)), csrf_token)
    engine = get_engine(request)
    try:
        user = authenticate_password(engine, username, password, remote=remote_address(request))
    except AccessError as exc:
        return _login_form(request, error=str(exc), next_path=next, status_code=401)
    # A fresh session (new CSRF token) on every login: no session fixation.
    session = signer(request).new_session(user.id, account_stamp(user.updated_at))
    audit.record(
        engine,
        actor=user.username,
        action="ui.login",
        subject_type="user",
        subject_id=user.username,
        remote=remote_address(request),
    )
    target = PASSWORD_PATH if user.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, request, COOKIE, signer(request).dump(session), MAX_AGE)
    clear_cookie(response, request, PRE_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, page_user: AnyPageUser, csrf_token: CsrfField = "") -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    audit.record(
        get_engine(request),
        actor=page_user.name,
        action="ui.logout",
        subject_type="user",
        subject_id=page_user.name,
        remote=remote_address(request),
    )
    response = RedirectResponse("/login", status_code=303)
    clear_cookie(response, request, COOKIE)
    return response


@router.get(PASSWORD_PATH)
def password_form(request: Request, page_user: AnyPageUser) -> Response:
    return render(request, "password.html", page_user, title="Change password", problems=[])


@router.post(PASSWORD_PATH)
def change_password(
    request: Request,
    page_user: AnyPageUser,
    csrf_token: CsrfField = "",
    current: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
    new: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
    repeat: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
) -> Response:
    csrf.check(page_user.session.csrf, csrf_token)
    engine = get_engine(request)
    problems: list[str] = []
    try:
        # The current password is checked like a login: failures count towards lockout.
        authenticate_password(engine, page_user.name, current, remote=remote_address(request))
    except AccessError as exc:
        problems.append(f"current password: {exc}")
    if new != repeat:
        problems.append("the new password and its repetition differ")
    if new and new == current:
        problems.append("the new password is the same as the current one")
    changed = None
    if not problems:
        try:
            changed = set_password(
                engine, page_user.name, new, must_change=False, actor=page_user.name
            )
        except PasswordPolicyError as exc:
            problems.extend(exc.problems)
        except AccountError as exc:
            problems.append(str(exc))
    if problems or changed is None:
        return render(
            request, "password.html", page_user, 400, title="Change password", problems=problems
        )
    # A new session (new CSRF token, new account stamp) after the change; older sessions
    # of this account, in other browsers, end here.
    fresh = signer(request).new_session(changed.id, account_stamp(changed.updated_at))
    response = RedirectResponse("/", status_code=303)
    set_cookie(response, request, COOKIE, signer(request).dump(fresh), MAX_AGE)
    return response


# --- pages ----------------------------------------------------------------------------
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
        todays = overview.flights_between(engine, start, end)
        hits_by_severity = overview.open_hits_by_severity(engine)
        context.update(
            travel=True,
            departing=[
                f for f in todays if f["departure_utc"] and start <= f["departure_utc"] < end
            ],
            arriving=[f for f in todays if f["arrival_utc"] and start <= f["arrival_utc"] < end],
            unknown_times=[f for f in todays if f["departure_utc"] is None],
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
        return _not_found(request, page_user, f"flight {flight_id}")
    _audit_page(
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
        return _not_found(request, page_user, f"traveller {traveller_id}")
    bookings = [_pnr_view(engine, b) for b in traveller["bookings"]]
    hits = [read.get_hit(engine, h["id"]) or h for h in traveller["hits"]]
    _audit_page(
        request,
        page_user,
        "page.traveller",
        subject_type="traveller",
        subject_id=traveller_id,
        detail={"bookings": [b["id"] for b in bookings], "hits": [h["id"] for h in hits]},
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
    _audit_page(request, page_user, "page.queue", detail={"hits": [h["id"] for h in page.items]})
    return render(request, "queue.html", page_user, title="Review queue", page=page)


def _hit_page(
    request: Request,
    page_user: PageUser,
    hit_id: int,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    engine = get_engine(request)
    hit = read.get_hit(engine, hit_id)
    if hit is None:
        return _not_found(request, page_user, f"hit {hit_id}")
    with engine.connect() as conn:
        history = reviews.hit_history(conn, hit_id)
    _audit_page(
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
        decisions=DECISION_LABELS,
        min_words=reviews.MIN_REASON_WORDS,
        error=error,
        form=form or {},
    )


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
        return _not_found(request, page_user, f"hit {hit_id}")
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


@router.get("/messages")
def messages_page(
    request: Request,
    page_user: MessagePageUser,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    engine = get_engine(request)
    page = overview.rejected_messages(engine, limit=100, offset=offset)
    # Errors quote message content (names, numbers): an audited read.
    _audit_page(
        request, page_user, "page.messages", detail={"messages": [m["id"] for m in page.items]}
    )
    return render(request, "messages.html", page_user, title="Rejected messages", page=page)
