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
a vowel, W as the vowel of waw, a Korean syllable's CH as J, the French CH as SH and C as
S with a silent final E, the Egyptian G as J, the Indonesian SY as SH, the Somali C and X
as ʿayn and ḥ).

:func:`latin_skeleton` is coarser: consonant classes only (shared with
``translit.arabic_skeleton``), used to compare a Latin name with an Arabic-script one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Final

__all__ = [
    "fold_key",
    "g_for_h",
    "latin_skeleton",
    "other_orthographies",
    "strip_glued_article",
    "token_keys",
]

# (pattern, replacement, letters one of which must be in the text for it to match): a
# rule is tried only then. Most rules find nothing in most names, and a try that finds
# nothing costs about as much as one that does: folding a new name takes a third less.
_Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str], tuple[str, ...]]


def _first(m: re.Match[str]) -> str:
    return m.group(1)


def _rules(rules: list[tuple[str, str | Callable[[re.Match[str]], str], str]]) -> list[_Rule]:
    return [(re.compile(p), r, tuple(g.split())) for p, r, g in rules]


_DOUBLED = r"(.)\1+"  # a doubled letter, replaced by one (by a function: faster than \1)
_KEY_RULES: Final[list[_Rule]] = _rules(
    [
        (r"X", "KS", "X"),
        # sounds spelt with two or more letters first, into lower-case placeholders that
        # the single-letter rules below cannot touch (CHO must not become KO)
        (r"SHCH|SCH|SH", "x", "H"),
        (r"TSCH|TCH|CH|TS|TZ|CZ", "c", "C TS TZ"),
        (r"DZH|DJ|ZH|DZ(?=[AEIOUY])", "J", "DJ Z"),
        # a silent H after a vowel (ABDULLAH, AHMAD) goes before KH is read, so the H of
        # IKHTIYAR stays
        (r"(?<=[AEIOUY])H(?=[^AEIOUY]|$)", "", "H"),
        (r"KH", "H", "KH"),
        (r"GH", "G", "GH"),
        (r"TH", "T", "TH"),
        (r"DH", "D", "DH"),
        (r"PH", "F", "PH"),
        (r"CK|Q", "K", "CK Q"),
        (r"C(?=[AOU]|$|[^AEIOUY])", "K", "C"),
        (r"C", "c", "C"),
        (r"W", "V", "W"),
        (r"(OV|OFF|OW)$", "OV", "O"),
        (r"(EV|EFF|EW)$", "EV", "E"),
        (r"[AEIOUY]+", "A", "A E I O U Y"),
        (_DOUBLED, _first, ""),
    ]
)
_NOT_LETTER: Final = re.compile(r"[^A-Z]")


def _apply(rules: list[_Rule], s: str) -> str:
    for pat, rep, guard in rules:
        if guard:
            for g in guard:
                if g in s:
                    break
            else:
                continue
        s = pat.sub(rep, s)
    return s


@lru_cache(maxsize=200_000)
def fold_key(token: str) -> str:
    """The folding key of one upper-case Latin token (see the module docstring)."""
    s = token.upper()
    if not (s.isascii() and s.isalpha()):
        s = _NOT_LETTER.sub("", s)
    return _apply(_KEY_RULES, s).upper()


_SKEL_RULES: Final[list[_Rule]] = _rules(
    [
        (r"X", "KS", "X"),
        (r"(?<=[^AEIOUY])(AH|EH|A|E)$", "1", "A E"),
        (r"(?<=[^AEIOUY])(I|Y|EE|IE|EY|II|IY|IJ)$", "2", "I Y E"),
        (r"(?<=[^AEIOUY])(U|O|OU|OO|OW|UU)$", "3", "U O"),
        (r"TSCH|TCH|SHCH|SCH|SH|CH", "X", "H"),
        # not the TZ and H of Hebrew names (YITZHAK: צח)
        (r"DZH|DJ|(?<!T)ZH|J", "J", "J ZH"),
        (r"KH|H", "H", "H"),
        (r"GH|G|Q|CK|K|C", "K", "G Q K C"),
        (r"TH|T", "T", "T"),
        (r"DH|D", "D", "D"),
        (r"PH|F", "F", "PH F"),
        (r"P", "B", "P"),
        (r"[AEIOUYWV']", "", "A E I O U Y W V '"),
        (_DOUBLED, _first, ""),
        (r"1", "A", "1"),
        (r"2", "I", "2"),
        (r"3", "U", "3"),
    ]
)


def strip_glued_article(token: str) -> str:
    """ALSHAMSI -> SHAMSI, ELSEBAI -> SEBAI; words such as ALEXANDER or ALI stay."""
    if len(token) > 5 and token[:2] in ("AL", "EL") and token[2] not in "AEIOUYL":
        return token[2:]
    return token


# AL- before a word that starts with A, O or U (the moon letters alif and ain: AL-ANSARI,
# AL-OMARI, AL-UTAYBI) is often glued on; names such as ALEXANDER or ALIYEV go on with E, I
# or Y, so only these lose AL for their second key
_GLUED_AL_VOWEL: Final = re.compile(r"^[AE]L(?=[AOU][A-Z]{3})")
# W after a vowel and before O or U is the vowel of waw (DAWOUD, DAWUD, DAOUD, DAUD)
_WAW_VOWEL: Final = re.compile(r"(?<=[AEIOUY])W(?=[OU])")
# a short name that starts with CH and a vowel may be a Korean syllable, whose first
# consonant McCune-Reischauer writes CH and the Revised Romanization J (CHO / JO, CHIN /
# JIN, CHONG / JONG): both systems are in use for DPRK names on the lists
_KOREAN_CH: Final = re.compile(r"^CH(?=[AEIOUY][A-Z]{0,2}$)")


# the first consonant of a short East Asian syllable: Pinyin and the Revised Romanization
# write B, D, G where Wade-Giles and McCune-Reischauer write P, T, K (DENG / TENG,
# BOM / POM, DO / TO, GUO / KUO); a name of four letters or fewer reads both ways
_UNASPIRATED: Final = re.compile(r"^[PTK](?=[AEIOUY][A-Z]{0,2}$)")
_VOICED: Final = {"P": "B", "T": "D", "K": "G"}


def _voiced(m: re.Match[str]) -> str:
    return _VOICED[m.group(0)]


# French transliteration writes SH as CH (Arabic ش: CHIBLI, ALLOUCH; Russian Ш:
# CHAMIL) and CH as TCH; a short name's CH stays (CHEN and SHEN are two Chinese names)
_FRENCH_CH: Final = re.compile(r"(?<![STD])CH")
# ... and S as C before E or I (YACINE, HOCINE, YOUCEF), with a silent E after the last
# consonant (AMINE, SLIMANE, AYACHE: AMIN, SULAYMAN, AYASH)
_FRENCH_C: Final = re.compile(r"C(?=[EI])")
_FRENCH_FINAL_E: Final = re.compile(r"(?<=[A-Z][^AEIOUY])E$")
# ... and the consonant W of waw as OU beside a vowel (AOUS, NAOUAF, CHAOUKI, OUALID:
# AWS, NAWAF, SHAWKI, WALID); OU before a consonant is the vowel (YOUSSEF)
_FRENCH_OU_W: Final = re.compile(r"(?<=[AEI])OU|OU(?=[AEI])")
# Egyptian spelling writes the Arabic ج as G (GAMAL, RAGAB, GARGEES: JAMAL, RAJAB, JARJIS);
# not GH (غ) nor NG, and not in a short name (GUL, GIN, JIN are other names)
_EGYPTIAN_G: Final = re.compile(r"(?<!N)G(?=[AEIOUY])")
# Indonesian and Malay spelling writes SH as SY before a vowel (BAASYIR, SYARIF)
_MALAY_SY: Final = re.compile(r"SY(?=[AEIOU])")
# Somali orthography writes the Arabic ʿayn as C and ḥ as X (CABDULLAHI, CALI, MAXAMED,
# XASAN): a C that starts a name before a vowel, an X next to a vowel
_SOMALI_C: Final = re.compile(r"^C(?=[AEIOU])")
_SOMALI_X: Final = re.compile(r"(?<=[AEIOU])X|X(?=[AEIOU])")
_LONE_H: Final = re.compile(r"(?<![KSCZGTDP])H")


def g_for_h(r: str) -> str:
    """The spelling with every H that is not part of KH, SH, CH, ZH ... read as G: the
    Cyrillic Г is G in Russian and H in Ukrainian and Belarusian (IHOR, IGOR)."""
    return _LONE_H.sub("G", r) if "H" in r else r


def token_keys(renditions: tuple[str, ...], written: bool = True) -> tuple[str, ...]:
    """The folding keys of a token's renditions, without repeats.

    Each rendition gives its key (after :func:`strip_glued_article`); a rendition that
    may also be read another way gives that key too: AL glued before a vowel
    (ALARIFI: also ARIFI), W as the vowel of waw (DAWOUD: also DAOUD), a short
    name's first CH as the Korean J (CHONG: also JONG), and where the name was written
    in Latin letters (``written``; not our own renditions of another script) the other
    orthographies of :func:`other_orthographies`."""
    out: dict[str, None] = {}
    for r in renditions:
        out[fold_key(strip_glued_article(r))] = None
        alt = _GLUED_AL_VOWEL.sub("", r)
        alt = _WAW_VOWEL.sub("", alt) if "W" in alt else alt
        alt = _KOREAN_CH.sub("J", alt) if len(alt) <= 5 else alt
        alt = _UNASPIRATED.sub(_voiced, alt) if len(alt) <= 4 else alt
        if alt != r:
            out[fold_key(alt)] = None
        if written:
            for reading in other_orthographies(r):
                out[fold_key(strip_glued_article(reading))] = None
    return tuple(out)


def other_orthographies(r: str) -> list[str]:
    """``r`` read as French (CH for SH, C for S, a silent final E), Egyptian (G for J),
    Indonesian (SY for SH) or Somali (C and X for ʿayn and ḥ) spelling writes it, where
    it can be. The Maghreb and the Sahel write Arabic names the French way (YACINE,
    SLIMANE, AYACHE), Egypt with G (GAMAL, RAGAB), and lists copy their passports."""
    out = []
    long = len(r) > 4
    if (long and ("C" in r or r[-1] == "E")) or "OU" in r:
        french = _FRENCH_CH.sub("SH", r) if long and "CH" in r else r
        if long:
            french = _FRENCH_FINAL_E.sub("", _FRENCH_C.sub("S", french))
        if "OU" in french:
            french = _FRENCH_OU_W.sub("W", french)
        if french != r:
            out.append(french)
    if "G" in r and len(r) > 4:
        egyptian = _EGYPTIAN_G.sub("J", r)
        if egyptian != r:
            out.append(egyptian)
    if "SY" in r:
        out.append(_MALAY_SY.sub("SH", r))
    if ("X" in r or r[:1] == "C") and len(r) > 3:
        out.append(_SOMALI_X.sub("H", _SOMALI_C.sub("", r)))
    return out


@lru_cache(maxsize=200_000)
def latin_skeleton(token: str) -> str:
    """Consonant skeleton of one upper-case Latin token, comparable with Arabic script."""
    s = strip_glued_article(token.upper())
    if not (s.isascii() and s.isalpha()):
        s = _NOT_LETTER.sub("", s)
    return _apply(_SKEL_RULES, s)
