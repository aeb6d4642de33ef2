"""Segments back to EDIFACT text, escaping what must be escaped.

Why a writer in a system that mostly receives: round-trip tests (read, write, read again)
are the cheapest proof that the reader loses nothing, and benchmarks and demos need
realistic messages. The writer is faithful: it writes the elements and components it is
given, empty ones included, so ``write_segments(tokenize(x))`` reproduces ``x`` up to
whitespace between segments and the choice of escapes.

ISO 9735-1 section 9 (release character): any service character used as data — component
or element separator, terminator, repetition separator (syntax 4) or the release character
itself — is preceded by the release character. The decimal mark needs no escape.
"""

from __future__ import annotations

from collections.abc import Iterable

from piu.formats.edifact._separators import Separators
from piu.formats.edifact._tokenizer import Segment

__all__ = ["escape", "write_segments"]

_TAG_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _specials(separators: Separators) -> str:
    chars = separators.component + separators.element + separators.terminator
    if separators.repetition_active:
        chars += separators.repetition
    if separators.release_active:
        chars += separators.release
    return chars


def escape(value: str, separators: Separators = Separators.DEFAULT) -> str:
    """``value`` with every service character preceded by the release character.

    Raises ``ValueError`` when a service character must be escaped but the separators
    declare no release character.
    """
    specials = _specials(separators)
    if not any(c in value for c in specials):
        return value
    if not separators.release_active:
        raise ValueError(
            f"value {value!r} contains a service character and there is no release character"
        )
    rel = separators.release
    return "".join(rel + c if c in specials else c for c in value)


def write_segments(
    segments: Iterable[tuple[str, list[list[str]]] | Segment],
    separators: Separators = Separators.DEFAULT,
    una: bool = True,
    newline: bool = False,
) -> str:
    """EDIFACT text for ``segments``.

    Each item is a :class:`Segment` or a ``(tag, elements)`` pair. A UNA segment among them
    is skipped: the service string advice comes from ``separators`` and is written first
    when ``una`` is true. ``newline`` puts a line feed after every terminator, which every
    reader tolerates and people find easier to read.
    """
    specials = _specials(separators)
    rel = separators.release
    rel_active = separators.release_active
    comp, elem, rep = separators.component, separators.element, separators.repetition
    end = separators.terminator + ("\n" if newline else "")

    def esc(value: str) -> str:
        for c in value:
            if c in specials:
                break
        else:
            return value
        if not rel_active:
            raise ValueError(
                f"value {value!r} contains a service character and there is no release character"
            )
        return "".join(rel + c if c in specials else c for c in value)

    out: list[str] = []
    if una:
        out.append(separators.una + ("\n" if newline else ""))
    for item in segments:
        repeats: dict[int, list[list[str]]] | None
        if isinstance(item, Segment):
            tag, elements, repeats = item.tag, item.elements, item.repeats
        else:
            tag, elements = item
            repeats = None
        if tag == "UNA":
            continue
        if len(tag) != 3 or not all(c in _TAG_CHARS for c in tag):
            raise ValueError(f"segment tag {tag!r} is not 3 upper-case letters or digits")
        parts = [tag]
        for number, element in enumerate(elements, 1):
            if repeats and number in repeats:
                if not separators.repetition_active:
                    raise ValueError(
                        f"{tag} element {number} has repetitions but the separators declare "
                        "no repetition separator (syntax 3)"
                    )
                parts.append(rep.join(comp.join(map(esc, r)) for r in repeats[number]))
            else:
                parts.append(comp.join(map(esc, element)))
        out.append(elem.join(parts) + end)
    return "".join(out)
