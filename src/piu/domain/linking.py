"""Linking a PNR traveller to the API traveller of the same flight (or to none).

A person on a flight appears twice: in the carrier's booking (PNR, names as an agent typed
them, often without date of birth) and in the API list (names from the passport). The PIU
must see one traveller with two sources, and must never fold two different people into one.
Evidence, strongest first, each with the confidence recorded on the link:

==============  ==========  ==============================================================
method          confidence  when
==============  ==========  ==============================================================
locator+name    1.00        same record locator, same surname and given names
locator+name    0.99        same record locator, names equal up to transliteration
                            (IUSUPOV / YUSUPOV, DZHUMABAEV / ZHUMABAEV: screening's keys)
name+dob        0.98        same surname and given names, same date of birth
document        0.97        a document number in common (names may be spelt differently)
fuzzy-name      < 0.90      names alike (token-sorted similarity >= 88%), nothing contradicts
==============  ==========  ==============================================================

Contradictions veto any link: two known dates of birth that differ, two known genders that
differ, or document numbers on both sides with none in common. A link is only made when it
is unambiguous: if a PNR traveller fits two API travellers equally well (namesakes with
nothing else to tell them apart), or two PNR travellers fit one API traveller equally
well, none of them is linked; two records of one person are safer than one record of two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from piu.screening.keys import fold_key
from piu.screening.names import PLACEHOLDERS

__all__ = ["Link", "Person", "link", "normalise_given", "normalise_name", "without_titles"]

# Titles that booking systems append to given names ("NINA MS", "JOHN MR").
_TITLES = {
    "MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "REV", "SIR", "INF", "CHD",
    "MRMRS", "MISTER", "MME", "MLLE",
}  # fmt: skip
_NON_LETTERS = re.compile(r"[^A-Z ]+")


def normalise_name(value: str | None) -> str:
    """Upper case, letters only, single spaces (apostrophes and hyphens split words)."""
    text = _NON_LETTERS.sub(" ", (value or "").upper())
    return " ".join(text.split())


def without_titles(given_names: str | None) -> str | None:
    """Given names as booked without the titles booking systems append (``"NURLAN MR"``
    -> ``"NURLAN"``), in whatever script they are written; None stays None."""
    if given_names is None:
        return None
    words = given_names.split()
    while words and _NON_LETTERS.sub("", words[-1].upper()) in _TITLES:
        words.pop()
    return " ".join(words)


def _known(words: str) -> str:
    return " ".join(w for w in words.split() if w not in PLACEHOLDERS)


def normalise_given(value: str | None) -> str:
    """Given names without trailing titles: ``"NINA MS"`` -> ``"NINA"``."""
    return without_titles(normalise_name(value)) or ""


@dataclass(slots=True)
class Person:
    """What linking compares, from either side."""

    surname: str
    given_names: str | None = None
    date_of_birth: date | None = None
    gender: str | None = None
    documents: set[str] = field(default_factory=set)
    record_locator: str | None = None

    def key(self) -> tuple[str, str]:
        """(surname, given names) normalised, without the placeholders forms write for a
        name not known (FNU, LNU, UNK: :data:`~piu.screening.names.PLACEHOLDERS`). A person
        with one name (SUKARNO) is SUKARNO/FNU on a US visa, LNU/SUKARNO on another
        system and SUKARNO with no given name on a passport: once the placeholder is
        gone, the one name is the surname on every side."""
        surname = _known(normalise_name(self.surname))
        given = _known(normalise_given(self.given_names))
        return (surname, given) if surname else (given, "")


@dataclass(frozen=True, slots=True)
class Link:
    pnr_index: int
    api_index: int
    method: str
    confidence: float


def _doc_set(documents: set[str]) -> frozenset[str]:
    return frozenset("".join(ch for ch in d.upper() if ch.isalnum()) for d in documents if d)


def _folded(text: str) -> str:
    return " ".join(fold_key(word) for word in text.split())


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A person's comparable forms, computed once per linking run."""

    person: Person
    key: tuple[str, str]
    folded: tuple[str, str]  # the key with each word folded (transliteration variants)
    docs: frozenset[str]
    joined: str

    @classmethod
    def of(cls, person: Person) -> _Prepared:
        key = person.key()
        folded = (_folded(key[0]), _folded(key[1]))
        return cls(person, key, folded, _doc_set(person.documents), " ".join(key))


def _contradicts(p: _Prepared, a: _Prepared) -> bool:
    pp, ap = p.person, a.person
    if pp.date_of_birth and ap.date_of_birth and pp.date_of_birth != ap.date_of_birth:
        return True
    if pp.gender in ("M", "F") and ap.gender in ("M", "F") and pp.gender != ap.gender:
        return True
    return bool(p.docs and a.docs and not (p.docs & a.docs))


def _names_equal(p: tuple[str, str], a: tuple[str, str]) -> bool:
    if p[0] != a[0]:
        return False
    if not p[1] or not a[1]:
        return True  # a booking with an initial-less or empty given name
    return p[1] == a[1] or p[1].startswith(a[1] + " ") or a[1].startswith(p[1] + " ")


def _evidence(p: _Prepared, a: _Prepared) -> tuple[str, float] | None:
    if _contradicts(p, a):
        return None
    pp, ap = p.person, a.person
    same_names = _names_equal(p.key, a.key)
    same_locator = bool(pp.record_locator) and pp.record_locator == ap.record_locator
    if same_locator and same_names:
        return "locator+name", 1.0
    if same_locator and _names_equal(p.folded, a.folded):
        return "locator+name", 0.99
    if same_names and pp.date_of_birth and pp.date_of_birth == ap.date_of_birth:
        return "name+dob", 0.98
    if p.docs & a.docs:
        return "document", 0.97
    ratio = fuzz.token_sort_ratio(p.joined, a.joined, score_cutoff=88)
    if ratio:
        bonus = 1.0 if same_locator else 0.95
        return "fuzzy-name", round(min(0.9, ratio / 100 * 0.9 * bonus), 3)
    return None


def evidence(p: Person, a: Person) -> tuple[str, float] | None:
    """The best evidence that ``p`` (PNR) and ``a`` (API) are one person, or None."""
    return _evidence(_Prepared.of(p), _Prepared.of(a))


def link(pnr: Sequence[Person], api: Sequence[Person]) -> list[Link]:
    """Unambiguous one-to-one links between PNR and API travellers of one flight."""
    scored: list[Link] = []
    prepared_api = [_Prepared.of(a) for a in api]
    for i, person in enumerate(pnr):
        p = _Prepared.of(person)
        for j, a in enumerate(prepared_api):
            found = _evidence(p, a)
            if found is not None:
                scored.append(Link(i, j, found[0], found[1]))
    best_for_pnr: dict[int, list[Link]] = {}
    best_for_api: dict[int, list[Link]] = {}
    for lk in scored:
        best_for_pnr.setdefault(lk.pnr_index, []).append(lk)
        best_for_api.setdefault(lk.api_index, []).append(lk)

    def ambiguous(options: list[Link], chosen: Link) -> bool:
        return sum(1 for o in options if o.confidence == chosen.confidence) > 1

    links: list[Link] = []
    used_pnr: set[int] = set()
    used_api: set[int] = set()
    for lk in sorted(scored, key=lambda x: -x.confidence):
        if lk.pnr_index in used_pnr or lk.api_index in used_api:
            continue
        if ambiguous(best_for_pnr[lk.pnr_index], lk) or ambiguous(best_for_api[lk.api_index], lk):
            used_pnr.add(lk.pnr_index)  # leave both unlinked rather than guess
            continue
        links.append(lk)
        used_pnr.add(lk.pnr_index)
        used_api.add(lk.api_index)
    return links
