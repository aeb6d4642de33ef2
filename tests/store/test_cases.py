"""Cases and dissemination in the store (:mod:`piu.store.cases`,
:mod:`piu.store.disseminations`): confirmed hits only, append-only notes and files, four-eyes
approval, no export before approval, and every step in the audit chain."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Connection, Engine, func, select, update

from piu.errors import PiuError
from piu.store import audit, cases, disseminations, reviews
from piu.store.schema import (
    audit_log,
    case_attachments,
    dissemination_exports,
    hits,
)
from piu.store.schema import disseminations as dissemination_table
from tests.web.support import Travel, add_travel

NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
WHY = "Photo, date of birth and passport match the listed person."
BASIS = "Law on the PIU, article 12(3): transfer to competent authorities"
PURPOSE = "Prevention of a terrorist offence on arrival at FRU"
REQUEST = {
    "recipient": "State Committee for National Security",
    "legal_basis": BASIS,
    "purpose": PURPOSE,
    "formats": ("pdf", "json"),
}


@pytest.fixture
def travel(engine: Engine) -> Travel:
    return add_travel(engine)


def _decide(
    engine: Engine, hit_id: int, decision: str = "confirmed", reason: str = WHY, by: str = "ana"
) -> None:
    with engine.begin() as conn:
        reviews.decide(conn, hit_id, decision=decision, reason=reason, by=by, now=NOW)


def _case(engine: Engine, **values: object) -> int:
    with engine.begin() as conn:
        made = cases.create_case(
            conn,
            title=str(values.get("title", "Asanov: route via FRU")),
            summary="Listed person travelling to Bishkek.",
            priority=str(values.get("priority", "high")),
            by="ana",
            now=NOW,
        )
    return int(made["id"])


def _attach(
    conn: Connection,
    case_id: int,
    filename: str,
    content: bytes,
    content_type: str | None = None,
    **limit: int,
) -> dict[str, Any]:
    """Attach ``content`` to the case as ana (``limit``: ``max_bytes``)."""
    return cases.add_attachment(
        conn,
        case_id,
        filename=filename,
        content_type=content_type,
        content=content,
        by="ana",
        now=NOW,
        **limit,
    )


def _ready_case(engine: Engine, travel: Travel) -> int:
    """A case with the confirmed hit, a note and a file."""
    _decide(engine, travel.hit)
    case_id = _case(engine)
    with engine.begin() as conn:
        cases.add_hit(conn, case_id, travel.hit, by="ana", now=NOW)
        cases.add_note(conn, case_id, text="Travels with a companion.", by="ana", now=NOW)
        _attach(conn, case_id, "photo.txt", b"scan", content_type="text/plain")
    return case_id


def _ask(
    conn: Connection, case_id: int, *, by: str = "ana", now: datetime = NOW, **change: Any
) -> int:
    """Request a dissemination of the case: :data:`REQUEST` with ``change``."""
    values = REQUEST | change
    return int(disseminations.request_dissemination(conn, case_id, by=by, now=now, **values)["id"])


def _request(
    engine: Engine, case_id: int, by: str = "ana", formats: tuple[str, ...] = ("pdf", "json")
) -> int:
    with engine.begin() as conn:
        return _ask(conn, case_id, by=by, formats=formats)


def _approve(conn: Connection, dissemination_id: int, by: str = "sup") -> dict[str, Any]:
    return disseminations.approve(
        conn, dissemination_id, note="Basis and purpose fit.", by=by, now=NOW
    )


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.id)).scalars())


# --- cases ------------------------------------------------------------------------------
def test_only_a_confirmed_hit_joins_a_case(engine: Engine, travel: Travel) -> None:
    case_id = _case(engine)
    for status in ("open", "dismissed", "more_info"):
        with engine.begin() as conn:
            conn.execute(update(hits).where(hits.c.id == travel.hit).values(status=status))
        refused = pytest.raises(cases.HitNotConfirmed, match=f"hit {travel.hit} is {status}")
        with refused, engine.begin() as conn:
            cases.add_hit(conn, case_id, travel.hit, by="ana", now=NOW)
    _decide(engine, travel.hit)
    with engine.begin() as conn:
        assert cases.add_hit(conn, case_id, travel.hit, by="ana", now=NOW)["added"] is True
        assert cases.add_hit(conn, case_id, travel.hit, by="bob", now=NOW)["added"] is False
        found = cases.get_case(conn, case_id)
    assert found is not None
    assert [(h["id"], h["surname"], h["source"]) for h in found["hits"]] == [
        (travel.hit, "ASANOV", "kg-national")
    ]
    assert _actions(engine).count("case.add_hit") == 1


def test_unknown_ids_and_bad_values_are_refused_for_people(engine: Engine, travel: Travel) -> None:
    with engine.begin() as conn, pytest.raises(cases.NotFound, match="no case 999"):
        cases.add_note(conn, 999, text="x", by="ana", now=NOW)
    case_id = _case(engine)
    with engine.begin() as conn, pytest.raises(cases.NotFound, match="no hit 999"):
        cases.add_hit(conn, case_id, 999, by="ana", now=NOW)
    with engine.begin() as conn, pytest.raises(cases.CaseError, match="priority must be one of"):
        cases.create_case(conn, title="A title", priority="urgent!", by="ana", now=NOW)
    with engine.begin() as conn, pytest.raises(cases.CaseError, match="a title is needed"):
        cases.create_case(conn, title="  ", by="ana", now=NOW)
    assert issubclass(cases.CaseError, PiuError)


def test_notes_and_files_append_and_a_closed_case_takes_nothing(
    engine: Engine, travel: Travel
) -> None:
    case_id = _case(engine)
    with engine.begin() as conn:
        cases.add_note(conn, case_id, text="First.", by="ana", now=NOW)
        cases.add_note(conn, case_id, text="Second.", by="bob", now=NOW + timedelta(minutes=1))
        cases.close_case(conn, case_id, by="bob", now=NOW)
    with engine.begin() as conn, pytest.raises(cases.CaseStateError, match="closed; reopen"):
        cases.add_note(conn, case_id, text="Third.", by="ana", now=NOW)
    with engine.begin() as conn:
        cases.reopen_case(conn, case_id, by="ana", now=NOW)
        found = cases.get_case(conn, case_id)
    assert found is not None and found["status"] == "open" and found["closed_by"] is None
    assert [(n["text"], n["by"]) for n in found["notes"]] == [("First.", "ana"), ("Second.", "bob")]
    assert _actions(engine)[-4:] == ["case.note", "case.note", "case.close", "case.reopen"]


def test_attachments_keep_bytes_and_hash_with_a_safe_name(engine: Engine, travel: Travel) -> None:
    case_id = _case(engine)
    content = "passport scan – Асанов".encode()
    with engine.begin() as conn:
        meta = _attach(
            conn,
            case_id,
            "../../etc/\x00pass\u202ewd;.txt",
            content,
            content_type="Text/Plain; charset=utf-8",
        )
        stored = cases.get_attachment(conn, case_id, meta["id"])
        assert cases.get_attachment(conn, case_id + 1, meta["id"]) is None
    assert stored is not None
    assert stored["content"] == content
    assert stored["sha256"] == hashlib.sha256(content).hexdigest() == meta["sha256"]
    assert stored["size"] == len(content)
    assert stored["content_type"] == "text/plain"
    assert "/" not in stored["filename"] and "\x00" not in stored["filename"]
    assert ";" not in stored["filename"] and stored["filename"].endswith(".txt")
    assert cases.sanitise_filename("..hidden") == "hidden"
    assert cases.sanitise_filename("") == "attachment"
    assert cases.sanitise_filename("C:\\Users\\x\\report.pdf") == "report.pdf"
    long = cases.sanitise_filename("a" * 500 + ".pdf")
    assert len(long) <= 180 and long.endswith(".pdf")


def test_attachment_size_cap(engine: Engine, travel: Travel) -> None:
    case_id = _case(engine)
    with engine.begin() as conn:
        _attach(conn, case_id, "ok.bin", b"x" * 100, max_bytes=100)
    with engine.begin() as conn, pytest.raises(cases.AttachmentTooLarge, match="at most 100 bytes"):
        _attach(conn, case_id, "big.bin", b"x" * 101, max_bytes=100)
    with engine.begin() as conn, pytest.raises(cases.CaseError, match="empty"):
        _attach(conn, case_id, "e", b"")
    with engine.connect() as conn:
        kept = select(func.count()).where(case_attachments.c.case_id == case_id)
        assert conn.execute(kept).scalar() == 1
    assert cases.MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024


def test_list_cases_counts_and_filters(engine: Engine, travel: Travel) -> None:
    first = _ready_case(engine, travel)
    second = _case(engine, title="Another matter")
    _request(engine, first)
    with engine.begin() as conn:
        cases.close_case(conn, second, by="ana", now=NOW + timedelta(hours=1))
        everything = cases.list_cases(conn).items
        open_only = cases.list_cases(conn, status="open").items
    # Most recently changed first; add_travel's own case is older than both.
    assert [c["id"] for c in everything] == [second, first, travel.case]
    assert [c["id"] for c in open_only] == [first, travel.case]
    row = open_only[0]
    assert (row["hit_count"], row["note_count"], row["attachment_count"]) == (1, 1, 1)
    assert row["pending_count"] == 1
    with engine.connect() as conn:
        assert cases.cases_of_hit(conn, travel.hit) == [
            {"id": first, "title": "Asanov: route via FRU", "status": "open"}
        ]


# --- dissemination ----------------------------------------------------------------------
def test_a_request_needs_a_confirmed_hit_and_its_particulars(
    engine: Engine, travel: Travel
) -> None:
    case_id = _case(engine)
    with engine.begin() as conn, pytest.raises(disseminations.CaseError, match="no confirmed hit"):
        _ask(conn, case_id)
    case_id = _ready_case(engine, travel)
    bad = [
        ({"recipient": ""}, "recipient authority is needed"),
        ({"legal_basis": " "}, "legal basis is needed"),
        ({"purpose": ""}, "purpose is needed"),
        ({"formats": []}, "choose the formats"),
        ({"formats": ["docx"]}, "choose the formats"),
    ]
    for change, message in bad:
        with engine.begin() as conn, pytest.raises(disseminations.CaseError, match=message):
            _ask(conn, case_id, **change)


def test_four_eyes_the_requester_cannot_decide(engine: Engine, travel: Travel) -> None:
    case_id = _ready_case(engine, travel)
    sup_request = _request(engine, case_id, by="sup")
    with engine.begin() as conn, pytest.raises(disseminations.FourEyesError, match="four eyes"):
        disseminations.approve(conn, sup_request, note="Looks right to me.", by="sup", now=NOW)
    with engine.begin() as conn, pytest.raises(disseminations.FourEyesError):
        disseminations.reject(conn, sup_request, note="Not enough here yet.", by="sup", now=NOW)
    with engine.begin() as conn, pytest.raises(disseminations.CaseError, match="at least 3 words"):
        disseminations.approve(conn, sup_request, note="ok", by="chief", now=NOW)
    with engine.begin() as conn:
        done = _approve(conn, sup_request, by="chief")
    assert (done["status"], done["decided_by"]) == ("approved", "chief")
    with (
        engine.begin() as conn,
        pytest.raises(disseminations.CaseStateError, match="already approved"),
    ):
        disseminations.reject(conn, sup_request, note="Changed my mind here.", by="other", now=NOW)


def test_no_export_before_approval_nor_after_a_rejection(engine: Engine, travel: Travel) -> None:
    case_id = _ready_case(engine, travel)
    pending = _request(engine, case_id)
    with engine.begin() as conn, pytest.raises(disseminations.CaseStateError, match="is requested"):
        disseminations.export(conn, pending, fmt="json", by="ana", now=NOW)
    with engine.begin() as conn:
        disseminations.reject(
            conn, pending, note="The legal basis does not cover it.", by="sup", now=NOW
        )
    with engine.begin() as conn, pytest.raises(disseminations.CaseStateError, match="is rejected"):
        disseminations.export(conn, pending, fmt="pdf", by="ana", now=NOW)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dissemination_exports)).scalar() == 0
    assert "dissemination.export" not in _actions(engine)


def test_export_records_who_when_and_the_package_hash(engine: Engine, travel: Travel) -> None:
    case_id = _ready_case(engine, travel)
    dissemination_id = _request(engine, case_id, formats=("json", "pdf"))
    later = NOW + timedelta(hours=2)
    with engine.begin() as conn:
        _approve(conn, dissemination_id)
        as_json = disseminations.export(conn, dissemination_id, fmt="json", by="ana", now=later)
        as_pdf = disseminations.export(conn, dissemination_id, fmt="pdf", by="bob", now=later)
        record = disseminations.get_dissemination(conn, dissemination_id)
    assert record is not None
    assert [(e["format"], e["by"], e["at"], e["sha256"]) for e in record["exports"]] == [
        ("json", "ana", later, hashlib.sha256(as_json.content).hexdigest()),
        ("pdf", "bob", later, hashlib.sha256(as_pdf.content).hexdigest()),
    ]
    assert as_json.filename == f"piu-case{case_id}-dissemination{dissemination_id}.json"
    assert as_pdf.media_type == "application/pdf"
    document = json.loads(as_json.content)
    assert document["dissemination"]["approved_by"] == "sup"
    assert document["dissemination"]["exported_by"] == "ana"
    assert [t["surname"] for t in document["travellers"]] == ["ASANOV"]
    assert [n["text"] for n in document["notes"]] == ["Travels with a companion."]
    assert document["attachments"][0]["sha256"] == hashlib.sha256(b"scan").hexdigest()
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(as_pdf.content)).pages
    )
    assert "State Committee for National Security" in text and "ASANOV" in text
    entries = audit.search(engine, action="dissemination.export")
    assert {e.detail["sha256"] for e in entries} == {as_json.sha256, as_pdf.sha256}
    assert {e.actor for e in entries} == {"ana", "bob"}


def test_export_only_in_an_approved_format(engine: Engine, travel: Travel) -> None:
    case_id = _ready_case(engine, travel)
    dissemination_id = _request(engine, case_id, formats=("pdf",))
    with engine.begin() as conn:
        _approve(conn, dissemination_id)
    with engine.begin() as conn, pytest.raises(disseminations.CaseStateError, match="pdf only"):
        disseminations.export(conn, dissemination_id, fmt="json", by="ana", now=NOW)


def test_the_request_freezes_content_and_a_dismissed_hit_stops_it(
    engine: Engine, travel: Travel
) -> None:
    case_id = _ready_case(engine, travel)
    dissemination_id = _request(engine, case_id)
    with engine.begin() as conn:
        cases.add_note(conn, case_id, text="Added after the request.", by="ana", now=NOW)
        _approve(conn, dissemination_id)
        data = disseminations.package_data(
            conn, dissemination_id, exported_by="ana", exported_at=NOW
        )
    assert [n["text"] for n in data["notes"]] == ["Travels with a companion."]
    _decide(engine, travel.hit, "dismissed", "Second look: a different person.", by="sup")
    with (
        engine.begin() as conn,
        pytest.raises(disseminations.CaseStateError, match="no longer confirmed"),
    ):
        disseminations.export(conn, dissemination_id, fmt="json", by="ana", now=NOW)


def test_pending_list_oldest_first_and_every_step_is_audited(
    engine: Engine, travel: Travel
) -> None:
    case_id = _ready_case(engine, travel)
    first = _request(engine, case_id)
    with engine.begin() as conn:
        second = _ask(
            conn,
            case_id,
            recipient="Border Service",
            formats=["json"],
            now=NOW + timedelta(minutes=5),
        )
        pending = disseminations.list_disseminations(conn, status="requested").items
        # Oldest first: add_travel's own request (at T0) comes before both.
        assert [d["id"] for d in pending] == [travel.dissemination, first, second]
        _approve(conn, first)
        disseminations.reject(
            conn, second, note="Border Service is not competent.", by="sup", now=NOW
        )
        disseminations.export(conn, first, fmt="json", by="ana", now=NOW)
        pending = disseminations.list_disseminations(conn, status="requested").items
        assert [d["id"] for d in pending] == [travel.dissemination]
        statuses = conn.execute(
            select(dissemination_table.c.id, dissemination_table.c.status)
            .where(dissemination_table.c.case_id == case_id)
            .order_by(dissemination_table.c.id)
        ).all()
    assert [tuple(r) for r in statuses] == [(first, "approved"), (second, "rejected")]
    actions = _actions(engine)
    for action in (
        "case.create",
        "case.add_hit",
        "case.note",
        "case.attach",
        "dissemination.request",
        "dissemination.approve",
        "dissemination.reject",
        "dissemination.export",
    ):
        assert action in actions, action
    assert audit.verify(engine).ok
    # No note text, titles or file names in the audit trail: they may be personal data.
    with engine.connect() as conn:
        details = json.dumps(list(conn.execute(select(audit_log.c.detail)).scalars()))
    assert "companion" not in details and "photo.txt" not in details and "Asanov" not in details
