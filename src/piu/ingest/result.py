"""What :func:`piu.ingest.receive` tells its caller about one inbound message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["ReceiveResult", "ReceiveStatus"]

ReceiveStatus = Literal["stored", "duplicate", "rejected"]


@dataclass(slots=True, kw_only=True)
class ReceiveResult:
    """The outcome of one delivery.

    ``status`` is ``stored`` when the message was new and parsed, ``duplicate`` when the same
    bytes had been received before (nothing changed), and ``rejected`` when it was kept but
    could not be parsed (``error`` says where and why). In every case the raw bytes are in
    the store under ``message_id`` before this result exists.
    """

    message_id: int
    receipt_id: int
    sha256: str
    status: ReceiveStatus
    msg_type: str
    travellers: int = 0
    bookings: int = 0
    flight_ids: list[int] = field(default_factory=list)
    hits: int = 0  # new hits (watchlist and rule) raised on this message's travellers
    warnings: list[str] = field(default_factory=list)
    error: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "receipt_id": self.receipt_id,
            "sha256": self.sha256,
            "status": self.status,
            "type": self.msg_type,
            "bookings": self.bookings,
            "travellers": self.travellers,
            "flight_ids": list(self.flight_ids),
            "hits": self.hits,
            "warnings": list(self.warnings),
            "error": self.error["message"] if self.error else None,
        }
