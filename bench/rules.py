"""How fast compiled targeting rules run: traveller-rule evaluations per second, one core.

Compiles 100 realistic rules (routes, cash, last-minute one-way tickets, bags, documents,
history, co-traveller hits, some narrowed by a protected attribute), generates travellers'
facts with the distributions of a busy Central Asian hub, and evaluates every rule on every
traveller in this one process (one core). Also prints the cost of ``explain`` (the trace a
hit stores) per hit. Facts are generated directly (not through ``piu.synth``) so that the
figure measures rule evaluation alone.

Run: ``.venv/bin/python bench/rules.py [--travellers 20000] [--rules 100] [--seed 1]``.
Target (issue 6): at least 50,000 traveller-rule evaluations per second on one core.
Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from piu.targeting import CompiledRule, compile_rule

HUBS = ["IST", "DXB", "DOH", "FRA", "SVO", "ALA", "NQZ", "FRU", "TAS", "DYU", "KBL", "THR"]
OTHER = ["LHR", "CDG", "ICN", "PEK", "DEL", "CAI", "AMM", "BEY", "BGW", "DAM", "OSS", "LED"]
COUNTRY = {
    "IST": "TR", "DXB": "AE", "DOH": "QA", "FRA": "DE", "SVO": "RU", "ALA": "KZ", "NQZ": "KZ",
    "FRU": "KG", "TAS": "UZ", "DYU": "TJ", "KBL": "AF", "THR": "IR", "LHR": "GB", "CDG": "FR",
    "ICN": "KR", "PEK": "CN", "DEL": "IN", "CAI": "EG", "AMM": "JO", "BEY": "LB", "BGW": "IQ",
    "DAM": "SY", "OSS": "KG", "LED": "RU",
}  # fmt: skip
NATIONS = ["KGZ", "KAZ", "UZB", "TJK", "RUS", "TUR", "DEU", "GBR", "AFG", "IRN", "SYR", "CHN"]
CARRIERS = ["KC", "TK", "FZ", "QR", "SU", "HY", "LH", "EK", "ZM", "4L"]
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def make_facts(rng: random.Random) -> dict[str, Any]:
    segs = rng.choices([1, 2, 3, 4], weights=[50, 30, 12, 8])[0]
    path = [rng.choice(HUBS + OTHER)]
    for _ in range(segs):
        path.append(rng.choice([a for a in HUBS + OTHER if a != path[-1]]))
    if rng.random() < 0.55:  # return journey
        path = path + path[-2::-1]
    origin, destination = path[0], path[1]
    dep = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
    days_before = int(rng.expovariate(1 / 20))
    dob = date(rng.randrange(1945, 2024), rng.randrange(1, 13), rng.randrange(1, 29))
    fops = frozenset(rng.choices(["CC", "CA", "MS", "CK"], weights=[80, 12, 6, 2])[:1])
    bags = rng.choices([0, 1, 2, 3, 4], weights=[30, 45, 18, 5, 2])[0]
    f: dict[str, Any] = {
        "traveller.nationality": rng.choice(NATIONS),
        "traveller.gender": rng.choice("MF"),
        "traveller.age": (dep.date() - dob).days // 365,
        "traveller.date_of_birth": dob,
        "traveller.surname": rng.choice(["PETROV", "ABDULLAEV", "MULLER", "SMITH", "AL-HASAN"]),
        "traveller.role": "PASSENGER",
        "traveller.transit": rng.random() < 0.1,
        "traveller.with_infant": rng.random() < 0.03,
        "traveller.frequent_flyer": rng.random() < 0.2,
        "document.type": rng.choices(["P", "I"], weights=[95, 5])[0],
        "document.issuing_state": rng.choice(NATIONS),
        "document.expiry_days": rng.randrange(-30, 3650),
        "document.count": 1,
        "flight.carrier": rng.choice(CARRIERS),
        "flight.number": str(rng.randrange(1, 9999)),
        "flight.origin": origin,
        "flight.destination": destination,
        "flight.origin_country": COUNTRY[origin],
        "flight.destination_country": COUNTRY[destination],
        "flight.departure_date": dep.date(),
        "flight.departure_utc": dep,
        "flight.departure_hour": dep.hour,
        "flight.weekday": WEEKDAYS[dep.weekday()],
        "flight.route": frozenset((origin, destination)),
        "flight.code_share": rng.random() < 0.15,
        "flight.booking_class": rng.choice("YYYYYBMHKJCF"),
        "itinerary.origin": path[0],
        "itinerary.destination": path[-1],
        "itinerary.one_way": path[0] != path[-1],
        "itinerary.segments": len(path) - 1,
        "itinerary.airports": frozenset(path),
        "itinerary.countries": frozenset(COUNTRY[a] for a in path),
        "itinerary.stay_days": rng.randrange(0, 30),
        "booking.carrier": rng.choice(CARRIERS),
        "booking.created": dep - timedelta(days=days_before, hours=rng.randrange(24)),
        "booking.days_before_departure": days_before,
        "booking.payment_types": fops,
        "booking.paid_cash": "CA" in fops,
        "booking.booked_by_agency": rng.random() < 0.4,
        "booking.travellers": rng.choices([1, 2, 3, 4, 6], weights=[55, 25, 10, 7, 3])[0],
        "booking.ticketed": rng.random() < 0.93,
        "booking.split": rng.random() < 0.02,
        "booking.bags": bags,
        "booking.bag_weight": round(bags * rng.uniform(8, 24), 1),
        "booking.seat": f"{rng.randrange(1, 40)}{rng.choice('ABCDEF')}",
        "booking.contacts": rng.randrange(0, 4),
        "history.trips_last_90_days": int(rng.expovariate(1 / 1.5)),
        "history.trips_last_365_days": int(rng.expovariate(1 / 4)),
        "history.previous_hits": 1 if rng.random() < 0.01 else 0,
        "co_travellers.hits": 1 if rng.random() < 0.02 else 0,
        "booking.shared_contact_hits": 1 if rng.random() < 0.005 else 0,
    }
    if f["booking.booked_by_agency"]:
        f["booking.agency_id"] = str(rng.randrange(10_000_000, 10_000_200))
    return f


def _q(codes: list[str]) -> str:
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"


def make_rules(rng: random.Random, n: int) -> list[str]:
    conflict = ["SY", "IQ", "AF", "YE", "LY", "SO"]
    templates = [
        lambda: (
            f"itinerary.countries contains any {_q(rng.sample(conflict, 2))} "
            f"and itinerary.one_way and booking.days_before_departure <= {rng.randrange(1, 4)} "
            "and booking.paid_cash"
        ),
        lambda: (
            f"flight.origin in {_q(rng.sample(HUBS, 3))} and booking.paid_cash "
            f"and booking.bags = 0 and itinerary.stay_days < {rng.randrange(2, 5)}"
        ),
        lambda: "co_travellers.hits > 0 and booking.travellers >= 2",
        lambda: "booking.shared_contact_hits > 0",
        lambda: (
            f"traveller.age between 18 and {rng.randrange(25, 35)} "
            f"and traveller.gender = 'M' and itinerary.countries contains "
            f"'{rng.choice(conflict)}' and itinerary.one_way"
        ),
        lambda: (
            f"traveller.nationality in {_q(rng.sample(NATIONS, 2))} "
            f"and booking.days_before_departure < 2 and booking.paid_cash "
            f"and flight.destination in {_q(rng.sample(HUBS, 4))}"
        ),
        lambda: (
            f"document.expiry_days < {rng.randrange(10, 60)} and itinerary.one_way "
            f"and flight.destination_country in {_q(['TR', 'IR', 'AF'])}"
        ),
        lambda: (
            f"booking.bag_weight > {rng.randrange(40, 70)} and booking.bags <= 1 "
            "and not traveller.frequent_flyer"
        ),
        lambda: (
            f"history.trips_last_90_days >= {rng.randrange(5, 10)} "
            f"and flight.route contains '{rng.choice(HUBS)}' and booking.paid_cash"
        ),
        lambda: (
            f"flight.departure_hour between 0 and {rng.randrange(3, 6)} "
            f"and booking.days_before_departure = 0 and not booking.ticketed"
        ),
        lambda: (
            f"booking.agency_id in {_q([str(rng.randrange(10_000_000, 10_000_200))])} "
            f"and (booking.paid_cash or booking.payment_types contains 'MS')"
        ),
        lambda: (
            f"traveller.surname like '{rng.choice(['PET*', '*EV', 'AB?ULLA*'])}' "
            "and booking.split and itinerary.segments >= 3"
        ),
        lambda: (
            f"flight.weekday in {_q(rng.sample(WEEKDAYS, 2))} and flight.booking_class = 'F' "
            "and booking.paid_cash and itinerary.one_way"
        ),
        lambda: (
            f"(flight.origin = '{rng.choice(OTHER)}' or flight.destination = "
            f"'{rng.choice(OTHER)}') and booking.days_before_departure <= 1 and itinerary.one_way"
        ),
        lambda: "history.previous_hits > 0 and flight.departure_utc >= 2026-12-01",
    ]
    return [rng.choice(templates)() for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=20_000)
    parser.add_argument("--rules", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="best of N timed passes")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    texts = make_rules(rng, args.rules)
    t0 = time.perf_counter()
    rules: list[CompiledRule] = [compile_rule(t) for t in texts]
    compile_s = time.perf_counter() - t0
    facts = [make_facts(rng) for _ in range(args.travellers)]

    best = float("inf")
    hits = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        hits = 0
        for f in facts:
            for r in rules:
                if r.predicate(f):
                    hits += 1
        best = min(best, time.perf_counter() - t0)
    evaluations = len(facts) * len(rules)

    matched = [(r, f) for f in facts for r in rules if r.predicate(f)]
    t0 = time.perf_counter()
    for r, f in matched:
        r.explain(f).as_dict()
    explain_s = time.perf_counter() - t0
    explained = len(matched)

    print(f"rules: {len(rules)} compiled in {compile_s * 1000:.1f} ms "
          f"({compile_s / len(rules) * 1e6:.0f} µs each)")  # fmt: skip
    print(f"travellers: {len(facts):,}; evaluations: {evaluations:,} (best of {args.repeat})")
    print(f"one core: {evaluations / best:,.0f} traveller-rule evaluations/s "
          f"({best / evaluations * 1e9:.0f} ns each; {len(facts) / best:,.0f} travellers/s "
          f"against all {len(rules)} rules)")  # fmt: skip
    per_hit = explain_s / max(explained, 1) * 1e6
    print(f"hits: {hits:,} ({hits / len(facts):.3f} per traveller); explain + as_dict on all "
          f"hits: {explain_s:.2f} s ({per_hit:.0f} µs per hit)")  # fmt: skip
    print("target (issue 6): >= 50,000 traveller-rule evaluations/s on one core")


if __name__ == "__main__":
    main()
