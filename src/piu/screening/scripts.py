"""Script detection: which writing system a name is in, before transliterating it."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Final

__all__ = ["ARABIC", "CYRILLIC", "HEBREW", "LATIN", "OTHER", "char_script", "detect_script"]

LATIN: Final = "latin"
CYRILLIC: Final = "cyrillic"
ARABIC: Final = "arabic"
HEBREW: Final = "hebrew"
OTHER: Final = "other"


@lru_cache(maxsize=4096)
def char_script(ch: str) -> str | None:
    """The script of one letter, or None for non-letters (digits, spaces, punctuation)."""
    o = ord(ch)
    if o < 0x80:
        return LATIN if ch.isalpha() else None
    if 0x0400 <= o <= 0x052F or 0x1C80 <= o <= 0x1C8F or 0xA640 <= o <= 0xA69F:
        return CYRILLIC
    if (
        0x0600 <= o <= 0x06FF
        or 0x0750 <= o <= 0x077F
        or 0x08A0 <= o <= 0x08FF
        or 0xFB50 <= o <= 0xFDFF
        or 0xFE70 <= o <= 0xFEFF
    ):
        return ARABIC if unicodedata.category(ch).startswith("L") else None
    if 0x05D0 <= o <= 0x05F2 or 0xFB1D <= o <= 0xFB4F:
        return HEBREW if unicodedata.category(ch).startswith("L") else None
    if o <= 0x024F or 0x1E00 <= o <= 0x1EFF:
        return LATIN if ch.isalpha() else None
    return OTHER if ch.isalpha() else None


def detect_script(text: str) -> str:
    """The dominant script of ``text`` (most letters); ``latin`` for text without letters."""
    if text.isascii():
        return LATIN  # its letters, if any, are all Latin
    counts: dict[str, int] = {}
    for ch in text:
        s = char_script(ch)
        if s:
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return LATIN
    return max(counts.items(), key=lambda kv: kv[1])[0]
