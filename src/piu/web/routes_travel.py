"""Read-only travel data: flights, their travellers, and one traveller in full.

Plain ``def`` routes: FastAPI runs them in its threadpool, as the queries block.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status

from piu.store import read
from piu.web.audited import audit_read, ids_of
from piu.web.deps import TravelReader
from piu.web.models import (
    BookingDetail,
    FlightDetail,
    FlightPage,
    TravellerDetail,
    TravellerPage,
)
from piu.web.params import EngineDep, Id, Limit, Offset, page_dict

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["travel"])

Airport = Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="IATA code.")]

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such id."}}


def _utc(value: datetime | None) -> datetime | None:
    """A time without zone is read as UTC, the zone of every stored instant."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@router.get("/flights", response_model=FlightPage)
def list_flights(
    _user: TravelReader,
    engine: EngineDep,
    departure_from: Annotated[
        datetime | None, Query(description="Departure (UTC) at or after this instant.")
    ] = None,
    departure_to: Annotated[
        datetime | None, Query(description="Departure (UTC) before this instant.")
    ] = None,
    carrier: Annotated[
        str | None, Query(pattern=r"^[A-Za-z0-9]{2,3}$", description="Designator, e.g. KC.")
    ] = None,
    origin: Airport = None,
    destination: Airport = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    start, end = _utc(departure_from), _utc(departure_to)
    if start is not None and end is not None and start > end:
        raise HTTPException(422, "departure_from is after departure_to")
    page = read.list_flights(
        engine,
        departure_from=start,
        departure_to=end,
        carrier=carrier,
        origin=origin,
        destination=destination,
        limit=limit,
        offset=offset,
    )
    return page_dict(page)


@router.get("/flights/{flight_id}", response_model=FlightDetail, responses=_NOT_FOUND)
def get_flight(_user: TravelReader, engine: EngineDep, flight_id: Id) -> dict[str, Any]:
    flight = read.get_flight(engine, flight_id)
    if flight is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no flight {flight_id}")
    return flight


@router.get("/flights/{flight_id}/travellers", response_model=TravellerPage, responses=_NOT_FOUND)
def flight_travellers(
    user: TravelReader,
    engine: EngineDep,
    request: Request,
    flight_id: Id,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    page = read.flight_travellers(engine, flight_id, limit=limit, offset=offset)
    if page is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no flight {flight_id}")
    audit_read(
        engine,
        user,
        request,
        "read.flight_travellers",
        subject_type="flight",
        subject_id=flight_id,
        detail={"travellers": ids_of(page.items), "offset": offset},
    )
    return page_dict(page)


@router.get("/travellers/{traveller_id}", response_model=TravellerDetail, responses=_NOT_FOUND)
def get_traveller(
    user: TravelReader, engine: EngineDep, request: Request, traveller_id: Id
) -> dict[str, Any]:
    traveller = read.get_traveller(engine, traveller_id)
    if traveller is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no traveller {traveller_id}")
    audit_read(
        engine,
        user,
        request,
        "read.traveller",
        subject_type="traveller",
        subject_id=traveller_id,
        detail={
            "flight": traveller.get("flight_id"),
            # Other people's data (and the same person's other trips) are in the answer.
            "co_travellers": ids_of(traveller["co_travellers"]),
            "earlier_trips": ids_of(traveller["earlier_trips"]),
        },
    )
    return traveller


@router.get("/bookings/{booking_id}", response_model=BookingDetail, responses=_NOT_FOUND)
def get_booking(
    user: TravelReader, engine: EngineDep, request: Request, booking_id: Id
) -> dict[str, Any]:
    """A booking (PNR): every pushed version, newest first, and its linked travellers."""
    booking = read.get_booking(engine, booking_id)
    if booking is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no booking {booking_id}")
    audit_read(
        engine,
        user,
        request,
        "read.booking",
        subject_type="booking",
        subject_id=booking_id,
        detail={"travellers": ids_of(booking.get("travellers", []), "traveller_id")},
    )
    return booking
