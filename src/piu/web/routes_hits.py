"""Read-only hits and watchlist summaries (review actions come with the analyst's desk)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status

from piu.store import read
from piu.web.audited import audit_read, ids_of
from piu.web.deps import TravelReader, WatchlistReader
from piu.web.models import HitDetail, HitPage, WatchlistSummary
from piu.web.params import EngineDep, Id, Limit, Offset, page_dict

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["screening"])

HIT_STATUSES = ("open", "confirmed", "dismissed", "more_info")


@router.get("/hits", response_model=HitPage)
def list_hits(
    user: TravelReader,
    engine: EngineDep,
    request: Request,
    status_: Annotated[
        str | None,
        Query(alias="status", pattern="^(" + "|".join(HIT_STATUSES) + ")$"),
    ] = None,
    watchlist: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    page = read.list_hits(engine, status=status_, watchlist=watchlist, limit=limit, offset=offset)
    audit_read(
        engine,
        user,
        request,
        "read.hits",
        detail={
            "hits": ids_of(page.items),
            "travellers": ids_of(page.items, "traveller_id"),
            "status": status_,
            "watchlist": watchlist,
            "offset": offset,
        },
    )
    return page_dict(page)


@router.get(
    "/hits/{hit_id}", response_model=HitDetail, responses={404: {"description": "No such id."}}
)
def get_hit(user: TravelReader, engine: EngineDep, request: Request, hit_id: Id) -> dict[str, Any]:
    hit = read.get_hit(engine, hit_id)
    if hit is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no hit {hit_id}")
    audit_read(
        engine,
        user,
        request,
        "read.hit",
        subject_type="hit",
        subject_id=hit_id,
        detail={"traveller": hit.get("traveller_id")},
    )
    return hit


@router.get("/watchlists", response_model=list[WatchlistSummary])
def list_watchlists(_user: WatchlistReader, engine: EngineDep) -> list[dict[str, Any]]:
    return read.list_watchlist_summaries(engine)
