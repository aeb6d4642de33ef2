"""EU sanctions annexes as CSV, one file per framework act (a folder is one list).

Format: OpenSanctions "EU Journal sanctions CSV format" (``FORMAT.md`` beside the corpus
folder ``eu_journal_sanctions_opensanctions/consolidated/``): UTF-8, a fixed header row,
one designated entity per row per legal context. Consolidated files start with
``celex,recordId,programKey,annex,...``; amendment files with
``amendedCelex,amendmentCelex,recordId,...``; both are read by column name.

Rules:

* ``schema`` ``Person`` -> kind ``person``; ``Vessel`` -> ``vessel``; every other schema
  (``LegalEntity``, ``Organization``, ``Company``, ``Asset``) -> ``entity``;
* every entity column except ``name`` is multi-valued, ``;``-separated with CSV quoting
  inside the cell (FORMAT.md "Values and multiplicity"): read with a ``;`` CSV reader;
* names: ``name``, ``alias`` ("a.k.a.", "Good quality a.k.a."), ``previousName``
  ("f.k.a.") as names; ``weakAlias`` ("Low quality a.k.a.") as weak names; parenthesised
  renditions in another script (``(Russian spelling: Кирсанова)``) become names too;
* ``birthDate`` is free text (``4 Apr. 1944``, ``28.2.1970``, ``Approximately 1952``,
  ``(a) 1.2.1970, (b) 1971``); ``nationality`` is printed wording ("Russian", "DPRK");
  ``passportNumber`` is prose with the number in it; ``gender`` ``male``/``female``;
* entry id: ``{celex}:{annex}:{recordId}`` (``recordId`` numbering restarts per annex);
  a row without a ``recordId`` gets ``{celex}:{annex}:line{N}``. Rows repeating an id with
  the same ``name`` (another program or measure) are merged; the ``programKey`` values
  are joined in the ``program`` attribute.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..model import Document, WatchlistEntry
from ._base import ImportedList, Warnings, clean, decode_text, read_csv_rows, read_source, uniq
from ._countries import countries_in
from ._dates import parse_dobs
from ._names import split_names
from .errors import WatchlistFormatError

__all__ = ["FORMAT", "load_folder", "parse", "parse_files", "sniff"]

FORMAT = "eu_journal_csv"
_REQUIRED = ("recordId", "programKey", "annex", "schema", "name", "alias", "weakAlias",
             "previousName", "nationality", "birthDate", "passportNumber", "gender")  # fmt: skip


def sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return first.startswith((b"celex,recordId,", b"amendedCelex,amendmentCelex,"))


def _values(cell: str) -> list[str]:
    """A multi-valued cell: ``"Foo; Bar"; Baz`` -> ``['Foo; Bar', 'Baz']``."""
    if not cell:
        return []
    if '"' not in cell:
        return [v.strip() for v in cell.split(";") if v.strip()]
    try:
        row = next(csv.reader([cell], delimiter=";", skipinitialspace=True))
    except (csv.Error, StopIteration):
        return [v.strip() for v in cell.split(";") if v.strip()]
    return [v.strip() for v in row if v.strip()]


_NUMBER = re.compile(r"(?<![\w.])([A-Z]{0,3}\d[A-Z0-9-]{3,}|[A-Z]{1,3}\s?\d{5,})(?![\w.])")
_ITEM = re.compile(r"\(\s*[a-z]\s*\)")


def _passports(cell: str) -> list[Document]:
    docs: list[Document] = []
    for value in _values(cell):
        for item in _ITEM.split(value):
            item = item.strip(" ,;")
            m = _NUMBER.search(item)
            if not m:
                continue
            country = None
            for inner in re.findall(r"\(([^()]*)", item):
                found, _ = countries_in(inner.split(",")[0].split(" number")[0])
                if found:
                    country = found[0]
                    break
            if country is None:
                prefix = item[: m.start()].replace("number", "").strip(" :,")
                found, _ = countries_in(prefix) if prefix else ([], [])
                country = found[0] if found else None
            doc = Document(m.group(1).replace(" ", ""), "Passport", country)
            if doc not in docs:
                docs.append(doc)
    return docs


def _kind(schema: str) -> str:
    return {"Person": "person", "Vessel": "vessel"}.get(schema, "entity")


def _read_file(data: bytes, name: str, entries: dict[str, WatchlistEntry], warn: Warnings) -> None:
    rows = read_csv_rows(decode_text(data, name), name)
    if not rows:
        raise WatchlistFormatError("empty file (no header row)", source=name, line=1)
    header_line, header = rows[0]
    missing = [c for c in _REQUIRED if c not in header]
    if missing or not ({"celex", "amendedCelex"} & set(header)):
        raise WatchlistFormatError(
            f"not an EU journal sanctions CSV: header lacks {', '.join(missing) or 'celex'}",
            source=name,
            line=header_line,
        )
    col = {c: i for i, c in enumerate(header)}
    celex_col = col.get("celex", col.get("amendedCelex"))
    assert celex_col is not None
    for line, row in rows[1:]:
        if row == [] or row == [""]:
            continue
        if len(row) != len(header):
            raise WatchlistFormatError(
                f"{len(row)} columns, the header has {len(header)}", source=name, line=line
            )

        def get(c: str, row: list[str] = row) -> str:
            return row[col[c]].strip() if c in col else ""

        kind = _kind(get("schema"))
        primary = clean(get("name"))
        if not primary:
            raise WatchlistFormatError(
                "name is empty", source=name, line=line, column=col["name"] + 1
            )
        rid = get("recordId") or f"line{line}"
        key = f"{row[celex_col].strip()}:{get('annex') or '-'}:{rid}"
        where = f"{Path(name).name} line {line}"
        e = entries.get(key)
        if e is not None and e.names[0] != split_names(primary)[0]:
            warn.add("recordId repeated with another name; kept apart", where)
            key = f"{key}:line{line}"
            e = None
        if e is None:
            e = WatchlistEntry(id=key, list_id="", names=[], kind=kind)
            entries[key] = e
        names = split_names(primary) or [primary]
        for c in ("alias", "previousName"):
            for v in _values(get(c)):
                names += split_names(v, split_or=True)
        weak: list[str] = []
        for v in _values(get("weakAlias")):
            weak += split_names(v)
        e.names = uniq([*e.names, *names, *weak])
        e.weak_names = uniq([*e.weak_names, *(w for w in weak if w not in names)])
        prog = get("programKey")
        if prog and prog not in e.attributes.get("program", "").split("; "):
            e.attributes["program"] = "; ".join(x for x in (e.attributes.get("program"), prog) if x)
        if get("startDate") and "listed_on" not in e.attributes:
            e.attributes["listed_on"] = get("startDate")
        if kind != "person":
            continue
        for v in _values(get("birthDate")):
            found, bad = parse_dobs(v)
            e.dobs.extend(d for d in found if d not in e.dobs)
            for b in bad:
                warn.add(f"birthDate {b!r} not readable", where)
        for v in _values(get("nationality")):
            codes, unknown = countries_in(v)
            e.nationalities = uniq([*e.nationalities, *codes, *unknown])
            for u in unknown:
                warn.add(f"nationality {u[:60]!r} not mapped to ISO alpha-3, kept as text", where)
        for d in _passports(get("passportNumber")):
            if d not in e.documents:
                e.documents.append(d)
        g = get("gender").lower().strip(". ")
        if g in ("male", "female"):
            e.gender = g[0].upper()


def parse_files(
    files: list[tuple[str, bytes]], *, source: str | None = None, list_id: str = ""
) -> ImportedList:
    """Several annex CSVs (name, bytes) as one list."""
    warn = Warnings()
    entries: dict[str, WatchlistEntry] = {}
    for name, data in files:
        _read_file(data, name, entries, warn)
    out = list(entries.values())
    for e in out:
        e.list_id = list_id
    return ImportedList(FORMAT, source, None, out, warn.lines())


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    return parse_files([(source or "<bytes>", data)], source=source, list_id=list_id)


def load_folder(path: str | Path, *, list_id: str = "") -> ImportedList:
    """Every ``*.csv`` in the folder, in name order, as one list."""
    folder = Path(path)
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise WatchlistFormatError("no .csv files in the folder", source=str(folder))
    return parse_files(
        [(str(f), read_source(f)[0]) for f in files], source=str(folder), list_id=list_id
    )
