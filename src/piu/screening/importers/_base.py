"""What every importer returns, and the small helpers they share.

Importers are pure: bytes in, :class:`ImportedList` out. They never touch the database;
``store``/``cli`` decide what to do with the result (e.g. apply :func:`diff`). A fault in
one entry does not refuse the file: it becomes a warning, and warnings of the same kind are
folded into one line with a count so that a 20,000-row list cannot bury the reader.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..model import WatchlistEntry
from .errors import WatchlistFormatError

__all__ = ["ImportedList", "Warnings", "clean", "decode_text", "read_csv_rows", "uniq"]

#: A file larger than this is refused before parsing (the largest real list in the
#: corpus, the EU Russia annex, is 2.9 MB; the full OFAC sdn_advanced.xml is about 100 MB).
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(slots=True)
class ImportedList:
    """The entries read from one list file (or folder), with what was odd about them.

    ``format`` is the registry key of the importer, ``generated_at`` the publication time
    the file states (``None`` if it states none: OFAC CSV, EU CSV, UAE, Canada).
    """

    format: str
    source_path: str | None
    generated_at: datetime | None
    entries: list[WatchlistEntry]
    warnings: list[str] = field(default_factory=list)

    @property
    def persons(self) -> list[WatchlistEntry]:
        """Only the entries that are people (what travellers are screened against)."""
        return [e for e in self.entries if e.kind == "person"]

    def count_by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries:
            out[e.kind] = out.get(e.kind, 0) + 1
        return out


class Warnings:
    """Collects per-entry warnings, folding repeats of one kind into a counted line."""

    def __init__(self) -> None:
        self._seen: dict[str, list[str]] = {}

    def add(self, kind: str, where: str) -> None:
        """``kind`` says what went wrong (same text for the same fault), ``where`` the entry."""
        self._seen.setdefault(kind, []).append(where)

    def lines(self) -> list[str]:
        out = []
        for kind, places in self._seen.items():
            if len(places) == 1:
                out.append(f"{places[0]}: {kind}")
            else:
                shown = ", ".join(places[:3])
                more = f" and {len(places) - 3} more" if len(places) > 3 else ""
                out.append(f"{kind} ({len(places)} entries: {shown}{more})")
        return out


_WS = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """NFC, no-break spaces and line breaks folded to one space, trimmed."""
    if not text:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def uniq(items: Iterable[str]) -> list[str]:
    """Keep the first of each value, drop empties, keep order."""
    return [x for x in dict.fromkeys(i for i in items if i)]


def read_source(source: str | Path | bytes) -> tuple[bytes, str | None]:
    """The bytes of a file (refused if too large) and its name for messages."""
    if isinstance(source, bytes):
        data, name = source, None
    else:
        p = Path(source)
        if p.stat().st_size > MAX_FILE_BYTES:
            raise WatchlistFormatError(f"file is larger than {MAX_FILE_BYTES} bytes", source=str(p))
        data, name = p.read_bytes(), str(p)
    if len(data) > MAX_FILE_BYTES:
        raise WatchlistFormatError(f"input is larger than {MAX_FILE_BYTES} bytes", source=name)
    return data, name


def decode_text(data: bytes, source: str | None) -> str:
    """UTF-8 (with or without BOM), else refused; the DOS end-of-file mark is dropped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        # OFAC's legacy CSVs are documented as ASCII but older copies are Latin-1.
        if b"\x00" in data:
            raise WatchlistFormatError(
                "binary data, not a text list", source=source, line=line
            ) from None
        text = data.decode("latin-1")
    return text.rstrip("\x1a\r\n ")


def read_csv_rows(text: str, source: str | None) -> list[tuple[int, list[str]]]:
    """All CSV records with the physical line each starts on; a bad quote is refused."""
    buf = io.StringIO(text, newline="")
    reader = csv.reader(buf, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise WatchlistFormatError(
            f"not valid CSV: {exc}", source=source, line=reader.line_num or line
        ) from None
    return rows
