"""Hit review over HTTP: the queue, a person's decision, and the history of decisions.

Who may do what (see also :mod:`piu.web.deps`): the queue and a hit's history are read by
the roles that read travel data (analyst, supervisor, DPO, admin); deciding is for the
analysts and supervisors whose job it is. Every decision needs a written reason and is
kept (:mod:`piu.store.reviews`); decisions and reads go to the audit trail.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from piu.accounts.roles import Role
from piu.accounts.users import User
from piu.store import reviews
from piu.web.audited import audit_read, ids_of
from piu.web.deps import TravelReader, acting, require_roles
from piu.web.models import Page
from piu.web.params import EngineDep, Id, Limit, Offset, page_dict

__all__ = ["HIT_REVIEWERS", "router"]

router = APIRouter(prefix="/api/v1", tags=["review"])

HIT_REVIEWERS = frozenset({Role.ANALYST, Role.SUPERVISOR})
HitReviewer = Annotated[User, Depends(require_roles(HIT_REVIEWERS))]

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such hit."}}


class Decision(BaseModel):
    decision: Literal["confirmed", "dismissed", "more_info"] = Field(
        description="confirmed, dismissed (a false match) or more_info (cannot decide yet)."
    )
    reason: str = Field(
        max_length=reviews.MAX_REASON_CHARS,
        description=f"Why, in at least {reviews.MIN_REASON_WORDS} words.",
    )


class Review(BaseModel):
    id: int
    hit_id: int
    decision: str
    reason: str
    by: str
    at: datetime


class DecisionResult(BaseModel):
    review_id: int
    hit_id: int
    decision: str
    reason: str
    by: str
    at: datetime
    previous_status: str
    status: str
    false_match: bool = Field(description="The evidence is remembered as a false match.")


class QueueItem(BaseModel):
    """A hit waiting for a person, with what the reviewer needs to pick it up."""

    id: int
    kind: str
    status: str
    severity: str
    score: float
    created_at: datetime
    traveller_id: int
    surname: str
    given_names: str | None
    date_of_birth: date | None
    flight_id: int
    flight_code: str
    origin: str
    destination: str
    departure_date: date
    departure_utc: datetime | None
    arrival_utc: datetime | None
    watchlist: str | None
    entry: str | None
    rule: str | None
    rule_version: int | None
    source: str | None = Field(description="The list or rule that raised the hit.")
    due: datetime | None = Field(description="Next departure or arrival still to come.")
    due_kind: Literal["departure", "arrival"] | None


class QueuePage(Page[QueueItem]):
    pass


@router.get("/queue", response_model=QueuePage)
def queue(
    user: TravelReader,
    engine: EngineDep,
    request: Request,
    status_: Annotated[
        list[Literal["open", "confirmed", "dismissed", "more_info"]] | None,
        Query(alias="status", description="Repeat to ask for several; open and more_info."),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Hits to review: most severe first, then soonest departure or arrival."""
    statuses = tuple(dict.fromkeys(status_)) if status_ else reviews.QUEUE_STATUSES
    with engine.connect() as conn:
        page = reviews.review_queue(conn, statuses=statuses, limit=limit, offset=offset)
    audit_read(
        engine,
        user,
        request,
        "read.queue",
        detail={
            "hits": ids_of(page.items),
            "travellers": ids_of(page.items, "traveller_id"),
            "status": list(statuses),
            "offset": offset,
        },
    )
    return page_dict(page)


@router.post("/hits/{hit_id}/decision", response_model=DecisionResult, responses=_NOT_FOUND)
def decide(
    user: HitReviewer, engine: EngineDep, request: Request, hit_id: Id, body: Decision
) -> dict[str, Any]:
    """Record a decision with its reason; the hit's status becomes the decision."""
    try:
        with engine.begin() as conn:
            return reviews.decide(
                conn,
                hit_id,
                decision=body.decision,
                reason=body.reason,
                **acting(user.username, request),
            )
    except reviews.HitNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    except reviews.ReviewError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None


@router.get("/hits/{hit_id}/reviews", response_model=list[Review], responses=_NOT_FOUND)
def history(
    user: TravelReader, engine: EngineDep, request: Request, hit_id: Id
) -> list[dict[str, Any]]:
    """Every decision on the hit, oldest first."""
    try:
        with engine.connect() as conn:
            found = reviews.hit_history(conn, hit_id)
    except reviews.HitNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    audit_read(engine, user, request, "read.hit_reviews", subject_type="hit", subject_id=hit_id)
    return found
