"""UN Security Council Consolidated List, XML (``CONSOLIDATED_LIST``, sc-sanctions.xsd).

Why this importer reads by element name and not by position: the same schema has been
published in several layouts, all in the corpus folder ``un_sc_consolidated/``:

* 2017: one ``INDIVIDUAL`` per line, empty ``<ALIAS_NAME/>`` placeholders, stray spaces
  inside values (``<FIRST_NAME> RI </FIRST_NAME>``);
* 2024: pretty-printed with a single-quoted XML declaration;
* 2025 ``consolidatedLegacyByPRN.xml``: sorted by permanent reference number (PRN).

Rules (element names from sc-sanctions.xsd):

* entry id = ``REFERENCE_NUMBER`` (the PRN, e.g. ``QDi.001``), stable across versions;
* names: ``FIRST_NAME`` .. ``FOURTH_NAME`` joined in order; ``NAME_ORIGINAL_SCRIPT``;
  ``INDIVIDUAL_ALIAS``/``ALIAS_NAME`` with ``QUALITY`` ``Good`` (or empty) as names and
  ``Low`` as weak names (the UN's "low quality a.k.a.", too broad to identify on its own);
* ``INDIVIDUAL_DATE_OF_BIRTH``: ``TYPE_OF_DATE`` ``EXACT`` with ``DATE`` or ``YEAR``,
  ``APPROXIMATELY`` with ``YEAR`` (-> a range, see ``_dates.CIRCA_YEARS``), ``BETWEEN``
  with ``FROM_YEAR``/``TO_YEAR``;
* ``NATIONALITY/VALUE`` country names -> ISO alpha-3 (unknown text kept, with a warning);
* ``GENDER`` ``Male``/``Female`` -> ``M``/``F``;
* ``INDIVIDUAL_DOCUMENT``: ``TYPE_OF_DOCUMENT``, ``NUMBER``, ``ISSUING_COUNTRY`` (or
  ``COUNTRY_OF_ISSUE``);
* ``ENTITIES/ENTITY`` (``FIRST_NAME`` + ``ENTITY_ALIAS``) become entries of kind
  ``"entity"``;
* attributes: ``listed_on`` (``LISTED_ON``), ``list_type`` (``UN_LIST_TYPE``).
"""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree.ElementTree import Element

from ..model import DateOfBirth, Document, WatchlistEntry
from ._base import ImportedList, Warnings, clean, uniq
from ._countries import countries_in
from ._dates import CIRCA_YEARS, parse_dob
from ._names import split_names
from ._xml import parse_xml
from .errors import WatchlistFormatError

__all__ = ["FORMAT", "parse", "sniff"]

FORMAT = "un_sc_xml"
_ZONE = re.compile(r"(?<=\d{4}-\d\d-\d\d)(?:Z|[+-]\d\d:\d\d)$")
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def sniff(head: bytes) -> bool:
    return b"<CONSOLIDATED_LIST" in head


def _t(el: Element, tag: str) -> str:
    return clean(el.findtext(tag))


def _dobs(rec: Element, where: str, warn: Warnings) -> list[DateOfBirth]:
    out: list[DateOfBirth] = []
    for d in rec.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        kind = _t(d, "TYPE_OF_DATE").upper()
        date, year = _t(d, "DATE"), _t(d, "YEAR")
        lo, hi = _t(d, "FROM_YEAR"), _t(d, "TO_YEAR")
        value: DateOfBirth | None = None
        if kind == "BETWEEN" or (lo and hi):
            if lo.isdigit() and hi.isdigit() and int(lo) <= int(hi):
                value = DateOfBirth(int(lo), year_to=int(hi)) if lo != hi else DateOfBirth(int(lo))
        elif date or year:
            # xs:date may carry a zone ("1960-01-01-05:00" in the 2017 file): drop it.
            value = parse_dob(_ZONE.sub("", date) if date else year)
            if value is not None and kind == "APPROXIMATELY" and value.year_to is None:
                value = DateOfBirth(value.year - CIRCA_YEARS, year_to=value.year + CIRCA_YEARS)
        else:
            continue  # an empty INDIVIDUAL_DATE_OF_BIRTH, or one with a NOTE only
        if value is None:
            warn.add(f"date of birth not readable ({kind} {date or year or lo + '-' + hi})", where)
        elif value not in out:
            out.append(value)
    return out


def _nationalities(rec: Element, where: str, warn: Warnings) -> list[str]:
    codes: list[str] = []
    for v in rec.findall("NATIONALITY/VALUE"):
        text = clean(v.text)
        if not text:
            continue
        found, unknown = countries_in(text)
        codes.extend(found)
        for u in unknown:
            warn.add(f"nationality {u!r} not mapped to ISO alpha-3, kept as text", where)
            codes.append(u)
    return uniq(codes)


def _documents(rec: Element, where: str, warn: Warnings) -> list[Document]:
    docs: list[Document] = []
    for d in rec.findall("INDIVIDUAL_DOCUMENT"):
        number = clean(d.findtext("NUMBER"))
        if not number:
            continue
        country_text = _t(d, "ISSUING_COUNTRY") or _t(d, "COUNTRY_OF_ISSUE")
        country: str | None = None
        if country_text:
            found, unknown = countries_in(country_text)
            country = found[0] if found else None
            if unknown and not found:
                warn.add(f"document country {country_text!r} not mapped", where)
        doc_type = _t(d, "TYPE_OF_DOCUMENT") or _t(d, "TYPE_OF_DOCUMENT2") or None
        docs.append(Document(number, doc_type, country))
    return docs


def _gender(text: str) -> str | None:
    t = text.strip().upper()
    return {"MALE": "M", "FEMALE": "F"}.get(t)


def _record(rec: Element, kind: str, path: str, warn: Warnings) -> WatchlistEntry | None:
    ref = _t(rec, "REFERENCE_NUMBER")
    if not ref:
        dataid = _t(rec, "DATAID")
        if not dataid:
            warn.add("record without REFERENCE_NUMBER or DATAID skipped", path)
            return None
        ref = f"DATAID:{dataid}"
        warn.add("record without REFERENCE_NUMBER, keyed by DATAID", path)
    where = ref
    prefix = "INDIVIDUAL" if kind == "person" else "ENTITY"
    primary = clean(" ".join(_t(rec, p) for p in _NAME_PARTS))
    names = [primary] if primary else []
    names += split_names(rec.findtext("NAME_ORIGINAL_SCRIPT"))
    weak: list[str] = []
    for alias in rec.findall(f"{prefix}_ALIAS"):
        found = split_names(alias.findtext("ALIAS_NAME"))
        if _t(alias, "QUALITY").lower() == "low":
            weak += found
        names += found
    names = uniq(names)
    if not names:
        warn.add("record without any name skipped", f"{where} ({path})")
        return None
    entry = WatchlistEntry(id=ref, list_id="", names=names, kind=kind)
    entry.weak_names = [w for w in uniq(weak) if w != primary]
    attrs = {"listed_on": _t(rec, "LISTED_ON"), "list_type": _t(rec, "UN_LIST_TYPE")}
    entry.attributes = {k: v for k, v in attrs.items() if v}
    if kind == "person":
        entry.dobs = _dobs(rec, where, warn)
        entry.nationalities = _nationalities(rec, where, warn)
        entry.gender = _gender(_t(rec, "GENDER"))
        entry.documents = _documents(rec, where, warn)
    return entry


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    root = parse_xml(data, source)
    if root.tag != "CONSOLIDATED_LIST":
        raise WatchlistFormatError(
            f"root element is <{root.tag}>, expected <CONSOLIDATED_LIST> (UN SC list)",
            source=source,
            path=f"/{root.tag}",
        )
    generated: datetime | None = None
    stamp = root.get("dateGenerated", "")
    warn = Warnings()
    if stamp:
        try:
            generated = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            warn.add(f"dateGenerated {stamp!r} is not a date", "/CONSOLIDATED_LIST")
    groups = [("INDIVIDUALS", "INDIVIDUAL", "person"), ("ENTITIES", "ENTITY", "entity")]
    if root.find("INDIVIDUALS") is None:
        raise WatchlistFormatError(
            "no <INDIVIDUALS> element", source=source, path="/CONSOLIDATED_LIST"
        )
    entries: list[WatchlistEntry] = []
    seen: set[str] = set()
    for group, tag, kind in groups:
        parent = root.find(group)
        if parent is None:
            continue
        for i, rec in enumerate(parent.findall(tag), 1):
            path = f"/CONSOLIDATED_LIST/{group}/{tag}[{i}]"
            entry = _record(rec, kind, path, warn)
            if entry is None:
                continue
            if entry.id in seen:
                warn.add("REFERENCE_NUMBER repeated; later record ignored", f"{entry.id} ({path})")
                continue
            seen.add(entry.id)
            entry.list_id = list_id
            entries.append(entry)
    return ImportedList(FORMAT, source, generated, entries, warn.lines())
