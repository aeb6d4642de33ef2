"""What changed between two versions of a list, keyed by entry id.

Why: re-importing a list must say what it changes (issue 5: "re-importing a list applies
the difference ... and says what changed"), and re-screening of recent travellers is
needed only for added or changed entries. Pure: two lists of entries in, a ListDiff out.

Fields are compared as sets where the list order carries no meaning (names, weak names,
dates of birth, nationalities, documents), so a list that only reorders aliases does not
produce a change. ``attributes`` are compared key by key and reported as
``attributes.<key>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import WatchlistEntry

__all__ = ["COMPARED_FIELDS", "Change", "ListDiff", "diff"]

COMPARED_FIELDS = ("names", "weak_names", "dobs", "nationalities", "gender", "documents", "kind")
_AS_SET = {"names", "weak_names", "dobs", "nationalities", "documents"}


@dataclass(slots=True)
class Change:
    """One entry present in both versions whose compared fields differ."""

    old: WatchlistEntry
    new: WatchlistEntry
    fields: list[str]

    @property
    def id(self) -> str:
        return self.new.id


@dataclass(slots=True)
class ListDiff:
    added: list[WatchlistEntry] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[WatchlistEntry] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed, {self.unchanged} unchanged"
        )

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def changed_fields(old: WatchlistEntry, new: WatchlistEntry) -> list[str]:
    """The names of the fields that differ, in ``COMPARED_FIELDS`` order."""
    out = []
    for f in COMPARED_FIELDS:
        a, b = getattr(old, f), getattr(new, f)
        if f in _AS_SET:
            if set(a) != set(b):
                out.append(f)
        elif a != b:
            out.append(f)
    for k in sorted(old.attributes.keys() | new.attributes.keys()):
        if old.attributes.get(k) != new.attributes.get(k):
            out.append(f"attributes.{k}")
    return out


def _by_id(entries: Iterable[WatchlistEntry], which: str) -> dict[str, WatchlistEntry]:
    out: dict[str, WatchlistEntry] = {}
    for e in entries:
        if e.id in out:
            raise ValueError(f"entry id {e.id!r} occurs twice in the {which} list")
        out[e.id] = e
    return out


def diff(old: Iterable[WatchlistEntry], new: Iterable[WatchlistEntry]) -> ListDiff:
    """Added, changed (with fields) and removed entries; order follows ``new``/``old``.

    Entry ids must be unique within each list (importers guarantee it); a repeated id is
    a programming error and raises ``ValueError``.
    """
    before, after = _by_id(old, "old"), _by_id(new, "new")
    result = ListDiff()
    for eid, e in after.items():
        prev = before.get(eid)
        if prev is None:
            result.added.append(e)
            continue
        fields = changed_fields(prev, e)
        if fields:
            result.changed.append(Change(prev, e, fields))
        else:
            result.unchanged += 1
    result.removed = [e for eid, e in before.items() if eid not in after]
    return result
