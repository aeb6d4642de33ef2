"""The public shape of every JSON answer, so /api/v1/openapi.json describes the API exactly.

The store returns dicts; these models choose what leaves the server (anything not declared
here is dropped) and document it. Times are UTC instants unless the field ends in
``_local``, which is the airport-local time as the airline sent it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

__all__ = [
    "Document",
    "Flight",
    "FlightDetail",
    "FlightPage",
    "FlightSource",
    "Health",
    "Me",
    "MessageDetail",
    "MessagePage",
    "MessageSummary",
    "PushReceipt",
    "Receipt",
    "Stop",
    "TravellerDetail",
    "TravellerPage",
    "TravellerSource",
    "TravellerSummary",
]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last page.")


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable"]


class Me(BaseModel):
    username: str
    display_name: str | None
    roles: list[str]
    must_change_password: bool


class PushReceipt(BaseModel):
    """What a carrier learns about its push (see ``ReceiveResult``)."""

    message_id: int
    receipt_id: int
    sha256: str
    status: Literal["stored", "duplicate", "rejected"]
    type: str
    bookings: int
    travellers: int
    flight_ids: list[int]
    warnings: list[str]
    error: str | None = Field(description="Why the message could not be read, if rejected.")


class Flight(BaseModel):
    id: int
    carrier: str
    number: str
    flight_code: str
    origin: str
    destination: str
    departure_date: date = Field(description="Local operating date at the origin.")
    departure_local: datetime | None
    departure_utc: datetime | None
    arrival_local: datetime | None
    arrival_utc: datetime | None
    overflight: bool
    status: str
    passenger_count: int
    crew_count: int
    first_message_id: int
    last_message_id: int
    created_at: datetime
    updated_at: datetime


class FlightPage(Page[Flight]):
    pass


class Stop(BaseModel):
    seq: int
    airport: str
    qualifier: str
    arrival_local: datetime | None
    arrival_utc: datetime | None
    departure_local: datetime | None
    departure_utc: datetime | None


class FlightSource(BaseModel):
    """One list (message) that said something about the flight."""

    message_id: int
    list_kind: str
    document_code: str
    document_subcode: str | None
    traveller_count: int
    received_at: datetime
    type: str
    status: str


class FlightDetail(Flight):
    connections: list[Any]
    stops: list[Stop]
    sources: list[FlightSource]


class TravellerSummary(BaseModel):
    id: int
    flight_id: int
    role: str
    surname: str
    given_names: str | None
    middle_names: str | None
    gender: str | None
    date_of_birth: date | None
    nationality: str | None
    residence_country: str | None
    embarkation: str | None
    debarkation: str | None
    record_locator: str | None
    seat: str | None
    list_status: str


class TravellerPage(Page[TravellerSummary]):
    pass


class Document(BaseModel):
    id: int
    doc_type: str | None
    number: str
    expiry: date | None
    issued: date | None
    issuing_state: str | None
    last_message_id: int


class TravellerSource(BaseModel):
    """A message the traveller was read from, and where in it."""

    message_id: int
    sha256: str
    type: str
    status: str
    received_at: datetime
    segment_index: int | None
    offset: int | None


class HitSummary(BaseModel):
    """An automated hit: a suggestion for a person to review, never a decision."""

    id: int
    kind: str
    status: str
    score: float
    severity: str
    algorithm: str
    created_at: datetime
    traveller_id: int
    message_id: int | None
    surname: str
    given_names: str | None
    flight_id: int
    flight_code: str
    departure_utc: datetime | None
    watchlist: str | None
    entry: str | None


class HitPage(Page[HitSummary]):
    pass


class HitDetail(HitSummary):
    explanation: dict[str, Any]


class WatchlistSummary(BaseModel):
    id: int
    name: str
    source: str | None
    legal_basis: str | None
    category: str
    severity: str
    format: str
    threshold: float | None
    valid_from: date | None
    valid_to: date | None
    active: bool
    entry_count: int
    updated_at: datetime


class TravellerBooking(BaseModel):
    """A booking the traveller is on, and how sure PIU is that it is the same person."""

    id: int
    carrier: str
    locator: str
    current_version: int
    pnr_ref: str
    link_method: str
    confidence: float


class BookingVersion(BaseModel):
    id: int
    version: int
    message_id: int
    flight_id: int | None
    push_type: str | None
    received_at: datetime
    last_modified_local: datetime | None
    traveller_count: int
    data: dict[str, Any]


class BookingTraveller(BaseModel):
    traveller_id: int
    flight_id: int
    pnr_ref: str
    link_method: str
    confidence: float
    surname: str
    given_names: str | None


class BookingDetail(BaseModel):
    id: int
    carrier: str
    locator: str
    created_local: datetime | None
    current_version: int
    first_seen: datetime
    last_seen: datetime
    versions: list[BookingVersion]
    travellers: list[BookingTraveller]


class BookingRef(BaseModel):
    id: int
    carrier: str
    locator: str


class CoTraveller(BaseModel):
    """Another traveller of the same flight tied to this one by a booking or a locator."""

    id: int
    flight_id: int
    role: str
    surname: str
    given_names: str | None
    seat: str | None
    record_locator: str | None
    list_status: str
    linked_by: list[str] = Field(description="booking (same PNR) and/or record_locator.")
    bookings: list[BookingRef] = Field(description="The bookings both are on.")


class MatchedDocument(BaseModel):
    number: str
    issuing_state: str | None


class EarlierTrip(BaseModel):
    """The probable same person on another flight, and what made PIU think so."""

    id: int = Field(description="The traveller row on that flight.")
    flight_id: int
    flight_code: str
    origin: str
    destination: str
    departure_date: date
    departure_utc: datetime | None
    role: str
    surname: str
    given_names: str | None
    date_of_birth: date | None
    gender: str | None
    embarkation: str | None
    debarkation: str | None
    seat: str | None
    list_status: str
    matched_by: list[str] = Field(description="document and/or name+dob.")
    document: MatchedDocument | None = Field(
        description="The document in common, as stored on that trip (document matches)."
    )


class TravellerDetail(TravellerSummary):
    birth_place: str | None
    address: Any | None
    passenger_ref: str | None
    ticket: str | None
    customer_ref: str | None
    other_refs: dict[str, Any]
    bag_count: int | None
    bag_weight: float | None
    bag_weight_unit: str | None
    bag_tags: list[Any]
    first_message_id: int
    last_message_id: int
    created_at: datetime
    updated_at: datetime
    flight: Flight
    documents: list[Document]
    sources: list[TravellerSource]
    hits: list[HitSummary]
    bookings: list[TravellerBooking]
    co_travellers: list[CoTraveller]
    earlier_trips: list[EarlierTrip]
    in_api: bool
    in_pnr: bool


class MessageSummary(BaseModel):
    id: int
    sha256: str
    size: int
    received_at: datetime
    sender: str
    channel: str
    type: str
    status: str
    traveller_count: int
    processed_at: datetime | None


class MessagePage(Page[MessageSummary]):
    pass


class Receipt(BaseModel):
    """One delivery of the message (repeats included)."""

    id: int
    received_at: datetime
    sender: str
    channel: str
    origin: str | None
    duplicate: bool


class MessageDetail(MessageSummary):
    error: dict[str, Any] | None = Field(
        description="Where and why the message could not be read (segment, tag, element...)."
    )
    warnings: list[str]
    parser_version: str | None
    receipts: list[Receipt]
