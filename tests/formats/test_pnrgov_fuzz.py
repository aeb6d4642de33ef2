"""Property tests: mutated real PNRGOV messages raise nothing but FormatError, never hang,
and whatever reads also round-trips; generated pushes round-trip through the writer."""

from __future__ import annotations

import dataclasses
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piu.domain.booking import (
    DocsInfo,
    FlightSegment,
    Pnr,
    PnrPush,
    PnrTraveller,
    RecordLocator,
    Remark,
    Ssr,
    SsrRef,
)
from piu.errors import FormatError
from piu.formats import pnrgov
from piu.formats.detect import detect
from piu.privacy import redact_raw

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "gtas"
NAMES = ["pnrMessage.txt", "pnrMessageExample.txt", "pnrWithDoco.txt", "pnrMessagePg77.txt"]
SAMPLES = [p.read_bytes() for n in NAMES for p in (CORPUS.rglob(n) if CORPUS.is_dir() else [])]


@contextmanager
def _alarm(seconds: int = 5) -> Iterator[None]:
    def fail(*_: object) -> None:
        raise AssertionError("hang")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _norm(p: PnrPush) -> PnrPush:
    p = dataclasses.replace(p, warnings=[], filtering=[])
    for pnr in p.pnrs:
        pnr.segment_index = pnr.offset = None
        for t in pnr.travellers:
            t.segment_index = t.offset = None
    return p


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "dup", "insert", "truncate"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[i] = draw(st.sampled_from(b"+:'?*\n ABZ019\xff"))
        elif op == "cut":
            del data[i : i + draw(st.integers(1, 40))]
        elif op == "dup":
            data[i:i] = data[i : i + draw(st.integers(1, 80))]
        elif op == "insert":
            data[i:i] = draw(
                st.sampled_from(
                    [b"SRC'", b"TIF+X'", b"TVL+++++1'", b"UNT+1+1'", b"SAC+++X'", b"DAT+2:999999'"]
                )
            )
        else:
            del data[i:]
    return bytes(data)


@pytest.mark.skipif(not SAMPLES, reason="GTAS corpus absent")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_raise_only_format_errors(data: bytes) -> None:
    with _alarm():
        detect(data)
        try:
            pushes = pnrgov.read(data)
        except FormatError:
            return
        again = pnrgov.read(pnrgov.write(pushes))
        assert [_norm(p) for p in again] == [_norm(p) for p in pushes]
        redact_raw(data)


text = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +:'?*", min_size=1, max_size=10)
    .map(str.strip)
    .filter(bool)
)
word = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=8)
airport = st.sampled_from(["LHR", "JFK", "FRU", "ALA", "IST", "QQX"])
days = st.dates(date(2001, 1, 1), date(2098, 12, 31))
clock = st.times().map(lambda t: time(t.hour, t.minute))


@st.composite
def flights(draw: st.DrawFn) -> FlightSegment:
    f = FlightSegment(
        departure_date=draw(days),
        departure_time=draw(clock),
        origin=draw(airport),
        destination=draw(airport),
        marketing_carrier=draw(word),
        flight_number=draw(st.from_regex(r"\A[0-9]{1,4}\Z")),
        booking_class=draw(st.none() | st.just("Y")),
        status=draw(st.none() | st.just("HK")),
        party_size=draw(st.none() | st.just("1")),
        ssrs=[
            Ssr(
                code="SEAT", status="HK", carrier="XX", refs=[SsrRef(seat="12A", traveller_ref="1")]
            )
        ],
    )
    from piu.reference.airports import to_utc

    f.departure_utc = to_utc(datetime.combine(f.departure_date, f.departure_time), f.origin)  # type: ignore[arg-type]
    return f


@st.composite
def pushes(draw: st.DrawFn) -> PnrPush:
    today = date(2026, 3, 1)
    travellers = [
        PnrTraveller(
            surname=draw(text),
            given_names=draw(st.none() | text),
            traveller_type=draw(st.sampled_from([None, "A", "C", "IN"])),
            ref=str(i),
            remarks=[Remark(qualifier="4", info_type="15", lines=[draw(text)])],
            docs=[
                DocsInfo(
                    doc_type="P",
                    number=draw(word),
                    nationality=draw(st.none() | word),
                    date_of_birth=draw(st.dates(date(1927, 3, 2), today)),
                    gender=draw(st.sampled_from([None, "M", "F"])),
                    expiry=draw(st.none() | days),
                    surname=draw(word),
                    status="HK",
                )
            ],
        )
        for i in range(1, draw(st.integers(1, 3)) + 1)
    ]
    pnr = Pnr(
        locators=[
            RecordLocator(system=draw(word), locator=draw(word), created=datetime(2026, 1, 2, 3, 4))
        ],
        travellers=travellers,
        itinerary=draw(st.lists(flights(), max_size=2)),
    )
    return PnrPush(
        message_ref="1",
        interchange_ref="9",
        sender="XX",
        prepared_at=datetime(2026, 3, 1, 5, 45),
        version="13.1",
        push_type=draw(st.sampled_from(["22", "141"])),
        flight=dataclasses.replace(draw(flights()), ssrs=[], status=None, party_size=None),
        declared_pnrs=1,
        pnrs=[pnr],
    )


@settings(max_examples=100, deadline=None)
@given(pushes())
def test_generated_pushes_round_trip(push: PnrPush) -> None:
    again = pnrgov.read(pnrgov.write([push]))
    assert [_norm(p) for p in again] == [_norm(push)]
