"""Who is on a flight: bookings of singles, couples, families with infants, groups, and crew.

Why bookings first: API and PNR data describe the same people from two sides. The booking
(who booked, with whom, when, how they paid, how the agent typed the names) drives the PNR
pushes; check-in (who turned up, which seat, which bags, which passport) drives the API
list. Generating the booking and letting both messages derive from it keeps them
consistent where real data are consistent, and different where real data differ (names
typed by agents, no-shows, late bookings, cancellations, split PNRs).

Everything is drawn from one :class:`random.Random` per flight, seeded by the run seed and
the flight's position in the schedule, so a flight is the same whatever else is generated
and flights can be generated in any order or in parallel.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from piu.synth.names import (
    GROUPS,
    NameGroup,
    NativeName,
    TypedName,
    booking_variant,
    draw_name,
    passport_name,
)
from piu.synth.routes import Departure

__all__ = [
    "Booking",
    "CrewMember",
    "FlightPlan",
    "Passenger",
    "Person",
    "make_person",
    "plan_flight",
]

# IATA numeric airline prefixes for ticket numbers (illustrative for the small carriers).
TICKET_PREFIX = {
    "TK": "235", "PC": "624", "FZ": "141", "SU": "555", "S7": "421", "UT": "298",
    "QH": "756", "ZM": "887", "KC": "465", "HY": "250", "CZ": "784", "6E": "312", "YK": "593",
}  # fmt: skip
CREW_GROUP = {
    "TK": ("turkish", "TUR"), "PC": ("turkish", "TUR"), "FZ": ("european", "GBR"),
    "SU": ("russian", "RUS"), "S7": ("russian", "RUS"), "UT": ("russian", "RUS"),
    "QH": ("kyrgyz", "KGZ"), "ZM": ("kyrgyz", "KGZ"), "YK": ("kyrgyz", "KGZ"),
    "KC": ("kazakh", "KAZ"), "HY": ("uzbek", "UZB"), "CZ": ("chinese", "CHN"),
    "6E": ("indian", "IND"),
}  # fmt: skip
_PHONE = {
    "KGZ": "+996", "KAZ": "+7", "RUS": "+7", "UZB": "+998", "TJK": "+992", "TUR": "+90",
    "CHN": "+86", "IND": "+91", "ARE": "+971", "SAU": "+966", "DEU": "+49", "GBR": "+44",
}  # fmt: skip
_MAIL = ("gmail.com", "mail.ru", "yandex.ru", "outlook.com", "inbox.kg", "yahoo.com")
_AGENCIES = (
    ("Kyrgyz Concept", "FRU", "35212345"),
    ("Ak-Keme Travel", "FRU", "35213390"),
    ("Osh Avia Service", "OSS", "35220118"),
    ("Silk Road Tours", "FRU", "35208871"),
    ("Asia Mountains", "FRU", "35209944"),
    ("Tez Tour Bishkek", "FRU", "35214402"),
)
# connections beyond a foreign hub, for travellers booked through
_ONWARD = {
    "IST": ("FRA", "CDG", "LHR", "JFK", "AMS"),
    "SAW": ("BER", "AMS", "VIE"),
    "DXB": ("BKK", "JED", "CMB", "KUL"),
    "SVO": ("LED", "KJA", "SVX"),
    "DME": ("LED", "OVB"),
    "VKO": ("LED", "KZN"),
    "URC": ("PEK", "CAN"),
    "DEL": ("BOM", "BLR"),
}
_LOCATOR = string.ascii_uppercase.replace("I", "").replace("O", "") + "23456789"


def _doc_number(nationality: str, rng: random.Random) -> str:
    """A passport number shaped like the issuing state's (series letters, digit count)."""
    digits = "".join(rng.choices(string.digits, k=9))
    match nationality:
        case "KGZ":
            return "AC" + digits[:7]
        case "KAZ":
            return "N" + digits[:8]
        case "UZB":
            return "FA" + digits[:7]
        case "RUS":
            return "7" + digits[:8]
        case "TUR":
            return "U" + digits[:8]
        case "CHN":
            return "E" + digits[:8]
        case "TJK":
            return "4" + digits[:8]
        case "DEU":
            return "C" + "".join(rng.choices("CFGHJKLMNPRTVWXYZ0123456789", k=8))
        case _:
            return rng.choice(string.ascii_uppercase) + digits[:8]


@dataclass(slots=True)
class Person:
    """Someone who travels: their name in native script and everything their passport says.

    ``pid`` is stable within a run (ground truth refers to people by it)."""

    pid: str
    name: NativeName
    female: bool
    dob: date
    nationality: str
    doc_number: str
    doc_issued: date
    doc_expiry: date
    phone: str
    email: str | None

    @property
    def gender(self) -> str:
        return "F" if self.female else "M"


def _weighted(pairs: tuple[tuple[str, float], ...], rng: random.Random) -> str:
    r = rng.random() * sum(w for _, w in pairs)
    for key, weight in pairs:
        r -= weight
        if r <= 0:
            return key
    return pairs[-1][0]


def make_person(
    pid: str,
    group: NameGroup,
    rng: random.Random,
    *,
    on: date,
    age: tuple[int, int] = (18, 70),
    female: bool | None = None,
    surname: str | None = None,
    nationality: str | None = None,
) -> Person:
    """A new person of ``group`` aged within ``age`` (years) on day ``on``."""
    is_female = rng.random() < 0.45 if female is None else female
    name = draw_name(group, is_female, rng, surname)
    nat = nationality or _weighted(group.nationalities, rng)
    days = rng.randrange(age[0] * 365 + 1, age[1] * 365 + 360)
    dob = on - timedelta(days=days)
    issued = on - timedelta(days=rng.randrange(30, 9 * 365))
    valid_years = 5 if days < 16 * 365 else 10
    expiry = issued + timedelta(days=valid_years * 365 - 1)
    if expiry <= on:
        expiry = on + timedelta(days=rng.randrange(60, 2000))
    phone = _PHONE.get(nat, "+996") + "".join(rng.choices(string.digits, k=9))
    email = None
    if days >= 16 * 365 and rng.random() < 0.7:
        s, g, _m = passport_name(name)
        local = f"{g.split()[0]}.{s}".lower().replace(" ", "")
        email = f"{local}{rng.randrange(100) if rng.random() < 0.5 else ''}@{rng.choice(_MAIL)}"
    return Person(
        pid=pid,
        name=name,
        female=is_female,
        dob=dob,
        nationality=nat,
        doc_number=_doc_number(nat, rng),
        doc_issued=issued,
        doc_expiry=expiry,
        phone=phone,
        email=email,
    )


@dataclass(slots=True)
class Passenger:
    """A person on this flight, as booked and as checked in."""

    person: Person
    ref: str  # carrier's unique passenger reference (RFF+ABO / TIF 9944)
    typed: TypedName  # name as typed in the booking
    corrected_at: datetime | None  # when an agent fixed a typo (later pushes show the fix)
    kind: str  # A adult, C child, IN infant
    ticket: str
    docs_at: datetime | None  # when DOCS reached the PNR (agent, online or airport check-in)
    checked_in_at: datetime | None  # None: no-show
    seat: str | None
    bags: int
    bag_weight: float
    bag_tags: list[str]
    transit_to: str | None = None
    infant_of: int | None = None  # index within the booking of the adult holding an infant
    planted: str | None = None  # ground-truth case id


@dataclass(slots=True)
class Booking:
    """A PNR: who booked, when, through whom, how paid, and its passengers."""

    locator: str
    created: datetime  # UTC
    passengers: list[Passenger]
    agency: tuple[str, str, str] | None  # name, city, IATA number; None: airline website
    payment: str  # CA cash, CC card
    card: str | None
    cancelled_at: datetime | None = None
    split_at: datetime | None = None  # one passenger split off into ``split_locator``
    split_locator: str | None = None
    onward: tuple[str, str] | None = None  # (airport, flight) of a connection
    return_after: int | None = None  # days until the return flight; None: one-way
    rebooked_at: datetime | None = None  # moved onto this flight then (UTC) ...
    rebooked_from: date | None = None  # ... from the same flight on this earlier day
    group_name: str | None = None
    planted: str | None = None


@dataclass(slots=True)
class CrewMember:
    person: Person
    role: str  # captain, first officer, purser, cabin


@dataclass(slots=True)
class FlightPlan:
    """Everything generated for one flight."""

    departure: Departure
    bookings: list[Booking]
    crew: list[CrewMember]
    check_in_close: datetime  # UTC

    def boarded(self) -> list[tuple[Booking, Passenger]]:
        """Passengers who checked in and were not cancelled: the API passenger list."""
        out: list[tuple[Booking, Passenger]] = []
        for b in self.bookings:
            if b.cancelled_at is not None:
                continue
            out.extend((b, p) for p in b.passengers if p.checked_in_at is not None)
        return out


def locator(rng: random.Random) -> str:
    return "".join(rng.choices(_LOCATOR, k=6))


class _Seats:
    """Seat map: rows of six (ABC DEF), row 1 first; families sit together."""

    def __init__(self, seats: int, rng: random.Random) -> None:
        self.rows = max(1, seats // 6)
        self.free = [f"{r}{c}" for r in range(1, self.rows + 1) for c in "ABCDEF"]
        rng.shuffle(self.free)

    def take(self) -> str | None:
        return self.free.pop() if self.free else None


def _booking_time(dep: datetime, rng: random.Random) -> datetime:
    """Most bookings weeks ahead; about a fifth in the last three days."""
    hours = rng.uniform(3, 72) if rng.random() < 0.2 else rng.uniform(72, 24 * 60)
    return dep - timedelta(hours=hours)


def _pax(
    person: Person,
    ref: str,
    kind: str,
    rng: random.Random,
    dep: Departure,
    booked: datetime,
    carrier: str,
    *,
    typed: TypedName | None = None,
    no_show_rate: float = 0.03,
) -> Passenger:
    t = typed or booking_variant(person.name, rng)
    corrected = None
    if "typo" in t.changes and rng.random() < 0.3:
        corrected = dep.departure_utc - timedelta(hours=rng.uniform(3, 20))
    check_in = None
    if rng.random() >= no_show_rate:
        online = rng.random() < 0.45
        hours = rng.uniform(3, 24) if online else rng.uniform(0.8, 3)
        check_in = max(booked + timedelta(minutes=5), dep.departure_utc - timedelta(hours=hours))
    docs_at = booked if rng.random() < 0.5 else check_in
    bags = 0 if kind == "IN" else rng.choices((0, 1, 2, 3), (0.25, 0.5, 0.2, 0.05))[0]
    prefix = TICKET_PREFIX.get(carrier, "999")
    return Passenger(
        person=person,
        ref=ref,
        typed=t,
        corrected_at=corrected,
        kind=kind,
        ticket=prefix + "".join(rng.choices(string.digits, k=10)),
        docs_at=docs_at,
        checked_in_at=check_in,
        seat=None,
        bags=bags,
        bag_weight=round(sum(rng.uniform(8, 23) for _ in range(bags)), 1),
        bag_tags=[],
    )


def plan_flight(dep: Departure, seed: int, extra: list[Booking] | None = None) -> FlightPlan:
    """Bookings and crew for ``dep``; ``extra`` bookings (planted cases) are added first,
    so the seats they take do not depend on the random filling."""
    rng = random.Random(f"{seed}:{dep.index}")
    day = dep.departure_local.date()
    close = dep.departure_utc - timedelta(minutes=40)
    load = min(1.0, max(0.25, rng.gauss(dep.route.load, 0.08)))
    target = int(dep.seats * load)
    bookings: list[Booking] = list(extra or [])
    seated = sum(1 for b in bookings for p in b.passengers if p.kind != "IN")
    counter = 0

    def pid() -> str:
        nonlocal counter
        counter += 1
        return f"{dep.index:07d}-{counter:03d}"

    def ref(n: int) -> str:
        return f"{dep.carrier}{dep.index:07d}{n:03d}"

    def group_for() -> NameGroup:
        return GROUPS[_weighted(dep.route.mix, rng)]

    while seated < target:
        created = _booking_time(dep.departure_utc, rng)
        roll = rng.random()
        people: list[tuple[Person, str]] = []
        group_name = None
        g = group_for()
        if roll < 0.55:
            people.append((make_person(pid(), g, rng, on=day), "A"))
        elif roll < 0.73:
            a = make_person(pid(), g, rng, on=day, female=False)
            b = make_person(pid(), g, rng, on=day, female=True, surname=a.name.surname)
            people += [(a, "A"), (b, "A")]
        elif roll < 0.95:
            a = make_person(pid(), g, rng, on=day, female=False, age=(24, 50))
            base = a.name.surname
            people.append((a, "A"))
            people.append(
                (
                    make_person(
                        pid(),
                        g,
                        rng,
                        on=day,
                        female=True,
                        surname=base,
                        age=(22, 45),
                        nationality=a.nationality,
                    ),
                    "A",
                )
            )
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                people.append(
                    (
                        make_person(
                            pid(),
                            g,
                            rng,
                            on=day,
                            surname=base,
                            age=(2, 16),
                            nationality=a.nationality,
                        ),
                        "C",
                    )
                )
            if rng.random() < 0.3:
                people.append(
                    (
                        make_person(
                            pid(),
                            g,
                            rng,
                            on=day,
                            surname=base,
                            age=(0, 1),
                            nationality=a.nationality,
                        ),
                        "IN",
                    )
                )
        else:
            size = rng.randrange(8, 21)
            group_name = f"GRP {g.key.upper()[:4]} {rng.randrange(100, 999)}"
            people += [(make_person(pid(), g, rng, on=day), "A") for _ in range(size)]
        passengers = []
        for person, kind in people:
            counter_ref = ref(int(person.pid[-3:]))
            passengers.append(_pax(person, counter_ref, kind, rng, dep, created, dep.carrier))
        for p in passengers:
            if p.kind == "IN":
                p.infant_of = 1 if len(passengers) > 1 else 0
                holder = passengers[p.infant_of]
                p.checked_in_at = holder.checked_in_at
        seated += sum(1 for p in passengers if p.kind != "IN")
        bookings.append(_booking(rng, created, passengers, dep, group_name))
    _check_in(bookings, dep, rng)
    return FlightPlan(
        departure=dep, bookings=bookings, crew=_crew(dep, rng, day), check_in_close=close
    )


def _booking(
    rng: random.Random,
    created: datetime,
    passengers: list[Passenger],
    dep: Departure,
    group_name: str | None,
) -> Booking:
    agency = rng.choice(_AGENCIES) if rng.random() < 0.55 else None
    cash = agency is not None and rng.random() < 0.55
    card = None
    if not cash:
        card = rng.choice(("VI", "CA", "AX")) + "".join(rng.choices(string.digits, k=16))
    b = Booking(
        locator=locator(rng),
        created=created,
        passengers=passengers,
        agency=agency,
        payment="CA" if cash else "CC",
        card=card,
        group_name=group_name,
    )
    if rng.random() < 0.6:
        b.return_after = rng.choice((3, 5, 7, 10, 14, 21, 30, 60, 90))
    until = dep.departure_utc - created
    if rng.random() < 0.04:
        b.cancelled_at = created + until * rng.uniform(0.2, 0.97)
    if rng.random() < 0.03:
        moved = dep.departure_utc - timedelta(hours=rng.uniform(3, 60))
        if moved > created:
            b.rebooked_at = moved
            b.rebooked_from = dep.departure_local.date() - timedelta(days=rng.choice((1, 2, 7)))
    if len(passengers) > 1 and group_name is None and rng.random() < 0.04:
        b.split_at = dep.departure_utc - timedelta(hours=rng.uniform(3, 70))
        if b.split_at <= created:
            b.split_at = None
        else:
            b.split_locator = locator(rng)
    if rng.random() < 0.08:
        if dep.outbound:
            choices = _ONWARD.get(dep.destination, ("IST",))
        else:
            choices = tuple(a for a in ("ALA", "TAS", "OSS", "FRU") if a != dep.destination)
        b.onward = (rng.choice(choices), f"{dep.carrier}{rng.randrange(100, 2999)}")
    return b


def _check_in(bookings: list[Booking], dep: Departure, rng: random.Random) -> None:
    """Seats, bag tags and transit for everyone who checked in, in booking order."""
    seats = _Seats(dep.seats + 12, rng)
    tag_base = rng.randrange(100000, 900000)
    tag_prefix = TICKET_PREFIX.get(dep.carrier, "999")
    for b in bookings:
        for p in b.passengers:
            if p.checked_in_at is None:
                continue
            if p.kind != "IN":
                p.seat = seats.take()
            for _ in range(p.bags):
                tag_base += 1
                p.bag_tags.append(f"{tag_prefix}{tag_base:06d}")
            if b.onward is not None and not dep.outbound:
                p.transit_to = b.onward[0]


def _crew(dep: Departure, rng: random.Random, day: date) -> list[CrewMember]:
    group_key, nationality = CREW_GROUP.get(dep.carrier, ("european", "GBR"))
    group = GROUPS[group_key]
    cabin = max(2, dep.seats // 50)
    roles = ["captain", "first officer", "purser"] + ["cabin"] * (cabin - 1)
    crew = []
    for i, role in enumerate(roles):
        female = False if i < 2 and rng.random() < 0.9 else rng.random() < 0.7
        person = make_person(
            f"{dep.index:07d}-C{i:02d}",
            group,
            rng,
            on=day,
            age=(24, 58),
            female=female,
            nationality=nationality,
        )
        crew.append(CrewMember(person, role))
    return crew
