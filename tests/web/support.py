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
