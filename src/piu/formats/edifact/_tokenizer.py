"""Bytes in, segments out: the EDIFACT tokenizer, whole-message and incremental.

Why our own: no Python package splits EDIFACT with exact byte positions, honours every UNA
variant seen from airlines, and survives arbitrary bytes (DESIGN.md, "Choices already
weighed": pydifact stays a test oracle). This module knows nothing about PAXLST or PNRGOV;
it only turns bytes into :class:`Segment`.

Rules implemented (ISO 9735-1 syntax 4, sections 7-10; PAXLST MIG v3.0 section 3):

* UNA service string advice: exactly six characters after ``UNA``, any separators
  (``UNA:+.?*'``, ``UNA:+.? '``, ``UNA:*.? $``, ``UNA:-.? *`` all occur in airline files).
  Without UNA the defaults of the syntax version in UNB 0002 apply (``*`` repetition only
  in syntax 4), or the IS1/IS3/IS4 control characters when UNB is written with them (UNOB).
* The release character (``?``) makes the next character literal; ``??`` is a literal
  ``?``. A character is escaped when an odd run of release characters precedes it.
* Syntax 4 repetition (``*``): an element with unescaped repetition separators keeps its
  first repetition in :attr:`Segment.elements` and all of them in :attr:`Segment.repeats`.
* Whitespace (space, tab, CR, LF) and a UTF-8 byte order mark before a segment are skipped:
  real files put a newline, and sometimes a space, before every segment.
* Every segment ends with the terminator, except that a final ``UNZ`` without one is
  accepted (several airline samples end so; nothing can follow the interchange trailer).
* Tags are three upper-case letters or digits. Everything else is an
  :class:`~piu.errors.EdifactSyntaxError` with ``segment_index``, ``tag`` and ``offset`` (a
  BYTE offset into the raw input, even for UTF-8), never any other exception.

Speed (see ``bench/parse_paxlst.py``): segments are cut with ``str.split`` on the
terminator, element and component separators; when the release character occurs at all,
pieces whose end escapes the separator are joined again (release-run parity), and only the
segments that contain it take a per-character path. The cyclic garbage collector is paused
while a message is split (:func:`gc_paused`).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from piu.errors import EdifactSyntaxError
from piu.formats.edifact._charset import Decoded, check_binary, codec_for, decode_bytes
from piu.formats.edifact._separators import Limits, Separators

__all__ = [
    "NEED_DATA",
    "Segment",
    "Tokenizer",
    "decode",
    "detect_encoding",
    "tokenize",
    "tokenize_decoded",
]


class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


NEED_DATA: Final = _Sentinel("NEED_DATA")
"""Returned by :meth:`Tokenizer.next_event` when no complete segment is buffered."""

_WS: Final = " \t\r\n"
_WS_BYTES: Final = b" \t\r\n"
_BOM: Final = b"\xef\xbb\xbf"
_TAG_CHARS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_valid_tags: set[str] = set()  # cache of tags already checked; at most 36**3 entries


@dataclass(slots=True)
class Segment:
    """One segment: its tag and data elements, each element a list of its components.

    Release characters are already removed from the values. ``index`` counts segments from
    1, UNA included when present; ``offset`` is the byte offset of the tag in the raw input.
    ``repeats`` maps a 1-based element number to all its repetitions (syntax 4 only).
    The UNA segment itself is reported with a single element holding its six characters.
    """

    tag: str
    elements: list[list[str]]
    index: int = 0
    offset: int = 0
    repeats: dict[int, list[list[str]]] | None = None

    def get(self, element: int, component: int = 1) -> str | None:
        """Value of data element ``element``, component ``component`` (both 1-based), or
        ``None`` when absent or empty."""
        if element < 1 or component < 1:
            raise ValueError("element and component numbers start at 1")
        try:
            value = self.elements[element - 1][component - 1]
        except IndexError:
            return None
        return value or None


# --------------------------------------------------------------------------- prefix


@dataclass(slots=True)
class _Prefix:
    """What the start of an interchange says: UNA, separators, UNB character set."""

    start: int  # byte offset of the first segment (after BOM and whitespace)
    una_body: str | None
    separators: Separators
    body_start: int  # byte offset right after UNA (== start without UNA)
    syntax_id: str | None
    syntax_version: str | None


def _skip_ws(data: bytes, i: int) -> int:
    n = len(data)
    while i < n and data[i] in _WS_BYTES:
        i += 1
    return i


def _read_prefix(data: bytes, *, final: bool) -> _Prefix | None:
    """Read UNA and the UNB syntax identifier; ``None`` if more bytes are needed."""
    i = _skip_ws(data, 3 if data.startswith(_BOM) else 0)
    start = i
    n = len(data)
    if n - i < 3 and not final:
        return None
    separators: Separators | None = None
    una_body: str | None = None
    if data.startswith(b"UNA", i):
        raw = data[i + 3 : i + 9]
        if len(raw) < 6:
            if not final:
                return None
            raise EdifactSyntaxError(
                f"UNA service string advice is cut short: it needs 6 characters after 'UNA', "
                f"found {len(raw)}",
                segment_index=1,
                tag="UNA",
                offset=i,
            )
        una_body = raw.decode("latin-1")
        try:
            separators = Separators.from_una_body(una_body)
        except ValueError as exc:
            raise EdifactSyntaxError(
                f"unusable UNA service string advice {una_body!r}: {exc}",
                segment_index=1,
                tag="UNA",
                offset=i,
            ) from None
        i += 9
    body_start = i
    k = _skip_ws(data, i)
    if n - k < 4 and not final:
        return None
    syntax_id: str | None = None
    version: str | None = None
    if data.startswith(b"UNB", k):
        if separators is None and data[k + 3 : k + 4] == b"\x1d":
            separators = Separators.UNOB
        seps = separators or Separators.DEFAULT
        stops = {ord(seps.element), ord(seps.terminator)}
        j = k + 4
        limit = min(n, j + 40)
        while j < limit and data[j] not in stops:
            j += 1
        if j == limit and limit == n and not final:
            return None
        first = data[k + 4 : j].decode("latin-1").split(seps.component)
        if first[0].isalnum() and first[0].isascii():
            syntax_id = first[0].upper()
        if len(first) > 1 and first[1].isdigit():
            version = first[1]
    if separators is None:
        separators = Separators.DEFAULT if version == "4" else Separators.SYNTAX3
    return _Prefix(start, una_body, separators, body_start, syntax_id, version)


# --------------------------------------------------------------------------- helpers


def _check_tag(tag: str, index: int, offset: int) -> None:
    if len(tag) == 3 and all(c in _TAG_CHARS for c in tag):
        _valid_tags.add(tag)
        return
    if not tag:
        reason = "empty segment tag (two terminators in a row, or a stray terminator?)"
    else:
        shown = tag if len(tag) <= 20 else tag[:20] + "..."
        reason = f"segment tag {shown!r} is not 3 upper-case letters or digits"
    raise EdifactSyntaxError(reason, segment_index=index, tag=tag[:3] or None, offset=offset)


def _check_lengths(tag: str, parts: list[str], maxlen: int, index: int, offset: int) -> None:
    for number, part in enumerate(parts[1:], 1):
        if len(part) > maxlen:
            raise EdifactSyntaxError(
                f"data element is {len(part)} characters long; the limit is {maxlen}",
                segment_index=index,
                tag=tag,
                element=number,
                offset=offset,
            )


def _odd_release_tail(s: str, rel: str) -> bool:
    """True when ``s`` ends with an odd run of release characters, i.e. the character that
    follows ``s`` is escaped (``??`` is a literal ``?``, so only the parity counts)."""
    return s[-1:] == rel and (len(s) - len(s.rstrip(rel))) % 2 == 1


def _split_unescaped(s: str, ch: str, rel: str) -> list[str]:
    """Split ``s`` on unescaped ``ch``, keeping escapes in the pieces.

    ``str.split`` first, then every piece whose end escapes the separator is joined with
    the next one: as exact as a character scan and several times faster in Python.
    """
    parts = s.split(ch)
    if len(parts) == 1:
        return parts
    out: list[str] = []
    pending: str | None = None
    for part in parts:
        if pending is not None:
            part = pending + ch + part
        if _odd_release_tail(part, rel):
            pending = part
        else:
            pending = None
            out.append(part)
    if pending is not None:
        out.append(pending)
    return out


_unescape_patterns: dict[str, re.Pattern[str]] = {}


def _unescape(s: str, rel: str) -> str:
    if rel not in s:
        return s
    pattern = _unescape_patterns.get(rel)
    if pattern is None:
        pattern = _unescape_patterns[rel] = re.compile(re.escape(rel) + "(.)", re.DOTALL)
    return pattern.sub(r"\1", s)


def _with_repeats(tag: str, parts: list[str], seps: Separators, index: int, offset: int) -> Segment:
    """Fast-path segment whose elements contain repetition separators (no escapes)."""
    rep, comp = seps.repetition, seps.component
    elements: list[list[str]] = []
    repeats: dict[int, list[list[str]]] = {}
    for number, part in enumerate(parts[1:], 1):
        if rep in part:
            reps = [r.split(comp) for r in part.split(rep)]
            repeats[number] = reps
            elements.append(reps[0])
        else:
            elements.append(part.split(comp))
    return Segment(tag, elements, index, offset, repeats)


def _segment_from_chunk(
    chunk: str, base: int, index: int, seps: Separators, limits: Limits
) -> Segment:
    """One segment from the text between two terminators (terminator excluded).

    ``base`` is the offset of ``chunk`` in the caller's coordinates; the segment offset is
    ``base`` plus the leading whitespace skipped.
    """
    s = chunk.lstrip(_WS)
    offset = base + len(chunk) - len(s)
    rel = seps.release
    rep = seps.repetition if seps.repetition_active else None
    escaped = seps.release_active and rel in s
    parts = _split_unescaped(s, seps.element, rel) if escaped else s.split(seps.element)
    tag = parts[0]
    if tag not in _valid_tags:
        _check_tag(tag, index, offset)
    if len(s) > limits.max_element_length:
        _check_lengths(tag, parts, limits.max_element_length, index, offset)
    if not escaped:
        if rep is not None and rep in s:
            return _with_repeats(tag, parts, seps, index, offset)
        comp = seps.component
        return Segment(tag, [p.split(comp) for p in parts[1:]], index, offset)
    elements: list[list[str]] = []
    repeats: dict[int, list[list[str]]] | None = None
    comp = seps.component
    for number, part in enumerate(parts[1:], 1):
        if rep is not None and rep in part:
            reps = [
                [_unescape(c, rel) for c in _split_unescaped(r, comp, rel)]
                for r in _split_unescaped(part, rep, rel)
            ]
            if len(reps) > 1:
                if repeats is None:
                    repeats = {}
                repeats[number] = reps
            elements.append(reps[0])
        elif rel in part:
            elements.append([_unescape(c, rel) for c in _split_unescaped(part, comp, rel)])
        else:
            elements.append(part.split(comp))
    return Segment(tag, elements, index, offset, repeats)


def _unterminated(tail: str, base: int, index: int, seps: Separators) -> EdifactSyntaxError:
    s = tail.lstrip(_WS)
    offset = base + len(tail) - len(s)
    stripped = s.rstrip(_WS)
    run = len(stripped) - len(stripped.rstrip(seps.release)) if seps.release_active else 0
    tag = s[:3] if len(s) >= 3 else None
    if run % 2 == 1:
        reason = "dangling release character at the end of the data: it escapes nothing"
    else:
        reason = f"the last segment has no terminator {seps.terminator!r} (message truncated?)"
    return EdifactSyntaxError(reason, segment_index=index, tag=tag, offset=offset)


def _final_unz(tail: str, base: int, index: int, seps: Separators, limits: Limits) -> Segment:
    """The text after the last terminator: tolerated only as an unterminated UNZ.

    Several airline samples end with ``UNZ+1+ref`` and no terminator; nothing can follow the
    interchange trailer, so nothing is lost by accepting it. Anything else there is a
    truncated message and an error.
    """
    s = tail.strip(_WS)
    if (s == "UNZ" or s.startswith("UNZ" + seps.element)) and not (
        seps.release_active and (len(s) - len(s.rstrip(seps.release))) % 2 == 1
    ):
        return _segment_from_chunk(tail.rstrip(_WS), base, index, seps, limits)
    raise _unterminated(tail, base, index, seps)


def _too_many(limits: Limits, offset: int) -> EdifactSyntaxError:
    return EdifactSyntaxError(
        f"more than {limits.max_segments} segments",
        segment_index=limits.max_segments + 1,
        offset=offset,
    )


# --------------------------------------------------------------------------- whole message


def _split(
    text: str,
    seps: Separators,
    limits: Limits,
    index: int,
    out: list[Segment],
    shared: bool = False,
) -> None:
    """Tokenize ``text`` (the interchange after UNA); offsets relative to ``text``.

    ``str.split`` on the terminator, then pieces whose end escapes the terminator are
    joined to the next (see :func:`_split_unescaped`); only segments that contain the
    release character take the slower per-segment path.

    With ``shared``, segments with the same text share one ``elements`` list (a passenger
    list repeats ``ATT+2++M``, ``LOC+178+ALA``, ``NAT+2+KGZ``... for every traveller), which
    saves about half the splitting. Only for callers that never mutate the elements.
    """
    term, elem, comp = seps.terminator, seps.element, seps.component
    rel = seps.release if seps.release_active and seps.release in text else None
    rep = seps.repetition if seps.repetition_active and seps.repetition in text else None
    maxlen, maxseg = limits.max_element_length, limits.max_segments
    # Most files put a line break after every terminator: splitting on terminator + line
    # break then saves stripping every segment. Equivalent when every unescaped terminator
    # is followed by it (counted exactly when no "??" can make "?'" ambiguous).
    cut = term
    if rel is None or rel + rel not in text:
        escaped = text.count(rel + term) if rel is not None else 0
        n_term = text.count(term) - escaped
        for style in (term + "\n", term + "\r\n"):
            followed = text.count(style)
            if rel is not None:
                followed -= text.count(rel + style)
            if n_term and followed == n_term:
                cut = style
                break
    step = len(cut)
    pieces = text.split(cut)
    tail = pieces.pop()  # after the last terminator: nothing terminates it
    cache: dict[str, tuple[str, list[list[str]]]] | None = {} if shared else None
    valid = _valid_tags
    ws = _WS
    append = out.append
    pos = 0  # offset of the current raw piece
    start = 0  # offset of the segment being assembled
    pending: str | None = None  # pieces joined so far when a terminator was escaped
    for raw in pieces:
        if pending is None:
            start = pos
            piece = raw
        else:
            piece = pending + cut + raw
        pos += len(raw) + step
        if rel is not None:
            if piece[-1:] == rel and _odd_release_tail(piece, rel):
                pending = piece
                continue
            pending = None
            if rel in piece:
                index += 1
                if index > maxseg:
                    raise _too_many(limits, start)
                append(_segment_from_chunk(piece, start, index, seps, limits))
                continue
        index += 1
        if index > maxseg:
            raise _too_many(limits, start)
        if piece and piece[0] in ws:
            s = piece.lstrip(ws)
            offset = start + len(piece) - len(s)
        else:
            s = piece
            offset = start
        if cache is not None:
            hit = cache.get(s)
            if hit is not None:
                append(Segment(hit[0], hit[1], index, offset))
                continue
        parts = s.split(elem)
        tag = parts[0]
        if tag not in valid:
            _check_tag(tag, index, offset)
        if len(s) > maxlen:
            _check_lengths(tag, parts, maxlen, index, offset)
        if rep is not None and rep in s:
            append(_with_repeats(tag, parts, seps, index, offset))
            continue
        elements = [p.split(comp) for p in parts[1:]]
        if cache is not None:
            cache[s] = (tag, elements)
        append(Segment(tag, elements, index, offset))
    if pending is None:
        start = pos
    else:
        tail = pending + cut + tail
    if tail.strip(ws):
        append(_final_unz(tail, start, index + 1, seps, limits))


def _char_to_byte(text: str, codec: str, char_offset: int) -> int:
    return len(text[:char_offset].encode(codec))


def _reoffset(exc: EdifactSyntaxError, offset: int | None) -> EdifactSyntaxError:
    return type(exc)(
        exc.reason,
        segment_index=exc.segment_index,
        tag=exc.tag,
        element=exc.element,
        offset=offset,
    )


def decode(data: bytes) -> Decoded:
    """Decode a whole interchange by its UNB syntax identifier (see ``_charset``)."""
    check_binary(data)
    prefix = _read_prefix(data, final=True)
    assert prefix is not None
    body = data[3:] if data.startswith(_BOM) else data
    return decode_bytes(body, prefix.syntax_id)


def detect_encoding(data: bytes) -> str:
    """The Python codec :func:`decode` would use for ``data`` ("ascii", "utf-8", ...)."""
    return decode(data).codec


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a message is parsed.

    Parsing allocates hundreds of thousands of small lists that are all acyclic (freed by
    reference counting) but trigger collections that rescan the whole heap: pausing saves
    about a third of the tokenizer's time, more in a large process. The collector is
    re-enabled only if it was enabled on entry, so a caller's own choice is respected.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def tokenize_decoded(data: bytes, limits: Limits = Limits.DEFAULT) -> tuple[list[Segment], Decoded]:
    """Tokenize a whole interchange and say how its bytes were decoded."""
    with gc_paused():
        return _tokenize_decoded(data, limits)


def _tokenize_decoded(
    data: bytes, limits: Limits, shared: bool = False
) -> tuple[list[Segment], Decoded]:
    if len(data) > limits.max_interchange_bytes:
        raise EdifactSyntaxError(
            f"interchange is {len(data)} bytes; the limit is {limits.max_interchange_bytes}",
            offset=limits.max_interchange_bytes,
        )
    check_binary(data)
    prefix = _read_prefix(data, final=True)
    assert prefix is not None
    segments: list[Segment] = []
    index = 0
    if prefix.una_body is not None:
        segments.append(Segment("UNA", [[prefix.una_body]], 1, prefix.start))
        index = 1
    base = prefix.body_start
    decoded = decode_bytes(data[base:], prefix.syntax_id)
    text = decoded.text
    seps = prefix.separators
    first = len(segments)
    try:
        _split(text, seps, limits, index, segments, shared)
    except EdifactSyntaxError as exc:
        if exc.offset is None:
            raise
        if decoded.single_byte:
            raise _reoffset(exc, base + exc.offset) from None
        raise _reoffset(exc, base + _char_to_byte(text, decoded.codec, exc.offset)) from None
    if decoded.single_byte:
        if base:
            for seg in segments[first:]:
                seg.offset += base
    else:
        codec = decoded.codec
        char_pos = 0
        byte_pos = base
        for seg in segments[first:]:
            byte_pos += len(text[char_pos : seg.offset].encode(codec))
            char_pos = seg.offset
            seg.offset = byte_pos
    return segments, decoded


def tokenize(data: bytes, limits: Limits = Limits.DEFAULT) -> list[Segment]:
    """All segments of an interchange (or a bare message), in order."""
    return tokenize_decoded(data, limits)[0]


# --------------------------------------------------------------------------- incremental


class Tokenizer:
    """Incremental tokenizer in the style of h11: ``feed`` bytes, pull segments.

    ::

        t = Tokenizer()
        t.feed(chunk)            # as often as bytes arrive
        t.close()                # no more bytes
        while (seg := t.next_event()) is not NEED_DATA:
            ...

    :meth:`next_event` returns a :class:`Segment` as soon as one is complete, else
    :data:`NEED_DATA`. After :meth:`close`, NEED_DATA means that everything has been
    returned (:attr:`done` is then true), and leftover bytes that do not form a terminated
    segment raise :class:`~piu.errors.EdifactSyntaxError`.

    Each segment is decoded on its own with the character set of UNB; the Latin-1
    fallback of :mod:`._charset` therefore applies per segment (and then sticks), where
    :func:`tokenize` decides once for the whole interchange.
    """

    def __init__(self, limits: Limits = Limits.DEFAULT) -> None:
        self._limits = limits
        self._buf = bytearray()
        self._base = 0  # absolute byte offset of _buf[0]
        self._start = 0  # start of the unconsumed bytes in _buf
        self._scan = 0  # where the terminator search resumes in _buf
        self._prefix: _Prefix | None = None
        self._index = 0
        self._closed = False
        self._done = False
        self._total = 0
        self._codec = "ascii"
        self._latin1 = False
        self.note: str | None = None  # set when a decoding fallback was used

    @property
    def separators(self) -> Separators | None:
        """The separators in force, once the start of the interchange has been seen."""
        return self._prefix.separators if self._prefix else None

    @property
    def done(self) -> bool:
        """True after :meth:`close` once every segment has been returned."""
        return self._done

    def feed(self, data: bytes) -> None:
        if self._closed:
            raise RuntimeError("Tokenizer.feed() called after close()")
        check_binary(data, base=self._total)
        self._total += len(data)
        if self._total > self._limits.max_interchange_bytes:
            raise EdifactSyntaxError(
                f"interchange is over {self._limits.max_interchange_bytes} bytes",
                offset=self._limits.max_interchange_bytes,
            )
        self._buf += data

    def close(self) -> None:
        """Say that no more bytes will come."""
        self._closed = True

    def next_event(self) -> Segment | _Sentinel:
        if self._done:
            return NEED_DATA
        if self._prefix is None:
            prefix = _read_prefix(bytes(self._buf), final=self._closed)
            if prefix is None:
                return NEED_DATA
            self._prefix = prefix
            self._codec = codec_for(prefix.syntax_id)
            if prefix.una_body is not None:
                self._start = self._scan = prefix.body_start
                self._index = 1
                return Segment("UNA", [[prefix.una_body]], 1, prefix.start)
        seps = self._prefix.separators
        buf = self._buf
        term = ord(seps.terminator)
        rel = ord(seps.release) if seps.release_active else -1
        i = buf.find(term, self._scan)
        while i >= 0:
            j = i - 1
            while j >= self._start and buf[j] == rel:
                j -= 1
            if (i - 1 - j) % 2 == 0:
                break
            i = buf.find(term, i + 1)
        if i < 0:
            self._scan = max(len(buf), self._start)
            if self._closed:
                tail = bytes(buf[self._start :])
                self._done = True
                if tail.strip(_WS_BYTES):
                    self._index += 1
                    base = self._base + self._start
                    self._start = len(buf)
                    if self._index > self._limits.max_segments:
                        raise _too_many(self._limits, base)
                    return _final_unz(self._decode(tail), base, self._index, seps, self._limits)
            return NEED_DATA
        chunk = bytes(buf[self._start : i])
        base = self._base + self._start
        self._start = self._scan = i + 1
        self._index += 1
        if self._index > self._limits.max_segments:
            raise _too_many(self._limits, base)
        segment = _segment_from_chunk(self._decode(chunk), base, self._index, seps, self._limits)
        if self._start > 65536:
            del buf[: self._start]
            self._base += self._start
            self._scan -= self._start
            self._start = 0
        return segment

    def _decode(self, chunk: bytes) -> str:
        if chunk.isascii():
            return chunk.decode("ascii")
        if self._latin1:
            return chunk.decode("latin-1")
        codec = self._codec if self._codec != "ascii" else "utf-8"
        try:
            return chunk.decode(codec)
        except UnicodeDecodeError:
            self._latin1 = True
            self.note = (
                f"bytes do not decode as {codec} (declared "
                f"{self._prefix.syntax_id if self._prefix else None}); decoded as Latin-1"
            )
            return chunk.decode("latin-1")
