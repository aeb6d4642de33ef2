"""PIU's documented CSV for national watchlists (see ``docs/watchlist-formats.md``).

Why a format of our own: national lists (police, intelligence, border guard) come from
in-house databases in no standard shape; this is the one shape PIU asks them to export.
UTF-8, comma-separated, RFC 4180 quoting, a header row with exactly these columns in this
order (``notes`` may be left out)::

    id,names,weak_names,dob,nationality,gender,documents,notes

* ``id``: the entry's key in the source system; required and unique (a re-import is
  diffed by it);
* ``names``: ``|``-separated, any script; at least one of ``names``/``weak_names``;
* ``weak_names``: ``|``-separated nicknames or partial names (count less);
* ``dob``: ``|``-separated; ``1970-03-11``, ``1970-03``, ``1970``, ``1968..1972``,
  ``circa 1970`` (and the other shapes of ``_dates``);
* ``nationality``: ``|``-separated ISO 3166 alpha-3 (alpha-2 and English names accepted);
* ``gender``: ``M``, ``F`` or empty;
* ``documents``: ``|``-separated ``type:number:country`` (type and country may be empty:
  ``P:AB123456:KGZ``, ``:AB123456:``);
* ``notes``: free text for analysts, not screened.

A wrong header, a row with a different number of columns, a missing or repeated id, or a
row without any name refuses the file (line given). An unreadable date, gender or
country is a warning.
"""

from __future__ import annotations

import difflib

from ..model import Document, WatchlistEntry
from ._base import ImportedList, Warnings, clean, decode_text, read_csv_rows, uniq
from ._countries import to_alpha3
from ._dates import parse_dob
from .errors import WatchlistFormatError

__all__ = ["COLUMNS", "FORMAT", "parse", "sniff"]

FORMAT = "piu_national_csv"
COLUMNS = ("id", "names", "weak_names", "dob", "nationality", "gender", "documents", "notes")


def sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    return first.startswith(b"id,names,weak_names,dob,nationality,gender,documents")


def check_header(
    header: list[str], expected: tuple[str, ...], optional: int, source: str | None, line: int
) -> None:
    """Refuse a header that is not ``expected`` (the last ``optional`` columns may be absent)."""
    got = [h.strip().lower() for h in header]
    if tuple(got) in {expected, expected[: len(expected) - optional]}:
        return
    for i, name in enumerate(got):
        if i >= len(expected) or name != expected[i]:
            hint = difflib.get_close_matches(name, expected, n=1)
            did = f": did you mean {hint[0]!r}?" if hint and hint[0] != name else ""
            want = expected[i] if i < len(expected) else "no further column"
            raise WatchlistFormatError(
                f"header column {i + 1} is {name!r}, expected {want!r}{did}",
                source=source,
                line=line,
                column=i + 1,
            )
    raise WatchlistFormatError(
        f"header lacks columns: {', '.join(expected[len(got) :])}", source=source, line=line
    )


def _split(cell: str) -> list[str]:
    return uniq(clean(x) for x in cell.split("|"))


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    rows = [(n, r) for n, r in read_csv_rows(decode_text(data, source), source) if any(r)]
    if not rows:
        raise WatchlistFormatError("empty file (no header row)", source=source, line=1)
    hline, header = rows[0]
    check_header(header, COLUMNS, 1, source, hline)
    ncols = len(header)
    warn = Warnings()
    entries: list[WatchlistEntry] = []
    seen: set[str] = set()
    for line, r in rows[1:]:
        if len(r) != ncols:
            raise WatchlistFormatError(
                f"{len(r)} columns, the header has {ncols}", source=source, line=line
            )
        eid = clean(r[0])
        if not eid:
            raise WatchlistFormatError("id is empty", source=source, line=line, column=1)
        if eid in seen:
            raise WatchlistFormatError(f"id {eid!r} repeated", source=source, line=line, column=1)
        seen.add(eid)
        names, weak = _split(r[1]), _split(r[2])
        if not names and not weak:
            raise WatchlistFormatError(
                "no name in names or weak_names", source=source, line=line, column=2
            )
        e = WatchlistEntry(
            id=eid,
            list_id=list_id,
            names=uniq([*names, *weak]),
            weak_names=[w for w in weak if w not in names],
        )
        for t in _split(r[3]):
            d = parse_dob(t)
            if d is None:
                warn.add(f"dob {t!r} not readable", f"line {line}")
            elif d not in e.dobs:
                e.dobs.append(d)
        for t in _split(r[4]):
            code = to_alpha3(t.upper() if len(t) in (2, 3) else t)
            if code is None:
                warn.add(f"nationality {t!r} not ISO alpha-3, kept as text", f"line {line}")
            e.nationalities.append(code or t)
        g = clean(r[5]).upper()
        if g in ("M", "F"):
            e.gender = g
        elif g:
            warn.add(f"gender {g!r} is not M or F, ignored", f"line {line}")
        for t in _split(r[6]):
            parts = t.split(":")
            if len(parts) != 3 or not parts[1].strip():
                warn.add(f"document {t!r} is not type:number:country", f"line {line}")
                continue
            country = None
            if parts[2].strip():
                country = to_alpha3(parts[2])
                if country is None:
                    warn.add(f"document country {parts[2]!r} not ISO alpha-3", f"line {line}")
            e.documents.append(Document(parts[1].strip(), parts[0].strip() or None, country))
        if ncols > 7 and clean(r[7]):
            e.attributes["notes"] = clean(r[7])
        entries.append(e)
    return ImportedList(FORMAT, source, None, entries, warn.lines())
