"""The dissemination package: what leaves the PIU when a case is sent to an authority.

One record, two forms: JSON for the recipient's systems (a versioned, documented shape,
:data:`SCHEMA` / :data:`SCHEMA_VERSION`) and PDF for its people. Both state first what the
law asks a disclosure to carry: the recipient, the legal basis, the purpose, who requested
and who approved it and when, and a handling caveat (use for that purpose only, no onward
transfer, a match is not proof).

Pure code over plain dicts, as :func:`piu.store.disseminations.package_data` returns them (no
database, no web), so the builder can be tested and reused alone. Names may be in any
script: the PDF embeds DejaVu Sans (Debian's ``fonts-dejavu-core``) when it is installed,
and otherwise falls back to a built-in font with every name folded to Latin letters
(anyascii), saying so on the first page; the JSON always carries names as recorded.
Arabic is drawn letter by letter without contextual shaping (that would need HarfBuzz).

Input (``data``)::

    case           {id, title, summary, priority, created_by, created_at}
    dissemination  {id, recipient, legal_basis, purpose, requested_by, requested_at,
                    decided_by, decided_at, decision_note}
    hits           [{id, kind, source, entry, rule_version, severity, score, algorithm,
                     created_at, explanation, decisions: [{decision, reason, by, at}],
                     traveller: {id, surname, given_names, ..., documents: [...],
                                 flight: {flight_code, origin, destination, ...}}}]
    notes          [{id, text, by, at}]
    attachments    [{id, filename, content_type, size, sha256}]
    exported_by, exported_at

Output (JSON, ``schema`` ``piu.dissemination``, ``schema_version`` 1; instants are ISO
8601 in UTC, dates ISO 8601; a change of shape raises the version)::

    schema, schema_version, handling (the caveat)
    dissemination  {id, recipient, legal_basis, purpose, requested_by, requested_at,
                    approved_by, approved_at, approval_note, exported_by, exported_at}
    case           {id, title, summary, priority, opened_by, opened_at}
    travellers     [{id, surname, given_names, middle_names, gender, date_of_birth,
                     nationality, residence_country, birth_place, record_locator, seat,
                     documents: [{doc_type, number, issuing_state, expiry}],
                     flight: {flight_code, origin, destination, departure_date,
                              departure_utc, arrival_utc}}]      (each person once)
    hits           [{id, traveller_id, kind, source, entry, rule_version, severity, score,
                     algorithm, raised_at, explanation, decisions: [{decision, reason,
                     by, at}]}]
    notes          [{id, text, by, at}]
    attachments    [{id, filename, content_type, size, sha256}]  (listed, not included)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from anyascii import anyascii
from fpdf import FPDF
from fpdf.enums import XPos, YPos

__all__ = [
    "DEFAULT_FONT",
    "DOCUMENT_FIELDS",
    "FLIGHT_FIELDS",
    "FORMATS",
    "HANDLING_CAVEAT",
    "MEDIA_TYPES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "TRAVELLER_FIELDS",
    "Format",
    "build",
    "build_json",
    "build_pdf",
    "filename",
    "to_document",
]

SCHEMA = "piu.dissemination"
SCHEMA_VERSION = 1
Format = Literal["pdf", "json"]
FORMATS: tuple[Format, ...] = ("pdf", "json")
MEDIA_TYPES: dict[str, str] = {"pdf": "application/pdf", "json": "application/json"}
DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

HANDLING_CAVEAT = (
    "Contains personal data disclosed by the Passenger Information Unit under the legal "
    "basis stated, to the recipient named and for the stated purpose only. Do not pass it "
    "on, use it for another purpose or keep it longer than that purpose needs without the "
    "PIU's written consent. A watchlist or rule match is an assessment confirmed by a PIU "
    "analyst, not proof of identity or of wrongdoing: verify before acting on it."
)

# What the package shows of a traveller, their documents and their flight: all that
# piu.store.disseminations reads of them for it (data minimisation).
TRAVELLER_FIELDS = (
    "id",
    "surname",
    "given_names",
    "middle_names",
    "gender",
    "date_of_birth",
    "nationality",
    "residence_country",
    "birth_place",
    "record_locator",
    "seat",
)
DOCUMENT_FIELDS = ("doc_type", "number", "issuing_state", "expiry")
FLIGHT_FIELDS = (
    "flight_code",
    "origin",
    "destination",
    "departure_date",
    "departure_utc",
    "arrival_utc",
)


# --- JSON -------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Dates and instants as ISO 8601 (instants in UTC), containers recursively."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _pick(row: Mapping[str, Any] | None, fields: Iterable[str]) -> dict[str, Any]:
    row = row or {}
    return {name: _plain(row.get(name)) for name in fields}


def _traveller(traveller: Mapping[str, Any]) -> dict[str, Any]:
    found = _pick(traveller, TRAVELLER_FIELDS)
    found["documents"] = [_pick(d, DOCUMENT_FIELDS) for d in traveller.get("documents") or []]
    found["flight"] = _pick(traveller.get("flight"), FLIGHT_FIELDS)
    return found


def _hit(hit: Mapping[str, Any]) -> dict[str, Any]:
    traveller = hit.get("traveller") or {}
    return {
        "id": hit["id"],
        "traveller_id": traveller.get("id"),
        "kind": hit.get("kind"),
        "source": hit.get("source"),
        "entry": hit.get("entry"),
        "rule_version": hit.get("rule_version"),
        "severity": hit.get("severity"),
        "score": hit.get("score"),
        "algorithm": hit.get("algorithm"),
        "raised_at": _plain(hit.get("created_at")),
        "explanation": _plain(hit.get("explanation") or {}),
        "decisions": [
            _pick(d, ("decision", "reason", "by", "at")) for d in hit.get("decisions") or []
        ],
    }


def to_document(data: Mapping[str, Any]) -> dict[str, Any]:
    """The package as a JSON-safe dict (the shape of :func:`build_json`)."""
    dissemination = data["dissemination"]
    case = data["case"]
    travellers: dict[Any, dict[str, Any]] = {}
    for hit in data.get("hits") or []:
        traveller = hit.get("traveller") or {}
        travellers.setdefault(traveller.get("id"), _traveller(traveller))
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "handling": HANDLING_CAVEAT,
        "dissemination": {
            "id": dissemination["id"],
            "recipient": dissemination["recipient"],
            "legal_basis": dissemination["legal_basis"],
            "purpose": dissemination["purpose"],
            "requested_by": dissemination["requested_by"],
            "requested_at": _plain(dissemination["requested_at"]),
            "approved_by": dissemination["decided_by"],
            "approved_at": _plain(dissemination["decided_at"]),
            "approval_note": dissemination.get("decision_note"),
            "exported_by": data["exported_by"],
            "exported_at": _plain(data["exported_at"]),
        },
        "case": {
            "id": case["id"],
            "title": case["title"],
            "summary": case.get("summary") or "",
            "priority": case["priority"],
            "opened_by": case.get("created_by"),
            "opened_at": _plain(case.get("created_at")),
        },
        "travellers": list(travellers.values()),
        "hits": [_hit(h) for h in data.get("hits") or []],
        "notes": [_pick(n, ("id", "text", "by", "at")) for n in data.get("notes") or []],
        "attachments": [
            _pick(a, ("id", "filename", "content_type", "size", "sha256"))
            for a in data.get("attachments") or []
        ],
    }


def build_json(data: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON, keys in a stable order, names as recorded (not escaped to ASCII)."""
    text = json.dumps(to_document(data), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


# --- PDF --------------------------------------------------------------------------------
def _latin1(text: str) -> str:
    """Text a core PDF font can draw: Latin-1 kept, anything else folded to Latin."""
    return "".join(ch if ord(ch) < 256 else anyascii(ch) for ch in text)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested explanation data as ``(path, text)`` rows."""
    rows: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            rows.extend(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            rows.extend(_flatten(item, f"{prefix}[{i}]"))
    elif value not in (None, "", [], {}):
        rows.append((prefix or "value", str(_plain(value))))
    return rows


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "-" if value in (None, "") else str(value)


def _name(traveller: Mapping[str, Any]) -> str:
    given = " ".join(p for p in (traveller.get("given_names"), traveller.get("middle_names")) if p)
    surname = traveller.get("surname") or "?"
    return f"{surname}, {given}" if given else str(surname)


class _Pdf(FPDF):
    """A4 pages with the handling line on top and the page count below."""

    def __init__(self, banner: str, footer_text: str, font: str, fold: bool) -> None:
        super().__init__(format="A4")
        self.banner = banner
        self.footer_text = footer_text
        self.piu_font = font
        self.piu_fold = fold
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)

    def text_of(self, text: Any) -> str:
        value = "" if text is None else str(text)
        return _latin1(value) if self.piu_fold else value

    def header(self) -> None:
        self.set_font(self.piu_font, "B", 8)
        self.set_text_color(140, 0, 0)
        self.multi_cell(
            0, 4, self.text_of(self.banner), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.piu_font, "", 7)
        self.cell(
            0,
            5,
            self.text_of(f"{self.footer_text} - page {self.page_no()}/{{nb}}"),
            align="C",
        )


def _pdf(font_path: Path | None) -> tuple[str, bool, Path | None]:
    """The font family to use and whether text must be folded to Latin-1."""
    if font_path is not None and font_path.is_file():
        return "piu", False, font_path
    return "helvetica", True, None


def _add_fonts(pdf: FPDF, path: Path) -> None:
    bold = path.with_name(path.stem + "-Bold" + path.suffix)
    pdf.add_font("piu", "", str(path))
    pdf.add_font("piu", "B", str(bold if bold.is_file() else path))


class _Writer:
    """Small drawing helpers over one document, so the layout code reads top to bottom."""

    def __init__(self, pdf: _Pdf) -> None:
        self.pdf = pdf

    def title(self, text: str) -> None:
        self.pdf.set_font(self.pdf.piu_font, "B", 15)
        self.pdf.multi_cell(0, 8, self.pdf.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def heading(self, text: str) -> None:
        self.pdf.ln(3)
        self.pdf.set_font(self.pdf.piu_font, "B", 11.5)
        self.pdf.multi_cell(0, 6, self.pdf.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_draw_color(180, 180, 180)
        y = self.pdf.get_y()
        self.pdf.line(self.pdf.l_margin, y, self.pdf.w - self.pdf.r_margin, y)
        self.pdf.ln(1.5)

    def para(self, text: str, size: float = 9.5, bold: bool = False) -> None:
        self.pdf.set_font(self.pdf.piu_font, "B" if bold else "", size)
        self.pdf.multi_cell(0, 4.8, self.pdf.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rows(self, rows: Iterable[tuple[str, Any]], label_width: float = 42) -> None:
        for label, value in rows:
            self.pdf.set_font(self.pdf.piu_font, "B", 9)
            self.pdf.cell(label_width, 4.8, self.pdf.text_of(label))
            self.pdf.set_font(self.pdf.piu_font, "", 9)
            self.pdf.multi_cell(
                0, 4.8, self.pdf.text_of(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )


def _front(w: _Writer, data: Mapping[str, Any], fold: bool) -> None:
    d, case = data["dissemination"], data["case"]
    w.title(f"Dissemination #{d['id']}: case #{case['id']}")
    w.rows(
        [
            ("Recipient", d["recipient"]),
            ("Legal basis", d["legal_basis"]),
            ("Purpose", d["purpose"]),
            ("Requested", f"{d['requested_by']}, {_when(d['requested_at'])}"),
            ("Approved", f"{d['decided_by']}, {_when(d['decided_at'])}"),
            ("Approval note", d.get("decision_note") or "-"),
            ("Exported", f"{data['exported_by']}, {_when(data['exported_at'])}"),
        ]
    )
    w.pdf.ln(2)
    w.para("Handling", bold=True)
    w.para(HANDLING_CAVEAT, size=9)
    if fold:
        w.para(
            "Names are shown folded to Latin letters (no Unicode font on the sending "
            "server); the JSON package carries them as recorded.",
            size=8.5,
        )
    w.heading(f"Case #{case['id']}: {case['title']}")
    w.rows(
        [
            ("Priority", case["priority"]),
            ("Opened", f"{case.get('created_by')}, {_when(case.get('created_at'))}"),
        ]
    )
    if case.get("summary"):
        w.para(case["summary"])


def _hit_section(w: _Writer, hit: Mapping[str, Any]) -> None:
    t = hit.get("traveller") or {}
    flight = t.get("flight") or {}
    w.heading(f"{_name(t)} - hit #{hit['id']}")
    docs = "; ".join(
        " ".join(str(x) for x in (d.get("doc_type"), d.get("number"), d.get("issuing_state")) if x)
        + (f" (expires {_when(d.get('expiry'))})" if d.get("expiry") else "")
        for d in t.get("documents") or []
    )
    w.rows(
        [
            ("Surname", t.get("surname")),
            (
                "Given names",
                " ".join(p for p in (t.get("given_names"), t.get("middle_names")) if p),
            ),
            ("Date of birth", _when(t.get("date_of_birth"))),
            ("Gender", t.get("gender") or "-"),
            ("Nationality", t.get("nationality") or "-"),
            ("Documents", docs or "-"),
            (
                "Flight",
                f"{flight.get('flight_code', '?')} {flight.get('origin', '?')}-"
                f"{flight.get('destination', '?')}, departs "
                f"{_when(flight.get('departure_utc') or flight.get('departure_date'))}",
            ),
            ("Booking / seat", f"{t.get('record_locator') or '-'} / {t.get('seat') or '-'}"),
            (
                "Match",
                f"{hit.get('kind')}: {hit.get('source') or '-'}"
                + (f" entry {hit['entry']}" if hit.get("entry") else "")
                + (f" v{hit['rule_version']}" if hit.get("rule_version") else "")
                + f", severity {hit.get('severity')}, score {float(hit.get('score') or 0):.2f}",
            ),
        ]
    )
    explanation = _flatten(hit.get("explanation") or {})
    if explanation:
        w.para("Why it matched", size=9, bold=True)
        w.rows(explanation, label_width=50)
    for decision in hit.get("decisions") or []:
        w.para(
            f"{decision.get('decision')} by {decision.get('by')}, {_when(decision.get('at'))}: "
            f"{decision.get('reason')}",
            size=9,
        )


def _tail(w: _Writer, data: Mapping[str, Any]) -> None:
    notes = data.get("notes") or []
    if notes:
        w.heading("Notes")
        for note in notes:
            w.para(f"{note.get('by')}, {_when(note.get('at'))}", size=8.5, bold=True)
            w.para(note.get("text") or "")
    attachments = data.get("attachments") or []
    if attachments:
        w.heading("Attachments (listed; sent separately if at all)")
        for a in attachments:
            w.para(f"{a.get('filename')} ({a.get('content_type')}, {a.get('size')} bytes)", 9)
            w.para(f"SHA-256 {a.get('sha256')}", size=7.5)


def build_pdf(data: Mapping[str, Any], *, font_path: Path | None = DEFAULT_FONT) -> bytes:
    """The package for people: front sheet (recipient, basis, approval, caveat), then one
    section per hit with the traveller, the match and its explanation, then notes and the
    list of attachments. ``font_path`` None (or missing) selects the Latin fallback."""
    d = data["dissemination"]
    font, fold, path = _pdf(font_path)
    banner = f"RESTRICTED - for {d['recipient']} only - handle as the caveat on page 1 says"
    pdf = _Pdf(banner, f"PIU dissemination #{d['id']}", font, fold)
    if path is not None:
        _add_fonts(pdf, path)
    exported_at = data["exported_at"]
    if isinstance(exported_at, datetime):
        pdf.set_creation_date(exported_at)
    pdf.set_title(pdf.text_of(f"PIU dissemination #{d['id']}"))
    pdf.set_author("PIU")
    pdf.set_subject(pdf.text_of(f"For {d['recipient']}; legal basis: {d['legal_basis']}"))
    pdf.add_page()
    writer = _Writer(pdf)
    _front(writer, data, fold)
    for hit in data.get("hits") or []:
        _hit_section(writer, hit)
    _tail(writer, data)
    return bytes(pdf.output())


def build(data: Mapping[str, Any], fmt: str, *, font_path: Path | None = DEFAULT_FONT) -> bytes:
    """The package in ``fmt`` (``pdf`` or ``json``)."""
    if fmt == "json":
        return build_json(data)
    if fmt == "pdf":
        return build_pdf(data, font_path=font_path)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")


def filename(data: Mapping[str, Any], fmt: str) -> str:
    """``piu-case12-dissemination3.pdf``: ASCII, no spaces, safe in a header."""
    return (
        f"piu-case{int(data['case']['id'])}-dissemination{int(data['dissemination']['id'])}.{fmt}"
    )
