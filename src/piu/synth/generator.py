"""The traffic generator: flights in, messages out, one flight at a time.

Why per flight: a million passengers must never sit in memory, and a run must be the same
for a seed whatever the output. Each flight is planned from its own random stream
(``seed:index``), turned into its messages (API lists at check-in close, PNR pushes at the
configured times before departure), and forgotten. Only the planted cases (a few dozen)
and the schedule of the current day are held. Flights are independent, so
:meth:`Generator.messages` can spread them over worker processes (``workers``) and still
yield them in schedule order, byte for byte the same as one process.

Faults, as real carriers send them, are drawn from a separate stream per flight so that
turning them off does not change the traffic: a list **late** (after departure), **missing**
(never sent; recorded in the ground truth), **malformed** (cut off mid-interchange, which
a PIU must keep and reject with a precise error) or **resent** (the same bytes twice, which
a PIU must recognise as a duplicate). Flights with a planted case carry no faults, so the
ground truth about them is exact.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from piu.formats import paxlst
from piu.synth import api, pnr
from piu.synth.planted import PlantedCase, booking_for, plant
from piu.synth.routes import Departure, day_schedule, schedule
from piu.synth.travellers import FlightPlan, plan_flight

__all__ = ["Config", "Generator", "Message"]


@dataclass(frozen=True, slots=True)
class Config:
    """What to generate. ``pnr`` is ``None`` for "if the PNRGOV writer works"."""

    passengers: int = 5000
    seed: int = 1
    first_day: date | None = None  # default: today (UTC)
    pnr: bool | None = None
    pnr_hours: tuple[float, ...] = (72.0, 24.0, 2.0, 0.0)  # 0: at closing (departure)
    faults: bool = True
    late_rate: float = 0.03
    missing_rate: float = 0.01
    malformed_rate: float = 0.01
    resend_rate: float = 0.02
    watch: int | None = None  # planted watchlist persons (default: by volume)
    namesakes: int | None = None
    sltd: int | None = None
    patterns: int | None = None
    workers: int = 1

    @property
    def day(self) -> date:
        return self.first_day or datetime.now(UTC).date()


@dataclass(slots=True)
class Message:
    """One message as a carrier would deliver it, with what the ground truth says of it."""

    send_at: datetime  # UTC
    kind: str  # paxlst, pnrgov
    name: str  # passengers, crew, pnr-72h, pnr-24h, pnr-2h, pnr-close
    flight: str  # Departure.key
    carrier: str
    departure_utc: datetime
    data: bytes
    travellers: int
    fault: str | None = None  # late, malformed, resend
    expect: str = "stored"  # stored, rejected, duplicate
    planted: list[str] = field(default_factory=list)
    sha256: str = ""  # of ``data``; kept when a worker has written and dropped the bytes
    size: int = 0
    path: str | None = None  # set once written to a folder (relative to it)

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.data).hexdigest()
            self.size = len(self.data)

    @property
    def filename(self) -> str:
        suffix = "-resend" if self.fault == "resend" else ""
        return f"{self.send_at:%Y%m%dT%H%M%S}_{self.flight}_{self.name}{suffix}.edi"

    def truth(self, path: str) -> dict[str, Any]:
        return {
            "type": "message",
            "file": path,
            "kind": self.kind,
            "list": self.name,
            "flight": self.flight,
            "carrier": self.carrier,
            "send_at": self.send_at.isoformat(),
            "sha256": self.sha256,
            "bytes": self.size,
            "travellers": self.travellers,
            "fault": self.fault,
            "expect": self.expect,
            "planted": self.planted,
        }


def _pnr_label(hours: float) -> str:
    return "pnr-close" if hours == 0 else f"pnr-{hours:g}h"


def _truncate(data: bytes, rng: random.Random) -> bytes:
    """Cut an interchange after a random segment before its end (a transmission broken
    off): the PIU must keep the bytes and reject them for the missing trailer."""
    ends = [i for i, b in enumerate(data) if b == ord("'")]
    if len(ends) < 6:
        return data[: len(data) // 2]
    cut = ends[rng.randrange(3, len(ends) - 3)] + 1
    return data[:cut]


def flight_messages(
    plan: FlightPlan, seed: int, config: Config, with_pnr: bool
) -> tuple[list[Message], list[dict[str, Any]]]:
    """Every message of one flight in send order, and ground-truth notes of those that a
    carrier failed to send."""
    dep = plan.departure
    frng = random.Random(f"{seed}:{dep.index}:faults")
    planted = sorted(
        {p.planted for b in plan.bookings for p in b.passengers if p.planted is not None}
    )
    faults = config.faults and not planted
    out: list[Message] = []
    notes: list[dict[str, Any]] = []
    serial = 0

    def next_serial() -> str:
        nonlocal serial
        serial += 1
        return f"{dep.index:07d}{serial:02d}"

    def add(kind: str, name: str, sent: datetime, data: bytes, travellers: int) -> None:
        fault = None
        expect = "stored"
        if faults:
            roll = frng.random()
            if roll < config.missing_rate:
                notes.append(
                    {"type": "missing", "flight": dep.key, "list": name, "kind": kind,
                     "due": sent.isoformat()}
                )  # fmt: skip
                return
            roll -= config.missing_rate
            if roll < config.malformed_rate:
                data, fault, expect = _truncate(data, frng), "malformed", "rejected"
            elif roll < config.malformed_rate + config.late_rate:
                sent = max(sent, dep.departure_utc) + timedelta(minutes=frng.uniform(10, 180))
                fault = "late"
        msg = Message(
            send_at=sent,
            kind=kind,
            name=name,
            flight=dep.key,
            carrier=dep.carrier,
            departure_utc=dep.departure_utc,
            data=data,
            travellers=travellers,
            fault=fault,
            expect=expect,
            planted=planted,
        )
        out.append(msg)
        if faults and fault is None and frng.random() < config.resend_rate:
            again = timedelta(minutes=frng.uniform(1, 30))
            out.append(
                Message(
                    send_at=sent + again,
                    kind=kind,
                    name=name,
                    flight=dep.key,
                    carrier=dep.carrier,
                    departure_utc=dep.departure_utc,
                    data=data,
                    travellers=travellers,
                    fault="resend",
                    expect="duplicate",
                    planted=planted,
                )
            )

    if with_pnr:
        for hours in config.pnr_hours:
            at = dep.departure_utc - timedelta(hours=hours)
            push = pnr.push_at(plan, at, next_serial())
            add("pnrgov", _pnr_label(hours), at, pnr.write(push), push.traveller_count)
    close = plan.check_in_close
    pax = api.passenger_list(plan, close, next_serial())
    add("paxlst", "passengers", close, paxlst.write(pax), len(pax.travellers))
    crew = api.crew_list(plan, close, next_serial())
    add("paxlst", "crew", close, paxlst.write(crew), len(crew.travellers))
    out.sort(key=lambda m: m.send_at)
    return out, notes


_Job = tuple[Departure, int, Config, bool, list[Any], Path | None]


def _work(job: _Job) -> tuple[FlightStats, list[Message], list[dict[str, Any]]]:
    """Plan one flight and make its messages; with a folder, write them there and drop the
    bytes, so that a worker process sends back only a few hundred bytes per message."""
    dep, seed, config, with_pnr, extra, write_to = job
    plan = plan_flight(dep, seed, extra)
    messages, notes = flight_messages(plan, seed, config, with_pnr)
    if write_to is not None:
        from piu.synth.output import write_message

        for m in messages:
            m.path = write_message(write_to, m)
            m.data = b""
    stats = FlightStats(
        passengers=sum(len(b.passengers) for b in plan.bookings),
        boarded=len(plan.boarded()),
        crew=len(plan.crew),
    )
    return stats, messages, notes


@dataclass(slots=True)
class FlightStats:
    passengers: int  # booked (PNR travellers)
    boarded: int  # in the API list
    crew: int


class Generator:
    """Plans the run (schedule, planted cases, lists) and streams its messages.

    >>> gen = Generator(Config(passengers=2000, seed=7))
    >>> for dep, stats, messages, notes in gen.flights(): ...
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.with_pnr = pnr.available() if config.pnr is None else config.pnr
        if self.with_pnr and not pnr.available():
            raise RuntimeError("PNR pushes asked for, but piu.formats.pnrgov.write is not usable")
        per_day = sum(d.seats * d.route.load for d in day_schedule(config.day))
        self.days = max(1, math.ceil(config.passengers / max(per_day, 1.0)))
        # Planted cases go on flights the run is sure to reach: those whose expected
        # bookings (seats x mean load) add up to no more than the passengers asked for.
        candidates: list[Departure] = []
        expected = 0.0
        for dep in self._departures():
            expected += dep.seats * dep.route.load
            if candidates and expected > config.passengers:
                break
            candidates.append(dep)
        scale = max(1, config.passengers // 5000)
        self.cases, self.watch_rows, self.sltd_rows = plant(
            config.seed,
            candidates,
            watch=config.watch if config.watch is not None else max(8, 4 * scale),
            namesakes=config.namesakes if config.namesakes is not None else max(2, scale),
            sltd=config.sltd if config.sltd is not None else max(2, scale),
            patterns=config.patterns if config.patterns is not None else max(3, scale),
        )
        self._last_planted = max((c.flight_index for c in self.cases), default=-1)
        self._by_flight: dict[int, list[PlantedCase]] = {}
        for case in self.cases:
            self._by_flight.setdefault(case.flight_index, []).append(case)

    def _departures(self) -> Iterator[Departure]:
        return schedule(self.config.day)

    def _jobs(self, write_to: Path | None) -> Iterator[_Job]:
        seed = self.config.seed
        for dep in self._departures():
            extra = [booking_for(c, dep, seed) for c in self._by_flight.get(dep.index, [])]
            yield dep, seed, self.config, self.with_pnr, extra, write_to

    def flights(
        self, write_to: Path | None = None
    ) -> Iterator[tuple[Departure, FlightStats, list[Message], list[dict[str, Any]]]]:
        """(flight, its counts, its messages, its missing-message notes), in schedule order,
        until the run has ``passengers`` booked travellers and every planted flight.

        With ``write_to``, messages are written under that folder where they are made (in
        the worker processes) and come back without their bytes (``path`` set)."""
        total = 0
        jobs = self._jobs(write_to)
        if self.config.workers <= 1:
            for job in jobs:
                stats, messages, notes = _work(job)
                total += stats.passengers
                yield job[0], stats, messages, notes
                if total >= self.config.passengers and job[0].index >= self._last_planted:
                    return
            return
        # A sliding window of submitted flights keeps every worker busy while this process
        # writes the ground truth; results are taken in submission (schedule) order.
        with ProcessPoolExecutor(self.config.workers) as pool:
            window = 3 * self.config.workers
            pending: deque[tuple[_Job, Future[Any]]] = deque()
            for _ in range(window):
                job = next(jobs)
                pending.append((job, pool.submit(_work, job)))
            done = False
            while pending:
                job, future = pending.popleft()
                stats, messages, notes = future.result()
                if done:  # made ahead, not needed: leave no file behind
                    _discard(messages, write_to)
                    continue
                total += stats.passengers
                yield job[0], stats, messages, notes
                if total >= self.config.passengers and job[0].index >= self._last_planted:
                    done = True
                else:
                    job = next(jobs)
                    pending.append((job, pool.submit(_work, job)))


def _discard(messages: list[Message], root: Path | None) -> None:
    if root is None:
        return
    for m in messages:
        if m.path is not None:
            (root / m.path).unlink(missing_ok=True)
