"""INTERPOL public Red Notices, JSON from ``ws-public.interpol.int/notices/v1/red``.

Shapes accepted (corpus folder ``interpol_red_notices/``):

* one API page: ``{"_embedded": {"notices": [ ... ]}, "total": N, ...}``;
* a list of notices (the details file: one object per notice, from ``/red/{id}``);
* a list of pages, each a list of notices (``red_notices_list_2023-05-17.json``, as a
  scraper saved them).

Per notice: ``entity_id`` (``2022/46614``) is the entry id; ``forename`` + ``name`` the
name; ``date_of_birth`` ``YYYY/MM/DD`` (or ``YYYY``); ``nationalities`` ISO alpha-2 ->
alpha-3; ``sex_id`` ``M``/``F``. A notice repeated across pages is imported once.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import WatchlistEntry
from ._base import ImportedList, Warnings, clean, uniq
from ._countries import alpha2_to_alpha3
from ._dates import parse_dob
from .errors import WatchlistFormatError

__all__ = ["FORMAT", "parse", "sniff"]

FORMAT = "interpol_red_json"


def sniff(head: bytes) -> bool:
    h = head.lstrip()
    return h[:1] in (b"[", b"{") and b'"entity_id"' in head and b'"forename"' in head


def _notices(doc: Any, source: str | None) -> list[tuple[str, dict[str, Any]]]:
    """Flatten the accepted shapes into (JSON path, notice) pairs."""
    if isinstance(doc, dict):
        emb = doc.get("_embedded")
        if isinstance(emb, dict) and isinstance(emb.get("notices"), list):
            return [(f"$._embedded.notices[{i}]", n) for i, n in enumerate(emb["notices"])]
        if "entity_id" in doc:
            return [("$", doc)]
        raise WatchlistFormatError(
            "JSON object without _embedded.notices: not a Red Notice page", source=source, path="$"
        )
    if not isinstance(doc, list):
        raise WatchlistFormatError("JSON is neither a list nor an object", source=source, path="$")
    out: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(doc):
        if isinstance(item, list):
            out.extend((f"$[{i}][{j}]", n) for j, n in enumerate(item))
        elif isinstance(item, dict) and isinstance(item.get("_embedded"), dict):
            out.extend((f"$[{i}]{p[1:]}", n) for p, n in _notices(item, source))
        else:
            out.append((f"$[{i}]", item))
    return out


def parse(data: bytes, source: str | None = None, *, list_id: str = "") -> ImportedList:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise WatchlistFormatError(f"not UTF-8 ({exc.reason})", source=source) from None
    except json.JSONDecodeError as exc:
        raise WatchlistFormatError(
            f"not valid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
        ) from None
    warn = Warnings()
    entries: dict[str, WatchlistEntry] = {}
    for path, n in _notices(doc, source):
        if not isinstance(n, dict) or "entity_id" not in n:
            raise WatchlistFormatError(
                "not a notice (an object with entity_id expected)", source=source, path=path
            )
        eid = clean(str(n["entity_id"]))
        if eid in entries:
            continue
        name = clean(f"{n.get('forename') or ''} {n.get('name') or ''}")
        if not name:
            warn.add("notice without a name skipped", eid)
            continue
        e = WatchlistEntry(id=eid, list_id=list_id, names=[name])
        dob_text = clean(n.get("date_of_birth") or "")
        if dob_text:
            d = parse_dob(dob_text)
            if d is None:
                warn.add(f"date_of_birth {dob_text!r} not readable", eid)
            else:
                e.dobs.append(d)
        codes = []
        for c in n.get("nationalities") or []:
            a3 = alpha2_to_alpha3(str(c))
            if a3 is None:
                warn.add(f"nationality code {c!r} is not ISO alpha-2, kept as text", eid)
            codes.append(a3 or str(c))
        e.nationalities = uniq(codes)
        sex = n.get("sex_id")
        if sex in ("M", "F"):
            e.gender = sex
        warrants = n.get("arrest_warrants") or []
        countries = uniq(
            str(w.get("issuing_country_id") or "") for w in warrants if isinstance(w, dict)
        )
        if countries:
            e.attributes["warrant_countries"] = ", ".join(countries)
        entries[eid] = e
    return ImportedList(FORMAT, source, None, list(entries.values()), warn.lines())
