"""PIU's documented CSV for lost and stolen travel documents (see
``docs/watchlist-formats.md``).

Why: a PIU checks every traveller's document against the national register of lost,
stolen and revoked documents (and, through it, INTERPOL SLTD). Those registers export
numbers, not people, so entries here are document-only (kind ``"document"``, no names).
UTF-8, comma-separated, a header row with exactly::

    number,type,issuing_state,reported_on,status

* ``number``: the document number as printed (spaces and ``-`` removed, upper case);
* ``type``: ICAO Doc 9303 document code (``P``, ``PD``, ``ID``, ``V`` ...), may be empty;
* ``issuing_state``: ISO 3166 alpha-3 (ICAO codes such as ``D`` for Germany are not
  accepted: use ``DEU``);
* ``reported_on``: ``YYYY-MM-DD``, may be empty;
* ``status``: ``lost``, ``stolen``, ``revoked``, ``invalidated`` or empty.

The entry id is ``{issuing_state}:{number}``; the same number twice from one state
refuses the file. A wrong header or column count refuses the file; an unknown state,
status or date is a warning.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import Document, WatchlistEntry
from ._base import ImportedList, Warnings, clean, decode_text, read_csv_rows
from ._countries import to_alpha3
from .errors import WatchlistFormatError
from .national_csv import check_header

__all__ = ["COLUMNS", "FORMAT", "STATUSES", "parse", "sniff"]

FORMAT = "piu_sltd_csv"
COLUMNS = ("number", "type", "issuing_state", "reported_on", "status")
STATUSES = frozenset({"lost", "stolen", "revoked", "invalidated"})
_NUM = re.compile(r"^[A-Z0-9<]{1,20}$")


def sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    return first.startswith(b"number,type,issuing_state")


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    rows = [(n, r) for n, r in read_csv_rows(decode_text(data, source), source) if any(r)]
    if not rows:
        raise WatchlistFormatError("empty file (no header row)", source=source, line=1)
    check_header(rows[0][1], COLUMNS, 0, source, rows[0][0])
    warn = Warnings()
    entries: list[WatchlistEntry] = []
    seen: set[str] = set()
    for line, r in rows[1:]:
        if len(r) != len(COLUMNS):
            raise WatchlistFormatError(
                f"{len(r)} columns, expected {len(COLUMNS)}", source=source, line=line
            )
        number = re.sub(r"[\s-]", "", r[0]).upper()
        if not _NUM.match(number):
            raise WatchlistFormatError(
                f"document number {r[0]!r} is empty or not letters and digits",
                source=source, line=line, column=1,
            )  # fmt: skip
        state_text = clean(r[2])
        state = to_alpha3(state_text) if state_text else None
        if state_text and state is None:
            warn.add(f"issuing_state {state_text!r} not ISO alpha-3, kept as text", f"line {line}")
        eid = f"{state or state_text or '-'}:{number}"
        if eid in seen:
            raise WatchlistFormatError(f"document {eid} repeated", source=source, line=line)
        seen.add(eid)
        doc = Document(number, clean(r[1]).upper() or None, state or state_text or None)
        e = WatchlistEntry(id=eid, list_id=list_id, names=[], documents=[doc], kind="document")
        reported = clean(r[3])
        if reported:
            try:
                date.fromisoformat(reported)
                e.attributes["reported_on"] = reported
            except ValueError:
                warn.add(f"reported_on {reported!r} is not YYYY-MM-DD", f"line {line}")
        status = clean(r[4]).lower()
        if status:
            if status not in STATUSES:
                warn.add(
                    f"status {status!r} unknown (lost, stolen, revoked, invalidated)",
                    f"line {line}",
                )
            e.attributes["status"] = status
        entries.append(e)
    return ImportedList(FORMAT, source, None, entries, warn.lines())
