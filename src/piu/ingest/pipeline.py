"""``receive()``: the single entry point for inbound travel data.

Order matters (DESIGN principle 1):

1. The bytes and their SHA-256 are committed to ``messages`` (or recognised as a repeat)
   and the delivery to ``receipts``. Only then is anything parsed, so nothing a carrier sent
   can be lost to a parser bug or a crash.
2. The type is detected and the message parsed. A :class:`~piu.errors.FormatError` here is
   converted, at this one boundary, into status ``rejected`` with its position and reason.
3. Flights, travellers and documents are upserted and the message marked ``stored`` in one
   transaction: a list is applied entirely or not at all.
4. The travellers it touched are screened against the watchlists in force
   (:mod:`piu.ingest.assess`), in a transaction of their own: a screening failure leaves
   them due for ``piu screen --due`` and never loses the message. Then the targeting rules
   in force run on them (:mod:`piu.ingest.targeting`).

A repeat delivery of the same bytes is answered ``duplicate`` and changes nothing.
:func:`reprocess` runs step 2 and 3 again for kept messages, e.g. after a parser fix.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, select, update

from piu import __version__
from piu.domain import PassengerList
from piu.domain.booking import PnrPush
from piu.errors import FormatError, UnknownMessageType
from piu.formats import paxlst, pnrgov, pnrgov_xml
from piu.formats.detect import detect
from piu.formats.pnrgov import reconcile
from piu.ingest.assess import screen_travellers
from piu.ingest.result import ReceiveResult
from piu.ingest.targeting import assess_travellers
from piu.privacy import DEFAULT_RULES, SensitiveRules, minimise, redact_raw, redact_raw_xml
from piu.store.bookings import store_pnr_push
from piu.store.messages import keep_raw, load_raw, mark_rejected, mark_stored, message_ids
from piu.store.schema import messages
from piu.store.travel import store_passenger_list

__all__ = ["PARSER_VERSION", "receive", "reprocess"]

log = logging.getLogger(__name__)

PARSER_VERSION = f"piu-{__version__}"


@dataclass(slots=True)
class Parsed:
    """What a reader made of one message, before anything is stored."""

    lists: list[PassengerList] = field(default_factory=list)
    pushes: list[PnrPush] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    filtering: list[str] = field(default_factory=list)

    @property
    def travellers(self) -> int:
        return sum(len(pl.travellers) for pl in self.lists) + sum(
            p.traveller_count for p in self.pushes
        )

    @property
    def bookings(self) -> int:
        return sum(len(p.pnrs) for p in self.pushes)


def _read_paxlst(raw: bytes, _rules: SensitiveRules) -> Parsed:
    lists = paxlst.read(raw)
    return Parsed(lists=lists, warnings=[w for pl in lists for w in pl.warnings])


def _minimised(pushes: list[PnrPush], rules: SensitiveRules) -> Parsed:
    """Only the legal PNR data elements, without sensitive data (standards.md 4.3)."""
    parsed = Parsed()
    for push in pushes:
        parsed.warnings.extend(push.warnings)
        kept, removals = minimise(push, rules)
        parsed.filtering.extend(str(r) for r in removals)
        parsed.pushes.append(kept)
    parsed.warnings.extend(reconcile(pushes))
    return parsed


def _read_pnrgov(raw: bytes, rules: SensitiveRules) -> Parsed:
    return _minimised(pnrgov.read(raw), rules)


def _read_pnrgov_xml(raw: bytes, rules: SensitiveRules) -> Parsed:
    return _minimised(pnrgov_xml.read(raw), rules)


def _unknown(_raw: bytes, _rules: SensitiveRules) -> Parsed:
    raise UnknownMessageType(
        "not a message PIU reads: expected UN/EDIFACT PAXLST or PNRGOV, or PNRGOV XML"
    )


READERS: dict[str, Callable[[bytes, SensitiveRules], Parsed]] = {
    "paxlst": _read_paxlst,
    "pnrgov": _read_pnrgov,
    "pnrgov-xml": _read_pnrgov_xml,
    "unknown": _unknown,
}


def _redact(raw: bytes, msg_type: str, rules: SensitiveRules) -> tuple[bytes, list[str]]:
    """Sensitive PNR data are deleted on receipt (EU Directive 2016/681 Art. 13(4)): the
    raw message is kept without them. What cannot be read cannot be redacted; it is kept
    as received and the log says so, and the parse that follows rejects it."""
    redactor = {"pnrgov": redact_raw, "pnrgov-xml": redact_raw_xml}.get(msg_type)
    if redactor is None:
        return raw, []
    try:
        redacted, removals = redactor(raw, rules)
    except FormatError as exc:
        return raw, [f"raw message not redacted: unreadable ({exc.reason})"]
    return redacted, [str(r) for r in removals]


def _now() -> datetime:
    return datetime.now(UTC)


def receive(
    engine: Engine,
    raw: bytes,
    *,
    sender: str,
    channel: str,
    origin: str | None = None,
    rules: SensitiveRules | None = None,
) -> ReceiveResult:
    """Keep ``raw`` durably, then parse and store it. Never raises for bad input.

    ``rules`` are the sensitive-data rules of the deployment (default: PIU's list)."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise TypeError(f"receive() takes bytes, not {type(raw).__name__}")
    raw = bytes(raw)
    sha = hashlib.sha256(raw).hexdigest()  # of the bytes as received: repeats are known
    msg_type = detect(raw)
    rules = rules or DEFAULT_RULES
    kept_bytes, filtering = _redact(raw, msg_type, rules)
    now = _now()
    with engine.begin() as conn:
        kept = keep_raw(
            conn,
            raw=kept_bytes,
            sha256=sha,
            sender=sender,
            channel=channel,
            origin=origin,
            msg_type=msg_type,
            now=now,
            filtering=filtering,
        )
    if kept.duplicate:
        with engine.connect() as conn:
            row = conn.execute(
                select(messages.c.traveller_count, messages.c.warnings).where(
                    messages.c.id == kept.message_id
                )
            ).one()
        log.info("message %s from %s via %s: duplicate", kept.message_id, sender, channel)
        return ReceiveResult(
            message_id=kept.message_id,
            receipt_id=kept.receipt_id,
            sha256=sha,
            status="duplicate",
            msg_type=kept.msg_type,
            travellers=row.traveller_count,
            warnings=list(row.warnings or []),
        )
    return _process(
        engine, kept.message_id, kept.receipt_id, sha, kept_bytes, msg_type, rules, filtering
    )


def _process(
    engine: Engine,
    message_id: int,
    receipt_id: int,
    sha: str,
    raw: bytes,
    msg_type: str,
    rules: SensitiveRules,
    raw_filtering: list[str],
    earlier_log: list[str] | None = None,
) -> ReceiveResult:
    warnings: list[str] = []
    try:
        parsed = READERS.get(msg_type, _unknown)(raw, rules)
        warnings = parsed.warnings
        flight_ids: list[int] = []
        touched: list[int] = []
        with engine.begin() as conn:
            for pl in parsed.lists:
                stored = store_passenger_list(conn, pl, message_id=message_id, now=_now())
                flight_ids.append(stored.flight_id)
                touched.extend(stored.traveller_ids)
            for push in parsed.pushes:
                pushed = store_pnr_push(conn, push, message_id=message_id, now=_now())
                flight_ids.append(pushed.flight_id)
                touched.extend(pushed.traveller_ids)
                warnings.extend(pushed.warnings)
            mark_stored(
                conn,
                message_id,
                msg_type=msg_type,
                warnings=warnings,
                traveller_count=parsed.travellers,
                booking_count=parsed.bookings,
                filtering=_merge_log(earlier_log, raw_filtering + parsed.filtering),
                parser_version=PARSER_VERSION,
                now=_now(),
            )
        flight_ids = list(dict.fromkeys(flight_ids))
        touched = list(dict.fromkeys(touched))
        travellers = parsed.travellers
    except FormatError as exc:
        error = exc.as_dict()
        with engine.begin() as conn:
            mark_rejected(
                conn,
                message_id,
                msg_type=msg_type,
                error=error,
                warnings=warnings,
                parser_version=PARSER_VERSION,
                now=_now(),
            )
        log.warning("message %s (%s) rejected: %s", message_id, msg_type, exc)
        return ReceiveResult(
            message_id=message_id,
            receipt_id=receipt_id,
            sha256=sha,
            status="rejected",
            msg_type=msg_type,
            warnings=warnings,
            error=error,
        )
    new_hits = 0
    try:
        new_hits = screen_travellers(engine, touched)
    except Exception:  # the data is safe; the travellers stay due for screening
        log.exception("message %s: screening failed; travellers left due", message_id)
    try:
        new_hits += assess_travellers(engine, touched)
    except Exception:  # the data is safe; the rules run again on the next change
        log.exception("message %s: targeting rules failed", message_id)
    log.info(
        "message %s (%s) stored: %d travellers, %d new hits",
        message_id,
        msg_type,
        travellers,
        new_hits,
    )
    return ReceiveResult(
        message_id=message_id,
        receipt_id=receipt_id,
        sha256=sha,
        status="stored",
        msg_type=msg_type,
        travellers=travellers,
        bookings=parsed.bookings,
        flight_ids=flight_ids,
        hits=new_hits,
        warnings=warnings,
    )


def reprocess(
    engine: Engine,
    *,
    ids: Iterable[int] | None = None,
    statuses: Iterable[str] | None = ("rejected", "received"),
    rules: SensitiveRules | None = None,
) -> Iterator[ReceiveResult]:
    """Parse and store kept messages again (by default those not stored), oldest first.

    Applying a list twice is harmless (travellers are matched, provenance deduplicated), so
    ``statuses=None`` re-applies every message, e.g. to rebuild after a schema change.
    """
    with engine.connect() as conn:
        todo = message_ids(conn, statuses=statuses, ids=ids)
    for message_id in todo:
        with engine.connect() as conn:
            loaded = load_raw(conn, message_id)
            row = conn.execute(
                select(messages.c.sha256, messages.c.filtering).where(messages.c.id == message_id)
            ).one()
        if loaded is None:  # pragma: no cover - deleted between the two reads
            continue
        raw, _sender, _at = loaded
        msg_type = detect(raw)
        rules = rules or DEFAULT_RULES
        kept, filtering = _redact(raw, msg_type, rules)
        if kept != raw:  # rules grew since receipt: the stored copy loses the data too
            with engine.begin() as conn:
                conn.execute(update(messages).where(messages.c.id == message_id).values(raw=kept))
        yield _process(
            engine,
            message_id,
            0,
            row.sha256,
            kept,
            msg_type,
            rules,
            filtering,
            earlier_log=list(row.filtering or []),
        )


def _merge_log(earlier: list[str] | None, now: list[str]) -> list[str]:
    """The removal log after a (re)processing: what was removed on receipt stays, and only
    removals beyond those already logged are added (the same element may be logged twice
    when it occurs twice, so entries are counted, not deduplicated)."""
    merged = list(earlier or [])
    remaining = Counter(merged)
    for entry in now:
        if remaining[entry]:
            remaining[entry] -= 1
        else:
            merged.append(entry)
    return merged


def pending_count(engine: Engine, statuses: Iterable[str]) -> int:
    """How many kept messages have one of ``statuses`` (for progress bars)."""
    with engine.connect() as conn:
        return len(message_ids(conn, statuses=statuses))
