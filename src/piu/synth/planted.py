"""Planted cases: people the PIU should find, the lists that name them, and the ground truth.

Why: a synthetic day is only useful for testing a PIU if we know what it should find. The
generator plants, on chosen flights:

* **watchlist persons**: travellers who are on a generated national watchlist under a
  variant of the name in their passport: in their native script (Cyrillic, Arabic, Han),
  in another romanisation (``YUSUPOV`` listed, ``IUSUPOV`` in the passport), with given name
  and surname swapped, or with a typo; with a full or year-only date of birth;
* **namesakes**: travellers who share a listed person's name but not their birth date or
  nationality; a PIU that alerts on them raises a false alarm (they count as ``expect: no
  hit`` in the ground truth, to measure precision);
* **lost or stolen documents**: travellers whose passport number is on a generated
  lost-and-stolen list;
* **travel patterns**: a single young traveller booking a one-way ticket for cash at an
  agency within a day of departure to a hub (the pattern of a targeting rule the PIU
  should run).

Listed persons who never travel fill the watchlist so that it is not a list of answers.
The lists are written in PIU's own CSV formats (``docs/watchlist-formats.md``).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from piu.synth.names import (
    GROUPS,
    NativeName,
    TypedName,
    booking_variant,
    native_full_name,
    passport_name,
    romanise_variant,
    typo,
)
from piu.synth.routes import Departure
from piu.synth.travellers import Booking, Person, _pax, locator, make_person

__all__ = ["SLTD_NAME", "WATCHLIST_NAME", "PlantedCase", "plant", "sltd_csv", "watchlist_csv"]

# The planted travel pattern, in PIU's rule language (docs/rules.md). It uses behaviour
# only, no protected attribute (age, gender, nationality), as the rule checker demands.
PATTERN_RULE = (
    "itinerary.one_way and booking.paid_cash and booking.booked_by_agency"
    " and booking.days_before_departure <= 1 and booking.travellers = 1"
)
WATCHLIST_NAME = "synth-national"
SLTD_NAME = "synth-sltd"

_VARIANTS = ("native_script", "romanisation", "swapped", "typo")
_WATCH_GROUPS = ("kyrgyz", "uzbek", "tajik", "kazakh", "russian", "arabic", "turkish", "chinese")


@dataclass(slots=True)
class PlantedCase:
    """One planted traveller and what the PIU should make of them."""

    case: str
    kind: str  # watchlist, namesake, sltd, pattern
    flight_index: int
    person: Person
    typed: TypedName
    expect_hit: bool
    entry_id: str | None = None
    listed_names: list[str] = field(default_factory=list)
    listed_dob: str | None = None
    variant: str | None = None
    pattern: str | None = None
    booking: Booking | None = None
    flight_key: str | None = None
    passenger_ref: str | None = None
    locator: str | None = None

    def truth(self) -> dict[str, Any]:
        """The ground-truth line for this case."""
        surname, given, middle = passport_name(self.person.name)
        return {
            "type": "planted",
            "case": self.case,
            "kind": self.kind,
            "expect_hit": self.expect_hit,
            "hit_kind": {
                "watchlist": "watchlist",
                "sltd": "document",
                "pattern": "rule",
            }.get(self.kind),
            "watchlist": (
                SLTD_NAME if self.kind == "sltd" else WATCHLIST_NAME if self.entry_id else None
            ),
            "entry_id": self.entry_id,
            "variant": self.variant,
            "pattern": self.pattern,
            "rule": PATTERN_RULE if self.kind == "pattern" else None,
            "listed_names": self.listed_names,
            "listed_dob": self.listed_dob,
            "flight": self.flight_key,
            "passenger_ref": self.passenger_ref,
            "record_locator": self.locator,
            "person": self.person.pid,
            "native_name": native_full_name(self.person.name),
            "passport_name": {"surname": surname, "given": given, "middle": middle},
            "booking_name": {"surname": self.typed.surname, "given": self.typed.given},
            "booking_changes": list(self.typed.changes),
            "date_of_birth": self.person.dob.isoformat(),
            "nationality": self.person.nationality,
            "document": self.person.doc_number,
        }


def _listed_name(name: NativeName, variant: str, rng: random.Random) -> str:
    group = GROUPS[name.group]
    surname, given, middle = passport_name(name)
    if variant == "native_script" and group.script != "latin":
        return native_full_name(name)
    if variant in ("native_script", "romanisation"):
        if group.script == "cyrillic":
            s = romanise_variant(name.surname, rng)
            g = romanise_variant(name.given, rng)
            if (s, g) == (surname, given):  # force a visible difference
                s = s.replace("IU", "YU").replace("IA", "YA").replace("KH", "H").replace("ZH", "J")
            return f"{s} {g}"
        if group.romanised:
            options_s = group.romanised.get(name.surname, (surname,))
            options_g = group.romanised.get(name.given, (given,))
            return f"{options_g[-1]} {options_s[-1]}"
        return f"{given} {surname}"
    if variant == "swapped":
        return f"{given} {surname}" + (f" {middle}" if middle else "")
    return f"{typo(surname, rng)} {given}"


def _dob_text(dob: date, rng: random.Random) -> str:
    return str(dob.year) if rng.random() < 0.3 else dob.isoformat()


def plant(
    seed: int,
    flights: list[Departure],
    *,
    watch: int,
    namesakes: int,
    sltd: int,
    patterns: int,
    filler: int = 60,
) -> tuple[list[PlantedCase], list[dict[str, str]], list[dict[str, str]]]:
    """Cases placed on ``flights`` (chosen at random), the national watchlist rows and the
    lost-and-stolen rows. Deterministic for ``seed``."""
    rng = random.Random(f"{seed}:planted")
    cases: list[PlantedCase] = []
    watch_rows: list[dict[str, str]] = []
    sltd_rows: list[dict[str, str]] = []
    outbound = [f for f in flights if f.outbound] or flights

    def on(dep: Departure) -> date:
        return dep.departure_local.date()

    for i in range(watch):
        dep = rng.choice(flights)
        group = GROUPS[_WATCH_GROUPS[i % len(_WATCH_GROUPS)]]
        person = make_person(f"W{i:04d}", group, rng, on=on(dep), age=(20, 55))
        variant = _VARIANTS[i % len(_VARIANTS)]
        listed = _listed_name(person.name, variant, rng)
        entry = f"SYN-{i + 1:04d}"
        dob = _dob_text(person.dob, rng)
        docs = f"P:{person.doc_number}:{person.nationality}" if rng.random() < 0.3 else ""
        watch_rows.append(
            {
                "id": entry,
                "names": listed,
                "weak_names": "",
                "dob": dob,
                "nationality": person.nationality,
                "gender": person.gender,
                "documents": docs,
                "notes": "synthetic planted case",
            }
        )
        typed = booking_variant(person.name, rng, rate=1.0)
        cases.append(
            PlantedCase(
                case=f"watch-{i + 1}",
                kind="watchlist",
                flight_index=dep.index,
                person=person,
                typed=typed,
                expect_hit=True,
                entry_id=entry,
                listed_names=[listed],
                listed_dob=dob,
                variant=variant,
            )
        )
    for i in range(namesakes):
        if not cases:
            break
        original = cases[i % len(cases)]
        dep = rng.choice(flights)
        p = original.person
        twin = make_person(f"N{i:04d}", GROUPS[p.name.group], rng, on=on(dep), age=(60, 75))
        twin.name = p.name
        twin.female = p.female
        twin.nationality = "DEU" if p.nationality != "DEU" else "FRA"
        cases.append(
            PlantedCase(
                case=f"namesake-{i + 1}",
                kind="namesake",
                flight_index=dep.index,
                person=twin,
                typed=booking_variant(twin.name, rng, rate=0.0),
                expect_hit=False,
                entry_id=original.entry_id,
                listed_names=original.listed_names,
                listed_dob=original.listed_dob,
                variant="namesake",
            )
        )
    for i in range(sltd):
        dep = rng.choice(flights)
        group = GROUPS[rng.choice(("kyrgyz", "uzbek", "russian", "turkish"))]
        person = make_person(f"S{i:04d}", group, rng, on=on(dep))
        sltd_rows.append(
            {
                "number": person.doc_number,
                "type": "P",
                "issuing_state": person.nationality,
                "reported_on": (on(dep) - timedelta(days=rng.randrange(20, 400))).isoformat(),
                "status": rng.choice(("lost", "stolen")),
            }
        )
        cases.append(
            PlantedCase(
                case=f"sltd-{i + 1}",
                kind="sltd",
                flight_index=dep.index,
                person=person,
                typed=booking_variant(person.name, rng),
                expect_hit=True,
                entry_id=f"{person.nationality}:{person.doc_number}",
                variant="document",
            )
        )
    for i in range(patterns):
        dep = rng.choice(outbound)
        group = GROUPS[rng.choice(("kyrgyz", "uzbek", "tajik"))]
        person = make_person(f"T{i:04d}", group, rng, on=on(dep), age=(18, 30), female=False)
        cases.append(
            PlantedCase(
                case=f"pattern-{i + 1}",
                kind="pattern",
                flight_index=dep.index,
                person=person,
                typed=booking_variant(person.name, rng),
                expect_hit=True,
                pattern="one-way ticket paid in cash at an agency less than 24 h before "
                "departure, travelling alone, no checked bags",
            )
        )
    for i in range(filler):
        group = GROUPS[rng.choice(_WATCH_GROUPS)]
        person = make_person(f"F{i:04d}", group, rng, on=date(2026, 1, 1), age=(20, 65))
        watch_rows.append(
            {
                "id": f"SYN-F{i + 1:04d}",
                "names": native_full_name(person.name)
                if rng.random() < 0.5
                else " ".join(passport_name(person.name)[:2]),
                "weak_names": "",
                "dob": person.dob.isoformat(),
                "nationality": person.nationality,
                "gender": person.gender,
                "documents": "",
                "notes": "synthetic",
            }
        )
    rng.shuffle(watch_rows)
    return cases, watch_rows, sltd_rows


def booking_for(case: PlantedCase, dep: Departure, seed: int) -> Booking:
    """The booking that puts ``case`` on ``dep``: checked in, not cancelled, documents given."""
    rng = random.Random(f"{seed}:case:{case.case}")
    hours = rng.uniform(6, 20) if case.kind == "pattern" else rng.uniform(80, 500)
    created = dep.departure_utc - timedelta(hours=hours)
    family, number = case.case.rsplit("-", 1)
    kind = {"watch": 1, "namesake": 2, "sltd": 3, "pattern": 4}.get(family, 0)
    ref = f"{dep.carrier}{dep.index:07d}9{kind}{int(number) % 100:02d}"
    p = _pax(
        case.person, ref, "A", rng, dep, created, dep.carrier, typed=case.typed, no_show_rate=0.0
    )
    p.docs_at = created
    p.corrected_at = None
    p.planted = case.case
    if case.kind == "pattern":
        p.bags = 0
        p.bag_weight = 0.0
    agency = ("Ak-Keme Travel", "FRU", "35213390")
    b = Booking(
        locator=locator(rng),
        created=created,
        passengers=[p],
        agency=agency if case.kind == "pattern" or rng.random() < 0.5 else None,
        payment="CA" if case.kind == "pattern" else "CC",
        card=None if case.kind == "pattern" else "VI" + "".join(rng.choices("0123456789", k=16)),
        planted=case.case,
    )
    case.booking = b
    case.flight_key = dep.key
    case.passenger_ref = ref
    case.locator = b.locator
    return b


_WATCH_FIELDS = ("id", "names", "weak_names", "dob", "nationality", "gender", "documents", "notes")
_SLTD_FIELDS = ("number", "type", "issuing_state", "reported_on", "status")


def _csv(rows: list[dict[str, str]], fields: tuple[str, ...]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def watchlist_csv(rows: list[dict[str, str]]) -> str:
    """The national watchlist in ``piu_national_csv`` form."""
    return _csv(rows, _WATCH_FIELDS)


def sltd_csv(rows: list[dict[str, str]]) -> str:
    """The lost and stolen documents in ``piu_sltd_csv`` form."""
    return _csv(rows, _SLTD_FIELDS)
