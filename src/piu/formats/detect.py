"""Which reader a raw message needs, decided from its first bytes.

Why separate from the readers: ingest must route every inbound message (and record the
type of those it cannot parse) without paying for a full parse, and the decision must never
raise. Only the start of the data is looked at (:data:`PEEK_BYTES`):

* EDIFACT: the message type in UNH S009 (``PAXLST``, ``PNRGOV``), or failing a UNH, the
  message group identification of UNG (0038), read with the interchange's own separators
  by the incremental tokenizer.
* XML: the local name of the root element; ``IATA_PNRGOV_NotifRQ`` (with or without a
  namespace prefix) is PNRGOV XML (IATA PADIS PNRGOV XML schema 13.1+). So is another
  root whose head holds a ``PNR`` element *and* the IATA PNRGOV namespace (community files
  wrap bare PNR elements in their own element, e.g. ``DaneXML``); a ``PNR`` element alone
  is too common a name to decide on.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from piu.errors import FormatError
from piu.formats.edifact import NEED_DATA, Segment, Tokenizer

__all__ = ["PEEK_BYTES", "MessageKind", "detect"]

MessageKind = Literal["paxlst", "pnrgov", "pnrgov-xml", "unknown"]

PEEK_BYTES: Final = 65536
_MAX_SEGMENTS_BEFORE_UNH: Final = 8
_EDIFACT_TYPES: Final[dict[str, MessageKind]] = {"PAXLST": "paxlst", "PNRGOV": "pnrgov"}
_XML_ROOTS: Final[dict[str, MessageKind]] = {"IATA_PNRGOV_NotifRQ": "pnrgov-xml"}
_XML_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")
_IATA_NS: Final = "http://www.iata.org/IATA/2007/00"
_PNR_START = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?PNR[\s/>]")


def _xml_root(text: str) -> str | None:
    """Local name of the first element, skipping the XML declaration, processing
    instructions, comments and a DOCTYPE (with an internal subset). Linear: ``str.find``
    only, so no crafted prolog can make it slow."""
    pos = 0
    n = len(text)
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            return None
        if text.startswith("<?", lt):
            end, skip = text.find("?>", lt), 2
        elif text.startswith("<!--", lt):
            end, skip = text.find("-->", lt), 3
        elif text.startswith("<!", lt):
            bracket = text.find("[", lt)
            close = text.find(">", lt)
            if 0 <= bracket < close:  # internal subset: ends with "]" then ">"
                end, skip = text.find("]>", bracket), 2
                if end >= 0:
                    end = text.find(">", end)
                    skip = 1
            else:
                end, skip = close, 1
        else:
            m = _XML_NAME.match(text, lt + 1)
            return m.group(0).rpartition(":")[2] if m else None
        if end < 0:
            return None
        pos = end + skip
    return None


def _detect_xml(head: bytes) -> MessageKind | None:
    """The XML verdict, or ``None`` when the data is not XML."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff \t\r\n")
    if not text.startswith("<"):
        return None
    root = _xml_root(text)
    kind = _XML_ROOTS.get(root or "", "unknown")
    if kind == "unknown" and _IATA_NS in text and _PNR_START.search(text):
        return "pnrgov-xml"
    return kind


def _detect_edifact(head: bytes, complete: bool) -> MessageKind:
    tokenizer = Tokenizer()
    tokenizer.feed(head)
    if complete:
        tokenizer.close()
    group: MessageKind = "unknown"
    for _ in range(_MAX_SEGMENTS_BEFORE_UNH):
        event = tokenizer.next_event()
        if event is NEED_DATA or not isinstance(event, Segment):
            break
        if event.tag == "UNH":
            name = event.get(2) or ""
            return _EDIFACT_TYPES.get(name.upper(), "unknown")
        if event.tag == "UNG":
            group = _EDIFACT_TYPES.get((event.get(1) or "").upper(), "unknown")
    return group


def detect(data: bytes) -> MessageKind:
    """``"paxlst"``, ``"pnrgov"``, ``"pnrgov-xml"`` or ``"unknown"``; never raises on bytes."""
    head = data[:PEEK_BYTES]
    xml = _detect_xml(head)
    if xml is not None:
        return xml
    try:
        return _detect_edifact(head, complete=len(data) <= PEEK_BYTES)
    except FormatError:
        return "unknown"
