"""Targeting rules over HTTP: read, check, draft, review (four eyes), try on the past.

Who may do what (see also :mod:`piu.web.deps`): reading rules and their figures is open to
the roles that work with hits (analyst, supervisor, DPO, admin) and to rule managers;
writing, reviewing and trying rules is for rule managers only. The approver must be
another person than the author and the submitter; the store enforces it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, Path, status
from pydantic import BaseModel, Field

from piu.store import rules as lifecycle
from piu.targeting import RuleError, check, pretty
from piu.web.deps import RuleManager, RuleReader
from piu.web.params import EngineDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/rules", tags=["rules"])

RuleName = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
Version = Annotated[int, Path(ge=1, le=1_000_000)]


class Expression(BaseModel):
    expression: str = Field(max_length=4000)


class Draft(BaseModel):
    expression: str = Field(max_length=4000)
    justification: str = Field(min_length=1, max_length=4000)
    category: str = Field(min_length=1, max_length=32)
    severity: Literal["low", "medium", "high", "critical"]
    valid_from: date | None = None
    valid_to: date | None = None


class Trial(BaseModel):
    expression: str = Field(max_length=4000)
    start: date
    end: date
    sample: int = Field(default=10, ge=0, le=100)


class StepNote(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


def _rule_error(exc: RuleError, expression: str) -> HTTPException:
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        {
            "error": exc.message,
            "kind": exc.kind,
            "column": exc.column,
            "length": exc.length,
            "suggestions": list(exc.suggestions),
            "caret": exc.caret(expression),
        },
    )


def _state_error(exc: lifecycle.RuleStateError) -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, str(exc))


@router.get("")
def list_rules(_user: RuleReader, engine: EngineDep) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [
            {**asdict(v), "figures": lifecycle.rule_figures(conn, v.name)}
            for v in lifecycle.list_rules(conn)
        ]


@router.post("/check")
def check_expression(_user: RuleReader, body: Expression) -> dict[str, Any]:
    """Live syntax checking for the rule editor: the canonical form, or where it fails."""
    try:
        return {"ok": True, "canonical": pretty(check(body.expression))}
    except RuleError as exc:
        raise _rule_error(exc, body.expression) from None


@router.post("/try")
def try_expression(_user: RuleManager, engine: EngineDep, body: Trial) -> dict[str, Any]:
    """How many travellers of a past period the rule would have hit, with a sample."""
    from piu.ingest.targeting import try_rule

    if body.end < body.start:
        raise HTTPException(422, "end is before start")
    try:
        result = try_rule(
            engine, body.expression, start=body.start, end=body.end, sample=body.sample
        )
    except RuleError as exc:
        raise _rule_error(exc, body.expression) from None
    return asdict(result)


@router.get("/{name}")
def get_rule(_user: RuleReader, engine: EngineDep, name: RuleName) -> dict[str, Any]:
    with engine.connect() as conn:
        try:
            versions, events = lifecycle.get_rule(conn, name)
        except lifecycle.RuleStateError as exc:
            raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
        figures = lifecycle.rule_figures(conn, name)
    return {
        "name": name,
        "versions": [asdict(v) for v in versions],
        "events": events,
        "figures": figures,
    }


@router.post("/{name}/versions", status_code=status.HTTP_201_CREATED)
def draft(user: RuleManager, engine: EngineDep, name: RuleName, body: Draft) -> dict[str, Any]:
    """A new draft version (the first one creates the rule)."""
    try:
        with engine.begin() as conn:
            version = lifecycle.draft(
                conn,
                name=name,
                expression=body.expression,
                justification=body.justification,
                category=body.category,
                severity=body.severity,
                valid_from=body.valid_from,
                valid_to=body.valid_to,
                author=user.username,
                now=datetime.now(UTC),
            )
    except RuleError as exc:
        raise _rule_error(exc, body.expression) from None
    except lifecycle.RuleStateError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    return asdict(version)


@router.post("/{name}/versions/{version}/{action}")
def step(
    user: RuleManager,
    engine: EngineDep,
    name: RuleName,
    version: Version,
    action: Annotated[str, Path(pattern="^(submit|approve|reject|activate|retire)$")],
    body: Annotated[StepNote | None, Body()] = None,
) -> dict[str, Any]:
    """One lifecycle step; 409 when the rule is not in a state that allows it."""
    now = datetime.now(UTC)
    note = body.note if body else None
    try:
        with engine.begin() as conn:
            if action == "reject":
                if not note:
                    raise HTTPException(422, "a rejection needs a note saying why")
                done = lifecycle.reject(conn, name, version, by=user.username, now=now, note=note)
            else:
                fn = getattr(lifecycle, action)
                done = fn(conn, name, version, by=user.username, now=now)
    except lifecycle.RuleStateError as exc:
        raise _state_error(exc) from None
    return asdict(done)
