"""Travel data written straight into the tables, so the read API is tested without ingest."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Connection, Engine, insert

from piu.store.schema import (
    booking_travellers,
    booking_versions,
    bookings,
    case_attachments,
    cases,
    disseminations,
    documents,
    flight_sources,
    flight_stops,
    flights,
    hits,
    messages,
    receipts,
    rule_versions,
    rules,
    traveller_sources,
    travellers,
    watchlist_entries,
    watchlists,
)

T0 = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Travel:
    stored_message: int
    rejected_message: int
    raw: bytes
    kc109: int  # ALA-FRU, 2 travellers, departs 2026-11-29 17:30 UTC
    kc110: int  # FRU-ALA, departs 2026-11-30 08:00 UTC
    tk350: int  # IST-FRU, departs 2026-12-01 06:00 UTC
    kc999: int  # ALA-NQZ, 2026-12-02, UTC time unknown
    asanov: int
    zhumabaeva: int
    hit: int  # a watchlist hit on ASANOV
    booking: int  # KC ABC123, two versions, ASANOV linked by locator and name
    case: int = 0  # an open case (no hits) with one attachment
    attachment: int = 0
    dissemination: int = 0  # a request on that case, awaiting a supervisor


def _message(conn: Connection, raw: bytes, **values: Any) -> int:
    row = {
        "sha256": hashlib.sha256(raw).hexdigest(),
        "size": len(raw),
        "raw": raw,
        "received_at": T0,
        "sender": "KC",
        "channel": "http",
        "msg_type": "paxlst",
        "status": "stored",
        "warnings": [],
        "traveller_count": 0,
        **values,
    }
    return int(conn.execute(insert(messages).values(**row).returning(messages.c.id)).scalar_one())


def _flight(conn: Connection, message_id: int, **values: Any) -> int:
    row = {
        "flight_code": values["carrier"] + values["number"],
        "overflight": False,
        "status": "scheduled",
        "connections": [],
        "passenger_count": 0,
        "crew_count": 0,
        "first_message_id": message_id,
        "last_message_id": message_id,
        "created_at": T0,
        "updated_at": T0,
        **values,
    }
    return int(conn.execute(insert(flights).values(**row).returning(flights.c.id)).scalar_one())


def _traveller(conn: Connection, flight_id: int, message_id: int, **values: Any) -> int:
    row = {
        "flight_id": flight_id,
        "match_key": values["surname"] + "|" + str(values.get("date_of_birth")),
        "role": "passenger",
        "other_refs": {},
        "bag_tags": [],
        "list_status": "listed",
        "first_message_id": message_id,
        "last_message_id": message_id,
        "created_at": T0,
        "updated_at": T0,
        **values,
    }
    return int(
        conn.execute(insert(travellers).values(**row).returning(travellers.c.id)).scalar_one()
    )


def add_travel(engine: Engine) -> Travel:
    raw = b"UNA:+.? 'UNB+UNOA:4+KC+KGZAPI+261129:1800+1++PAXLST'(test bytes)"
    with engine.begin() as conn:
        m1 = _message(
            conn,
            raw,
            warnings=["DTM+36 expiry before departure"],
            traveller_count=2,
            processed_at=T0,
            parser_version="piu-test",
        )
        m2 = _message(
            conn,
            b"garbage",
            received_at=datetime(2026, 11, 29, 19, 0, tzinfo=UTC),
            msg_type="unknown",
            status="rejected",
            error={"kind": "UnknownMessageType", "reason": "not a message", "message": "x"},
        )
        for mid, duplicate in ((m1, False), (m1, True), (m2, False)):
            conn.execute(
                insert(receipts).values(
                    message_id=mid,
                    received_at=T0,
                    sender="KC",
                    channel="http",
                    origin="203.0.113.9",
                    duplicate=duplicate,
                )
            )
        kc109 = _flight(
            conn,
            m1,
            carrier="KC",
            number="109",
            origin="ALA",
            destination="FRU",
            departure_date=date(2026, 11, 29),
            departure_local=datetime(2026, 11, 29, 23, 30),
            departure_utc=datetime(2026, 11, 29, 17, 30, tzinfo=UTC),
            passenger_count=2,
        )
        kc110 = _flight(
            conn,
            m1,
            carrier="KC",
            number="110",
            origin="FRU",
            destination="ALA",
            departure_date=date(2026, 11, 30),
            departure_utc=datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
        )
        tk350 = _flight(
            conn,
            m1,
            carrier="TK",
            number="350",
            origin="IST",
            destination="FRU",
            departure_date=date(2026, 12, 1),
            departure_utc=datetime(2026, 12, 1, 6, 0, tzinfo=UTC),
        )
        kc999 = _flight(
            conn,
            m1,
            carrier="KC",
            number="999",
            origin="ALA",
            destination="NQZ",
            departure_date=date(2026, 12, 2),
        )
        for seq, airport, qualifier in ((2, "FRU", "87"), (1, "ALA", "125")):
            conn.execute(
                insert(flight_stops).values(
                    flight_id=kc109, seq=seq, airport=airport, qualifier=qualifier
                )
            )
        conn.execute(
            insert(flight_sources).values(
                flight_id=kc109,
                message_id=m1,
                list_kind="passengers",
                document_code="745",
                traveller_count=2,
                received_at=T0,
            )
        )
        zhumabaeva = _traveller(
            conn,
            kc109,
            m1,
            surname="ZHUMABAEVA",
            given_names="AIGUL",
            gender="F",
            date_of_birth=date(1990, 2, 14),
            nationality="KAZ",
        )
        asanov = _traveller(
            conn,
            kc109,
            m1,
            surname="ASANOV",
            given_names="BAKYT",
            gender="M",
            date_of_birth=date(1980, 5, 1),
            nationality="KGZ",
            address={"city": "BISHKEK"},
            bag_tags=["KC123456"],
        )
        conn.execute(
            insert(documents).values(
                traveller_id=asanov,
                doc_type="P",
                number="AC1234567",
                expiry=date(2030, 1, 1),
                issuing_state="KGZ",
                last_message_id=m1,
            )
        )
        for tid, segment in ((asanov, 11), (zhumabaeva, 20)):
            conn.execute(
                insert(traveller_sources).values(
                    traveller_id=tid, message_id=m1, segment_index=segment, offset=segment * 10
                )
            )
        wl = conn.execute(
            insert(watchlists)
            .values(
                name="kg-national",
                category="national",
                severity="high",
                format="piu_national_csv",
                active=True,
                entry_count=1,
                created_by="test",
                created_at=T0,
                updated_at=T0,
            )
            .returning(watchlists.c.id)
        ).scalar_one()
        entry = conn.execute(
            insert(watchlist_entries)
            .values(
                watchlist_id=wl,
                entry_key="KG-1",
                kind="person",
                names=["Бакыт Асанов"],
                weak_names=[],
                dobs=[],
                nationalities=[],
                documents=[],
                attributes={},
                content_hash="0" * 64,
                added_at=T0,
                changed_at=T0,
            )
            .returning(watchlist_entries.c.id)
        ).scalar_one()
        hit = conn.execute(
            insert(hits)
            .values(
                traveller_id=asanov,
                kind="watchlist",
                watchlist_id=wl,
                entry_id=entry,
                score=0.93,
                severity="high",
                algorithm="piu-names-1.0",
                explanation={"text": "BAKYT~BAKYT, ASANOV~ASANOV"},
                evidence_hash="1" * 64,
                message_id=m1,
                status="open",
                created_at=T0,
            )
            .returning(hits.c.id)
        ).scalar_one()
        booking = conn.execute(
            insert(bookings)
            .values(
                carrier="KC",
                locator="ABC123",
                current_version=2,
                first_message_id=m1,
                last_message_id=m1,
                first_seen=T0,
                last_seen=T0,
            )
            .returning(bookings.c.id)
        ).scalar_one()
        for version in (1, 2):
            conn.execute(
                insert(booking_versions).values(
                    booking_id=booking,
                    version=version,
                    message_id=m1 if version == 1 else m2,
                    flight_id=kc109,
                    push_type="22",
                    received_at=T0,
                    traveller_count=1,
                    data={"locators": [{"locator": "ABC123"}], "version": version},
                )
            )
        conn.execute(
            insert(booking_travellers).values(
                booking_id=booking,
                flight_id=kc109,
                pnr_ref="1",
                traveller_id=asanov,
                link_method="locator+name",
                confidence=1.0,
                updated_at=T0,
            )
        )
        rule = conn.execute(
            insert(rules)
            .values(name="transit-ist", created_by="alice", created_at=T0)
            .returning(rules.c.id)
        ).scalar_one()
        conn.execute(
            insert(rule_versions).values(
                rule_id=rule,
                version=1,
                expression="flight.origin = 'IST'",
                justification="A test rule about flights from Istanbul, for the role checks.",
                category="test",
                severity="low",
                author="alice",
                created_at=T0,
                status="draft",
            )
        )
    case, attachment, dissemination = _add_case(engine)
    return Travel(
        m1,
        m2,
        raw,
        kc109,
        kc110,
        tk350,
        kc999,
        asanov,
        zhumabaeva,
        hit,
        booking,
        case=case,
        attachment=attachment,
        dissemination=dissemination,
    )


def _add_case(engine: Engine) -> tuple[int, int, int]:
    """A case, a file and a pending dissemination, written straight into the tables (no
    audit entries), so every case route has an id that exists."""
    with engine.begin() as conn:
        case = conn.execute(
            insert(cases)
            .values(
                title="Test case",
                summary="",
                priority="medium",
                status="open",
                created_by="alice",
                created_at=T0,
                updated_at=T0,
            )
            .returning(cases.c.id)
        ).scalar_one()
        attachment = conn.execute(
            insert(case_attachments)
            .values(
                case_id=case,
                filename="note.txt",
                content_type="text/plain",
                size=5,
                sha256=hashlib.sha256(b"hello").hexdigest(),
                content=b"hello",
                by="alice",
                at=T0,
            )
            .returning(case_attachments.c.id)
        ).scalar_one()
        dissemination = conn.execute(
            insert(disseminations)
            .values(
                case_id=case,
                recipient="Test Authority",
                legal_basis="Test basis",
                purpose="Test purpose",
                formats=["pdf"],
                hit_ids=[],
                note_ids=[],
                attachment_ids=[attachment],
                status="requested",
                requested_by="alice",
                requested_at=T0,
            )
            .returning(disseminations.c.id)
        ).scalar_one()
    return int(case), int(attachment), int(dissemination)


def app_endpoints(app: FastAPI) -> list[tuple[str, list[str]]]:
    """``(path, methods)`` of every route the app serves, included routers flattened.

    Newer FastAPI includes routers lazily (``app.routes`` then holds one entry per included
    router); older versions copy the routes into ``app.routes``. A route without methods
    (a mount) is walked with GET.
    """
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - FastAPI before lazy inclusion
        routes: Iterable[Any] = app.routes
    else:
        routes = iter_route_contexts(app.routes)
    found = []
    for route in routes:
        path = getattr(route, "path", None)
        assert path, f"a route without a path: {route!r}"
        found.append((path, sorted(getattr(route, "methods", None) or ["GET"])))
    return found


@dataclass(frozen=True)
class History:
    """ASANOV's companions on KC109 and his other trips (see :func:`add_history`)."""

    aida: int  # ASANOVA AIDA, KC109 seat 12B: same booking and same record locator
    timur: int  # ASANOV TIMUR, KC109 seat 12C: same booking only
    omurov: int  # OMUROV TALANT, KC109 seat 14A: same record locator only
    stranger: int  # ISAEV RUSLAN, KC109, another locator: no companion
    aida_return: int  # ASANOVA AIDA on KC110, same booking: another flight, not a companion
    twin_row: int  # a second ASANOV row on KC109 itself (same document): not a trip
    kc105: int  # FRU-ALA, 2026-11-20
    trip_kc999: int  # ASANOV BAKIT, same birth date: names equal once folded
    trip_tk350: int  # ASANOV BAKYT, same birth date and the same passport (KGZ)
    trip_kc110: int  # ASSANOV B, no birth date, passport AC1234567 without issuing state
    trip_kc105: int  # ASANOV BAKYT MR (a booking's title), same birth date
    namesake: int  # ASANOV BAKYT born 1985-03-03 on KC110: another man
    other_gender: int  # ASANOV BAKYT, same birth date, gender F on TK350
    other_state: int  # KARIMOV ULAN, passport number AC1234567 issued by KAZ
    short_doc: int  # ISAEV RUSLAN on KC110, document "X1" as ZHUMABAEVA's
    cyrillic: int  # ЖУМАБАЕВА АЙГУЛЬ on KC999, born as ZHUMABAEVA AIGUL

    @property
    def asanov_trips(self) -> list[int]:
        """ASANOV's other trips, newest first, as the page should list them."""
        return [self.trip_kc999, self.trip_tk350, self.trip_kc110, self.trip_kc105]


def add_history(engine: Engine, travel: Travel) -> History:
    """Companions and earlier trips around ``travel.asanov`` (on top of :func:`add_travel`).

    ASANOV gets the record locator ABC123 of his booking. Every row a careless query would
    show wrongly is here too: a namesake born another day, a woman of the same name and
    birth date, a passport number of another state, a two-letter document, a row on his own
    flight, and his booking's traveller on the return flight.
    """
    m = travel.stored_message
    dob = date(1980, 5, 1)
    with engine.begin() as conn:
        conn.execute(
            travellers.update()
            .where(travellers.c.id == travel.asanov)
            .values(record_locator="ABC123", seat="12A")
        )
        kc105 = _flight(
            conn,
            m,
            carrier="KC",
            number="105",
            origin="FRU",
            destination="ALA",
            departure_date=date(2026, 11, 20),
            departure_utc=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        )

        def person(flight: int, surname: str, given: str | None, **values: Any) -> int:
            key = f"{surname}|{given}|{values.get('date_of_birth')}|{values.get('gender')}"
            return _traveller(
                conn, flight, m, surname=surname, given_names=given, match_key=key, **values
            )

        def document(traveller: int, number: str, state: str | None) -> None:
            conn.execute(
                insert(documents).values(
                    traveller_id=traveller,
                    doc_type="P",
                    number=number,
                    issuing_state=state,
                    last_message_id=m,
                )
            )

        def booked(traveller: int, flight: int, ref: str) -> None:
            conn.execute(
                insert(booking_travellers).values(
                    booking_id=travel.booking,
                    flight_id=flight,
                    pnr_ref=ref,
                    traveller_id=traveller,
                    link_method="locator+name",
                    confidence=1.0,
                    updated_at=T0,
                )
            )

        aida = person(travel.kc109, "ASANOVA", "AIDA", seat="12B", record_locator="ABC123")
        timur = person(travel.kc109, "ASANOV", "TIMUR", seat="12C")
        omurov = person(travel.kc109, "OMUROV", "TALANT", seat="14A", record_locator="ABC123")
        stranger = person(travel.kc109, "ISAEV", "RUSLAN", seat="30F", record_locator="QQQ111")
        booked(aida, travel.kc109, "2")
        booked(timur, travel.kc109, "3")
        aida_return = person(travel.kc110, "ASANOVA", "AIDA", seat="3C", record_locator="ABC123")
        booked(aida_return, travel.kc110, "2")
        twin_row = person(travel.kc109, "ASANOV", "BAKYT", date_of_birth=dob, in_api=False)
        document(twin_row, "AC1234567", "KGZ")

        trip_kc999 = person(travel.kc999, "ASANOV", "BAKIT", date_of_birth=dob, gender="M")
        trip_tk350 = person(travel.tk350, "ASANOV", "BAKYT", date_of_birth=dob, role="crew")
        document(trip_tk350, "AC1234567", "KGZ")
        trip_kc110 = person(travel.kc110, "ASSANOV", "B")
        document(trip_kc110, "AC1234567", None)
        trip_kc105 = person(kc105, "ASANOV", "BAKYT MR", date_of_birth=dob)

        namesake = person(travel.kc110, "ASANOV", "BAKYT", date_of_birth=date(1985, 3, 3))
        other_gender = person(travel.tk350, "ASANOV", "BAKYT", date_of_birth=dob, gender="F")
        other_state = person(travel.kc999, "KARIMOV", "ULAN")
        document(other_state, "AC1234567", "KAZ")
        document(travel.zhumabaeva, "X1", "KAZ")
        short_doc = person(travel.kc110, "ISAEV", "RUSLAN")
        document(short_doc, "X1", "KAZ")
        cyrillic = person(
            travel.kc999, "ЖУМАБАЕВА", "АЙГУЛЬ", date_of_birth=date(1990, 2, 14), gender="F"
        )
    return History(
        aida=aida,
        timur=timur,
        omurov=omurov,
        stranger=stranger,
        aida_return=aida_return,
        twin_row=twin_row,
        kc105=kc105,
        trip_kc999=trip_kc999,
        trip_tk350=trip_tk350,
        trip_kc110=trip_kc110,
        trip_kc105=trip_kc105,
        namesake=namesake,
        other_gender=other_gender,
        other_state=other_state,
        short_doc=short_doc,
        cyrillic=cyrillic,
    )
