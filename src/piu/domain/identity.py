"""When are two list entries the same traveller on the same flight?

Carriers send several lists per flight (the first at check-in close, changes, crew lists,
the closing list). Each must update the travellers already known, not add copies, and must
never fold two different people into one. The rules, strongest first:

1. The carrier's unique passenger reference (RFF+ABO) is the same.
2. Name and date of birth agree, and the documents do not contradict (both sides have
   document numbers and none is shared means two people, e.g. namesakes born the same day).

Anything else is a new traveller. Names are compared after trimming and upper-casing only:
fuzzy matching belongs to screening, not to identity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = ["KnownTraveller", "match_key", "name_key", "same_person"]


def _norm(value: str | None) -> str:
    return " ".join((value or "").upper().split())


def name_key(surname: str, given_names: str | None, date_of_birth: date | None, crew: bool) -> str:
    dob = date_of_birth.isoformat() if date_of_birth else ""
    return f"{'C' if crew else 'P'}|{_norm(surname)}|{_norm(given_names)}|{dob}"


@dataclass(slots=True)
class KnownTraveller:
    """What identity needs to know of a stored traveller."""

    id: int
    crew: bool
    passenger_ref: str | None
    name_key: str
    documents: set[str]


def same_person(
    known: KnownTraveller,
    *,
    crew: bool,
    passenger_ref: str | None,
    key: str,
    documents: Iterable[str],
) -> bool:
    if known.crew != crew:
        return False
    if passenger_ref and known.passenger_ref:
        return _norm(passenger_ref) == _norm(known.passenger_ref)
    if known.name_key != key:
        return False
    docs = {_norm(d) for d in documents if d}
    return not (docs and known.documents and not (docs & known.documents))


def match_key(passenger_ref: str | None, key: str, documents: Iterable[str]) -> str:
    """The value stored in ``travellers.match_key`` (unique per flight)."""
    if passenger_ref:
        return f"ref|{'C' if key.startswith('C') else 'P'}|{_norm(passenger_ref)}"[:255]
    docs = sorted({_norm(d) for d in documents if d})
    return f"{key}|{docs[0] if docs else ''}"[:255]
