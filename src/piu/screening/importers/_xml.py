"""Parse untrusted list XML safely, and name elements by path in errors.

Why: list files come from outside (downloads, e-mail, USB sticks). A document type
declaration can define entities that expand to gigabytes ("billion laughs") or read local
files (external entities). No list format PIU reads needs a DTD, so a DOCTYPE is refused
outright; ``defusedxml`` (PyPI, PSF licence) is used as the parser when installed, which
also forbids entity declarations, and the standard library parser otherwise.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from .errors import WatchlistFormatError

try:  # pragma: no cover - which branch runs depends on the environment
    from defusedxml.ElementTree import (  # type: ignore[import-untyped, unused-ignore]
        fromstring as _fromstring,
    )
except ImportError:  # pragma: no cover
    from xml.etree.ElementTree import fromstring as _fromstring

__all__ = ["local", "parse_xml", "text_of"]

_DOCTYPE = re.compile(rb"<!DOCTYPE|<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E", re.I)


def parse_xml(data: bytes, source: str | None) -> Element:
    """The root element, or :class:`WatchlistFormatError` with the parser's line."""
    if _DOCTYPE.search(data[:65536]):
        raise WatchlistFormatError(
            "XML with a DOCTYPE declaration is refused (no list format uses one)", source=source
        )
    try:
        root: Element = _fromstring(data)  # noqa: S314 - DOCTYPE refused above; defusedxml if present
    except ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        raise WatchlistFormatError(
            f"not well-formed XML: {exc.msg}",
            source=source,
            line=line,
            column=(col + 1) if col is not None else None,
        ) from None
    except ValueError as exc:  # defusedxml's DTDForbidden/EntitiesForbidden are ValueErrors
        raise WatchlistFormatError(f"XML refused: {exc}", source=source) from None
    return root


def local(tag: str) -> str:
    """The tag without its ``{namespace}``."""
    return tag.rpartition("}")[2]


def text_of(el: Element | None) -> str:
    """All text inside ``el`` (children included), or ``""``."""
    if el is None:
        return ""
    return "".join(el.itertext())
