"""The dissemination package builder: JSON of a fixed shape, PDF text a person can read,
in any script when the Unicode font is there and folded to Latin when it is not."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict
from pypdf import PdfReader

from piu.review import package

T = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
DEJAVU = package.DEFAULT_FONT


def _data() -> dict[str, Any]:
    traveller = {
        "id": 11,
        "surname": "Асанов",
        "given_names": "Бакыт",
        "middle_names": None,
        "gender": "M",
        "date_of_birth": date(1980, 5, 1),
        "nationality": "KGZ",
        "residence_country": None,
        "birth_place": None,
        "record_locator": "ABC123",
        "seat": "12A",
        "flight_id": 3,
        "documents": [
            {"doc_type": "P", "number": "AC1234567", "issuing_state": "KGZ", "expiry": None}
        ],
        "flight": {
            "flight_code": "KC109",
            "origin": "ALA",
            "destination": "FRU",
            "departure_date": date(2026, 11, 29),
            "departure_utc": T,
            "arrival_utc": None,
        },
    }
    hit = {
        "id": 5,
        "kind": "watchlist",
        "source": "kg-national",
        "entry": "KG-1",
        "rule_version": None,
        "severity": "high",
        "score": 0.93,
        "algorithm": "piu-names-1.0",
        "created_at": T,
        "explanation": {"names": [{"query": "BAKYT", "listed": "БАКЫТ", "score": 1.0}]},
        "decisions": [{"decision": "confirmed", "reason": "Photo matches.", "by": "ana", "at": T}],
        "traveller": traveller,
    }
    second = {**hit, "id": 6, "kind": "rule", "source": "transit-ist", "entry": None}
    return {
        "case": {
            "id": 2,
            "title": "Asanov travel",
            "summary": "Listed person travelling to Bishkek.",
            "priority": "high",
            "created_by": "ana",
            "created_at": T,
        },
        "dissemination": {
            "id": 4,
            "recipient": "State Committee for National Security",
            "legal_basis": "Law on the PIU, art. 12(3)",
            "purpose": "Prevention of a terrorist offence",
            "requested_by": "ana",
            "requested_at": T,
            "decided_by": "sup",
            "decided_at": T,
            "decision_note": "Basis and purpose fit.",
        },
        "hits": [hit, second],
        "notes": [{"id": 1, "text": "Travels with a companion.", "by": "ana", "at": T}],
        "attachments": [
            {
                "id": 1,
                "filename": "scan.png",
                "content_type": "image/png",
                "size": 4,
                "sha256": "a" * 64,
            },
        ],
        "exported_by": "bob",
        "exported_at": T,
    }


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Dissemination(_Strict):
    id: int
    recipient: str
    legal_basis: str
    purpose: str
    requested_by: str
    requested_at: str
    approved_by: str
    approved_at: str
    approval_note: str | None
    exported_by: str
    exported_at: str


class _Case(_Strict):
    id: int
    title: str
    summary: str
    priority: str
    opened_by: str | None
    opened_at: str | None


class _Document(_Strict):
    doc_type: str | None
    number: str
    issuing_state: str | None
    expiry: str | None


class _Flight(_Strict):
    flight_code: str
    origin: str
    destination: str
    departure_date: str
    departure_utc: str | None
    arrival_utc: str | None


class _Traveller(_Strict):
    id: int
    surname: str
    given_names: str | None
    middle_names: str | None
    gender: str | None
    date_of_birth: str | None
    nationality: str | None
    residence_country: str | None
    birth_place: str | None
    record_locator: str | None
    seat: str | None
    documents: list[_Document]
    flight: _Flight


class _Decision(_Strict):
    decision: str
    reason: str
    by: str
    at: str


class _Hit(_Strict):
    id: int
    traveller_id: int
    kind: str
    source: str | None
    entry: str | None
    rule_version: int | None
    severity: str
    score: float
    algorithm: str
    raised_at: str
    explanation: dict[str, Any]
    decisions: list[_Decision]


class _Note(_Strict):
    id: int
    text: str
    by: str
    at: str


class _Attachment(_Strict):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str


class _Package(_Strict):
    schema_: str
    schema_version: int
    handling: str
    dissemination: _Dissemination
    case: _Case
    travellers: list[_Traveller]
    hits: list[_Hit]
    notes: list[_Note]
    attachments: list[_Attachment]


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_json_has_the_documented_shape() -> None:
    raw = package.build_json(_data())
    document = json.loads(raw)
    document["schema_"] = document.pop("schema")
    parsed = _Package.model_validate(document)
    assert parsed.schema_ == "piu.dissemination" and parsed.schema_version == 1
    assert parsed.dissemination.approved_by == "sup"
    assert parsed.dissemination.exported_at == "2026-11-29T18:00:00+00:00"
    assert [t.surname for t in parsed.travellers] == ["Асанов"]  # one person, two hits
    assert [(h.id, h.traveller_id) for h in parsed.hits] == [(5, 11), (6, 11)]
    assert parsed.travellers[0].date_of_birth == "1980-05-01"
    assert "Асанов".encode() in raw  # names as recorded, not \\u-escaped


def test_json_is_the_same_for_the_same_record() -> None:
    assert package.build_json(_data()) == package.build_json(_data())


@pytest.mark.skipif(not DEJAVU.is_file(), reason="Debian's fonts-dejavu-core is not installed")
def test_pdf_with_the_unicode_font_keeps_cyrillic_names() -> None:
    content = package.build_pdf(_data(), font_path=DEJAVU)
    assert content.startswith(b"%PDF-")
    text = _pdf_text(content)
    for expected in (
        "State Committee for National Security",
        "Law on the PIU, art. 12(3)",
        "Асанов",
        "Бакыт",
        "sup, 2026-11-29 18:00 UTC",  # who approved and when
        "not proof of identity",  # the handling caveat
        "Travels with a companion.",
        "AC1234567",
    ):
        assert expected in text, expected
    assert "folded to Latin" not in text


def test_pdf_without_the_font_folds_names_to_latin(tmp_path: Path) -> None:
    content = package.build_pdf(_data(), font_path=tmp_path / "missing.ttf")
    text = _pdf_text(content)
    assert "Asanov" in text and "Bakyt" in text
    assert "State Committee for National Security" in text
    assert "folded to Latin" in text
    assert package.build_pdf(_data(), font_path=None)[:5] == b"%PDF-"


def test_every_pdf_page_carries_the_restriction(tmp_path: Path) -> None:
    data = _data()
    data["notes"] = [
        {"id": i, "text": "A long note. " * 40, "by": "ana", "at": T} for i in range(12)
    ]
    reader = PdfReader(io.BytesIO(package.build_pdf(data, font_path=None)))
    assert len(reader.pages) > 1
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        assert "RESTRICTED - for State Committee for National Security only" in text
        assert f"page {reader.get_page_number(page) + 1}/{len(reader.pages)}" in text


def test_build_picks_the_format_and_names_the_file() -> None:
    data = _data()
    assert package.build(data, "json") == package.build_json(data)
    assert package.build(data, "pdf", font_path=None).startswith(b"%PDF-")
    with pytest.raises(ValueError, match="format must be one of pdf, json"):
        package.build(data, "docx")
    assert package.filename(data, "pdf") == "piu-case2-dissemination4.pdf"
