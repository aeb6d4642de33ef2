"""Reviewing hits: a person's decision on every automated suggestion (DESIGN principle 6).

A hit is a suggestion. A reviewer (analyst or supervisor; the caller checks the role)
decides one of:

* ``confirmed``: the traveller is the listed person, or the rule's concern is real;
* ``dismissed``: a false match;
* ``more_info``: cannot decide yet; the hit stays in the queue.

Every decision needs a written reason (:data:`MIN_REASON_WORDS` words at least) and is a
new ``hit_reviews`` row: nothing is overwritten, so the history of a hit shows who decided
what, when and why. The hit's ``status`` follows the latest decision, and a later decision
may change an earlier one (a supervisor overruling, more information arriving).

False matches are remembered. When a **watchlist** hit is dismissed, its entry and its
evidence hash (a hash of the traveller's screened values and of the entry's content, not of
any row id) go to ``false_matches``; screening (:mod:`piu.ingest.assess`) then raises no
hit for the same person with the same data against the same entry, on this flight or a
later one. Different data (another date of birth, another document) or a changed entry
gives another evidence hash and alerts again. If a dismissal is later reversed (confirmed
or more_info), the remembered false match is forgotten. Rule hits are not remembered: a
rule's evidence is the conditions seen, which many different people share, so suppressing
it would hide other travellers.

The review queue lists open and more-information hits, most severe first (critical, high,
medium, low), then by how soon something can still be done about them:

1. flights still to come or still in the air, by the next of their departure or arrival
   (``due``), soonest first;
2. flights whose UTC times are unknown (no time zone for the airport), by date;
3. flights already arrived (or departed, arrival unknown), most recent first: these can
   no longer be met at the gate, but stay in the queue until someone decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, delete, insert, select, update

from piu.errors import PiuError
from piu.store import audit
from piu.store.read import MAX_LIMIT, Page
from piu.store.schema import (
    false_matches,
    flights,
    hit_reviews,
    hits,
    rule_versions,
    rules,
    travellers,
    watchlist_entries,
    watchlists,
)

__all__ = [
    "DECISIONS",
    "HIT_STATUSES",
    "MIN_REASON_WORDS",
    "QUEUE_STATUSES",
    "HitNotFound",
    "ReviewError",
    "decide",
    "hit_history",
    "review_queue",
]

DECISIONS = ("confirmed", "dismissed", "more_info")
HIT_STATUSES = ("open", *DECISIONS)
QUEUE_STATUSES = ("open", "more_info")
SEVERITY_ORDER = ("critical", "high", "medium", "low")
MIN_REASON_WORDS = 3
MIN_REASON_CHARS = 10
MAX_REASON_CHARS = 4000


class ReviewError(PiuError):
    """A decision that cannot be recorded (unknown decision, reason missing or too short)."""


class HitNotFound(ReviewError):  # noqa: N818 - named for what happened
    """No hit has this id."""

    def __init__(self, hit_id: int) -> None:
        self.hit_id = hit_id
        super().__init__(f"no hit {hit_id}")


def _check_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if len(text.split(" ")) < MIN_REASON_WORDS or len(text) < MIN_REASON_CHARS:
        raise ReviewError(
            f"a decision needs a written reason of at least {MIN_REASON_WORDS} words "
            f"saying why (got {text!r})"
        )
    if len(text) > MAX_REASON_CHARS:
        raise ReviewError(f"the reason is longer than {MAX_REASON_CHARS} characters")
    return text


def decide(
    conn: Connection,
    hit_id: int,
    *,
    decision: str,
    reason: str,
    by: str,
    now: datetime,
    remote: str | None = None,
) -> dict[str, Any]:
    """Record ``by``'s decision on a hit and move the hit's status to it.

    Returns the review (``review_id``, ``hit_id``, ``decision``, ``reason``, ``by``, ``at``),
    the hit's ``previous_status`` and ``status``, and ``false_match``: whether the evidence
    is now remembered as a false match. Raises :class:`HitNotFound` or :class:`ReviewError`.

    The decision is written to the audit trail (``hit.decide``) in the same transaction, so
    it is recorded exactly when it takes effect; ``remote`` is the caller's address if any.
    """
    if decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}; got {decision!r}")
    text = _check_reason(reason)
    if not by or not by.strip():
        raise ReviewError("a decision needs the name of the person who takes it")
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    # Lock the hit (PostgreSQL; SQLite serialises writers anyway) so that two reviewers
    # deciding at once both land in the history and the status is the later one.
    hit = conn.execute(
        select(
            hits.c.id,
            hits.c.kind,
            hits.c.status,
            hits.c.traveller_id,
            hits.c.entry_id,
            hits.c.evidence_hash,
        )
        .where(hits.c.id == hit_id)
        .with_for_update()
    ).first()
    if hit is None:
        raise HitNotFound(hit_id)
    review_id = conn.execute(
        insert(hit_reviews)
        .values(hit_id=hit_id, decision=decision, reason=text, by=by, at=now)
        .returning(hit_reviews.c.id)
    ).scalar_one()
    conn.execute(update(hits).where(hits.c.id == hit_id).values(status=decision))
    remembered = False
    if hit.kind == "watchlist" and hit.entry_id is not None:
        same = (false_matches.c.entry_id == hit.entry_id) & (
            false_matches.c.evidence_hash == hit.evidence_hash
        )
        if decision == "dismissed":
            known = conn.execute(select(false_matches.c.id).where(same)).first()
            if known is None:
                conn.execute(
                    insert(false_matches).values(
                        entry_id=hit.entry_id,
                        evidence_hash=hit.evidence_hash,
                        hit_id=hit_id,
                        by=by,
                        at=now,
                    )
                )
            remembered = True
        else:
            conn.execute(delete(false_matches).where(same))
    audit.record(
        conn,
        actor=by,
        action="hit.decide",
        subject_type="hit",
        subject_id=hit_id,
        detail={
            "review": int(review_id),
            "decision": decision,
            "previous_status": hit.status,
            "traveller": hit.traveller_id,
            "false_match": remembered,
        },
        remote=remote,
        now=now,
    )
    return {
        "review_id": int(review_id),
        "hit_id": hit_id,
        "decision": decision,
        "reason": text,
        "by": by,
        "at": now,
        "previous_status": hit.status,
        "status": decision,
        "false_match": remembered,
    }


def hit_history(conn: Connection, hit_id: int) -> list[dict[str, Any]]:
    """Every decision on a hit, oldest first; :class:`HitNotFound` if there is no such hit."""
    if conn.execute(select(hits.c.id).where(hits.c.id == hit_id)).first() is None:
        raise HitNotFound(hit_id)
    rows = conn.execute(
        select(
            hit_reviews.c.id,
            hit_reviews.c.hit_id,
            hit_reviews.c.decision,
            hit_reviews.c.reason,
            hit_reviews.c.by,
            hit_reviews.c.at,
        )
        .where(hit_reviews.c.hit_id == hit_id)
        .order_by(hit_reviews.c.at, hit_reviews.c.id)
    )
    return [dict(r._mapping) for r in rows]


def review_queue(
    conn: Connection,
    *,
    statuses: Sequence[str] = QUEUE_STATUSES,
    limit: int = 100,
    offset: int = 0,
    now: datetime | None = None,
) -> Page:
    """Hits waiting for a person, in the order to work them (see the module docstring).

    Each item names the traveller, the flight (code, route, departure and arrival in UTC),
    the list and entry or the rule and version, and ``due``/``due_kind``: the next departure
    or arrival still to come, or None when the flight is past or its times unknown.
    """
    unknown = [s for s in statuses if s not in HIT_STATUSES]
    if unknown or not statuses:
        raise ReviewError(f"statuses must be among {', '.join(HIT_STATUSES)}; got {statuses!r}")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    now = now or datetime.now(UTC)
    dep, arr = flights.c.departure_utc, flights.c.arrival_utc
    severity_rank = case(
        *((hits.c.severity == s, i) for i, s in enumerate(SEVERITY_ORDER)),
        else_=len(SEVERITY_ORDER),
    )
    bucket = case((dep >= now, 0), (arr >= now, 0), (dep.is_(None), 1), else_=2)
    due = case((dep >= now, dep), (arr >= now, arr), else_=None)
    unknown_date = case((dep.is_(None), flights.c.departure_date), else_=None)
    query = (
        select(
            hits.c.id,
            hits.c.kind,
            hits.c.status,
            hits.c.severity,
            hits.c.score,
            hits.c.created_at,
            hits.c.traveller_id,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            travellers.c.flight_id,
            flights.c.flight_code,
            flights.c.origin,
            flights.c.destination,
            flights.c.departure_date,
            dep.label("departure_utc"),
            arr.label("arrival_utc"),
            watchlists.c.name.label("watchlist"),
            watchlist_entries.c.entry_key.label("entry"),
            rules.c.name.label("rule"),
            rule_versions.c.version.label("rule_version"),
        )
        .select_from(
            hits.join(travellers, travellers.c.id == hits.c.traveller_id)
            .join(flights, flights.c.id == travellers.c.flight_id)
            .outerjoin(watchlists, watchlists.c.id == hits.c.watchlist_id)
            .outerjoin(watchlist_entries, watchlist_entries.c.id == hits.c.entry_id)
            .outerjoin(rule_versions, rule_versions.c.id == hits.c.rule_version_id)
            .outerjoin(rules, rules.c.id == rule_versions.c.rule_id)
        )
        .where(hits.c.status.in_(list(statuses)))
        .order_by(
            severity_rank,
            bucket,
            due,
            unknown_date,
            dep.desc(),
            hits.c.created_at,
            hits.c.id,
        )
        .limit(limit + 1)
        .offset(offset)
    )
    items = []
    for row in conn.execute(query):
        item = dict(row._mapping)
        item["source"] = item["watchlist"] if item["kind"] == "watchlist" else item["rule"]
        d, a = item["departure_utc"], item["arrival_utc"]
        if d is not None and d >= now:
            item["due"], item["due_kind"] = d, "departure"
        elif a is not None and a >= now:
            item["due"], item["due_kind"] = a, "arrival"
        else:
            item["due"], item["due_kind"] = None, None
        items.append(item)
    more = len(items) > limit
    return Page(items[:limit], limit, offset, offset + limit if more else None)
