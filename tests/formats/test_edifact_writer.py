"""The EDIFACT writer: escaping, repetitions, and write -> tokenize round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piu.formats.edifact import Separators, escape, tokenize, write_segments


def test_escape_every_service_character() -> None:
    assert escape("O'NEIL+A:B*C?D") == "O?'NEIL?+A?:B?*C??D"
    assert escape("PLAIN 1.5") == "PLAIN 1.5"  # decimal mark needs no escape
    assert escape("A*B", Separators.SYNTAX3) == "A*B"  # no repetition separator in syntax 3


def test_escape_without_release_character_is_refused() -> None:
    no_release = Separators(release=" ", repetition=" ")
    assert escape("SMITH", no_release) == "SMITH"
    with pytest.raises(ValueError, match="no release character"):
        escape("O'NEIL", no_release)


def test_write_segments_with_una_and_newlines() -> None:
    text = write_segments(
        [("UNB", [["UNOA", "4"], ["A"]]), ("NAD", [["FL"], [""], [""], ["O'NEIL", "JO"]])],
        newline=True,
    )
    assert text == "UNA:+.?*'\nUNB+UNOA:4+A'\nNAD+FL+++O?'NEIL:JO'\n"


def test_write_segments_skips_una_segments_and_writes_repeats() -> None:
    segs = tokenize(b"UNA:+.?*'FTX+AAA+A*B:C*D'")
    assert segs[1].repeats is not None
    text = write_segments(segs)
    assert text == "UNA:+.?*'FTX+AAA+A*B:C*D'"
    with pytest.raises(ValueError, match="no repetition separator"):
        write_segments(segs, Separators.SYNTAX3)


def test_write_segments_custom_separators() -> None:
    seps = Separators(element="*", repetition=" ", terminator="$")
    text = write_segments([("DOC", [["P", "110", "111"], ["A*B$C"]])], seps, una=True)
    assert text == "UNA:*.? $DOC*P:110:111*A?*B?$C$"
    assert tokenize(text.encode())[1].elements == [["P", "110", "111"], ["A*B$C"]]


def test_write_segments_refuses_bad_tags() -> None:
    with pytest.raises(ValueError, match="not 3 upper-case"):
        write_segments([("nad", [["FL"]])])


def test_rewriting_a_tokenized_message_is_faithful() -> None:
    data = b"UNA:+.?*'UNB+UNOA:4+A+B+200101:0000+1'NAD+FL+++JIANG:HSIUYUAN:'LOC+91+'UNZ+1+1'"
    assert write_segments(tokenize(data)).encode() == data


_SEPARATOR_SETS = [
    Separators.DEFAULT,
    Separators.SYNTAX3,
    Separators(":", "*", ".", "?", " ", "$"),
    Separators(":", "-", ".", "?", " ", "*"),
    Separators(":", "+", ".", "\\", "*", "'"),
    Separators(":", "+", ",", "?", "^", "~"),
]
values = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12
)
elements = st.lists(st.lists(values, min_size=1, max_size=4), max_size=6)
tag_names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3).filter(
    lambda t: t != "UNA"
)


@settings(max_examples=200, deadline=1000)
@given(
    seps=st.sampled_from(_SEPARATOR_SETS),
    segments=st.lists(st.tuples(tag_names, elements), max_size=8),
    newline=st.booleans(),
)
def test_write_then_tokenize_gives_the_values_back(
    seps: Separators, segments: list[tuple[str, list[list[str]]]], newline: bool
) -> None:
    text = write_segments(segments, seps, una=True, newline=newline)
    # no UNB, so the ASCII policy applies: bytes that are valid UTF-8 decode as UTF-8
    back = tokenize(text.encode("utf-8"))
    assert back[0].tag == "UNA"
    assert [(s.tag, s.elements) for s in back[1:]] == [(t, e) for t, e in segments]
    assert [s.index for s in back] == list(range(1, len(segments) + 2))
