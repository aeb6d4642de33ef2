"""Message type detection from the first bytes."""

from __future__ import annotations

import pytest

from piu.formats.detect import PEEK_BYTES, detect

PAXLST = b"UNA:+.?*'UNB+UNOA:4+A+B+260301:0000+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
PNRGOV = b"UNB+IATA:1+XL++200217:0540+4731'UNH+1+PNRGOV:13:1:IA+123456789'MSG+:22'"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PAXLST, "paxlst"),
        (b"  \r\n" + PAXLST, "paxlst"),
        (
            PAXLST.replace(b"UNA:+.?*'", b"UNA:*.? $").replace(b"+", b"*").replace(b"'", b"$"),
            "paxlst",
        ),
        (PNRGOV, "pnrgov"),
        (b"UNA:-.? *UNB-IATA:1-DL--200223:1410-0.5*UNH-1-PNRGOV:13:1:IA-1*", "pnrgov"),
        # no UNH within reach: the functional group says what follows
        (b"UNB+UNOA:4+A+B+260301:0000+1'UNG+PAXLST+A+B+260301:0000+1+UN+D:05B'", "paxlst"),
        (b"UNB+UNOA:4+A+B+260301:0000+1'UNH+1+CUSRES:D:05B:UN:IATA'", "unknown"),
        (
            b"<?xml version='1.0'?>\n<IATA_PNRGOV_NotifRQ xmlns='http://www.iata.org/IATA/2007/00'>",
            "pnrgov-xml",
        ),
        (
            b"\xef\xbb\xbf<?xml version='1.0'?><!-- push --><!DOCTYPE x [<!ENTITY a 'b'>]>"
            b"<ns1:IATA_PNRGOV_NotifRQ xmlns:ns1='x'>",
            "pnrgov-xml",
        ),
        ("<IATA_PNRGOV_NotifRQ/>".encode("utf-16"), "pnrgov-xml"),
        (b"<DaneXML><PNR/></DaneXML>", "unknown"),  # bare PNR elements: not the envelope
        (b'{"acknowledgment": true}', "unknown"),
        (b"", "unknown"),
        (b"\x00\x01\x02", "unknown"),
        (b"UNA", "unknown"),
        ("UNA:+.? 'UNH+1+PAXLST:D:05B'".encode("utf-16"), "unknown"),
    ],
)
def test_detect(data: bytes, kind: str) -> None:
    assert detect(data) == kind


def test_detect_reads_only_the_head() -> None:
    # a huge message whose tail is garbage is still detected from its head
    data = PAXLST + b"NAD+FL+++X'" * (PEEK_BYTES // 8) + b"\x00garbage"
    assert detect(data) == "paxlst"
    # a UNH only after many other segments is not searched for: the head must say it
    far = b"UNB+UNOA:4+A+B+260301:0000+1'" + b"UNG+XXX'" * 20 + PAXLST[9:]
    assert detect(far) == "unknown"


def test_crafted_xml_prolog_stays_linear() -> None:
    # an unclosed internal subset made a regex-based prolog skipper quadratic
    import time

    start = time.process_time()
    assert detect(b"<!DOCTYPE " + b"[" * 60_000) == "unknown"
    assert detect(b"<!--" + b"-" * 60_000) == "unknown"
    assert detect(b"<?" * 30_000) == "unknown"
    assert time.process_time() - start < 1.0
