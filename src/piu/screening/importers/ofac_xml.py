"""US OFAC lists in the ``sdnList`` XML schema (``sdn.xml``, ``consolidated.xml``).

Schema: OFAC "SDN XML" (sdn.xsd; namespace
``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML`` today,
``http://tempuri.org/sdnList.xsd`` in older files). The namespace changes between
publications, so elements are matched by local name. Corpus file:
``ofac_consolidated_non_sdn_xml/consolidated_2025-06-30.xml`` (the non-SDN consolidated list
uses the same schema as ``sdn.xml``).

Rules:

* ``publshInformation/Publish_Date`` (``MM/DD/YYYY``) is ``generated_at``;
  ``Record_Count`` is checked against the number of ``sdnEntry`` (warning if different);
* ``sdnEntry/uid`` is the entry id; ``sdnType`` ``Individual`` -> kind ``person``,
  ``Entity``/``Vessel``/``Aircraft`` -> that kind in lower case;
* names: ``firstName`` + ``lastName`` (``First LAST``); ``akaList/aka`` with ``category``
  ``strong`` as names, ``weak`` as weak names;
* ``dateOfBirthList/dateOfBirthItem/dateOfBirth``: ``1962``, ``12 Feb 1970``,
  ``circa 1970``, ``1960 to 1962``;
* ``nationalityList/nationality/country`` and ``citizenshipList/citizenship/country``;
* ``idList/id``: ``idType`` containing ``Passport`` or ``National ID`` -> a document
  (``idNumber``, ``idCountry``); ``idType`` ``Gender`` -> gender;
* ``programList/program`` -> attribute ``program``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from ..model import Document, WatchlistEntry
from ._base import ImportedList, Warnings, clean, uniq
from ._countries import countries_in
from ._dates import parse_dob
from ._xml import local, parse_xml
from .errors import WatchlistFormatError

__all__ = ["FORMAT", "parse", "sniff"]

FORMAT = "ofac_sdn_xml"


def sniff(head: bytes) -> bool:
    return b"<sdnList" in head


def _strip_ns(root: Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = local(el.tag)


def _name(el: Element) -> str:
    first, last = clean(el.findtext("firstName")), clean(el.findtext("lastName"))
    return clean(f"{first} {last}")


def _entry(rec: Element, path: str, warn: Warnings) -> WatchlistEntry | None:
    uid = clean(rec.findtext("uid"))
    if not uid:
        raise WatchlistFormatError("sdnEntry without <uid>", path=path)
    sdn_type = clean(rec.findtext("sdnType")).lower()
    kind = "person" if sdn_type == "individual" else (sdn_type or "entity")
    primary = _name(rec)
    names = [primary] if primary else []
    weak: list[str] = []
    for aka in rec.findall("akaList/aka"):
        n = _name(aka)
        if not n:
            continue
        names.append(n)
        if clean(aka.findtext("category")).lower() == "weak":
            weak.append(n)
    names = uniq(names)
    if not names:
        warn.add("sdnEntry without a name skipped", uid)
        return None
    e = WatchlistEntry(id=uid, list_id="", names=names, kind=kind)
    e.weak_names = [w for w in uniq(weak) if w != primary]
    programs = [clean(p.text) for p in rec.findall("programList/program")]
    if any(programs):
        e.attributes["program"] = "; ".join(p for p in programs if p)
    if kind != "person":
        return e
    for d in rec.findall("dateOfBirthList/dateOfBirthItem/dateOfBirth"):
        text = clean(d.text)
        value = parse_dob(text)
        if value is None:
            warn.add(f"dateOfBirth {text!r} not readable", uid)
        elif value not in e.dobs:
            e.dobs.append(value)
    for c in [
        *rec.findall("nationalityList/nationality/country"),
        *rec.findall("citizenshipList/citizenship/country"),
    ]:
        found, unknown = countries_in(clean(c.text))
        e.nationalities = uniq([*e.nationalities, *found, *unknown])
        for u in unknown:
            warn.add(f"nationality {u!r} not mapped to ISO alpha-3, kept as text", uid)
    for ident in rec.findall("idList/id"):
        id_type = clean(ident.findtext("idType"))
        number = clean(ident.findtext("idNumber"))
        low = id_type.lower()
        if low == "gender":
            e.gender = {"male": "M", "female": "F"}.get(number.lower(), e.gender)
        elif ("passport" in low or "national id" in low) and number:
            found, _ = countries_in(clean(ident.findtext("idCountry")))
            e.documents.append(Document(number, id_type, found[0] if found else None))
    return e


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    root = parse_xml(data, source)
    if local(root.tag) != "sdnList":
        raise WatchlistFormatError(
            f"root element is <{local(root.tag)}>, expected <sdnList> (OFAC XML)",
            source=source,
            path=f"/{local(root.tag)}",
        )
    _strip_ns(root)
    warn = Warnings()
    generated = None
    stamp = clean(root.findtext("publshInformation/Publish_Date"))
    if stamp:
        try:
            generated = datetime.strptime(stamp, "%m/%d/%Y").replace(tzinfo=UTC)
        except ValueError:
            warn.add(f"Publish_Date {stamp!r} is not MM/DD/YYYY", "publshInformation")
    records = root.findall("sdnEntry")
    declared = clean(root.findtext("publshInformation/Record_Count"))
    if declared.isdigit() and int(declared) != len(records):
        warn.add(
            f"Record_Count says {declared} but the file has {len(records)} sdnEntry",
            "publshInformation",
        )
    entries: list[WatchlistEntry] = []
    seen: set[str] = set()
    for i, rec in enumerate(records, 1):
        path = f"/sdnList/sdnEntry[{i}]"
        try:
            e = _entry(rec, path, warn)
        except WatchlistFormatError as exc:
            raise WatchlistFormatError(exc.reason, source=source, path=path) from None
        if e is None:
            continue
        if e.id in seen:
            warn.add("uid repeated; later sdnEntry ignored", f"{e.id} ({path})")
            continue
        seen.add(e.id)
        e.list_id = list_id
        entries.append(e)
    return ImportedList(FORMAT, source, generated, entries, warn.lines())
