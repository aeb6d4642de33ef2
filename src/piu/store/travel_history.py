"""Who travels with a traveller, and where the PIU has seen the same person before.

Read-only, like :mod:`piu.store.read` (whose :func:`~piu.store.read.get_traveller` adds
both lists to a traveller). Each query starts from an index, so its cost depends on how
many rows share a booking, a locator, a document number or a surname, never on the size
of the tables:

* **Co-travellers** (:func:`co_travellers`): on the traveller's own flight, the other
  travellers of the bookings the traveller is tied to (``booking_travellers`` by
  ``booking_id``, the unique index on booking, flight and reference) and those carrying
  the same record locator in the API list (``ix_travellers_record_locator``). A booking
  spans flights, so its travellers on other flights are left out: on a return flight they
  are mostly the same people again, not companions.
* **Earlier trips** (:func:`earlier_trips`): traveller rows on other flights that are
  probably the same person. A travel document number in common (same issuing state when
  both are known) is the strong evidence (``ix_documents_number``); otherwise the same
  surname and date of birth (``ix_travellers_surname_dob``; a Cyrillic surname is also
  looked up in its Latin renditions), with the names compared folded as screening
  folds them (:func:`piu.screening.keys.fold_key`), so IULIIA and YULIYA, or ЖУМАБАЕВА and
  ZHUMABAEVA, meet. Namesakes born on other days are never shown, nor two known genders
  that differ. "Earlier" means already in the PIU's data: on an old record a later flight
  shows too. Newest first, at most ``limit``.

Limit of the name path: a surname spelt differently in Latin on two trips (IUSUPOV on one
passport, YUSUPOV on the next) is not found by name, because the surname index holds the
spelling as sent; such trips are found by document only. Finding them by name would need a
folded-surname column with its own index, which does not exist yet.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from anyascii import anyascii
from sqlalchemy import ColumnElement, Connection, and_, or_, select

from piu.domain.linking import normalise_given, normalise_name
from piu.screening.keys import fold_key
from piu.screening.scripts import CYRILLIC, detect_script
from piu.screening.translit import cyrillic_language, cyrillic_renditions
from piu.store.schema import booking_travellers, bookings, documents, flights, travellers

__all__ = [
    "CO_TRAVELLER_LIMIT",
    "EARLIER_TRIP_LIMIT",
    "MIN_DOCUMENT_CHARS",
    "co_travellers",
    "earlier_trips",
]

Row = dict[str, Any]

CO_TRAVELLER_LIMIT = 100
EARLIER_TRIP_LIMIT = 50
# Shorter "numbers" (0, 1, X) are placeholders some systems send; they would tie strangers.
MIN_DOCUMENT_CHARS = 5
# Rows read by surname and date of birth before the folded given names are compared: far
# more than one person's trips, small enough for a very common name born on a common day.
_NAME_SCAN = 500

_CO_COLUMNS = (
    travellers.c.id,
    travellers.c.flight_id,
    travellers.c.role,
    travellers.c.surname,
    travellers.c.given_names,
    travellers.c.seat,
    travellers.c.record_locator,
    travellers.c.list_status,
)
_TRIP_COLUMNS = (
    travellers.c.id,
    travellers.c.flight_id,
    travellers.c.role,
    travellers.c.surname,
    travellers.c.given_names,
    travellers.c.date_of_birth,
    travellers.c.gender,
    travellers.c.embarkation,
    travellers.c.debarkation,
    travellers.c.seat,
    travellers.c.list_status,
    flights.c.flight_code,
    flights.c.origin,
    flights.c.destination,
    flights.c.departure_date,
    flights.c.departure_utc,
)
_NEWEST_FIRST = (
    flights.c.departure_date.desc(),
    flights.c.departure_utc.desc().nulls_last(),
    travellers.c.id.desc(),
)
_BY_NAME = (travellers.c.surname, travellers.c.given_names, travellers.c.id)


def _self(conn: Connection, traveller_id: int) -> Any:
    return conn.execute(
        select(
            travellers.c.id,
            travellers.c.flight_id,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            travellers.c.gender,
            travellers.c.record_locator,
        ).where(travellers.c.id == traveller_id)
    ).first()


def co_travellers(
    conn: Connection, traveller_id: int, *, limit: int = CO_TRAVELLER_LIMIT
) -> list[Row]:
    """The traveller's companions on the same flight, by name, at most ``limit``.

    Each row is a traveller summary with ``linked_by`` (``booking`` and/or
    ``record_locator``) and ``bookings`` (``id``, ``carrier``, ``locator`` of the shared
    bookings), so the page can say how the two are tied.
    """
    me = _self(conn, traveller_id)
    if me is None:
        return []
    found: dict[int, Row] = {}
    mine = select(booking_travellers.c.booking_id).where(
        booking_travellers.c.traveller_id == traveller_id
    )
    same_booking = conn.execute(
        select(
            *_CO_COLUMNS, bookings.c.id.label("booking_id"), bookings.c.carrier, bookings.c.locator
        )
        .select_from(
            booking_travellers.join(
                travellers, travellers.c.id == booking_travellers.c.traveller_id
            ).join(bookings, bookings.c.id == booking_travellers.c.booking_id)
        )
        .where(
            booking_travellers.c.booking_id.in_(mine)
            & (booking_travellers.c.flight_id == me.flight_id)
            & (booking_travellers.c.traveller_id != traveller_id)
        )
        .order_by(*_BY_NAME, bookings.c.id)
        .limit(limit)
    )
    for b in same_booking:
        row = found.setdefault(
            b.id,
            {c.name: getattr(b, c.name) for c in _CO_COLUMNS}
            | {"linked_by": ["booking"], "bookings": []},
        )
        row["bookings"].append({"id": b.booking_id, "carrier": b.carrier, "locator": b.locator})
    if me.record_locator:
        same_locator = conn.execute(
            select(*_CO_COLUMNS)
            .where(
                (travellers.c.flight_id == me.flight_id)
                & (travellers.c.record_locator == me.record_locator)
                & (travellers.c.id != traveller_id)
            )
            .order_by(*_BY_NAME)
            .limit(limit)
        )
        for r in same_locator:
            row = found.setdefault(r.id, {**r._mapping, "linked_by": [], "bookings": []})
            row["linked_by"].append("record_locator")
    ordered = sorted(found.values(), key=lambda t: (t["surname"], t["given_names"] or "", t["id"]))
    return ordered[:limit]


def _document_key(number: str) -> str:
    """A document number as :mod:`piu.store.bookings` compares them: letters and digits."""
    return "".join(ch for ch in number.upper() if ch.isalnum())


def _document_condition(conn: Connection, traveller_id: int) -> ColumnElement[bool] | None:
    """Another row's document is one of this traveller's: number, and state if both known."""
    clauses = []
    for number, state in conn.execute(
        select(documents.c.number, documents.c.issuing_state).where(
            documents.c.traveller_id == traveller_id
        )
    ):
        key = _document_key(number or "")
        if len(key) < MIN_DOCUMENT_CHARS:
            continue
        # As stored and as letters and digits only (this one's "AB 123456" finds another
        # trip's "AB123456", the usual form; not the other way round): equality tests
        # the number index answers, where normalising the column would scan it.
        same_number: ColumnElement[bool] = documents.c.number.in_(sorted({number, key}))
        if state:
            same_number = and_(
                same_number,
                or_(documents.c.issuing_state.is_(None), documents.c.issuing_state == state),
            )
        clauses.append(same_number)
    return or_(*clauses) if clauses else None


def _surname_candidates(surname: str) -> list[str]:
    """The spellings to look the surname up by: as stored, upper case, and for a Cyrillic
    surname its Latin renditions (ICAO, the older passport styles): API lists carry the
    passport's Latin name, while a PNR may carry the name as the traveller typed it."""
    text = " ".join(surname.split())
    found = dict.fromkeys([surname, text, text.upper()])
    if detect_script(text) == CYRILLIC:
        language = cyrillic_language(text)
        words = [dict(cyrillic_renditions(w, language)) for w in text.upper().split()]
        for system in dict.fromkeys(s for w in words for s in w):
            found[" ".join(w.get(system, w.get("icao", "")) for w in words)] = None
        found[anyascii(text).upper()] = None
    return [s for s in found if s]


def _folded(text: str | None, *, given: bool = False) -> tuple[str, ...]:
    """A name as folding keys, one per word, in any script (Cyrillic through anyascii)."""
    latin = anyascii(text or "").upper()
    words = (normalise_given(latin) if given else normalise_name(latin)).split()
    return tuple(fold_key(w) for w in words)


def _same_given(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Equal folded given names, or one the other's first words (AIGUL / AIGUL SERIKOVNA)."""
    if not a or not b:
        return a == b
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _newest_first(t: Row) -> tuple[date, bool, datetime, int]:
    utc = t["departure_utc"]
    return (t["departure_date"], utc is not None, utc or datetime.min.replace(tzinfo=UTC), t["id"])


def earlier_trips(
    conn: Connection, traveller_id: int, *, limit: int = EARLIER_TRIP_LIMIT
) -> list[Row]:
    """Rows on other flights that are probably the same person, newest first (see module).

    Each row carries the flight (code, route, dates), the traveller's values on that trip,
    ``matched_by`` (``document`` and/or ``name+dob``) and, for a document match,
    ``document`` (``number`` and ``issuing_state`` as stored on that trip).
    """
    me = _self(conn, traveller_id)
    if me is None:
        return []
    found: dict[int, Row] = {}
    base = select(*_TRIP_COLUMNS).select_from(
        travellers.join(flights, flights.c.id == travellers.c.flight_id)
    )
    other_flight = travellers.c.flight_id != me.flight_id

    same_document = _document_condition(conn, traveller_id)
    if same_document is not None:
        rows = conn.execute(
            base.add_columns(
                documents.c.number.label("document_number"),
                documents.c.issuing_state.label("document_issuing_state"),
            )
            .join(documents, documents.c.traveller_id == travellers.c.id)
            .where(same_document & other_flight)
            .order_by(*_NEWEST_FIRST)
            .limit(limit)
        )
        for d in rows:
            if d.id not in found:
                found[d.id] = {c.name: getattr(d, c.name) for c in _TRIP_COLUMNS} | {
                    "matched_by": ["document"],
                    "document": {
                        "number": d.document_number,
                        "issuing_state": d.document_issuing_state,
                    },
                }

    if me.date_of_birth is not None and me.surname:
        surname, given = _folded(me.surname), _folded(me.given_names, given=True)
        named = conn.execute(
            base.where(
                travellers.c.surname.in_(_surname_candidates(me.surname))
                & (travellers.c.date_of_birth == me.date_of_birth)
                & other_flight
            )
            .order_by(*_NEWEST_FIRST)
            .limit(_NAME_SCAN)
        )
        for n in named:
            if _folded(n.surname) != surname:
                continue
            if not _same_given(_folded(n.given_names, given=True), given):
                continue
            if me.gender in ("M", "F") and n.gender in ("M", "F") and me.gender != n.gender:
                continue  # namesakes born the same day, told apart by their genders
            row = found.setdefault(n.id, {**n._mapping, "matched_by": [], "document": None})
            row["matched_by"].append("name+dob")

    return sorted(found.values(), key=_newest_first, reverse=True)[:limit]
