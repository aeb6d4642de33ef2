"""The targeting-rule pages: the catalogue of rules, one rule's history, the editor, the
trial on past data, and the reviewed lifecycle (submit, approve or reject, activate, retire).

Everything goes through the same functions as ``POST /api/v1/rules/...`` and ``piu rules``:
:func:`piu.targeting.check` for checking, :func:`piu.ingest.targeting.try_rule` for trials
and :mod:`piu.store.rules` for the lifecycle, which enforces four eyes (the approver is
neither the author nor the submitter) and records every step in ``rule_events`` and the
audit trail. Roles follow :mod:`piu.web.deps`: reading (and checking an expression) is for
the roles that work with hits and for rule managers; writing, trying and reviewing rules
for rule managers only.

Checking works without JavaScript: the editor's Check button posts the form and the page
comes back with the error at its line and column, a caret under it and the "did you
mean" suggestions. As a progressive enhancement the editor page (and only it) allows one
first-party script, ``/ui-static/rule-check.js`` (CSP ``script-src 'self'``, no inline
script, no CDN), which posts the text with the session's CSRF token to ``POST
/rules/check`` as the analyst types and shows the same answer.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import JSONResponse, Response

from piu.ingest.targeting import TrialResult, try_rule
from piu.store import rules as lifecycle
from piu.targeting import RuleError, check, pretty
from piu.web.deps import RULE_MANAGERS, RULE_READERS, get_engine
from piu.web.ui import csrf
from piu.web.ui.framework import (
    CSP,
    CsrfField,
    PageUser,
    audit_page,
    not_found,
    redirect,
    render,
    require_page_roles,
)

__all__ = ["EDITOR_CSP", "router"]

router = APIRouter(include_in_schema=False)

ReaderPageUser = Annotated[PageUser, Depends(require_page_roles(RULE_READERS))]
ManagerPageUser = Annotated[PageUser, Depends(require_page_roles(RULE_MANAGERS))]

RuleName = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
RULE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Paths of the editor's own pages, so no rule may take these names.
RESERVED_NAMES = frozenset({"new", "edit", "check"})
# What a rule manager may do with a version in each state (the store re-checks it).
NEXT_STEPS = {
    "draft": ("submit", "retire"),
    "submitted": ("approve", "reject", "retire"),
    "approved": ("activate", "retire"),
    "active": ("retire",),
}
MAX_TRIAL_DAYS = 366
SCRIPT_PATH = "/ui-static/rule-check.js"
# The editor alone may run the first-party checking script and call back to the server.
EDITOR_CSP = CSP + "; script-src 'self'; connect-src 'self'"
_SCRIPT = files("piu.web.ui").joinpath("static/rule-check.js").read_bytes()


# --- checking --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CheckResult:
    """An expression accepted (its canonical form) or refused (where and why)."""

    ok: bool
    canonical: str = ""
    line: int = 0
    column: int = 0
    kind: str = ""
    message: str = ""
    suggestions: tuple[str, ...] = ()
    caret: str = ""
    description: str = ""


def _normalise(expression: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; the checker counts LF lines."""
    return expression.replace("\r\n", "\n").replace("\r", "\n")


def check_expression(expression: str) -> CheckResult:
    try:
        return CheckResult(True, canonical=pretty(check(expression)))
    except RuleError as exc:
        return _refused(exc, expression)


def _refused(exc: RuleError, expression: str) -> CheckResult:
    line, column = exc.position(expression)
    where = f"line {line}, column {column}" if "\n" in expression else f"column {column}"
    text = f"{where}: {exc.message}"
    if exc.suggestions:
        text += "; did you mean " + " or ".join(f"'{s}'" for s in exc.suggestions) + "?"
    return CheckResult(
        False,
        line=line,
        column=column,
        kind=exc.kind,
        message=exc.message,
        suggestions=exc.suggestions,
        caret=exc.caret(expression),
        description=text,
    )


# --- the editor's form ---------------------------------------------------------------------
@dataclass(slots=True)
class RuleForm:
    """The editor's fields as sent, re-shown on every answer."""

    mode: str = "new"  # "new" rule, or a new "version" of an existing one
    name: str = ""
    expression: str = ""
    justification: str = ""
    category: str = ""
    severity: str = "medium"
    valid_from: str = ""
    valid_to: str = ""
    start: str = ""
    end: str = ""
    sample: int = 10


def rule_form(
    mode: Annotated[str, Form(max_length=16)] = "new",
    name: Annotated[str, Form(max_length=200)] = "",
    expression: Annotated[str, Form(max_length=20_000)] = "",
    justification: Annotated[str, Form(max_length=4000)] = "",
    category: Annotated[str, Form(max_length=64)] = "",
    severity: Annotated[str, Form(max_length=16)] = "medium",
    valid_from: Annotated[str, Form(max_length=32)] = "",
    valid_to: Annotated[str, Form(max_length=32)] = "",
    start: Annotated[str, Form(max_length=32)] = "",
    end: Annotated[str, Form(max_length=32)] = "",
    sample: Annotated[int, Form(ge=0, le=100)] = 10,
) -> RuleForm:
    """A dependency reading the editor (every field optional: CSRF is checked first)."""
    return RuleForm(
        "version" if mode == "version" else "new",
        name.strip(),
        _normalise(expression),
        justification,
        category.strip(),
        severity,
        valid_from.strip(),
        valid_to.strip(),
        start.strip(),
        end.strip(),
        sample,
    )


RuleFormDep = Annotated[RuleForm, Depends(rule_form)]


def _date(value: str, label: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label}: {value!r} is not a date (YYYY-MM-DD).")
        return None


def _editor(
    request: Request,
    page_user: PageUser,
    form: RuleForm,
    *,
    checked: CheckResult | None = None,
    trial: TrialResult | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    if not form.start or not form.end:
        today = datetime.now(UTC).date()
        form.start = form.start or (today - timedelta(days=30)).isoformat()
        form.end = form.end or today.isoformat()
    title = "New rule" if form.mode == "new" else f"New version of {form.name}"
    response = render(
        request,
        "rule_edit.html",
        page_user,
        status_code,
        title=title,
        form=form,
        checked=checked,
        trial=trial,
        errors=errors or [],
        severities=lifecycle.SEVERITIES,
        script=SCRIPT_PATH,
    )
    response.headers["Content-Security-Policy"] = EDITOR_CSP
    return response


# --- pages ---------------------------------------------------------------------------
@router.get("/rules")
def rules_page(request: Request, page_user: ReaderPageUser) -> Response:
    # Rules and counts of hits: no personal data, not audited.
    today = datetime.now(UTC).date()
    with get_engine(request).connect() as conn:
        latest = lifecycle.list_rules(conn)
        in_force = {v.name: v.version for v in lifecycle.active_versions(conn, today)}
        rows = [
            {
                "v": v,
                "figures": lifecycle.rule_figures(conn, v.name),
                "in_force": in_force.get(v.name),
            }
            for v in latest
        ]
    return render(
        request,
        "rules.html",
        page_user,
        title="Targeting rules",
        rows=rows,
        can_write=page_user.user.has_any_role(RULE_MANAGERS),
    )


@router.get("/rules/new")
def new_rule_page(request: Request, page_user: ManagerPageUser) -> Response:
    return _editor(request, page_user, RuleForm())


@router.get(SCRIPT_PATH)
def rule_check_script(page_user: ReaderPageUser) -> Response:
    """The editor's live checking, served only to signed-in readers of rules."""
    return Response(_SCRIPT, media_type="text/javascript; charset=utf-8")


def _rule_page(
    request: Request,
    page_user: PageUser,
    name: str,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    with get_engine(request).connect() as conn:
        try:
            versions, events = lifecycle.get_rule(conn, name)
        except lifecycle.RuleStateError:
            return not_found(request, page_user, f"rule {name}")
        figures = lifecycle.rule_figures(conn, name)
    return render(
        request,
        "rule.html",
        page_user,
        status_code,
        title=f"Rule {name}",
        name=name,
        versions=versions,
        events=events,
        figures=figures,
        error=error,
        can_write=page_user.user.has_any_role(RULE_MANAGERS),
        next_steps=NEXT_STEPS,
        me=page_user.name,
    )


@router.get("/rules/{name}")
def rule_page(request: Request, page_user: ReaderPageUser, name: RuleName) -> Response:
    return _rule_page(request, page_user, name)


@router.get("/rules/{name}/edit")
def edit_rule_page(request: Request, page_user: ManagerPageUser, name: RuleName) -> Response:
    """A new version, starting from the newest one's text and settings."""
    with get_engine(request).connect() as conn:
        try:
            versions, _events = lifecycle.get_rule(conn, name)
        except lifecycle.RuleStateError:
            return not_found(request, page_user, f"rule {name}")
    latest = versions[0]
    form = RuleForm(
        mode="version",
        name=name,
        expression=latest.expression,
        justification=latest.justification,
        category=latest.category,
        severity=latest.severity,
        valid_from=latest.valid_from.isoformat() if latest.valid_from else "",
        valid_to=latest.valid_to.isoformat() if latest.valid_to else "",
    )
    return _editor(request, page_user, form)


@router.post("/rules/check")
def check_json(
    page_user: ReaderPageUser,
    csrf_token: CsrfField = "",
    expression: Annotated[str, Form(max_length=20_000)] = "",
) -> JSONResponse:
    """The live check behind the editor's script: the same answer as the Check button."""
    csrf.check(page_user.session.csrf, csrf_token)
    return JSONResponse(asdict(check_expression(_normalise(expression))))


def _trial(
    request: Request, page_user: PageUser, form: RuleForm
) -> tuple[TrialResult | None, CheckResult | None, list[str]]:
    errors: list[str] = []
    start = _date(form.start, "First departure day", errors)
    end = _date(form.end, "Last departure day", errors)
    if start and end and end < start:
        errors.append("The last departure day is before the first.")
    if start and end and (end - start).days >= MAX_TRIAL_DAYS:
        errors.append(f"Try a period of at most {MAX_TRIAL_DAYS} days at a time.")
    if errors or start is None or end is None:
        return None, None, errors or ["Give the period to try the rule on."]
    try:
        result = try_rule(
            get_engine(request), form.expression, start=start, end=end, sample=form.sample
        )
    except RuleError as exc:
        return None, _refused(exc, form.expression), []
    # The sample names travellers: an audited read, like any page showing them.
    audit_page(
        request,
        page_user,
        "page.rule_trial",
        subject_type="rule",
        subject_id=form.name or None,
        detail={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "travellers": result.travellers,
            "matched": result.matched,
            "shown": [s["traveller_id"] for s in result.sample],
        },
    )
    return result, check_expression(form.expression), []


def _save(request: Request, page_user: PageUser, form: RuleForm) -> Response:
    errors: list[str] = []
    if not RULE_NAME.match(form.name) or form.name in RESERVED_NAMES:
        errors.append(
            "A rule name is 1 to 64 characters: lower-case letters, digits, '.', '_' or '-', "
            f"starting with a letter or digit (and not {', '.join(sorted(RESERVED_NAMES))})."
        )
    valid_from = _date(form.valid_from, "First day in force", errors)
    valid_to = _date(form.valid_to, "Last day in force", errors)
    if not form.category:
        errors.append("Give the rule a category (e.g. terrorism, trafficking, smuggling).")
    if errors:
        return _editor(request, page_user, form, errors=errors, status_code=400)
    engine = get_engine(request)
    try:
        with engine.begin() as conn:
            if form.mode == "new" and lifecycle.rule_exists(conn, form.name):
                raise lifecycle.RuleStateError(
                    f"a rule named {form.name!r} exists already: open it and write a new version"
                )
            lifecycle.draft(
                conn,
                name=form.name,
                expression=form.expression,
                justification=form.justification,
                category=form.category,
                severity=form.severity,
                author=page_user.name,
                now=datetime.now(UTC),
                valid_from=valid_from,
                valid_to=valid_to,
            )
    except RuleError as exc:
        checked = _refused(exc, form.expression)
        return _editor(request, page_user, form, checked=checked, status_code=400)
    except lifecycle.RuleStateError as exc:
        return _editor(request, page_user, form, errors=[str(exc)], status_code=400)
    return redirect(request, f"/rules/{form.name}")


@router.post("/rules/edit")
def edit_post(
    request: Request,
    page_user: ManagerPageUser,
    form: RuleFormDep,
    csrf_token: CsrfField = "",
    do: Annotated[str, Form(max_length=16)] = "check",
) -> Response:
    """The editor's three buttons: Check, Try on past data, Save as a draft."""
    csrf.check(page_user.session.csrf, csrf_token)
    if do == "save":
        return _save(request, page_user, form)
    if do == "try":
        trial, checked, errors = _trial(request, page_user, form)
        status_code = 400 if errors or (checked and not checked.ok) else 200
        return _editor(
            request,
            page_user,
            form,
            checked=checked,
            trial=trial,
            errors=errors,
            status_code=status_code,
        )
    checked = check_expression(form.expression)
    status_code = 200 if checked.ok else 400
    return _editor(request, page_user, form, checked=checked, status_code=status_code)


@router.post("/rules/{name}/versions/{version}/{action}")
def step_post(
    request: Request,
    page_user: ManagerPageUser,
    name: RuleName,
    version: Annotated[int, Path(ge=1, le=1_000_000)],
    action: Annotated[str, Path(pattern="^(submit|approve|reject|activate|retire)$")],
    csrf_token: CsrfField = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """One lifecycle step, recorded with who and when; refused steps say why."""
    csrf.check(page_user.session.csrf, csrf_token)
    now = datetime.now(UTC)
    try:
        with get_engine(request).begin() as conn:
            if action == "reject":
                if not note.strip():
                    raise lifecycle.RuleStateError("a rejection needs a note saying why")
                lifecycle.reject(conn, name, version, by=page_user.name, now=now, note=note)
            else:
                step: Any = getattr(lifecycle, action)
                step(conn, name, version, by=page_user.name, now=now)
    except lifecycle.RuleStateError as exc:
        return _rule_page(request, page_user, name, error=str(exc), status_code=409)
    return redirect(request, f"/rules/{name}")
