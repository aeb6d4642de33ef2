"""How fast PIU reads PAXLST, against pydifact as the reference.

Generates N passenger lists of 300 passengers each with PIU's own writer (seeded random
names, documents, bags), then times on one core:

* ``piu read()``: bytes -> list[PassengerList] (tokenizer + reader + UTC conversion);
* ``piu tokenize()``: bytes -> segments only;
* ``pydifact Parser.parse``: str -> segments (pydifact's tokenizer and parser);
* ``pydifact Interchange.from_str``: the same plus pydifact's interchange object.

Run: ``.venv/bin/python bench/parse_paxlst.py [--messages 20] [--passengers 300]``.
Prints a table and the ratios; never asserts (benchmarks print figures, tests assert).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

from piu.domain.travel import (
    BagInfo,
    Flight,
    PassengerList,
    ReportingParty,
    Stop,
    TravelDocument,
    Traveller,
    TravellerRole,
)
from piu.formats import paxlst
from piu.formats.edifact import tokenize

SURNAMES = [
    "ASANOV", "ABDULLAEV", "SMITH", "MULLER", "ONEILL", "DZHUMABAEV", "KIM", "NAZAROVA",
    "GARCIA", "TOKTOGULOV", "IBRAGIMOV", "RAHMAN", "ESENOVA", "PETROV", "AL-HASHIMI", "CHEN",
]  # fmt: skip
GIVEN = [
    "BAKYT", "AIGUL", "JOHN", "MARIA", "NURLAN", "AIDA", "TIMUR", "ELENA", "OMAR", "LI",
    "AZAMAT", "GULNARA", "SERGEI", "FATIMA", "ERLAN", "ANNA",
]  # fmt: skip
COUNTRIES = ["KGZ", "KAZ", "UZB", "RUS", "TUR", "DEU", "USA", "CHN", "GBR", "ARE"]


def make_list(rng: random.Random, number: int, passengers: int) -> PassengerList:
    dep = datetime(2026, 3, 1, 6, 0) + timedelta(minutes=37 * number)
    flight = Flight(
        flight_id=f"KC{100 + number}",
        carrier="KC",
        number=str(100 + number),
        stops=[
            Stop(airport="ALA", qualifier="125", departure_local=dep),
            Stop(airport="IST", qualifier="87", arrival_local=dep + timedelta(hours=6)),
        ],
    )
    travellers = []
    for i in range(passengers):
        tags = [f"{rng.randrange(10**9, 10**10)}"]
        travellers.append(
            Traveller(
                role=TravellerRole.PASSENGER,
                surname=rng.choice(SURNAMES),
                given_names=rng.choice(GIVEN),
                middle_names=rng.choice([None, rng.choice(GIVEN)]),
                gender=rng.choice("MF"),
                date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(30000)),
                nationality=rng.choice(COUNTRIES),
                residence_country=rng.choice(COUNTRIES),
                embarkation="ALA",
                debarkation="IST",
                record_locator=f"{rng.randrange(36**6):06X}"[:6],
                seat=f"{rng.randrange(1, 40):02d}{rng.choice('ABCDEF')}",
                bags=BagInfo(
                    count=1, weight=float(rng.randrange(5, 30)), weight_unit="KGM", tags=tags
                ),
                documents=[
                    TravelDocument(
                        number=f"AC{rng.randrange(10**7):07d}",
                        doc_type="P",
                        expiry=date(2027, 1, 1) + timedelta(days=rng.randrange(3000)),
                        issuing_state=rng.choice(COUNTRIES),
                    )
                ],
                segment_index=None,
                offset=None,
            )
        )
        del i
    return PassengerList(
        message_ref=f"M{number}",
        interchange_ref=f"{number}",
        sender="KC",
        recipient="KGZAPI",
        prepared_at=datetime(2026, 3, 1, 5, 0),
        syntax="UNOA:4",
        directory="D05B",
        reporting_party=ReportingParty(name="KC OPERATIONS", phone="996312000000"),
        flights=[flight],
        travellers=travellers,
        declared_passengers=passengers,
    )


def cpu_time(fn: Callable[[bytes], object], inputs: list[bytes]) -> float:
    """CPU time of one pass of ``fn`` over all inputs; each result is dropped at once, as a
    pipeline that stores and moves on would. CPU time, not wall time, so that other
    processes on a shared machine count against neither parser."""
    start = time.process_time()
    for item in inputs:
        fn(item)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--passengers", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15, help="rounds (pydifact: a fifth)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    rng = random.Random(20260301)
    raw = [
        paxlst.write(make_list(rng, n, args.passengers), functional_group=False)
        for n in range(args.messages)
    ]
    total_pax = args.messages * args.passengers
    segments = sum(len(tokenize(r)) for r in raw)
    assert sum(len(pl.travellers) for r in raw for pl in paxlst.read(r)) == total_pax

    from pydifact.parser import Parser
    from pydifact.segmentcollection import Interchange

    def pydifact_parse(data: bytes) -> object:
        return list(Parser().parse(data.decode("ascii")))

    def pydifact_interchange(data: bytes) -> object:
        return Interchange.from_str(data.decode("ascii"))

    parsers: list[tuple[str, Callable[[bytes], object], int]] = [
        ("piu read()", paxlst.read, args.repeat),
        ("piu tokenize()", tokenize, args.repeat),
        ("pydifact Parser.parse", pydifact_parse, max(1, args.repeat // 5)),
        ("pydifact Interchange.from_str", pydifact_interchange, max(1, args.repeat // 5)),
    ]
    # Rounds interleave the parsers so that a noisy moment on the machine hits all of them;
    # each figure is the best round (as timeit does).
    best = {name: float("inf") for name, _, _ in parsers}
    for round_number in range(args.repeat):
        for name, fn, rounds in parsers:
            if round_number < rounds:
                best[name] = min(best[name], cpu_time(fn, raw))
    rows = [(name, best[name]) for name, _, _ in parsers]
    size = sum(len(r) for r in raw)
    print(
        f"{args.messages} messages x {args.passengers} passengers, {segments} segments, "
        f"{size / 1e6:.1f} MB, one core, best CPU time of {args.repeat} rounds "
        f"(pydifact: {parsers[2][2]})\n"
    )
    print(
        f"{'parser':32} {'seconds':>8} {'messages/s':>11} {'passengers/s':>13} {'segments/s':>12}"
    )
    for name, secs in rows:
        print(
            f"{name:32} {secs:8.3f} {args.messages / secs:11.1f} {total_pax / secs:13,.0f} "
            f"{segments / secs:12,.0f}"
        )
    times = dict(rows)
    print()
    ratio = times["pydifact Parser.parse"] / times["piu read()"]
    print(f"read() vs pydifact Parser.parse:       {ratio:.1f}x")
    print(
        f"read() vs pydifact Interchange:        "
        f"{times['pydifact Interchange.from_str'] / times['piu read()']:.1f}x"
    )
    print(
        f"tokenize() vs pydifact Parser.parse:   "
        f"{times['pydifact Parser.parse'] / times['piu tokenize()']:.1f}x"
    )


if __name__ == "__main__":
    main()
