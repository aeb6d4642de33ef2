"""Running the active targeting rules on stored travellers, and trying a rule on the past.

After screening, every traveller a message touched is assessed against the rule versions
in force (:func:`piu.store.rules.active_versions`). The facts a rule reads are rebuilt from
the store, so API and PNR data of the same person are seen together whichever came first:
the traveller row and documents, the flight and its stops, and the current version of each
booking the traveller is linked to. Facts from the PIU's own data (travel history, hits on
co-travellers) are computed only when an active rule reads them.

A rule hit records the rule version, each condition with the value seen, and the source
message; it is unique per traveller, rule version and evidence (the values seen), so
reprocessing or a PNR push that changes nothing relevant never alerts twice, while a
change that makes the rule true for new reasons does.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from piu.domain import BagInfo, Flight, Stop, TravelDocument, Traveller, TravellerRole
from piu.domain.booking import Pnr, PnrTraveller
from piu.domain.jsonable import from_json
from piu.store.dialect import insert_ignoring_conflicts
from piu.store.rules import RuleVersion, active_versions
from piu.store.schema import (
    booking_travellers,
    booking_versions,
    bookings,
    documents,
    flight_stops,
    flights,
    hits,
    travellers,
)
from piu.targeting import CompiledRule, compile_rule

__all__ = ["TrialResult", "assess_travellers", "facts_for", "try_rule"]

log = logging.getLogger(__name__)

_CALLER_FACTS = (
    "history.trips_last_90_days",
    "history.trips_last_365_days",
    "history.previous_hits",
    "co_travellers.hits",
)


def _traveller(row: Any, docs: Sequence[Any]) -> Traveller:
    bags = None
    if row.bag_count is not None or row.bag_weight is not None or row.bag_tags:
        bags = BagInfo(
            count=row.bag_count,
            weight=row.bag_weight,
            weight_unit=row.bag_weight_unit,
            tags=list(row.bag_tags or []),
        )
    return Traveller(
        role=TravellerRole(row.role),
        surname=row.surname,
        given_names=row.given_names,
        middle_names=row.middle_names,
        gender=row.gender,
        date_of_birth=row.date_of_birth,
        nationality=row.nationality,
        residence_country=row.residence_country,
        birth_place=row.birth_place,
        embarkation=row.embarkation,
        debarkation=row.debarkation,
        record_locator=row.record_locator,
        passenger_ref=row.passenger_ref,
        seat=row.seat,
        ticket=row.ticket,
        bags=bags,
        documents=[
            TravelDocument(
                number=d.number,
                doc_type=d.doc_type,
                expiry=d.expiry,
                issued=d.issued,
                issuing_state=d.issuing_state,
            )
            for d in docs
        ],
    )


def _flight(row: Any, stops: Sequence[Any]) -> Flight:
    return Flight(
        flight_id=row.flight_code,
        carrier=row.carrier,
        number=row.number,
        overflight=row.overflight,
        stops=[
            Stop(
                airport=s.airport,
                qualifier=s.qualifier,
                arrival_local=s.arrival_local,
                arrival_utc=s.arrival_utc,
                departure_local=s.departure_local,
                departure_utc=s.departure_utc,
            )
            for s in stops
        ],
    )


def _booking(conn: Connection, traveller_id: int) -> tuple[Pnr | None, PnrTraveller | None]:
    row = conn.execute(
        select(booking_versions.c.data, booking_travellers.c.pnr_ref)
        .select_from(
            booking_travellers.join(
                bookings, bookings.c.id == booking_travellers.c.booking_id
            ).join(
                booking_versions,
                (booking_versions.c.booking_id == bookings.c.id)
                & (booking_versions.c.version == bookings.c.current_version),
            )
        )
        .where(booking_travellers.c.traveller_id == traveller_id)
        .order_by(bookings.c.last_seen.desc())
        .limit(1)
    ).first()
    if row is None:
        return None, None
    pnr = from_json(Pnr, row.data)
    for i, t in enumerate(pnr.travellers, start=1):
        if (t.ref or t.unique_ref or f"#{i}") == row.pnr_ref:
            return pnr, t
    return pnr, None


def _caller_facts(
    conn: Connection, row: Any, docs: Sequence[Any], wanted: AbstractSet[str], now: datetime
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    numbers = [d.number for d in docs]
    if wanted & {"history.trips_last_90_days", "history.trips_last_365_days"}:
        for days, key in ((90, "history.trips_last_90_days"), (365, "history.trips_last_365_days")):
            if key not in wanted:
                continue
            if not numbers:
                continue  # unknown, not zero: without a document the person is not traced
            out[key] = conn.execute(
                select(func.count(func.distinct(travellers.c.flight_id)))
                .select_from(
                    documents.join(travellers, travellers.c.id == documents.c.traveller_id).join(
                        flights, flights.c.id == travellers.c.flight_id
                    )
                )
                .where(
                    documents.c.number.in_(numbers)
                    & (travellers.c.flight_id != row.flight_id)
                    & (flights.c.departure_utc >= now - timedelta(days=days))
                )
            ).scalar_one()
    if "history.previous_hits" in wanted and numbers:
        out["history.previous_hits"] = conn.execute(
            select(func.count(func.distinct(hits.c.id)))
            .select_from(
                hits.join(travellers, travellers.c.id == hits.c.traveller_id).join(
                    documents, documents.c.traveller_id == travellers.c.id
                )
            )
            .where(
                documents.c.number.in_(numbers)
                & (hits.c.status == "confirmed")
                & (travellers.c.id != row.id)
            )
        ).scalar_one()
    if "co_travellers.hits" in wanted:
        mates = (
            select(booking_travellers.c.traveller_id)
            .where(
                booking_travellers.c.booking_id.in_(
                    select(booking_travellers.c.booking_id).where(
                        booking_travellers.c.traveller_id == row.id
                    )
                )
                & (booking_travellers.c.traveller_id != row.id)
            )
            .scalar_subquery()
        )
        out["co_travellers.hits"] = conn.execute(
            select(func.count())
            .select_from(hits)
            .where(hits.c.traveller_id.in_(mates) & hits.c.status.in_(("open", "confirmed")))
        ).scalar_one()
    return out


def facts_for(
    conn: Connection,
    traveller_id: int,
    *,
    wanted: AbstractSet[str] = frozenset(),
    now: datetime | None = None,
) -> dict[str, Any]:
    """The facts of one stored traveller, as a rule sees them."""
    from piu.targeting import build_facts

    now = now or datetime.now(UTC)
    row = conn.execute(select(travellers).where(travellers.c.id == traveller_id)).one()
    docs = conn.execute(select(documents).where(documents.c.traveller_id == traveller_id)).all()
    flight_row = conn.execute(select(flights).where(flights.c.id == row.flight_id)).one()
    stops = conn.execute(
        select(flight_stops)
        .where(flight_stops.c.flight_id == row.flight_id)
        .order_by(flight_stops.c.seq)
    ).all()
    pnr, pnr_traveller = _booking(conn, traveller_id)
    extra = _caller_facts(conn, row, docs, wanted & set(_CALLER_FACTS), now) if wanted else {}
    return build_facts(
        traveller=_traveller(row, docs) if row.in_api else None,
        flight=_flight(flight_row, stops),
        pnr=pnr,
        pnr_traveller=pnr_traveller,
        extra=extra,
    )


@dataclass(frozen=True, slots=True)
class _Active:
    version: RuleVersion
    rule: CompiledRule


_COMPILED: dict[tuple[int, str], CompiledRule] = {}


def _compiled(versions: Iterable[RuleVersion]) -> list[_Active]:
    out = []
    for v in versions:
        key = (v.id, v.expression)
        rule = _COMPILED.get(key)
        if rule is None:
            rule = _COMPILED[key] = compile_rule(v.expression)
        out.append(_Active(v, rule))
    return out


def _evidence(version_id: int, explanation: dict[str, Any]) -> str:
    payload = json.dumps(
        {"rule": version_id, "seen": explanation["conditions"]}, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def assess_travellers(engine: Engine, traveller_ids: Sequence[int]) -> int:
    """Evaluate the rules in force on these travellers; returns the number of new hits."""
    if not traveller_ids:
        return 0
    now = datetime.now(UTC)
    with engine.connect() as conn:
        active = _compiled(active_versions(conn, now.date()))
    if not active:
        return 0
    wanted = {a for item in active for a in item.rule.attributes}
    new = 0
    with engine.begin() as conn:
        for tid in traveller_ids:
            facts = facts_for(conn, tid, wanted=wanted, now=now)
            message_id = conn.execute(
                select(travellers.c.last_message_id).where(travellers.c.id == tid)
            ).scalar_one()
            for item in active:
                if not item.rule(facts):
                    continue
                explanation = item.rule.explain(facts).as_dict()
                explanation["version"] = item.version.version
                explanation["name"] = item.version.name
                result = conn.execute(
                    insert_ignoring_conflicts(conn, hits)
                    .values(
                        traveller_id=tid,
                        kind="rule",
                        rule_version_id=item.version.id,
                        score=1.0,
                        severity=item.version.severity,
                        algorithm="piu-rules-1",
                        explanation=explanation,
                        evidence_hash=_evidence(item.version.id, explanation),
                        message_id=message_id,
                        status="open",
                        created_at=now,
                    )
                    .returning(hits.c.id)
                )
                new += result.first() is not None
    return new


@dataclass(frozen=True, slots=True)
class TrialResult:
    """What a rule would have done on the stored data of a period."""

    travellers: int
    matched: int
    sample: list[dict[str, Any]]


def try_rule(
    engine: Engine, expression: str, *, start: date, end: date, sample: int = 10
) -> TrialResult:
    """Evaluate ``expression`` on travellers of flights departing in [start, end]; nothing
    is written. So nobody activates a rule that would flood the review queue."""
    rule = compile_rule(expression)
    wanted = set(rule.attributes)
    now = datetime.now(UTC)
    matched = 0
    examples: list[dict[str, Any]] = []
    with engine.connect() as conn:
        ids = list(
            conn.execute(
                select(travellers.c.id)
                .join(flights, flights.c.id == travellers.c.flight_id)
                .where(flights.c.departure_date.between(start, end))
                .order_by(travellers.c.id)
            ).scalars()
        )
        for tid in ids:
            facts = facts_for(conn, tid, wanted=wanted, now=now)
            if rule(facts):
                matched += 1
                if len(examples) < sample:
                    row = conn.execute(
                        select(
                            travellers.c.surname,
                            travellers.c.given_names,
                            flights.c.flight_code,
                            flights.c.departure_date,
                        )
                        .join(flights, flights.c.id == travellers.c.flight_id)
                        .where(travellers.c.id == tid)
                    ).one()
                    examples.append(
                        {
                            "traveller_id": tid,
                            "name": f"{row.given_names or ''} {row.surname}".strip(),
                            "flight": row.flight_code,
                            "date": row.departure_date.isoformat(),
                            "explanation": rule.explain(facts).as_dict(),
                        }
                    )
    return TrialResult(len(ids), matched, examples)
