"""Routes, carriers, aircraft and a day's schedule for a home country (default: Kyrgyzstan).

Why data in code: the schedule must be deterministic for a seed and need no network. The
routes are the kind a Kyrgyz PIU receives: Manas (``FRU``, as airlines still file it; the
reference data knows it as ``BSZ`` and PIU maps one to the other) and Osh (``OSS``) to
Istanbul, Dubai, the Moscow airports, Almaty, Astana, Tashkent, Urumqi, Delhi, Frankfurt.
Carriers, numbers and aircraft are plausible, not a copy of any real timetable.

A :class:`Departure` is one operated flight on one day in one direction, with local times
at both ends (converted with the airports' time zones) and a seat count; the traveller
generator fills it to a load factor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from piu.reference.airports import timezone, to_utc

__all__ = [
    "AIRCRAFT",
    "CARRIERS",
    "MIXES",
    "ROUTES",
    "Departure",
    "Route",
    "day_schedule",
    "schedule",
]

# seats by type (all-economy-equivalent capacity as typically configured)
AIRCRAFT: dict[str, int] = {
    "320": 174,
    "321": 212,
    "32N": 186,
    "32Q": 239,
    "738": 186,
    "7M8": 189,
    "735": 114,
    "333": 289,
    "E90": 100,
    "CR9": 90,
}


@dataclass(frozen=True, slots=True)
class Route:
    """A city pair operated by a carrier, both directions.

    ``number`` is the outbound flight number (from the home airport); the return flight
    is ``number + 1``, the usual odd/even pairing. ``departs`` is the local departure time
    (hour, minute) from the home airport, ``returns`` from the foreign one. ``block`` is
    the scheduled block time in minutes; ``weekly`` how many days a week it flies.
    ``mix`` weighs the name groups of its passengers.
    """

    carrier: str
    carrier_name: str
    number: int
    home: str
    away: str
    aircraft: str
    block: int
    departs: tuple[int, int]
    returns: tuple[int, int]
    weekly: int
    mix: tuple[tuple[str, float], ...]
    load: float = 0.82  # mean load factor


# Who flies on each kind of route: name groups and their weights.
MIXES: dict[str, tuple[tuple[str, float], ...]] = {
    "RU": (("kyrgyz", 0.55), ("russian", 0.25), ("uzbek", 0.1), ("tajik", 0.06), ("kazakh", 0.04)),
    "TR": (
        ("kyrgyz", 0.5), ("turkish", 0.3), ("uzbek", 0.06), ("russian", 0.06),
        ("european", 0.04), ("arabic", 0.02), ("kazakh", 0.02),
    ),
    "AE": (
        ("kyrgyz", 0.55), ("arabic", 0.15), ("uzbek", 0.08), ("russian", 0.1),
        ("european", 0.04), ("kazakh", 0.04), ("tajik", 0.04),
    ),
    "KZ": (("kazakh", 0.45), ("kyrgyz", 0.4), ("russian", 0.1), ("european", 0.05)),
    "UZ": (("uzbek", 0.55), ("kyrgyz", 0.35), ("russian", 0.05), ("tajik", 0.05)),
    "CN": (("chinese", 0.55), ("kyrgyz", 0.35), ("russian", 0.05), ("kazakh", 0.05)),
    "IN": (("kyrgyz", 0.5), ("indian", 0.25), ("russian", 0.08), ("arabic", 0.07), ("uzbek", 0.1)),
    "EU": (
        ("european", 0.45), ("kyrgyz", 0.35), ("russian", 0.1), ("turkish", 0.05),
        ("kazakh", 0.05),
    ),
}  # fmt: skip

CARRIERS: dict[str, str] = {
    "TK": "Turkish Airlines", "PC": "Pegasus", "FZ": "flydubai", "SU": "Aeroflot",
    "S7": "S7 Airlines", "UT": "UTair", "QH": "Air Kyrgyzstan", "ZM": "Air Manas",
    "KC": "Air Astana", "HY": "Uzbekistan Airways", "CZ": "China Southern", "6E": "IndiGo",
    "YK": "Avia Traffic Company",
}  # fmt: skip

# carrier number home away aircraft block(min) out(local) back(local) days/week mix load
_TABLE = """
TK  345 FRU IST 321 375 04:40 19:05 7 TR 0.82
TK  367 OSS IST 738 390 05:30 20:15 4 TR 0.82
PC  781 FRU SAW 32Q 385 03:55 21:40 7 TR 0.90
PC  785 OSS SAW 32N 395 06:10 22:20 3 TR 0.88
FZ 1663 FRU DXB 7M8 260 22:15 16:40 7 AE 0.82
FZ 1667 OSS DXB 738 270 23:30 17:30 4 AE 0.82
SU 1883 FRU SVO 321 330 07:25 23:45 7 RU 0.88
SU 1889 OSS SVO 320 345 09:10 01:15 5 RU 0.90
S7 3147 FRU DME 32N 335 08:50 00:35 7 RU 0.90
S7 3151 OSS DME 320 350 11:05 02:10 4 RU 0.82
UT  857 FRU VKO 738 335 10:30 03:20 5 RU 0.82
UT  861 OSS VKO 735 350 12:40 04:30 3 RU 0.82
QH  111 FRU SVO 320 335 14:15 05:40 4 RU 0.82
ZM  201 OSS DME 738 350 13:20 06:00 5 RU 0.90
ZM    1 FRU IST 738 380 13:50 23:10 3 TR 0.82
ZM  601 FRU DEL 738 205 16:20 21:55 2 IN 0.82
KC  110 FRU ALA E90  55 07:45 21:00 7 KZ 0.70
KC  114 FRU NQZ 320 120 15:35 11:25 4 KZ 0.75
HY  782 FRU TAS 320  75 17:10 14:30 5 UZ 0.70
HY  786 OSS TAS CR9  55 08:00 06:20 3 UZ 0.75
CZ 6005 FRU URC 320 110 12:05 09:15 7 CN 0.80
CZ 6011 OSS URC 320 105 14:50 11:00 3 CN 0.75
6E 1805 FRU DEL 32N 210 02:30 20:05 3 IN 0.85
YK  561 FRU FRA 738 450 06:40 12:35 2 EU 0.80
"""


def _clock(text: str) -> tuple[int, int]:
    hour, minute = text.split(":")
    return int(hour), int(minute)


def _routes(table: str) -> tuple[Route, ...]:
    out = []
    for line in table.strip().splitlines():
        code, number, home, away, aircraft, block, out_t, back_t, weekly, mix, load = line.split()
        out.append(
            Route(
                carrier=code,
                carrier_name=CARRIERS[code],
                number=int(number),
                home=home,
                away=away,
                aircraft=aircraft,
                block=int(block),
                departs=_clock(out_t),
                returns=_clock(back_t),
                weekly=int(weekly),
                mix=MIXES[mix],
                load=float(load),
            )
        )
    return tuple(out)


ROUTES: tuple[Route, ...] = _routes(_TABLE)


@dataclass(frozen=True, slots=True)
class Departure:
    """One operated flight: carrier, number, route, local times, seats, and the name mix."""

    index: int  # position in the generated schedule; seeds the flight's own random stream
    route: Route
    outbound: bool
    carrier: str
    number: str
    origin: str
    destination: str
    departure_local: datetime
    arrival_local: datetime
    departure_utc: datetime
    arrival_utc: datetime
    seats: int

    @property
    def flight_id(self) -> str:
        return f"{self.carrier}{self.number}"

    @property
    def key(self) -> str:
        """Identifies the flight in file names and ground truth: ``TK345-FRU-20261128``."""
        return f"{self.flight_id}-{self.origin}-{self.departure_local:%Y%m%d}"


def _flies(route: Route, day: date, outbound: bool) -> bool:
    """Weekly pattern: ``weekly`` days spread over the week, shifted per route."""
    if route.weekly >= 7:
        return True
    offset = route.number % 7
    slot = (day.weekday() - offset - (0 if outbound else 1)) % 7
    return slot * route.weekly % 7 < route.weekly


def _departure(route: Route, day: date, outbound: bool, index: int) -> Departure:
    origin, destination = (route.home, route.away) if outbound else (route.away, route.home)
    hour, minute = route.departs if outbound else route.returns
    dep_local = datetime(day.year, day.month, day.day, hour, minute)
    dep_utc = to_utc(dep_local, origin)
    if dep_utc is None:  # pragma: no cover - every airport above is in the reference data
        raise ValueError(f"no time zone for {origin}")
    arr_utc = dep_utc + timedelta(minutes=route.block)
    zone = timezone(destination)
    if zone is None:  # pragma: no cover
        raise ValueError(f"no time zone for {destination}")
    arr_local = arr_utc.astimezone(zone).replace(tzinfo=None)
    number = route.number if outbound else route.number + 1
    return Departure(
        index=index,
        route=route,
        outbound=outbound,
        carrier=route.carrier,
        number=str(number),
        origin=origin,
        destination=destination,
        departure_local=dep_local,
        arrival_local=arr_local,
        departure_utc=dep_utc,
        arrival_utc=arr_utc,
        seats=AIRCRAFT[route.aircraft],
    )


def day_schedule(day: date, start_index: int = 0) -> list[Departure]:
    """Every flight from or to the home airports leaving on ``day`` (local date at origin),
    in order of UTC departure."""
    flights: list[Departure] = []
    for route in ROUTES:
        for outbound in (True, False):
            if _flies(route, day, outbound):
                flights.append(_departure(route, day, outbound, 0))
    flights.sort(key=lambda d: (d.departure_utc, d.carrier, d.number))
    return [replace(d, index=start_index + i) for i, d in enumerate(flights)]


def schedule(first_day: date) -> Iterator[Departure]:
    """Day after day of flights, without end; the caller stops when it has enough."""
    day, index = first_day, 0
    while True:
        flights = day_schedule(day, index)
        index += len(flights)
        yield from flights
        day += timedelta(days=1)
