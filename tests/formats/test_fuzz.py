"""Property tests on broken input: real messages, mutated every way bytes get broken.

The one property: :func:`paxlst.read`, :func:`tokenize`, the incremental tokenizer and
:func:`detect` either succeed or raise :class:`~piu.errors.FormatError` (``detect`` never
raises), in bounded time. A SIGALRM timer turns a hang into a failure; hypothesis'
deadline catches slowness. When ``read`` succeeds on mutated bytes, what it read must also
survive a write/read round trip.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piu.domain.travel import (
    BagInfo,
    Flight,
    PassengerList,
    ReportingParty,
    Stop,
    TravelDocument,
    Traveller,
    TravellerRole,
)
from piu.errors import FormatError
from piu.formats import paxlst
from piu.formats.detect import detect
from piu.formats.edifact import NEED_DATA, Limits, Tokenizer, tokenize
from tests.formats.helpers import comparable, gtas_files

T = TypeVar("T")
SECONDS = 5  # far above any single call (milliseconds); only a hang gets there


def _synthetic() -> bytes:
    """A message with every construct the reader knows, escapes and repetitions included."""
    from datetime import date, datetime

    pl = PassengerList(
        message_ref="F1",
        interchange_ref="42",
        sender="KC",
        recipient="KGZAPI",
        prepared_at=datetime(2026, 3, 1, 5, 45),
        syntax="UNOA:4",
        directory="D05B",
        transaction_ref="T?1",
        reporting_party=ReportingParty(name="O'NEIL+CO", phone="1:2", email="A*B"),
        flights=[
            Flight(
                flight_id="KC109",
                carrier="KC",
                number="109",
                stops=[
                    Stop(
                        airport="ALA", qualifier="125", departure_local=datetime(2026, 3, 1, 6, 30)
                    ),
                    Stop(airport="IST", qualifier="87", arrival_local=datetime(2026, 3, 1, 10, 45)),
                ],
            )
        ],
        travellers=[
            Traveller(
                role=TravellerRole.PASSENGER,
                surname="D'ARCY",
                given_names="JO:ANN",
                gender="F",
                date_of_birth=date(1985, 9, 14),
                bags=BagInfo(count=2, weight=12.5, weight_unit="KGM", tags=["0099", "0100"]),
                other_locations={"22": "IST"},
                contacts={"TE": "+996"},
                other_refs={"AEA": "X'Y"},
                documents=[TravelDocument(number="AC1", doc_type="P", expiry=date(2030, 1, 1))],
            )
        ],
        declared_passengers=1,
    )
    return paxlst.write(pl)


SEEDS = [p.read_bytes() for p in gtas_files() if b"PAXLST" in p.read_bytes()[:300]]
SEEDS.append(_synthetic())
seeds = st.sampled_from(SEEDS)


class HangError(Exception):
    pass


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def on_alarm(signum: int, frame: object) -> None:
        raise HangError(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def outcome(call: Callable[[], T]) -> T | FormatError:
    """The result of ``call`` or the FormatError it raised; any other exception fails."""
    with time_limit(SECONDS):
        try:
            return call()
        except FormatError as exc:
            assert exc.reason  # every error says why
            if exc.offset is not None:
                assert exc.offset >= 0
            return exc


def incremental(data: bytes, step: int) -> list[object]:
    t = Tokenizer()
    out: list[object] = []
    for i in range(0, len(data), step):
        t.feed(data[i : i + step])
        while (event := t.next_event()) is not NEED_DATA:
            out.append(event)
    t.close()
    while (event := t.next_event()) is not NEED_DATA:
        out.append(event)
    return out


def check(data: bytes) -> None:
    """The property, on every entry point."""
    with time_limit(SECONDS):
        assert detect(data) in ("paxlst", "pnrgov", "pnrgov-xml", "unknown")
    tokens = outcome(lambda: tokenize(data))
    stream = outcome(lambda: incremental(data, 97))
    if isinstance(tokens, list) and data.isascii():
        assert stream == tokens
    lists = outcome(lambda: paxlst.read(data))
    if isinstance(lists, list):
        assert lists and all(isinstance(pl, PassengerList) for pl in lists)
        try:
            written = paxlst.write(lists)
        except ValueError as exc:  # the declared character set cannot carry what was read
            assert "cannot carry" in str(exc)
            return
        back = outcome(lambda: paxlst.read(written))
        assert isinstance(back, list), back
        assert [comparable(pl) for pl in back] == [comparable(pl) for pl in lists]


fuzz = settings(
    max_examples=80,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@fuzz
@given(seed=seeds, data=st.data())
def test_truncated_anywhere(seed: bytes, data: st.DataObject) -> None:
    check(seed[: data.draw(st.integers(0, len(seed)))])


@fuzz
@given(seed=seeds, data=st.data())
def test_random_byte_flips(seed: bytes, data: st.DataObject) -> None:
    buf = bytearray(seed)
    for _ in range(data.draw(st.integers(1, 8))):
        buf[data.draw(st.integers(0, len(buf) - 1))] = data.draw(st.integers(0, 255))
    check(bytes(buf))


@fuzz
@given(seed=seeds, data=st.data())
def test_random_insertions_and_deletions(seed: bytes, data: st.DataObject) -> None:
    buf = bytearray(seed)
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(buf)))
        if data.draw(st.booleans()):
            buf[pos:pos] = data.draw(st.binary(min_size=1, max_size=6))
        else:
            del buf[pos : pos + data.draw(st.integers(1, 20))]
    check(bytes(buf))


SERVICE = b"+:'?* $-\n\r"


@fuzz
@given(seed=seeds, old=st.sampled_from(list(SERVICE)), new=st.sampled_from(list(SERVICE)))
def test_wrong_separators(seed: bytes, old: int, new: int) -> None:
    check(seed.replace(bytes([old]), bytes([new])))


@fuzz
@given(seed=seeds, body=st.binary(min_size=6, max_size=6))
def test_any_una_body(seed: bytes, body: bytes) -> None:
    start = seed.find(b"UNB")
    check(b"UNA" + body + seed[start:])


@pytest.mark.parametrize(
    "head", [b"UNA", b" UNA", b"UNA:+", b"UNA:+.?*", b"UNA\n", b"\xef\xbb\xbfUNA"]
)
def test_una_without_body(head: bytes) -> None:
    check(head)
    with pytest.raises(FormatError):
        paxlst.read(head)


@fuzz
@given(
    prefix=st.sampled_from([b"", b"UNA:+.?*'", b"UNB+UNOA:4+", b"<?xml ", b"<!DOCTYPE x ["]),
    junk=st.binary(max_size=3000),
)
def test_binary_garbage(prefix: bytes, junk: bytes) -> None:
    check(prefix + junk)


@fuzz
@given(seed=seeds, data=st.data())
def test_huge_segments(seed: bytes, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(seed)))
    size = data.draw(st.sampled_from([4095, 4096, 4097, 50_000]))
    filler = data.draw(st.sampled_from([b"X", b"+", b":", b"?", b"'"]))
    check(seed[:pos] + filler * size + seed[pos:])


@fuzz
@given(
    seed=seeds, encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp500"])
)
def test_other_encodings(seed: bytes, encoding: str) -> None:
    check(seed.decode("latin-1").encode(encoding))


@fuzz
@given(seed=seeds, data=st.data())
def test_non_ascii_names(seed: bytes, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["MÜLLER", "ÖZTÜRK", "ИВАНОВ", "محمد", "ŞİMŞEK"]))
    encoding = data.draw(st.sampled_from(["utf-8", "latin-1", "iso8859-5", "cp1251"]))
    try:
        raw = name.encode(encoding)
    except UnicodeEncodeError:
        raw = name.encode("utf-8")
    pos = seed.find(b"NAD+FL+++")
    if pos < 0:
        pos = 0
    check(seed[: pos + 9] + raw + seed[pos + 9 :])


@fuzz
@given(seed=seeds, data=st.data())
def test_segments_shuffled_dropped_and_repeated(seed: bytes, data: st.DataObject) -> None:
    body = seed[seed.find(b"UNB") :]
    segments = [s for s in body.split(b"'") if s.strip()]
    picked = data.draw(st.lists(st.sampled_from(segments), max_size=len(segments) + 5))
    check(b"'\n".join(picked) + b"'\n")


def test_limits_hold_on_a_real_message() -> None:
    seed = SEEDS[0]
    with pytest.raises(FormatError):
        paxlst.read(seed, limits=Limits(max_segments=5))
    with pytest.raises(FormatError):
        paxlst.read(seed, limits=Limits(max_interchange_bytes=100))
