"""Redaction of raw PNRGOV XML messages: the XML twin of :func:`piu.privacy.redact_raw`.

Why: sensitive PNR data are deleted on receipt (EU Directive 2016/681 Art. 13(4)), and the
stored raw message must not bring them back. :func:`redact_raw_xml` cuts out of the XML
bytes exactly what :func:`~piu.privacy.minimise` removes from the parsed push, so
``pnrgov_xml.read(redact_raw_xml(raw)[0])`` equals ``minimise(pnrgov_xml.read(raw))`` up to
warnings (element positions) and the log.

How the decision stays the one of :func:`minimise`: the message is read by the PNRGOV XML
reader itself (a subclass that only notes which XML element each SSR, remark and card
holder name came from), :func:`~piu.privacy.minimise.plan` says what goes, and each planned
removal is traced back to its element:

* an ``SSR`` element (under ``PNR``, ``Passenger`` or ``Flight``) -> the whole element;
  ``DOC_SSR``, DOCS/DOCO/DOCA/FQTV/CTCx are never planned (structured data);
* a ``Remark`` or ``OtherServiceInfo`` element of a PNR -> the whole element;
* a card holder name that matches (``payer IFT``) -> the ``CardHolderName`` attribute and
  every ``CardHolderName`` child of that ``PaymentCard``.

The reader maps nothing to ``Pnr.non_air``, ``Pnr.history`` or ``Pnr.history_text``; a
planned removal that cannot be traced to an element is a bug and raises ``RuntimeError``
rather than keeping the data.

Bytes: everything else is copied byte for byte (XML declaration, namespace prefixes,
comments, encoding). A removed element that stood alone on its line takes its line with it.
Positions come from a second pass with expat over the same bytes, after ``defusedxml`` has
accepted them (DOCTYPE and entity declarations are refused, so the second pass sees none).
UTF-8, 8-bit encodings and UTF-16 are handled.

Not redacted: elements the reader does not read at all (e.g. an unknown element under
``PNR``) are kept as sent, as :func:`minimise` never sees them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from array import array
from typing import Any

from piu.domain.booking import Payment, Pnr, Ssr
from piu.errors import MessageStructureError
from piu.formats.pnrgov_xml import _child, _children, _parse, _Reader, _text, _v
from piu.privacy.minimise import DEFAULT_RULES, Removal, SensitiveRules, plan

__all__ = ["redact_raw_xml"]

_HOLDER = "CardHolderName"


class _TracingReader(_Reader):
    """The PNRGOV XML reader, noting the XML origin of every removable object.

    ``origin`` maps ``id(object)`` to ``(object, element, attribute)``: the object is held
    so its id cannot be reused; ``attribute`` is set for a card holder name only."""

    def __init__(self) -> None:
        super().__init__(None)
        self.origin: dict[int, tuple[object, ET.Element, str | None]] = {}

    def _ssr(self, el: ET.Element, path: str) -> Ssr | None:
        s = super()._ssr(el, path)
        if s is not None:
            self.origin[id(s)] = (s, el, None)
        return s

    def _pnr(self, el: ET.Element, path: str) -> Pnr:
        pnr = super()._pnr(el, path)
        # the reader's own rule for PNR remarks: Remark then OtherServiceInfo, if not empty
        sources = [
            r
            for r in _children(el, "Remark") + _children(el, "OtherServiceInfo")
            if _v(r, "Text") or _text(r)
        ]
        if len(sources) != len(pnr.remarks):  # pragma: no cover - reader changed
            raise RuntimeError(f"{path}: cannot trace the PNR remarks to their XML elements")
        for remark, r in zip(pnr.remarks, sources, strict=True):
            self.origin[id(remark)] = (remark, r, None)
        return pnr

    def _payment(self, el: ET.Element) -> Payment:
        p = super()._payment(el)
        card = _child(el, "PaymentCard")
        if p.payer is not None and card is not None:
            self.origin[id(p.payer)] = (p.payer, card, _HOLDER)
        return p


def redact_raw_xml(
    raw: bytes, rules: SensitiveRules = DEFAULT_RULES
) -> tuple[bytes, list[Removal]]:
    """The raw PNRGOV XML message without what :func:`minimise` removes, and the log.

    The log holds the same entries as :func:`minimise` of each push read from ``raw``
    (element and rule, never the value). ``raw`` itself is returned when nothing is removed,
    so redacting twice changes nothing. Raises :class:`~piu.errors.FormatError` subclasses
    when the message cannot be read (as :func:`piu.formats.pnrgov_xml.read` does).
    """
    raw = bytes(raw)
    root = _parse(raw)  # defusedxml, DTDs refused; FormatError subclasses only
    reader = _TracingReader()
    pushes = reader.run(root)
    log: list[Removal] = []
    targets: list[tuple[ET.Element, str | None]] = []
    for push in pushes:
        for target, index, removal in plan(push, rules):
            found = reader.origin.get(id(target))
            if index is not None or found is None or found[0] is not target:
                raise RuntimeError(f"{removal.path}: {removal.element} has no XML origin")
            targets.append((found[1], found[2]))
            log.append(removal)
    if not targets:
        return raw, log
    order = {id(e): i for i, e in enumerate(root.iter())}
    doc = _Doc(raw)
    edits: list[tuple[int, int]] = []
    for el, attribute in targets:
        if attribute is None:
            edits.append(doc.element_cut(order[id(el)]))
            continue
        edits.extend(doc.attribute_cuts(order[id(el)], attribute))
        edits.extend(doc.element_cut(order[id(c)]) for c in _children(el, attribute))
    out = doc.cut(edits)
    if out == raw:  # pragma: no cover - a planned removal always changes the bytes
        raise RuntimeError("planned removals left the XML unchanged")
    return out, log


class _Doc:
    """The raw bytes as one character per code unit (Latin-1 view of 8-bit and UTF-8
    bytes, 16-bit units for UTF-16), with each element's start and end from expat."""

    def __init__(self, raw: bytes) -> None:
        self.unit, self.swap = 1, False
        head = raw[:2]
        if head in (b"\xff\xfe", b"<\x00"):
            self.unit = 2
        elif head in (b"\xfe\xff", b"\x00<"):
            self.unit, self.swap = 2, True
        if self.unit == 1:
            self.text = raw.decode("latin-1")
        else:
            units = array("H")
            units.frombytes(raw[: len(raw) - len(raw) % 2])
            if self.swap != (array("H", [1]).tobytes() == b"\x00\x01"):
                units.byteswap()
            self.text = "".join(map(chr, units))
        self.tail = raw[len(raw) - len(raw) % 2 :] if self.unit == 2 else b""
        self.spans = self._spans(raw)

    def encode(self, text: str) -> bytes:
        if self.unit == 1:
            return text.encode("latin-1")
        units = array("H", map(ord, text))
        if self.swap != (array("H", [1]).tobytes() == b"\x00\x01"):
            units.byteswap()
        return units.tobytes() + self.tail

    def _spans(self, raw: bytes) -> list[tuple[int, int]]:
        """(start, end) in characters of every element, in document order."""
        starts: list[int] = []
        stack: list[int] = []
        ends: dict[int, int] = {}
        p = expat.ParserCreate()

        def start(_name: str, _attrs: Any) -> None:
            stack.append(len(starts))
            starts.append(p.CurrentByteIndex // self.unit)

        def end(_name: str) -> None:
            ends[stack.pop()] = p.CurrentByteIndex // self.unit

        def refuse(*_args: Any) -> None:
            raise MessageStructureError("DOCTYPE or entity declaration in a PNRGOV XML message")

        p.StartElementHandler = start
        p.EndElementHandler = end
        p.StartDoctypeDeclHandler = refuse
        p.EntityDeclHandler = refuse
        try:
            p.Parse(raw, True)
        except expat.ExpatError as exc:  # pragma: no cover - defusedxml accepted the bytes
            raise MessageStructureError(f"not well-formed XML ({exc})") from None
        spans = []
        for i, s in enumerate(starts):
            tag_end = self._tag_end(s)
            if self.text[tag_end - 2] == "/":  # <empty/>
                spans.append((s, tag_end))
            else:
                spans.append((s, self._tag_end(ends[i])))
        return spans

    def _tag_end(self, i: int) -> int:
        """The index after the ``>`` closing the tag that starts at ``i``."""
        quote = None
        text = self.text
        for j in range(i, len(text)):
            c = text[j]
            if quote:
                if c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c == ">":
                return j + 1
        raise MessageStructureError("unterminated tag")  # pragma: no cover - parsed above

    def element_cut(self, index: int) -> tuple[int, int]:
        """The element's span, widened to its whole line when it stands alone on it."""
        s, e = self.spans[index]
        text = self.text
        ls = s
        while ls > 0 and text[ls - 1] in " \t":
            ls -= 1
        le = e
        while le < len(text) and text[le] in " \t":
            le += 1
        alone_before = ls == 0 or text[ls - 1] in "\r\n"
        if alone_before and text.startswith("\r\n", le):
            return ls, le + 2
        if alone_before and text.startswith("\n", le):
            return ls, le + 1
        return s, e

    _ATTR = re.compile(r"(\s+)([^\s=/>]+)(\s*=\s*)(\"[^\"]*\"|'[^']*')")
    _NAME = re.compile(r"<[^\s/>]+")

    def attribute_cuts(self, index: int, name: str) -> list[tuple[int, int]]:
        """The spans of attribute ``name`` (no prefix) in the element's start tag."""
        s, _ = self.spans[index]
        stop = self._tag_end(s)
        head = self._NAME.match(self.text, s)
        pos = head.end() if head else stop
        cuts = []
        while (m := self._ATTR.match(self.text, pos, stop)) is not None:
            if m.group(2) == name:
                cuts.append((m.start(), m.end()))
            pos = m.end()
        return cuts

    def cut(self, edits: list[tuple[int, int]]) -> bytes:
        parts = []
        pos = 0
        for s, e in sorted(set(edits)):
            if e <= pos:  # inside a span already cut
                continue
            parts.append(self.text[pos : max(s, pos)])
            pos = e
        parts.append(self.text[pos:])
        return self.encode("".join(parts))
