"""Where generated messages go: files in a folder, or HTTP pushes to a running PIU.

Why two sinks behind one loop: the same run must be replayable from disk (benchmarks,
``piu ingest``, the inbox folder) and deliverable live through the carrier door the way
carriers push (``POST /api/v1/push``, HTTP Basic with the carrier code and its token), so
that a demo exercises the real path. Either way the ground truth, the watchlists of the
planted cases and a summary land in the output folder:

``DIR/messages/<send date>/<send time>_<flight>_<list>.edi``
    the messages (file mode only); sorting the names gives the delivery order per day.
``DIR/ground_truth.jsonl``
    one JSON object a line: ``run`` first, then ``message`` (every message sent, with its
    SHA-256, fault and expected outcome) and ``missing`` (lists a carrier failed to send)
    as they are produced, then ``planted`` (one per case) and ``summary`` last.
``DIR/watchlist.csv``, ``DIR/sltd.csv``
    the national watchlist (``piu_national_csv``) and lost/stolen documents
    (``piu_sltd_csv``) naming the planted persons among filler entries.
``DIR/deliveries.jsonl`` (push mode)
    what the PIU answered to each push.

Push order: messages are released in send-time order across flights. A flight's earliest
message is sent ``max(pnr_hours)`` before its departure, and flights come in departure
order, so a message can be released once the flight being generated departs more than
that after it; only that window (about three days of traffic) is buffered.
"""

from __future__ import annotations

import heapq
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from piu.synth.generator import Generator, Message
from piu.synth.planted import sltd_csv, watchlist_csv

__all__ = ["DirectorySink", "HttpSink", "Sink", "Summary", "run", "write_message"]


class Sink(Protocol):
    """Receives messages in the order a PIU would see them."""

    ordered: bool  # True: needs messages in send order (and honours pacing)

    def send(self, message: Message) -> str:
        """Deliver one message; return its path or a delivery reference."""
        ...

    def close(self) -> None: ...


def write_message(root: Path, message: Message) -> str:
    """Write ``message`` under ``root/messages/<send date>/``; its path relative to ``root``."""
    relative = f"messages/{message.send_at:%Y-%m-%d}/{message.filename}"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(message.data)
    return relative


class DirectorySink:
    """Writes each message to ``DIR/messages/<date>/<file>``; order does not matter."""

    ordered = False

    def __init__(self, out: Path) -> None:
        self.root = out
        self.messages = out / "messages"

    def send(self, message: Message) -> str:
        if message.path is not None:  # a worker process wrote it already
            return message.path
        return write_message(self.root, message)

    def close(self) -> None:
        return None


class HttpSink:
    """Pushes each message to ``url`` as its carrier, with the carrier's token.

    ``tokens`` maps carrier codes to push tokens; a message of a carrier without a token
    is pushed with the ``default`` credential if given (code, token), else skipped and
    reported. Every answer goes to ``deliveries.jsonl``.
    """

    ordered = True

    def __init__(
        self,
        url: str,
        tokens: Mapping[str, str],
        out: Path,
        *,
        default: tuple[str, str] | None = None,
        timeout: float = 30.0,
    ) -> None:
        import httpx

        base = url.rstrip("/")
        self.url = base if base.endswith("/api/v1/push") else base + "/api/v1/push"
        self.tokens = dict(tokens)
        self.default = default
        self.client = httpx.Client(timeout=timeout)
        self.log = (out / "deliveries.jsonl").open("a", encoding="utf-8")
        self.failures = 0

    def send(self, message: Message) -> str:
        token = self.tokens.get(message.carrier)
        auth = (message.carrier, token) if token else self.default
        record: dict[str, Any] = {
            "sha256": message.sha256,
            "flight": message.flight,
            "list": message.name,
        }
        if auth is None:
            record.update(http=None, error=f"no push token for carrier {message.carrier}")
            self.failures += 1
        else:
            try:
                r = self.client.post(
                    self.url,
                    content=message.data,
                    auth=auth,
                    headers={"content-type": "application/octet-stream"},
                )
                record["http"] = r.status_code
                if r.status_code == 202:
                    body = r.json()
                    record.update(status=body.get("status"), message_id=body.get("message_id"))
                else:
                    record["error"] = r.text[:300]
                    self.failures += 1
            except Exception as exc:
                record.update(http=None, error=f"{type(exc).__name__}: {exc}")
                self.failures += 1
        self.log.write(json.dumps(record) + "\n")
        return f"push:{message.sha256[:16]}"

    def close(self) -> None:
        self.client.close()
        self.log.close()


@dataclass(slots=True)
class Summary:
    """Counts of one run, also written as the last ground-truth line."""

    flights: int = 0
    passengers: int = 0  # booked (in PNRs)
    boarded: int = 0  # in API passenger lists
    crew: int = 0
    messages: int = 0
    bytes: int = 0
    missing: int = 0
    by_fault: dict[str, int] = field(default_factory=dict)
    planted: int = 0
    pnr: bool = False
    seconds: float = 0.0

    def line(self) -> dict[str, Any]:
        return {"type": "summary", **asdict(self)}


class _Pacer:
    """Maps simulated send times to wall-clock: ``speed`` simulated seconds per real
    second (0: no waiting)."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.start_sim: datetime | None = None
        self.start_real = 0.0

    def wait(self, at: datetime) -> None:
        if self.speed <= 0:
            return
        if self.start_sim is None:
            self.start_sim, self.start_real = at, time.monotonic()
            return
        due = self.start_real + (at - self.start_sim).total_seconds() / self.speed
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def _ordered(
    gen: Generator, stream: Iterator[tuple[Any, Any, list[Message], list[dict[str, Any]]]]
) -> Iterator[tuple[Any, Any, list[Message], list[dict[str, Any]]]]:
    """Re-yield ``stream`` with messages released in global send order (see module doc)."""
    lead = timedelta(hours=max(gen.config.pnr_hours, default=0.0) + 1)
    heap: list[tuple[datetime, int, Message]] = []
    n = 0
    for dep, stats, messages, notes in stream:
        for m in messages:
            heapq.heappush(heap, (m.send_at, n, m))
            n += 1
        horizon = dep.departure_utc - lead
        ready = []
        while heap and heap[0][0] <= horizon:
            ready.append(heapq.heappop(heap)[2])
        yield dep, stats, ready, notes
    rest = [heapq.heappop(heap)[2] for _ in range(len(heap))]
    yield None, None, rest, []


def run(
    gen: Generator,
    out: Path,
    sink: Sink | None = None,
    *,
    speed: float = 0.0,
    on_flight: Callable[[int, int], None] | None = None,
) -> Summary:
    """Generate the whole run into ``out`` (and ``sink``, default files in ``out``).

    ``on_flight(passengers_so_far, target)`` is called after each flight (progress bars).
    """
    out.mkdir(parents=True, exist_ok=True)
    sink = sink or DirectorySink(out)
    (out / "watchlist.csv").write_text(watchlist_csv(gen.watch_rows), encoding="utf-8")
    (out / "sltd.csv").write_text(sltd_csv(gen.sltd_rows), encoding="utf-8")
    summary = Summary(pnr=gen.with_pnr)
    pacer = _Pacer(speed if sink.ordered else 0.0)
    started = time.perf_counter()
    paths: dict[str, list[str]] = {}
    config = gen.config
    with (out / "ground_truth.jsonl").open("w", encoding="utf-8") as truth:
        head = {
            "type": "run",
            "seed": config.seed,
            "passengers": config.passengers,
            "first_day": config.day.isoformat(),
            "pnr": gen.with_pnr,
            "pnr_hours": list(config.pnr_hours),
            "faults": config.faults,
            "watchlist": "watchlist.csv",
            "sltd": "sltd.csv",
        }
        truth.write(json.dumps(head) + "\n")
        stream = gen.flights(write_to=sink.root if isinstance(sink, DirectorySink) else None)
        if sink.ordered:
            stream = _ordered(gen, stream)
        for _dep, stats, messages, notes in stream:
            if stats is not None:
                summary.flights += 1
                summary.passengers += stats.passengers
                summary.boarded += stats.boarded
                summary.crew += stats.crew
            for note in notes:
                summary.missing += 1
                truth.write(json.dumps(note) + "\n")
            for m in messages:
                pacer.wait(m.send_at)
                path = sink.send(m)
                summary.messages += 1
                summary.bytes += m.size
                if m.fault:
                    summary.by_fault[m.fault] = summary.by_fault.get(m.fault, 0) + 1
                for case_id in m.planted:
                    paths.setdefault(case_id, []).append(path)
                truth.write(json.dumps(m.truth(path)) + "\n")
            if on_flight is not None and stats is not None:
                on_flight(summary.passengers, config.passengers)
        sink.close()
        for case in gen.cases:
            line = case.truth()
            line["messages"] = paths.get(case.case, [])
            truth.write(json.dumps(line, ensure_ascii=False) + "\n")
        summary.planted = len(gen.cases)
        summary.seconds = round(time.perf_counter() - started, 3)
        truth.write(json.dumps(summary.line()) + "\n")
    return summary
