"""Folding keys for Central Asian, Slavic and Arabic names written in Latin letters.

English phonetic codes (Soundex, Metaphone) encode English spelling; these names vary in
other ways. :func:`fold_key` merges what transliteration systems disagree on while keeping
the consonants that tell names apart:

* ZH, J, DZH, DJ, DJ -> J;   KH, H -> H;   SHCH, SCH, SH -> X (sh);   CH, TCH, TSCH -> C
* TS, TZ, CZ -> C (ts);   PH -> F;   W -> V;   Q, CK, C before a back vowel -> K;  X -> KS
* GH -> G;   TH -> T;   DH -> D
* YU, IU, JU -> U-like and YA, IA, JA -> A-like: every run of vowels (A E I O U Y) folds
  to one vowel class ``A``, which also merges Mohammed/Muhammad, Yevmenov/Evmenov
* -OFF, -OW, -OV -> OV (-EFF, -EW, -EV alike); a final H after a vowel is dropped
* doubled letters collapse

:func:`token_keys` adds a second key where a spelling can be read two ways (AL glued before
a vowel, W as the vowel of waw, a Korean syllable's CH as J).

:func:`latin_skeleton` is coarser: consonant classes only (shared with
``translit.arabic_skeleton``), used to compare a Latin name with an Arabic-script one.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["fold_key", "g_for_h", "latin_skeleton", "strip_glued_article", "token_keys"]

_KEY_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"[^A-Z]", ""),
        (r"X", "KS"),
        # sounds spelt with two or more letters first, into lower-case placeholders that
        # the single-letter rules below cannot touch (CHO must not become KO)
        (r"SHCH|SCH|SH", "x"),
        (r"TSCH|TCH|CH|TS|TZ|CZ", "c"),
        (r"DZH|DJ|ZH|DZ(?=[AEIOUY])", "J"),
        # a silent H after a vowel (ABDULLAH, AHMAD) goes before KH is read, so the H of
        # IKHTIYAR stays
        (r"(?<=[AEIOUY])H(?=[^AEIOUY]|$)", ""),
        (r"KH", "H"),
        (r"GH", "G"),
        (r"TH", "T"),
        (r"DH", "D"),
        (r"PH", "F"),
        (r"CK|Q", "K"),
        (r"C(?=[AOU]|$|[^AEIOUY])", "K"),
        (r"C", "c"),
        (r"W", "V"),
        (r"(OV|OFF|OW)$", "OV"),
        (r"(EV|EFF|EW)$", "EV"),
        (r"[AEIOUY]+", "A"),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=200_000)
def fold_key(token: str) -> str:
    """The folding key of one upper-case Latin token (see the module docstring)."""
    s = token.upper()
    for pat, rep in _KEY_RULES:
        s = pat.sub(rep, s)
    return s.upper()


_SKEL_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"[^A-Z]", ""),
        (r"X", "KS"),
        (r"(?<=[^AEIOUY])(AH|EH|A|E)$", "1"),
        (r"(?<=[^AEIOUY])(I|Y|EE|IE|EY|II|IY|IJ)$", "2"),
        (r"(?<=[^AEIOUY])(U|O|OU|OO|OW|UU)$", "3"),
        (r"TSCH|TCH|SHCH|SCH|SH|CH", "X"),
        (r"DZH|DJ|ZH|J", "J"),
        (r"KH|H", "H"),
        (r"GH|G|Q|CK|K|C", "K"),
        (r"TH|T", "T"),
        (r"DH|D", "D"),
        (r"PH|F", "F"),
        (r"P", "B"),
        (r"[AEIOUYWV']", ""),
        (r"(.)\1+", r"\1"),
        (r"1", "A"),
        (r"2", "I"),
        (r"3", "U"),
    ]
]


def strip_glued_article(token: str) -> str:
    """ALSHAMSI -> SHAMSI, ELSEBAI -> SEBAI; words such as ALEXANDER or ALI stay."""
    if len(token) > 5 and token[:2] in ("AL", "EL") and token[2] not in "AEIOUYL":
        return token[2:]
    return token


# AL- before a word that starts with A, O or U (the moon letters alif and ain: AL-ANSARI,
# AL-OMARI, AL-UTAYBI) is often glued on; names such as ALEXANDER or ALIYEV go on with E, I
# or Y, so only these lose AL for their second key
_GLUED_AL_VOWEL = re.compile(r"^[AE]L(?=[AOU][A-Z]{3})")
# W after a vowel and before O or U is the vowel of waw (DAWOUD, DAWUD, DAOUD, DAUD)
_WAW_VOWEL = re.compile(r"(?<=[AEIOUY])W(?=[OU])")
# a short name that starts with CH and a vowel may be a Korean syllable, whose first
# consonant McCune-Reischauer writes CH and the Revised Romanization J (CHO / JO, CHIN /
# JIN, CHONG / JONG): both systems are in use for DPRK names on the lists
_KOREAN_CH = re.compile(r"^CH(?=[AEIOUY][A-Z]{0,2}$)")


_LONE_H = re.compile(r"(?<![KSCZGTDP])H")


def g_for_h(r: str) -> str:
    """The spelling with every H that is not part of KH, SH, CH, ZH ... read as G: the
    Cyrillic Г is G in Russian and H in Ukrainian and Belarusian (IHOR, IGOR)."""
    return _LONE_H.sub("G", r) if "H" in r else r


def token_keys(renditions: tuple[str, ...]) -> tuple[str, ...]:
    """The folding keys of a token's renditions, without repeats.

    Each rendition gives its key (after :func:`strip_glued_article`); a rendition that
    may also be read another way gives that key too: AL glued before a vowel
    (ALARIFI: also ARIFI), W as the vowel of waw (DAWOUD: also DAOUD), and a short
    name's first CH as the Korean J (CHONG: also JONG)."""
    out: dict[str, None] = {}
    for r in renditions:
        out[fold_key(strip_glued_article(r))] = None
        alt = _GLUED_AL_VOWEL.sub("", r)
        alt = _WAW_VOWEL.sub("", alt) if "W" in alt else alt
        alt = _KOREAN_CH.sub("J", alt) if len(alt) <= 5 else alt
        if alt != r:
            out[fold_key(alt)] = None
    return tuple(out)


@lru_cache(maxsize=200_000)
def latin_skeleton(token: str) -> str:
    """Consonant skeleton of one upper-case Latin token, comparable with Arabic script."""
    s = strip_glued_article(token.upper())
    for pat, rep in _SKEL_RULES:
        s = pat.sub(rep, s)
    return s
