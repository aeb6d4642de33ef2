"""The EDIFACT tokenizer: UNA variants, escapes, repetition, whitespace, positions, limits."""

from __future__ import annotations

import pytest

from piu.errors import EdifactSyntaxError, FormatError
from piu.formats.edifact import (
    NEED_DATA,
    Limits,
    Segment,
    Separators,
    Tokenizer,
    decode,
    detect_encoding,
    tokenize,
    tokenize_decoded,
)


def tags(data: bytes) -> list[str]:
    return [s.tag for s in tokenize(data)]


def incremental(data: bytes, step: int) -> list[Segment]:
    """All segments from the incremental tokenizer, fed ``step`` bytes at a time."""
    t = Tokenizer()
    out = []
    for i in range(0, len(data), step):
        t.feed(data[i : i + step])
        while (event := t.next_event()) is not NEED_DATA:
            assert isinstance(event, Segment)
            out.append(event)
    t.close()
    while (event := t.next_event()) is not NEED_DATA:
        assert isinstance(event, Segment)
        out.append(event)
    assert t.done
    return out


# --------------------------------------------------------------------------- basics


def test_segments_elements_components_and_positions() -> None:
    data = b"UNB+UNOA:4+AIR1+DHS+070218:1545+9'NAD+FL+++CLARK:MICHAEL'UNZ+1+9'"
    segs = tokenize(data)
    assert [s.tag for s in segs] == ["UNB", "NAD", "UNZ"]
    nad = segs[1]
    assert nad.elements == [["FL"], [""], [""], ["CLARK", "MICHAEL"]]
    assert (nad.index, nad.offset) == (2, data.index(b"NAD"))
    assert nad.get(4, 2) == "MICHAEL"
    assert nad.get(2) is None  # empty
    assert nad.get(9) is None  # absent
    assert nad.get(4, 3) is None
    assert segs[0].get(4, 2) == "1545"


def test_get_rejects_zero_based_numbers() -> None:
    seg = Segment("NAD", [["FL"]])
    with pytest.raises(ValueError, match="start at 1"):
        seg.get(0)


def test_empty_input_gives_no_segments() -> None:
    assert tokenize(b"") == []
    assert tokenize(b"  \r\n ") == []


# --------------------------------------------------------------------------- UNA


def test_una_segment_counts_as_segment_one() -> None:
    data = b"UNA:+.? 'UNB+UNOA:3+A+B+200101:0000+1'UNZ+0+1'"
    segs = tokenize(data)
    assert segs[0] == Segment("UNA", [[":+.? '"]], 1, 0)
    assert [(s.tag, s.index, s.offset) for s in segs[1:]] == [("UNB", 2, 9), ("UNZ", 3, 38)]


def test_una_with_asterisk_elements_and_dollar_terminator() -> None:
    # the separators of GTAS airline2.edi: element '*', terminator '$', no repetition
    data = b"UNA:*.? $UNB*UNOA:4*AIR*DHS*070218:1545*1$DOC*P:110:111*178556534$UNZ*1*1$"
    segs = tokenize(data)
    assert [s.tag for s in segs] == ["UNA", "UNB", "DOC", "UNZ"]
    assert segs[2].elements == [["P", "110", "111"], ["178556534"]]
    assert segs[2].repeats is None


def test_una_with_dash_elements_and_star_terminator() -> None:
    data = b"UNA:-.? *UNB-IATA:1-DL--200223:1410-0.579602*UNZ-1-0.579602*"
    segs = tokenize(data)
    assert segs[1].elements[4] == ["0.579602"]  # '.' is only the decimal mark
    assert segs[2].get(2) == "0.579602"


def test_una_syntax4_with_repetition_star() -> None:
    data = b"UNA:+.?*'UNH+1+PAXLST:D:05B:UN:IATA'FTX+AAA+A*B:C*D'UNT+3+1'"
    ftx = tokenize(data)[2]
    assert ftx.elements == [["AAA"], ["A"]]
    assert ftx.repeats == {2: [["A"], ["B", "C"], ["D"]]}


def test_una_syntax3_space_means_no_repetition() -> None:
    data = b"UNA:+.? 'FTX+AAA+A*B'"
    ftx = tokenize(data)[1]
    assert ftx.elements == [["AAA"], ["A*B"]]
    assert ftx.repeats is None


def test_leading_space_before_una_and_every_segment() -> None:
    # GTAS apisMessage.txt: " UNA:+.?*'\n UNB+..." and two segments on one line
    data = b" UNA:+.?*'\n UNB+UNOA:4+AIR1+DHS+070218:1545+1'\n BGM+745'RFF+TN:X'\n UNZ+1+1'\n"
    segs = tokenize(data)
    assert [(s.tag, s.index) for s in segs] == [
        ("UNA", 1),
        ("UNB", 2),
        ("BGM", 3),
        ("RFF", 4),
        ("UNZ", 5),
    ]
    assert [s.offset for s in segs] == [
        data.index(t) for t in (b"UNA", b"UNB", b"BGM", b"RFF", b"UNZ")
    ]


def test_utf8_bom_is_skipped() -> None:
    data = b"\xef\xbb\xbfUNA:+.? 'UNB+UNOW:4+A+B+200101:0000+1'"
    segs = tokenize(data)
    assert [(s.tag, s.offset) for s in segs] == [("UNA", 3), ("UNB", 12)]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"UNA", "cut short"),
        (b"UNA:+.", "cut short"),
        (b"  UNA:+", "cut short"),
        (b"UNA:+.?+'", "also the element separator"),
        (b"UNA:A.? 'X", "letter or digit"),
        (b"UNA: .? 'X", "cannot be a space"),
    ],
)
def test_bad_una_is_a_syntax_error_at_segment_one(data: bytes, reason: str) -> None:
    with pytest.raises(EdifactSyntaxError, match=reason) as info:
        tokenize(data)
    assert info.value.segment_index == 1
    assert info.value.tag == "UNA"
    assert info.value.offset == data.index(b"UNA")


def test_no_una_syntax4_defaults_make_star_a_repetition() -> None:
    data = b"UNB+UNOA:4+A+B+200101:0000+1'FTX+AAA+X*Y'"
    assert tokenize(data)[1].repeats == {2: [["X"], ["Y"]]}


def test_no_una_syntax3_defaults_keep_star_as_data() -> None:
    data = b"UNB+UNOA:3+A+B+200101:0000+1'FTX+AAA+X*Y'"
    assert tokenize(data)[1].elements[1] == ["X*Y"]


def test_unob_control_character_separators_without_una() -> None:
    data = b"UNB\x1dUNOB\x1f4\x1dA\x1dB\x1c\nNAD\x1dFL\x1d\x1d\x1dO'NEIL\x1fJO+ANN\x1c"
    segs = tokenize(data)
    assert segs[0].elements[0] == ["UNOB", "4"]
    assert segs[1].elements[3] == ["O'NEIL", "JO+ANN"]


# --------------------------------------------------------------------------- release


def test_release_character_escapes_every_service_character() -> None:
    data = b"UNA:+.?*'NAD+FL+++O?'NEIL?+SMITH:A?:B?*C??D'UNZ+1+1'"
    nad = tokenize(data)[1]
    assert nad.elements[3] == ["O'NEIL+SMITH", "A:B*C?D"]
    assert nad.repeats is None
    assert nad.offset == 9


def test_release_run_parity_decides_what_is_escaped() -> None:
    # "??'" is an escaped '?' followed by a real terminator; "???'" escapes the terminator
    data = b"UNA:+.? 'FTX+A+X??'FTX+B+Y???'Z'"
    segs = tokenize(data)
    assert [s.elements[1] for s in segs[1:]] == [["X?"], ["Y?'Z"]]


def test_escaped_repetition_separator_is_data() -> None:
    data = b"UNA:+.?*'FTX+A+X?*Y*Z'"
    ftx = tokenize(data)[1]
    assert ftx.elements[1] == ["X*Y"]
    assert ftx.repeats == {2: [["X*Y"], ["Z"]]}


def test_dangling_release_character_at_end() -> None:
    data = b"UNA:+.? 'UNB+UNOA:3+A+B+200101:0000+1'NAD+FL+++X?"
    with pytest.raises(EdifactSyntaxError, match="dangling release") as info:
        tokenize(data)
    assert info.value.segment_index == 3
    assert info.value.tag == "NAD"
    assert info.value.offset == data.index(b"NAD")


# --------------------------------------------------------------------------- whitespace


def test_crlf_and_stray_cr_between_segments() -> None:
    data = b"UNB+UNOA:4+A+B+200101:0000+1'\r\nUNH+1+PAXLST:D:05B:UN:IATA'\r\r\nBGM+745'\rUNT+3+1'\n"
    segs = tokenize(data)
    assert [s.tag for s in segs] == ["UNB", "UNH", "BGM", "UNT"]
    assert [s.offset for s in segs] == [data.index(t) for t in (b"UNB", b"UNH", b"BGM", b"UNT")]
    assert segs[2].elements == [["745"]]


def test_newline_after_every_terminator_and_after_some() -> None:
    every = b"UNB+UNOA:4+A+B+200101:0000+1'\nBGM+745'\nUNZ+1+1'\n"
    some = b"UNB+UNOA:4+A+B+200101:0000+1'\nBGM+745'UNZ+1+1'\n"
    for data in (every, some):
        segs = tokenize(data)
        assert [s.offset for s in segs] == [data.index(t) for t in (b"UNB", b"BGM", b"UNZ")]


def test_final_unz_without_terminator_is_accepted() -> None:
    # several GTAS PNR samples end with "UNZ+1+ref" and no terminator
    data = b"UNB+IATA:1+TZ+X+130523:2210+1'\nUNZ+1+1\n"
    segs = tokenize(data)
    assert segs[-1] == Segment("UNZ", [["1"], ["1"]], 2, data.index(b"UNZ"))
    assert incremental(data, 3) == segs


def test_other_unterminated_final_segment_is_an_error() -> None:
    data = b"UNB+UNOA:4+A+B+200101:0000+1'\nNAD+FL+++SMI"
    with pytest.raises(EdifactSyntaxError, match="no terminator") as info:
        tokenize(data)
    assert (info.value.segment_index, info.value.tag) == (2, "NAD")
    assert info.value.offset == data.index(b"NAD")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "index", "reason"),
    [
        (b"UNB+UNOA:4'nad+FL'", 2, "not 3 upper-case"),
        (b"UNB+UNOA:4'NA+FL'", 2, "not 3 upper-case"),
        (b"UNB+UNOA:4'NADX+FL'", 2, "not 3 upper-case"),
        (b"UNB+UNOA:4''", 2, "empty segment tag"),
        (b"UNB+UNOA:4'\n \n'", 2, "empty segment tag"),
        (b"\x89PNG\r\n\x1a\n'", 1, "not 3 upper-case"),
    ],
)
def test_bad_tags(data: bytes, index: int, reason: str) -> None:
    with pytest.raises(EdifactSyntaxError, match=reason) as info:
        tokenize(data)
    assert info.value.segment_index == index


def test_nul_bytes_and_utf16_are_refused() -> None:
    with pytest.raises(EdifactSyntaxError, match="NUL byte") as info:
        tokenize(b"UNB+UNOA:4'\x00")
    assert info.value.offset == 11
    with pytest.raises(EdifactSyntaxError, match="UTF-16"):
        tokenize("UNA:+.? 'UNB+UNOA:4'".encode("utf-16"))
    with pytest.raises(EdifactSyntaxError, match="NUL byte"):
        tokenize("UNB+UNOA:4'".encode("utf-16-le"))


# --------------------------------------------------------------------------- limits


def test_element_length_limit_names_the_element() -> None:
    limits = Limits(max_element_length=10)
    data = b"UNB+UNOA:4'NAD+FL+++" + b"X" * 11 + b"'"
    with pytest.raises(EdifactSyntaxError, match="11 characters") as info:
        tokenize(data, limits)
    assert (info.value.segment_index, info.value.tag, info.value.element) == (2, "NAD", 4)
    assert info.value.offset == 11
    assert len(tokenize(data.replace(b"X" * 11, b"X" * 10), limits)) == 2


def test_segment_count_limit() -> None:
    limits = Limits(max_segments=3)
    ok = b"UNB+UNOA:4'BGM+745'UNZ+1+1'"
    assert len(tokenize(ok, limits)) == 3
    with pytest.raises(EdifactSyntaxError, match="more than 3 segments") as info:
        tokenize(ok + b"UNZ+1+1'", limits)
    assert info.value.segment_index == 4
    assert info.value.offset == len(ok)
    with pytest.raises(EdifactSyntaxError, match="more than 3 segments"):
        tokenize(b"UNA:+.? '" + ok.replace(b"745", b"7?+5") + b"UNZ'", limits)


def test_interchange_size_limit() -> None:
    limits = Limits(max_interchange_bytes=20)
    with pytest.raises(EdifactSyntaxError, match="limit is 20"):
        tokenize(b"UNB+UNOA:4'" + b"BGM+745'" * 3, limits)
    t = Tokenizer(limits)
    t.feed(b"UNB+UNOA:4'BGM+745'")
    with pytest.raises(EdifactSyntaxError, match="over 20 bytes"):
        t.feed(b"BGM+7'")


# --------------------------------------------------------------------------- encodings


def test_decoding_follows_the_unb_syntax_identifier() -> None:
    cyrillic = "UNB+UNOE:4+A+B+200101:0000+1'NAD+FL+++ИВАНОВ'".encode("iso8859-5")
    assert detect_encoding(cyrillic) == "iso8859-5"
    assert tokenize(cyrillic)[1].get(4) == "ИВАНОВ"
    latin = "UNB+UNOC:4'NAD+FL+++MÜLLER'".encode("latin-1")
    assert tokenize(latin)[1].get(4) == "MÜLLER"
    utf8 = "UNB+UNOW:4'NAD+FL+++ÖZTÜRK'".encode()
    assert detect_encoding(utf8) == "utf-8"


def test_ascii_declared_falls_back_to_utf8_then_latin1_and_says_so() -> None:
    as_utf8 = "UNB+UNOA:4'NAD+FL+++MÜLLER'".encode()
    segs, decoded = tokenize_decoded(as_utf8)
    assert segs[1].get(4) == "MÜLLER"
    assert decoded.codec == "utf-8"
    assert decoded.note is not None and "UNOA" in decoded.note
    as_latin1 = "UNB+UNOA:4'NAD+FL+++MÜLLER'".encode("latin-1")
    segs, decoded = tokenize_decoded(as_latin1)
    assert segs[1].get(4) == "MÜLLER"
    assert decoded.codec == "latin-1"
    assert decode(as_latin1).note == decoded.note


def test_offsets_are_byte_offsets_in_utf8() -> None:
    data = "UNB+UNOW:4'NAD+FL+++ÖZTÜRK:ŞİMŞEK'\nNAD+FL+++Ё'\nUNZ+1+1'".encode()
    segs = tokenize(data)
    assert [s.offset for s in segs] == [
        0,
        data.index(b"NAD"),
        data.rindex(b"NAD"),
        data.index(b"UNZ"),
    ]
    assert [s.tag for s in segs] == ["UNB", "NAD", "NAD", "UNZ"]
    with pytest.raises(EdifactSyntaxError) as info:
        tokenize(data + "ÄÖ+X'".encode())
    assert info.value.offset == len(data)


def test_escaped_utf8_offsets() -> None:
    data = "UNA:+.? 'UNB+UNOW:4'NAD+FL+++ÖZ?'TÜRK'UNZ+1+1'".encode()
    segs = tokenize(data)
    assert segs[2].get(4) == "ÖZ'TÜRK"
    assert segs[3].offset == data.index(b"UNZ")


# --------------------------------------------------------------------------- incremental


SAMPLE = (
    b" UNA:+.?*'\n UNB+UNOA:4+AIR1+DHS+070218:1545+1'\n UNH+1+PAXLST:D:05B:UN:IATA'\n"
    b" NAD+FL+++O?'NEIL:A*B'\n FTX+BAG+++1:2'\r\n UNT+4+1'\n UNZ+1+1'\n"
)


@pytest.mark.parametrize("step", [1, 2, 7, 64, 10_000])
def test_incremental_tokenizer_matches_whole_message(step: int) -> None:
    assert incremental(SAMPLE, step) == tokenize(SAMPLE)


def test_incremental_needs_data_until_a_segment_is_complete() -> None:
    t = Tokenizer()
    assert t.next_event() is NEED_DATA
    t.feed(b"UNA:+.")
    assert t.next_event() is NEED_DATA
    t.feed(b"? 'UNB+UNOA:3+A+B")
    una = t.next_event()
    assert isinstance(una, Segment) and una.tag == "UNA"
    assert t.separators == Separators.SYNTAX3
    assert t.next_event() is NEED_DATA
    t.feed(b"'BGM+745")
    unb = t.next_event()
    assert isinstance(unb, Segment) and (unb.tag, unb.index) == ("UNB", 2)
    assert t.next_event() is NEED_DATA
    assert not t.done
    t.close()
    with pytest.raises(EdifactSyntaxError, match="no terminator"):
        t.next_event()


def test_incremental_feed_after_close_is_a_programming_error() -> None:
    t = Tokenizer()
    t.close()
    with pytest.raises(RuntimeError):
        t.feed(b"UNB'")


def test_incremental_offsets_after_buffer_compaction() -> None:
    body = b"".join(b"FTX+AAA+%06d'\n" % i for i in range(8000))
    data = b"UNB+UNOA:4'\n" + body + b"UNZ+1+1'\n"
    segs = incremental(data, 4096)
    assert segs == tokenize(data)
    assert segs[-1].offset == data.index(b"UNZ")


def test_errors_are_format_errors() -> None:
    assert issubclass(EdifactSyntaxError, FormatError)


# --------------------------------------------------------------------------- oracle


def test_agrees_with_pydifact_on_a_plain_message() -> None:
    pydifact_parser = pytest.importorskip("pydifact.parser")
    text = SAMPLE.decode().replace("\n ", "\n").strip()
    ours = [(s.tag, s.elements) for s in tokenize(text.encode())][1:]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(pydifact_parser.Parser().parse(text))[1:]
    assert [s.tag for s in theirs] == [t for t, _ in ours]
    for (tag, elements), seg in zip(ours, theirs, strict=True):
        flat = [e[0] if len(e) == 1 else e for e in elements]
        if tag == "NAD":  # pydifact keeps the repetition separator as data
            flat[3] = ["O'NEIL", "A*B"]
        assert flat == seg.elements, tag


def test_equal_segments_do_not_share_element_lists() -> None:
    segs = tokenize(b"UNB+UNOA:4'ATT+2++M'\nATT+2++M'\n")
    segs[1].elements[2][0] = "F"
    assert segs[2].elements[2] == ["M"]


@pytest.mark.parametrize(
    "data",
    [
        b"UNA:+.? 'UNB+UNOA:3'NAD+FL+++O?'\nNEIL'\nNAD+FL+++X??'\nUNZ+1+1'\n",
        b"UNA:+.? 'UNB+UNOA:3'NAD+FL+++O?'NEIL'\nATT+2++M'\nUNZ+1+1'\n",
        b"UNA:+.? 'UNB+UNOA:3'\r\nNAD+FL+++A?'\r\nB'\r\nUNZ+1+1'\r\n",
    ],
)
def test_escaped_terminators_next_to_line_breaks(data: bytes) -> None:
    segs = tokenize(data)
    assert incremental(data, 5) == segs
    assert [s.tag for s in segs][-1] == "UNZ"
    for seg in segs:
        assert data[seg.offset : seg.offset + 3] == seg.tag.encode()
    nad = segs[2]
    assert nad.tag == "NAD"
    assert nad.get(4) in ("O'\nNEIL", "O'NEIL", "A'\r\nB")
