"""US OFAC SDN list, legacy CSV: ``sdn.csv`` + ``alt.csv`` + ``add.csv``.

Format (OFAC "SDN.CSV / ALT.CSV / ADD.CSV" data specification, dat_spec.txt): headerless,
comma-separated, double-quoted text, ``-0-`` (often ``-0- `` with a space) for an empty
field, CRLF lines and a DOS end-of-file byte ``\\x1a`` at the end.

* ``sdn.csv``, 12 columns: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
  Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks. SDN_Type is ``individual``,
  ``vessel``, ``aircraft`` or empty (an entity).
* ``alt.csv``, 5 columns: ent_num, alt_num, alt_type (``aka``, ``fka``, ``nka``),
  alt_name, alt_remarks.
* ``add.csv``, 6 columns: ent_num, add_num, address, city/state/postal code, country,
  add_remarks. Addresses are not screened; the file is checked for shape only.

Individuals' names are printed ``LAST, First`` and are turned into ``First LAST``. Facts
about a person are only in the free-text Remarks, as ``;``-separated items: ``DOB 19 Jun
1951``, ``alt. DOB 1971``, ``DOB circa 1970``, ``DOB 1960 to 1962``, ``POB ...``,
``nationality Iran``, ``citizen Mexico``, ``Gender Male``, ``Passport A123 (Iran)``,
``National ID No. 123 (Syria)``. Quoted nicknames ``a.k.a. 'ABU ALI'`` in the remarks are
weak names (OFAC's own "weak aka" category in the XML).

Decision: ``sdn.csv`` is required. ALT and ADD rows only carry an ent_num; without
``sdn.csv`` nobody can tell a person from a company or a vessel, nor give the entry a
primary name, so a folder with only ``alt.csv``/``add.csv`` (the 2026 snapshot in the
corpus) is refused with an error naming the missing file. :func:`parse_alt` still reads
such an ``alt.csv`` on its own, for checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Document, WatchlistEntry
from ._base import ImportedList, Warnings, decode_text, read_csv_rows, read_source, uniq
from ._countries import countries_in
from ._dates import parse_dob
from .errors import WatchlistFormatError

__all__ = [
    "FORMAT",
    "AltName",
    "load_folder",
    "parse",
    "parse_alt",
    "parse_document",
    "parse_files",
    "person_name",
    "split_remarks",
]

FORMAT = "ofac_sdn_csv"
_SDN_COLS, _ALT_COLS, _ADD_COLS = 12, 5, 6


def _null(v: str) -> str:
    v = v.strip()
    return "" if v == "-0-" else v


def _rows(data: bytes, name: str, ncols: int) -> list[tuple[int, list[str]]]:
    rows = read_csv_rows(decode_text(data, name), name)
    out = []
    for line, row in rows:
        if not row or row == [""]:
            continue
        if len(row) != ncols:
            raise WatchlistFormatError(
                f"{len(row)} columns, expected {ncols}", source=name, line=line
            )
        if not row[0].strip().isdigit():
            raise WatchlistFormatError(
                f"ent_num {row[0]!r} is not a number", source=name, line=line, column=1
            )
        out.append((line, [_null(v) for v in row]))
    return out


@dataclass(frozen=True, slots=True)
class AltName:
    """One ALT.CSV row."""

    ent_num: str
    alt_num: str
    alt_type: str
    name: str
    remarks: str


def parse_alt(data: bytes, source: str | None = "alt.csv") -> list[AltName]:
    """The rows of an ``alt.csv`` on its own (refused like ``parse`` if malformed)."""
    return [
        AltName(r[0], r[1], r[2].lower(), r[3], r[4])
        for _, r in _rows(data, source or "alt.csv", _ALT_COLS)
    ]


def person_name(sdn_name: str) -> str:
    """``"AL ZAWAHIRI, Dr. Ayman"`` -> ``"Dr. Ayman AL ZAWAHIRI"``; no comma: unchanged."""
    last, sep, first = sdn_name.partition(",")
    if not sep or not first.strip():
        return sdn_name.strip()
    return f"{first.strip()} {last.strip()}"


_AKA = re.compile(r"a\.k\.a\.,?\s*'([^']+)'", re.I)
_DOC_HEAD = re.compile(
    r"^(?P<type>[\w. ]*?(?:Passport|National ID No\.?))(?:\s+No\.?)?:?\s+(?P<rest>.+)$", re.I
)
_DOC_TAIL = re.compile(r"\s+(?:expires|issued|issue date)\b.*$", re.I)
_DOC_PAREN = re.compile(r"^(?P<num>.+?)\s*\((?P<c>[^()]*)\)$")
_DOC_COMMA = re.compile(r"^(?P<num>[^,]+),\s*(?P<c>[^,]+)$")


def parse_document(item: str) -> Document | None:
    """``Passport A123 (Iran)``, ``National ID No. D489833(9) (Hong Kong)``,
    ``Passport No.: 0310857, Eritrea``; ``None`` if no number can be found."""
    m = _DOC_HEAD.match(item.strip())
    if not m:
        return None
    rest = _DOC_TAIL.sub("", m["rest"]).strip()
    number, country = rest, None
    for rx in (_DOC_PAREN, _DOC_COMMA):
        mm = rx.match(rest)
        if mm:
            found, _ = countries_in(mm["c"])
            if found:
                number, country = mm["num"].strip(), found[0]
                break
    if not any(ch.isdigit() for ch in number) or len(number) > 40:
        return None
    return Document(number, m["type"].strip(), country)


def split_remarks(remarks: str) -> list[str]:
    """The ``;``-separated items of a Remarks field, trimmed, trailing dot removed."""
    return [p.strip().rstrip(".").strip() for p in remarks.split(";") if p.strip()]


def _person_facts(entry: WatchlistEntry, remarks: str, warn: Warnings) -> None:
    where = entry.id
    for item in split_remarks(remarks):
        low = item.lower()
        if low.startswith("alt. "):
            low, item = low[5:], item[5:]
        if low.startswith("dob "):
            d = parse_dob(item[4:])
            if d is None:
                warn.add(f"DOB {item[4:]!r} not readable", where)
            elif d not in entry.dobs:
                entry.dobs.append(d)
        elif low.startswith(("nationality ", "citizen ")):
            text = item.split(" ", 1)[1]
            found, unknown = countries_in(text)
            entry.nationalities.extend(c for c in found if c not in entry.nationalities)
            for u in unknown:
                warn.add(f"nationality {u!r} not mapped to ISO alpha-3, kept as text", where)
                entry.nationalities.append(u)
        elif low.startswith("gender "):
            entry.gender = {"male": "M", "female": "F"}.get(low[7:].strip(), entry.gender)
        elif "passport" in low or low.startswith("national id no."):
            doc = parse_document(item)
            if doc is None:
                warn.add(f"document {item!r} not readable", where)
            elif doc not in entry.documents:
                entry.documents.append(doc)
    entry.weak_names = uniq([*entry.weak_names, *(a.strip() for a in _AKA.findall(remarks))])
    entry.names = uniq([*entry.names, *entry.weak_names])


def parse_files(
    sdn: bytes | None,
    alt: bytes | None = None,
    add: bytes | None = None,
    *,
    source: str | None = None,
    list_id: str = "",
) -> ImportedList:
    """Import the triple; ``alt``/``add`` may be absent (primary-only snapshots)."""
    if sdn is None:
        raise WatchlistFormatError(
            "sdn.csv is missing: alt.csv and add.csv only refer to SDN entries by ent_num "
            "and cannot be imported without it",
            source=source,
        )
    warn = Warnings()
    entries: dict[str, WatchlistEntry] = {}
    for line, r in _rows(sdn, "sdn.csv", _SDN_COLS):
        ent, name, sdn_type, program = r[0], r[1], r[2].lower(), r[3]
        if ent in entries:
            raise WatchlistFormatError(f"ent_num {ent} repeated", source="sdn.csv", line=line)
        if not name:
            raise WatchlistFormatError("SDN_Name is empty", source="sdn.csv", line=line, column=2)
        kind = {"individual": "person", "": "entity"}.get(sdn_type, sdn_type)
        e = WatchlistEntry(
            id=ent,
            list_id=list_id,
            names=[person_name(name) if kind == "person" else name],
            kind=kind,
        )
        if program:
            e.attributes["program"] = program
        if kind == "person":
            _person_facts(e, r[11], warn)
        entries[ent] = e
    if alt is not None:
        for a in parse_alt(alt):
            owner = entries.get(a.ent_num)
            if owner is None:
                warn.add("alt.csv row for an ent_num not in sdn.csv", f"alt_num {a.alt_num}")
                continue
            if not a.name:
                continue
            name = person_name(a.name) if owner.kind == "person" else a.name
            if name not in owner.names:
                owner.names.append(name)
    if add is not None:
        for line, r in _rows(add, "add.csv", _ADD_COLS):
            if r[0] not in entries:
                warn.add("add.csv row for an ent_num not in sdn.csv", f"line {line}")
    return ImportedList(FORMAT, source, None, list(entries.values()), warn.lines())


def load_folder(path: str | Path, *, list_id: str = "") -> ImportedList:
    """A folder holding ``sdn.csv`` and optionally ``alt.csv`` and ``add.csv``."""
    p = Path(path)
    folder = p if p.is_dir() else p.parent

    def get(name: str) -> bytes | None:
        f = next((c for c in folder.iterdir() if c.name.lower() == name), None)
        return read_source(f)[0] if f is not None else None

    return parse_files(
        get("sdn.csv"), get("alt.csv"), get("add.csv"), source=str(folder), list_id=list_id
    )


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    """``sdn.csv`` bytes alone (no ALT/ADD)."""
    return parse_files(data, source=source, list_id=list_id)
