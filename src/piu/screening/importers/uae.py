"""UAE Local Terrorist List (القائمة المحلية للإرهاب), CSV with Arabic headers.

Corpus file: ``uae_local_terrorist_list/LS1309232025.csv`` (UAE Executive Office for
Control and Non-Proliferation). Layout: two title rows, then a header row starting with
``#`` and ``التصنيف`` (classification), 19 columns:

``#, التصنيف, الجنسية, اسم العائلة (عربي), اسم العائلة (لاتيني), الاسم الكامل (عربي),
الاسم الكامل (لاتيني), تاريخ الميلاد, مكان الميلاد, الاسم (names known), الشارع, المدينة,
الدولة, النوع (document type), رقم الوثيقة, جهة الإصدار, تاريخ الإصدار, تاريخ الانتهاء,
معلومات أخرى``

``-`` is an empty value. Individuals are rows whose classification is ``شخص إرهابي``
("terrorist person"); other rows are organisations (kind ``entity``). The Latin and the
Arabic full name are two names of one entry, as is the "names known" column; a name in
parentheses there (a kunya, ``(أبوخليل)``) is kept as a weak name. Dates are
``DD-MM-YYYY``, ``DD/MM/YYYY`` or a year. Nationalities are Arabic country names.
Document types ``جواز سفر`` (passport) and ``الرقم الموحد`` (UAE unified number) are kept.
The entry id is ``UAE-`` + the row number ``#``.
"""

from __future__ import annotations

import re

from ..model import Document, WatchlistEntry
from ._base import ImportedList, Warnings, clean, decode_text, read_csv_rows, uniq
from ._countries import countries_in
from ._dates import parse_dobs
from .errors import WatchlistFormatError

__all__ = ["FORMAT", "parse", "sniff"]

FORMAT = "uae_local_csv"
_NCOLS = 19
_PERSON = "شخص إرهابي"
_PAREN = re.compile(r"\(+([^()]*)\)*")


def sniff(head: bytes) -> bool:
    return "قائمة الإرهاب المحلية".encode() in head or "التصنيف".encode() in head[:4096]


def _v(text: str) -> str:
    t = clean(text)
    return "" if t in ("-", "--") else t


def _names(cell: str) -> tuple[list[str], list[str]]:
    """Full name and parenthesised other names (kunya, nom de guerre)."""
    t = _v(cell)
    inner = [clean(x) for x in _PAREN.findall(t) if clean(x)]
    outside = clean(_PAREN.sub(" ", t)).strip("() ")
    return ([outside] if outside else []), inner


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    rows = read_csv_rows(decode_text(data, source), source)
    header_at = next((i for i, (_, r) in enumerate(rows[:10]) if r and r[0].strip() == "#"), None)
    if header_at is None:
        raise WatchlistFormatError(
            "no header row starting with '#' in the first 10 rows: not the UAE local list",
            source=source,
            line=1,
        )
    warn = Warnings()
    entries: list[WatchlistEntry] = []
    seen: set[str] = set()
    for line, r in rows[header_at + 1 :]:
        if not any(c.strip() for c in r):
            continue
        if len(r) != _NCOLS:
            raise WatchlistFormatError(
                f"{len(r)} columns, expected {_NCOLS}", source=source, line=line
            )
        num = _v(r[0])
        if not num:
            raise WatchlistFormatError(
                "row without a number in '#'", source=source, line=line, column=1
            )
        eid = f"UAE-{num}"
        if eid in seen:
            warn.add("row number repeated; later row ignored", f"line {line}")
            continue
        seen.add(eid)
        kind = "person" if _v(r[1]) == _PERSON else "entity"
        strong: list[str] = []
        weak: list[str] = []
        for col in (6, 5, 9):
            main, extra = _names(r[col])
            strong += main
            weak += extra
        strong = uniq(strong)
        weak = [w for w in uniq(weak) if w not in strong]
        if not strong and not weak:
            warn.add("row without a name skipped", f"line {line}")
            continue
        e = WatchlistEntry(id=eid, list_id=list_id, names=[*strong, *weak], kind=kind)
        e.weak_names = weak
        if _v(r[1]):
            e.attributes["category"] = _v(r[1])
        if kind == "person":
            dobs, bad = parse_dobs(_v(r[7]))
            e.dobs = dobs
            for b in bad:
                warn.add(f"date of birth {b!r} not readable", eid)
            if _v(r[2]):
                codes, unknown = countries_in(_v(r[2]))
                e.nationalities = uniq([*codes, *unknown])
                for u in unknown:
                    warn.add(f"nationality {u!r} not mapped to ISO alpha-3, kept as text", eid)
            number = _v(r[14])
            if number:
                found, _ = countries_in(_v(r[15])) if _v(r[15]) else ([], [])
                e.documents.append(Document(number, _v(r[13]) or None, found[0] if found else None))
        entries.append(e)
    return ImportedList(FORMAT, source, None, entries, warn.lines())
