"""Watchlist importers: list files in, :class:`WatchlistEntry` values out, no database.

Why pure: a list is refused or accepted *before* anything in force changes, so the edge
(``store``/``cli``) can import, :func:`diff` against the list in force, and apply the
difference in one transaction, or keep the old list untouched when the file is refused.

Public API::

    from piu.screening.importers import load, detect_format, diff, IMPORTERS
    imported = load("consolidated.xml")          # format detected from the content
    imported.entries, imported.warnings, imported.generated_at
    changes = diff(old_entries, imported.entries) # ListDiff(added, changed, removed)

Formats (registry key: module, what it reads):

=====================  ===============  ==================================================
``un_sc_xml``          ``un_sc``        UN Security Council Consolidated List XML
``ofac_sdn_csv``       ``ofac_csv``     OFAC SDN legacy CSV (sdn.csv + alt.csv + add.csv)
``ofac_sdn_xml``       ``ofac_xml``     OFAC ``sdnList`` XML (sdn.xml, consolidated.xml)
``eu_journal_csv``     ``eu_csv``       EU annex CSVs (OpenSanctions journal format)
``interpol_red_json``  ``interpol``     INTERPOL Red Notice JSON (API pages or details)
``uae_local_csv``      ``uae``          UAE Local Terrorist List CSV (Arabic headers)
``canada_sema_xml``    ``canada_sema``  Canada SEMA consolidated list XML
``piu_national_csv``   ``national_csv`` PIU CSV for national lists (docs/watchlist-formats.md)
``piu_sltd_csv``       ``sltd_csv``     PIU CSV for lost and stolen travel documents
=====================  ===============  ==================================================

Errors: a file that cannot be imported raises :class:`WatchlistFormatError`
(a ``piu.errors.FormatError``), which names the file, line or element, and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import (
    canada_sema,
    eu_csv,
    interpol,
    national_csv,
    ofac_csv,
    ofac_xml,
    sltd_csv,
    uae,
    un_sc,
)
from ._base import ImportedList as ImportedList
from ._base import read_source
from .diff import Change as Change
from .diff import ListDiff as ListDiff
from .diff import diff as diff
from .errors import WatchlistFormatError as WatchlistFormatError

__all__ = [
    "IMPORTERS",
    "Change",
    "ImportedList",
    "Importer",
    "ListDiff",
    "WatchlistFormatError",
    "detect_format",
    "diff",
    "load",
    "parse_bytes",
]

_HEAD = 65536


@dataclass(frozen=True, slots=True)
class Importer:
    """One format: how to recognise it and how to read it."""

    name: str
    description: str
    sniff: Callable[[bytes], bool]
    parse: Callable[..., ImportedList]
    load_folder: Callable[..., ImportedList] | None = None


def _ofac_csv_sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return first[:1].isdigit() and b'"' in first and b"-0-" in head[:4096]


IMPORTERS: dict[str, Importer] = {
    imp.name: imp
    for imp in (
        Importer(un_sc.FORMAT, "UN Security Council Consolidated List XML",
                 un_sc.sniff, un_sc.parse),
        Importer(ofac_xml.FORMAT, "OFAC sdnList XML (sdn.xml, consolidated.xml)",
                 ofac_xml.sniff, ofac_xml.parse),
        Importer(canada_sema.FORMAT, "Canada SEMA consolidated list XML",
                 canada_sema.sniff, canada_sema.parse),
        Importer(interpol.FORMAT, "INTERPOL Red Notice JSON", interpol.sniff, interpol.parse),
        Importer(eu_csv.FORMAT, "EU sanctions annex CSVs (folder = one list)",
                 eu_csv.sniff, eu_csv.parse, eu_csv.load_folder),
        Importer(national_csv.FORMAT, "PIU CSV for national watchlists",
                 national_csv.sniff, national_csv.parse),
        Importer(sltd_csv.FORMAT, "PIU CSV for lost and stolen travel documents",
                 sltd_csv.sniff, sltd_csv.parse),
        Importer(uae.FORMAT, "UAE Local Terrorist List CSV", uae.sniff, uae.parse),
        Importer(ofac_csv.FORMAT, "OFAC SDN legacy CSV (sdn.csv + alt.csv + add.csv)",
                 _ofac_csv_sniff, ofac_csv.parse, ofac_csv.load_folder),
    )
}  # fmt: skip


def _detect_folder(folder: Path) -> str:
    names = {p.name.lower() for p in folder.iterdir() if p.is_file()}
    if names & {"sdn.csv", "alt.csv", "add.csv"}:
        return ofac_csv.FORMAT
    csvs = sorted(folder.glob("*.csv"))
    if csvs and all(eu_csv.sniff(p.read_bytes()[:4096]) for p in csvs):
        return eu_csv.FORMAT
    raise WatchlistFormatError(
        "folder holds neither OFAC sdn/alt/add.csv nor EU annex CSVs", source=str(folder)
    )


def detect_format(source: str | Path | bytes) -> str:
    """The registry key of the format of a file, a folder, or bytes.

    Raises :class:`WatchlistFormatError` if no importer recognises it.
    """
    if not isinstance(source, bytes):
        p = Path(source)
        if p.is_dir():
            return _detect_folder(p)
        if p.name.lower() in {"sdn.csv", "alt.csv", "add.csv"}:
            return ofac_csv.FORMAT
        with p.open("rb") as fh:
            head = fh.read(_HEAD)
        name: str | None = str(p)
    else:
        head, name = source[:_HEAD], None
    for imp in IMPORTERS.values():
        if imp.sniff(head):
            return imp.name
    raise WatchlistFormatError(
        "not a watchlist format PIU reads (known: " + ", ".join(IMPORTERS) + ")", source=name
    )


def _importer(fmt: str) -> Importer:
    try:
        return IMPORTERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown watchlist format {fmt!r}; known: {', '.join(IMPORTERS)}"
        ) from None


def parse_bytes(
    data: bytes, format: str | None = None, *, list_id: str = "", source: str | None = None
) -> ImportedList:
    """Import bytes (a single file) in the given or detected format.

    ``source`` names the file in errors and warnings (e.g. the name of an uploaded file).
    """
    fmt = format or detect_format(data)
    return _importer(fmt).parse(data, source, list_id=list_id)


def load(path: str | Path, format: str | None = None, *, list_id: str = "") -> ImportedList:
    """Import a list file or folder; ``format`` is a registry key, detected if ``None``.

    Folders: OFAC CSV (``sdn.csv`` with optional ``alt.csv``/``add.csv``) and EU annex
    CSVs. Pointing at ``sdn.csv`` (or ``alt.csv``) reads the triple beside it.
    """
    p = Path(path)
    fmt = format or detect_format(p)
    imp = _importer(fmt)
    if imp.load_folder is not None and (p.is_dir() or fmt == ofac_csv.FORMAT):
        return imp.load_folder(p, list_id=list_id)
    data, name = read_source(p)
    return imp.parse(data, name, list_id=list_id)
