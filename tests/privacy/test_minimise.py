"""Minimisation: Annex I coverage, sensitive SSRs and free text removed, log without values,
and the raw redaction agreeing with the minimised push."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from piu.domain.booking import PnrPush
from piu.formats import pnrgov
from piu.privacy import ANNEX_I, NOT_LISTED, SensitiveRules, minimise, redact_raw
from piu.privacy.minimise import _field_names

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "gtas"
MSG = next(iter(CORPUS.rglob("pnrMessage.txt")), None) if CORPUS.is_dir() else None
needs_corpus = pytest.mark.skipif(MSG is None, reason="GTAS corpus absent")


def _norm(p: PnrPush) -> PnrPush:
    p = dataclasses.replace(p, warnings=[], filtering=[])
    for pnr in p.pnrs:
        pnr.segment_index = pnr.offset = None
        for t in pnr.travellers:
            t.segment_index = t.offset = None
    return p


def _sensitive_raw() -> bytes:
    assert MSG is not None
    raw = MSG.read_bytes()
    raw = raw.replace(b"THIS PASSENGER IS A VIP", b"PAX NEEDS WHEELCHAIR AT JFK")
    raw = raw.replace(b"SSR+AVML:HK:2:DL\n", b"SSR+MOML:HK:2:DL\n", 1)
    raw = raw.replace(
        b"APD+767\n", b"APD+767\nSSR+WCHR:HK:1:DL+::1\nSSR+OTHS:HK:1:DL:::::PAX IS DIABETIC\n", 1
    )
    return raw


def test_every_domain_field_is_listed_or_dropped() -> None:
    allowed = {f for _, fs in ANNEX_I.values() for f in fs} | set(NOT_LISTED)
    positional = {
        "Pnr.segment_index",
        "Pnr.offset",
        "PnrTraveller.segment_index",
        "PnrTraveller.offset",
    }
    header = {
        f"PnrPush.{n}"
        for n in (
            "message_ref",
            "interchange_ref",
            "sender",
            "recipient",
            "prepared_at",
            "version",
            "common_access_ref",
            "sequence",
            "sequence_mark",
            "push_type",
            "pnrs",
            "warnings",
            "filtering",
        )
    }  # message metadata, not PNR data elements
    unmapped = _field_names() - allowed - positional - header
    # fields of nested objects whose parent field is mapped as a whole
    nested_ok = {
        f
        for f in unmapped
        if f.split(".")[0] in ("FlightSegment", "Ticket", "Payment", "PnrTraveller")
    }
    assert unmapped - nested_ok == set()
    assert len(ANNEX_I) == 19


@needs_corpus
def test_minimise_removes_sensitive_data_and_logs_no_value() -> None:
    push = pnrgov.read(_sensitive_raw())[0]
    out, log = minimise(push)
    text = repr(out)
    for word in ("MOML", "WCHR", "WHEELCHAIR", "DIABETIC"):
        assert word not in text
    assert "SEAT" in text and "SMITHJR" in text  # the rest stays
    assert not out.pnrs[0].non_air  # Gr9 hotel: not an Annex I element
    assert len(push.pnrs[0].non_air) == 1  # input untouched
    for entry in log:
        s = str(entry)
        for word in ("MOML", "WCHR", "WHEELCHAIR", "DIABETIC", "AVML", "religion", "health"):
            assert word not in s
    assert {e.rule for e in log} == {"sensitive-ssr", "sensitive-text", "annex-i"}
    assert out.filtering == [str(e) for e in log]


@needs_corpus
def test_redact_raw_matches_minimise_and_cannot_come_back() -> None:
    raw = _sensitive_raw()
    redacted, _log = redact_raw(raw)
    for word in (b"MOML", b"WCHR", b"WHEELCHAIR", b"DIABETIC", b"VANCOUVER ARMS"):
        assert word not in redacted
    again = pnrgov.read(redacted)[0]
    minimised, _ = minimise(pnrgov.read(raw)[0])
    assert _norm(again) == _norm(minimised)
    # the UNT count moved by exactly the segments cut out
    assert redact_raw(redacted)[0] == redacted
    _, second_log = minimise(again)
    assert second_log == []


@needs_corpus
def test_rules_are_configurable() -> None:
    push = pnrgov.read(_sensitive_raw())[0]
    out, log = minimise(push, SensitiveRules(ssr_codes={}, keywords={}, drop_not_listed=False))
    assert log == [] and _norm(out) == _norm(push)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="GTAS corpus absent")
@pytest.mark.parametrize(
    "name", ["pnrWithBags.txt", "pnrMessagePg77.txt", "bigbigPnr.txt", "pnrWithDoco.txt"]
)
def test_redaction_agrees_on_corpus(name: str) -> None:
    raw = next(CORPUS.rglob(name)).read_bytes()
    redacted, _ = redact_raw(raw)
    expect = [_norm(minimise(p)[0]) for p in pnrgov.read(raw)]
    assert [_norm(p) for p in pnrgov.read(redacted)] == expect
