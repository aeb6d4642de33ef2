"""Transliteration to Latin: ICAO Doc 9303 tables and the other renditions seen in passports.

One name in Cyrillic is written several ways in Latin, depending on the year and country
of the passport that carries it. :func:`cyrillic_renditions` returns the few that matter for
one word:

* ``icao``: ICAO Doc 9303 Part 3 (2021), the machine-readable-zone table: Ж ZH, Х KH,
  Ц TS, Ю IU, Я IA, Й I, Ъ IE, Ь omitted. Kazakh and Kyrgyz letters the table does not
  list follow those countries' passport practice (Ә A, Ғ G, Қ K, Ң N, Ө O, Ұ U, Ү U, Һ H).
* ``bgn``: the common Russian passport and BGN/PCGN style: Е after a vowel or Ь/Ъ or at the
  start YE, Ё YO, Й Y, Ю YU, Я YA, Ь before a vowel Y (AFANASYEV), -ИЙ Y.
* ``old``: French/German-style renditions of older documents: Ж J, Х H, Й J, Ю JU, Я JA,
  Ш CH and -ОВ as -OFF are left to the folding key.
* ``national``: Ukrainian (Г H, И Y, Є YE, Ї YI) and Belarusian (Г H, Ў U) national
  systems, when the name is in those languages; Kazakh/Kyrgyz digraphs (Ә AE, Ө OE, Ү UE,
  Ғ GH, Қ Q, Ң NG) when such letters occur.

Arabic script has no written short vowels, so :func:`arabic_rendition` gives a guessed
vowelled form (for display and for the folding key) and :func:`arabic_skeleton` the
consonant skeleton that is compared with a Latin name's skeleton (``keys.latin_skeleton``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from anyascii import anyascii

__all__ = [
    "arabic_rendition",
    "arabic_skeleton",
    "cyrillic_language",
    "cyrillic_renditions",
    "fold_other",
    "hebrew_readings",
]

_VOWELS_CYR: Final = set("АЕЁИОУЫЭЮЯІЇЄӘӨҮҰ")

# ICAO Doc 9303 Part 3, transliteration of Cyrillic characters (upper case).
ICAO_CYRILLIC: Final[dict[str, str]] = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Ґ": "G", "Ѓ": "G", "Д": "D", "Ђ": "D",
    "Е": "E", "Ё": "E", "Є": "IE", "Ж": "ZH", "З": "Z", "Ѕ": "DZ", "И": "I", "І": "I",
    "Ї": "I", "Й": "I", "Ј": "J", "К": "K", "Л": "L", "Љ": "LJ", "М": "M", "Н": "N",
    "Њ": "NJ", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "C", "Ќ": "K",
    "У": "U", "Ў": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Џ": "DZ", "Ш": "SH",
    "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA",
    # Kazakh and Kyrgyz letters, as in those countries' passports.
    "Ә": "A", "Ғ": "G", "Қ": "K", "Ң": "N", "Ө": "O", "Ұ": "U", "Ү": "U", "Һ": "H",
}  # fmt: skip

# Russian passports 1997-2010 and BGN/PCGN, without its diacritics.
_BGN_OVERRIDES: Final[dict[str, str]] = {
    "Ё": "YO", "Й": "Y", "Ю": "YU", "Я": "YA", "Ъ": "", "Э": "E", "Ы": "Y",
}  # fmt: skip
_OLD_OVERRIDES: Final[dict[str, str]] = {
    "Ж": "J", "Х": "H", "Й": "Y", "Ю": "JU", "Я": "JA", "Ё": "JO", "Ц": "C", "Ъ": "",
}  # fmt: skip
_UKRAINIAN: Final[dict[str, str]] = {
    "Г": "H", "Ґ": "G", "И": "Y", "І": "I", "Ї": "YI", "Є": "YE", "Й": "Y", "Ю": "YU",
    "Я": "YA", "Ь": "", "Ъ": "",
}  # fmt: skip
_BELARUSIAN: Final[dict[str, str]] = {
    "Г": "H", "Ў": "U", "І": "I", "Ы": "Y", "Ё": "IO", "Ю": "IU", "Я": "IA", "Е": "E",
    "Ь": "", "Й": "I",
}  # fmt: skip
_TURKIC: Final[dict[str, str]] = {
    "Ә": "AE", "Ғ": "GH", "Қ": "Q", "Ң": "NG", "Ө": "OE", "Ұ": "U", "Ү": "UE", "Һ": "H",
    "Й": "Y", "Ю": "YU", "Я": "YA", "Х": "KH", "Ж": "ZH", "І": "I",
}  # fmt: skip
_TURKIC_LETTERS: Final = set("ӘҒҚҢӨҰҮҺ")


def cyrillic_language(text: str) -> str:
    """Guess ``uk``, ``be``, ``kk`` (Kazakh/Kyrgyz) or ``ru`` from the letters of a name."""
    up = text.upper()
    if any(c in _TURKIC_LETTERS for c in up):
        return "kk"
    if "Ў" in up:
        return "be"
    if any(c in up for c in "ЄЇҐ"):
        return "uk"
    if "І" in up:
        return "uk" if "И" in up else "be"
    return "ru"


def _bgn(word: str) -> str:
    out: list[str] = []
    prev = ""
    for i, c in enumerate(word):
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if c == "Е":
            out.append("YE" if (not prev or prev in _VOWELS_CYR or prev in "ЬЪ") else "E")
        elif c == "Ь":
            out.append("Y" if nxt in ("И", "О") else "")  # ИЛЬИН ILYIN; ЬЕ is YE below
        elif c == "И" and nxt == "Й" and i + 2 == len(word):
            out.append("")  # -ИЙ -> Y
        else:
            out.append(_BGN_OVERRIDES.get(c, ICAO_CYRILLIC.get(c, c)))
        prev = c
    return "".join(out)


def _table(word: str, overrides: dict[str, str]) -> str:
    return "".join(overrides.get(c, ICAO_CYRILLIC.get(c, c)) for c in word)


@lru_cache(maxsize=65536)
def cyrillic_renditions(word: str, language: str = "ru") -> tuple[tuple[str, str], ...]:
    """``((system, LATIN), ...)`` for one upper-case Cyrillic word, duplicates removed."""
    word = word.upper()
    cands = [
        ("icao", _table(word, {})),
        ("bgn", _bgn(word)),
        ("old", _table(word, _OLD_OVERRIDES)),
    ]
    if language == "uk":
        cands.append(("national-uk", _table(word, _UKRAINIAN)))
    elif language == "be":
        cands.append(("national-be", _table(word, _BELARUSIAN)))
    elif language == "kk":
        cands.append(("national-kk", _table(word, _TURKIC)))
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for system, latin in cands:
        latin = anyascii(latin).upper()  # letters outside the tables
        if latin and latin not in seen:
            seen.add(latin)
            out.append((system, latin))
    return tuple(out)


# Arabic and Persian letters: (guessed Latin, skeleton class). Skeleton classes are shared
# with keys.latin_skeleton: B T J H D R Z S X(sh/ch) K F L M N; "" drops the letter.
ARABIC_LETTERS: Final[dict[str, tuple[str, str]]] = {
    "ا": ("A", ""), "أ": ("A", ""), "إ": ("I", ""), "آ": ("A", ""), "ٱ": ("A", ""),
    "ء": ("", ""), "ؤ": ("U", ""), "ئ": ("I", ""), "ب": ("B", "B"), "پ": ("P", "B"),
    "ت": ("T", "T"), "ث": ("TH", "T"), "ج": ("J", "J"), "چ": ("CH", "X"),
    "ح": ("H", "H"), "خ": ("KH", "H"), "د": ("D", "D"), "ذ": ("DH", "D"),
    "ر": ("R", "R"), "ز": ("Z", "Z"), "ژ": ("ZH", "J"), "س": ("S", "S"),
    "ش": ("SH", "X"), "ص": ("S", "S"), "ض": ("D", "D"), "ط": ("T", "T"),
    "ظ": ("Z", "Z"), "ع": ("", ""), "غ": ("GH", "K"), "ف": ("F", "F"),
    "ق": ("Q", "K"), "ك": ("K", "K"), "ک": ("K", "K"), "گ": ("G", "K"),
    "ل": ("L", "L"), "م": ("M", "M"), "ن": ("N", "N"), "ه": ("H", "H"),
    "ھ": ("H", "H"), "ہ": ("H", "H"), "ة": ("A", ""), "ۀ": ("E", ""),
    "و": ("W", ""), "ي": ("Y", ""), "ی": ("Y", ""), "ى": ("A", ""), "ې": ("E", ""),
    "ٹ": ("T", "T"), "ڈ": ("D", "D"), "ڑ": ("R", "R"), "ں": ("N", "N"),
}  # fmt: skip
_AR_LONG_VOWEL: Final = {"و": "U", "ي": "I", "ی": "I"}
_AR_FINAL: Final = {"ي": "I", "ی": "I", "ى": "I", "ا": "A", "ة": "A", "ه": "A", "و": "U"}


def _strip_article(word: str) -> str:
    if len(word) > 3 and word.startswith("ال"):
        return word[2:]
    return word


@lru_cache(maxsize=65536)
def arabic_rendition(word: str) -> str:
    """A guessed vowelled Latin form of one Arabic-script word (long vowels only)."""
    out: list[str] = []
    n = len(word)
    for i, c in enumerate(word):
        if c == "ع" and i == 0:
            out.append("A")
            continue
        if c in _AR_LONG_VOWEL and i > 0:
            out.append(_AR_LONG_VOWEL[c])
            continue
        latin = ARABIC_LETTERS.get(c)
        if latin is None:
            out.append(anyascii(c).upper())
            continue
        out.append(latin[0])
        # a consonant followed by a consonant: guess a short vowel between them
        if i + 1 < n and latin[1] and ARABIC_LETTERS.get(word[i + 1], ("", ""))[1]:
            out.append("A")
    return "".join(out)


@lru_cache(maxsize=65536)
def arabic_skeleton(word: str) -> str:
    """Consonant skeleton of one Arabic-script word, article stripped, final vowel kept."""
    word = _strip_article(word)
    final = word[-1] if len(word) > 2 and word[-1] in _AR_FINAL else ""
    out: list[str] = []
    # a final HA is read as a vowel (FATEMEH, ...KHAH): left out here, so that it does
    # not merge with a KH or H before it and take that consonant away with it
    for c in word[:-1] if final == "ه" else word:
        cls = ARABIC_LETTERS.get(c, ("", ""))[1]
        if cls and (not out or out[-1] != cls):
            out.append(cls)
    if final:  # a final long vowel, ta marbuta or HA
        out.append(_AR_FINAL[final])
    return "".join(out)


# Hebrew letters as the Arabic letters of the same sounds: both scripts are abjads of one
# family, letter for letter, so a Hebrew name is compared as an Arabic-script one is (by
# its consonants). A letter that Latin spellings of Hebrew names write in several ways
# has each of them, the commonest first: BET is B or V (AVICHAI), HET is H, KH or CH
# (CH, as German and English write it, is the sh-class of the Latin skeleton), KAF is K
# or KH/CH, PE is P or F, TSADI is TS, Z or TZ (TSION, ZION, BENTZI), SHIN is SH or S
# (SIN). At the start of a word BET and KAF are B and K, and PE is P or, in names from
# other languages, F (פרידמן FRIEDMAN).
_HEBREW: Final[dict[str, tuple[str, ...]]] = {
    "א": ("ا",), "ב": ("ب", "و"), "ג": ("گ",), "ד": ("د",), "ה": ("ه",), "ו": ("و",),
    "ז": ("ز",), "ח": ("ح", "چ"), "ט": ("ط",), "י": ("ي",), "כ": ("ك", "خ", "چ"),
    "ך": ("خ", "چ", "ك"), "ל": ("ل",), "מ": ("م",), "ם": ("م",), "נ": ("ن",),
    "ן": ("ن",), "ס": ("س",), "ע": ("ع",), "פ": ("ف", "پ"), "ף": ("ف",),
    "צ": ("تس", "ز", "تز"), "ץ": ("تس", "ز", "تز"), "ק": ("ق",), "ר": ("ر",),
    "ש": ("ش", "س"), "ת": ("ت",), "װ": ("و",), "ױ": ("و",), "ײ": ("ي",),
}  # fmt: skip
_HEBREW_INITIAL: Final = {"ב": ("ب",), "כ": ("ك",), "פ": ("پ", "ف")}
# TET SHIN writes the CH of names from other languages (דויטש DEUTSCH, טשרני CHERNY)
_HEBREW_PAIRS: Final = {("ט", "ש"): ("چ", "طش")}
# a geresh after GIMEL, ZAYIN or TSADI writes J, ZH and CH (ג׳ורג׳ GEORGE)
_HEBREW_GERESH: Final = {"ג": ("ج",), "ז": ("ژ",), "צ": ("چ",)}
_HEBREW_READINGS_MAX: Final = 8


@lru_cache(maxsize=16384)
def hebrew_readings(word: str) -> tuple[str, ...]:
    """A Hebrew word in Arabic letters, one spelling per reading of its letters (at most
    eight, the commonest readings first); ``()`` for a word with no Hebrew letter."""
    options: list[tuple[str, ...]] = []
    letters = [c for c in unicodedata.normalize("NFC", word) if c in _HEBREW or c in "׳'"]
    skip = False
    for i, c in enumerate(letters):
        if skip or c in "׳'":
            skip = False
            continue
        nxt = letters[i + 1] if i + 1 < len(letters) else ""
        if nxt and nxt in "׳'" and c in _HEBREW_GERESH:
            options.append(_HEBREW_GERESH[c])
        elif (c, nxt) in _HEBREW_PAIRS:
            options.append(_HEBREW_PAIRS[c, nxt])
            skip = True
        elif not options and c in _HEBREW_INITIAL:
            options.append(_HEBREW_INITIAL[c])
        else:
            options.append(_HEBREW[c])
    if not options:
        return ()
    readings = [""]
    for opts in options:
        readings = [r + o for r in readings for o in opts][:_HEBREW_READINGS_MAX]
    return tuple(readings)


@lru_cache(maxsize=65536)
def fold_other(word: str) -> str:
    """Any other script to upper-case ASCII through anyascii (the catch-all)."""
    return anyascii(word).upper()


_LATIN_VOWELS: Final = frozenset("AEIOU")
# What a Latin rendition may start with, per first letter of the Arabic word (article
# stripped): alif and ain are read as a vowel (AHMAD, ALI, OMAR), waw as W/V/O/U, ya as
# Y/I/E/J; any other letter is a consonant.
_AR_ONSETS: Final = {"ا": _LATIN_VOWELS, "ع": _LATIN_VOWELS, "و": frozenset("WVOU"),
              "ي": frozenset("YIEJ"), "ی": frozenset("YIEJ")}  # fmt: skip
_LATIN_LONG: Final = re.compile(r"(?<=[^AEIOU])(OU|OO|UU|EE|II|EI|AI|AY|EY)(?=[^AEIOUY])")


@lru_cache(maxsize=65536)
def arabic_shape_agrees(arabic: str, latin: str) -> bool:
    """Whether a Latin rendition can spell an Arabic-script word, judged by what the
    consonant skeleton ignores: how the word starts (أحمد AHMAD is not حامد HAMID or
    حمد HAMAD, سالم SALIM is not إسلام ISLAM) and whether a long vowel the Latin spells
    (OU, OO, EE ...) or a diphthong it spells (EI, AY, AI) has a letter in the Arabic
    (MAHMOUD is محمود, not محمد; HUSSEIN is حسين, not حسن).

    ``arabic`` is a normalised native word (hamza seats folded to alif, article
    stripped), ``latin`` an upper-case Latin token.
    """
    if not arabic or not latin:
        return True
    latin = latin[2:] if len(latin) > 4 and latin[:2] in ("AL", "EL") else latin
    first = arabic[0]
    allowed = _AR_ONSETS.get(first)
    if allowed is not None:
        if latin[0] not in allowed:
            return False
    elif latin[0] in _LATIN_VOWELS:
        return False
    long_latin = len(_LATIN_LONG.findall(latin))
    long_arabic = sum(1 for c in arabic[1:-1] if c in "اوي")
    return long_latin <= long_arabic
