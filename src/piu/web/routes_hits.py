"""Read-only hits and watchlist summaries (review actions come with the analyst's desk)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status

from piu.store import read
from piu.web.deps import TravelReader, WatchlistReader
from piu.web.models import HitDetail, HitPage, WatchlistSummary
from piu.web.params import EngineDep, Id, Limit, Offset, page_dict

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["screening"])

HIT_STATUSES = ("open", "confirmed", "dismissed", "more_info")


@router.get("/hits", response_model=HitPage)
def list_hits(
    _user: TravelReader,
    engine: EngineDep,
    status_: Annotated[
        str | None,
        Query(alias="status", pattern="^(" + "|".join(HIT_STATUSES) + ")$"),
    ] = None,
    watchlist: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    return page_dict(
        read.list_hits(engine, status=status_, watchlist=watchlist, limit=limit, offset=offset)
    )


@router.get(
    "/hits/{hit_id}", response_model=HitDetail, responses={404: {"description": "No such id."}}
)
def get_hit(_user: TravelReader, engine: EngineDep, hit_id: Id) -> dict[str, Any]:
    hit = read.get_hit(engine, hit_id)
    if hit is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no hit {hit_id}")
    return hit


@router.get("/watchlists", response_model=list[WatchlistSummary])
def list_watchlists(_user: WatchlistReader, engine: EngineDep) -> list[dict[str, Any]]:
    return read.list_watchlist_summaries(engine)
