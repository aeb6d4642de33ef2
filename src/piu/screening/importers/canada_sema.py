"""Canada, Consolidated Special Economic Measures Act (SEMA) list, XML.

Corpus file: ``canada_sema/sema-lmes_2020-04.xml`` (Global Affairs Canada,
``sema-lmes.xml``). Layout: ``<data-set>`` of ``<record>`` elements, each with
``Country`` (the sanctions *regime*, e.g. ``Syria / Syrie``, not a nationality),
``Schedule``, ``Item``, and either ``Entity`` (an organisation or vessel) or
``LastName``/``GivenName`` (an individual), plus optional ``DateOfBirth``
(``YYYY-MM-DD``, ``YYYY``, ``... or ...``), ``Aliases`` (comma-separated) and ``Title``.

Entry id: ``{Country}/{Schedule}/{Item}`` (``Item`` restarts per regime and schedule).
The regime goes into the ``program`` attribute, never into ``nationalities``.
"""

from __future__ import annotations

from ..model import WatchlistEntry
from ._base import ImportedList, Warnings, clean, uniq
from ._dates import parse_dobs
from ._xml import parse_xml
from .errors import WatchlistFormatError

__all__ = ["FORMAT", "parse", "sniff"]

FORMAT = "canada_sema_xml"


def sniff(head: bytes) -> bool:
    return b"<data-set" in head and b"<record>" in head


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    root = parse_xml(data, source)
    if root.tag != "data-set":
        raise WatchlistFormatError(
            f"root element is <{root.tag}>, expected <data-set> (Canada SEMA)",
            source=source,
            path=f"/{root.tag}",
        )
    warn = Warnings()
    entries: list[WatchlistEntry] = []
    seen: set[str] = set()
    for i, rec in enumerate(root.findall("record"), 1):
        path = f"/data-set/record[{i}]"
        regime = clean(rec.findtext("Country"))
        item = clean(rec.findtext("Item"))
        if not item:
            raise WatchlistFormatError("record without <Item>", source=source, path=path)
        eid = f"{regime.split(' / ')[0]}/{clean(rec.findtext('Schedule'))}/{item}"
        given, last = clean(rec.findtext("GivenName")), clean(rec.findtext("LastName"))
        entity = clean(rec.findtext("Entity"))
        kind = "person" if (given or last) else "entity"
        primary = clean(f"{given} {last}") if kind == "person" else entity
        if not primary:
            raise WatchlistFormatError("record without a name", source=source, path=path)
        if eid in seen:
            warn.add("Country/Schedule/Item repeated; later record ignored", path)
            continue
        seen.add(eid)
        aliases = [clean(a) for a in (rec.findtext("Aliases") or "").split(",")]
        e = WatchlistEntry(id=eid, list_id=list_id, names=uniq([primary, *aliases]), kind=kind)
        if regime:
            e.attributes["program"] = regime
        dob = clean(rec.findtext("DateOfBirth"))
        if dob:
            found, bad = parse_dobs(dob)
            e.dobs = found
            for b in bad:
                warn.add(f"DateOfBirth {b!r} not readable", eid)
        entries.append(e)
    return ImportedList(FORMAT, source, None, entries, warn.lines())
