"""End-to-end ingest throughput: receive() -> keep raw -> parse -> store, in passengers/s.

Generates 300-passenger PAXLST messages with PIU's own writer (seeded, so runs compare),
then feeds them one by one through ``piu.ingest.receive`` into a fresh SQLite file and,
when reachable, a fresh schema on PostgreSQL. Each message is a distinct flight, as at a
real PIU; a second pass re-sends a third of them to show the cost of duplicates.

    .venv/bin/python bench/ingest_paxlst.py [--messages 60] [--postgres URL]

Target (issue 2): at least 3,000 passengers/s into SQLite.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _postgres import scratch_schema
from piu.domain import Flight, PassengerList, Stop, TravelDocument, Traveller, TravellerRole
from piu.formats import paxlst
from piu.ingest import receive
from piu.store.engine import make_engine
from piu.store.migrate import upgrade

SURNAMES = [
    "ASANOV",
    "OSMONOVA",
    "TOKTOGULOV",
    "ABDYLDAEVA",
    "IVANOV",
    "YILMAZ",
    "AL HASHIMI",
    "KIM",
    "WANG",
    "MUELLER",
    "DZHUMABAEV",
    "SULTANOVA",
    "NURLANOV",
    "KARIMOV",
]
GIVEN = [
    "BAKYT",
    "AIGUL",
    "TALANT",
    "ZHYLDYZ",
    "AZAMAT",
    "NURIA",
    "MEHMET",
    "FATIMA",
    "OLGA",
    "SERGEI",
    "ALMAZ",
    "CHOLPON",
    "ERLAN",
    "GULNARA",
]
ROUTES = [("IST", "FRU"), ("DXB", "FRU"), ("SVO", "OSS"), ("ALA", "FRU"), ("FRU", "IST")]


def make_list(rng: random.Random, i: int, size: int) -> PassengerList:
    dep, arr = ROUTES[i % len(ROUTES)]
    day = datetime(2026, 12, 1, 6, 0) + timedelta(days=i // 500, minutes=(i % 500) * 2)
    flight = Flight(
        flight_id=f"KC{i % 9000 + 100}",
        carrier="KC",
        number=str(i % 9000 + 100),
        stops=[
            Stop(airport=dep, qualifier="125", departure_local=day),
            Stop(airport=arr, qualifier="87", arrival_local=day + timedelta(hours=4)),
        ],
    )
    travellers = []
    for n in range(size):
        travellers.append(
            Traveller(
                role=TravellerRole.PASSENGER,
                surname=rng.choice(SURNAMES),
                given_names=rng.choice(GIVEN),
                gender=rng.choice("MF"),
                date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(25000)),
                nationality="KGZ",
                embarkation=dep,
                debarkation=arr,
                record_locator=f"{rng.randrange(36**6):06X}"[:6],
                seat=f"{n // 6 + 1}{'ABCDEF'[n % 6]}",
                documents=[
                    TravelDocument(
                        number=f"AC{rng.randrange(10**7):07d}",
                        doc_type="P",
                        expiry=date(2030, 1, 1),
                        issuing_state="KGZ",
                    )
                ],
            )
        )
    return PassengerList(flights=[flight], travellers=travellers, declared_passengers=size)


def run(label: str, engine_factory, raws: list[bytes], passengers: int) -> None:  # type: ignore[no-untyped-def]
    engine = engine_factory()
    upgrade(engine)
    receive(engine, raws[0], sender="KC", channel="bench")  # warm-up: caches, airport data
    start = time.perf_counter()
    statuses: dict[str, int] = {}
    for raw in raws[1:]:
        r = receive(engine, raw, sender="KC", channel="bench")
        statuses[r.status] = statuses.get(r.status, 0) + 1
    elapsed = time.perf_counter() - start
    n = len(raws) - 1
    print(
        f"{label:<11} {n:>5} msgs {n * passengers:>8} pax  {elapsed:7.2f} s  "
        f"{n * passengers / elapsed:>9,.0f} pax/s  {n / elapsed:6.1f} msg/s  {statuses}"
    )
    dups = raws[1 : 1 + n // 3]
    start = time.perf_counter()
    for raw in dups:
        receive(engine, raw, sender="KC", channel="bench")
    d = time.perf_counter() - start
    print(f"{'':<11} duplicates: {len(dups) / d:,.0f} msg/s")
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=60)
    ap.add_argument("--passengers", type=int, default=300)
    ap.add_argument(
        "--postgres",
        default=os.environ.get(
            "PIU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = ap.parse_args()
    rng = random.Random(20261128)
    raws = [paxlst.write(make_list(rng, i, args.passengers)) for i in range(args.messages + 1)]
    print(
        f"ingest benchmark: {args.messages} messages x {args.passengers} passengers "
        f"({sum(map(len, raws)) / len(raws) / 1024:.0f} KiB each), "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        run("sqlite", lambda: make_engine(url), raws, args.passengers)

    with scratch_schema(args.postgres) as pg:
        if pg is not None:
            run("postgresql", pg, raws, args.passengers)


if __name__ == "__main__":
    main()
