"""Name analysis: normalise, split into tokens, recognise particles, titles and patronymics.

A name becomes a :class:`NameForm`: its :class:`Token` list in written order. Each token
carries its Latin renditions (several for Cyrillic, see :mod:`translit`), their folding keys
and consonant skeletons (:mod:`keys`), and a role: an ordinary name part, a particle
(AL, BIN, UULU ...), a patronymic (-OVICH, -OVNA, UULU X) or an initial. Titles
(GENERAL, SHEIKH, HAJI ...) are dropped. ``ABD AL-RAHMAN``, ``ABDUL RAHMAN``,
``ABDURRAHMAN`` and ``عبد الرحمن`` all become the one token ``ABDRAHMAN``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from anyascii import anyascii

from .cognates import other_forms
from .keys import g_for_h, latin_skeleton, token_keys
from .scripts import ARABIC, CYRILLIC, HEBREW, LATIN, OTHER, char_script, detect_script
from .translit import (
    arabic_rendition,
    arabic_skeleton,
    cyrillic_language,
    cyrillic_renditions,
    fold_other,
    hebrew_readings,
)

__all__ = [
    "PARTICLES",
    "PLACEHOLDERS",
    "TITLES",
    "NameForm",
    "Token",
    "analyse_name",
    "analyse_token",
    "name_alternatives",
    "normalise",
    "patronymic_parts",
    "written_name",
]

# Particles that introduce a patronymic in Central Asian names (Kyrgyz UULU, Kazakh ULY ...).
PATRONYMIC_PARTICLES: Final = frozenset(
    ["UULU", "KYZY", "KIZI", "ULY", "UGLI", "OGLI", "OGLY", "OGLU", "OGHLU", "QIZI", "GYZY", "KYZU"]
)
PARTICLES: Final = (
    frozenset(
        [
            "AL",
            "EL",
            "UL",
            "AS",
            "AR",
            "AD",
            "AN",
            "AZ",
            "ASH",
            # the article assimilated before D, R, S and written apart (NOOR UD DIN,
            # INAYAT UR RAHMAN, KADER ES SAYED)
            "UD",
            "UR",
            "ES",
            # "son of" in the Hassaniya Arabic of Mauritania and the Sahel (Yoro OULD DAHA)
            "OULD",
            "WALAD",
            "BIN",
            "BEN",
            "IBN",
            # IBN as Persian and Sudanese spellings write it (Awad Mohammed Ahmed EBNI AUF)
            # and as Indonesian and Malay do (IBNU)
            "EBN",
            "EBNI",
            "IBNU",
            "BINT",
            "BINTI",
            "BENT",
            "ABU",
            "ABOU",
            "BOU",
            "UMM",
            "OUM",
            "DE",
            "DI",
            "DA",
            "DU",
            "DOS",
            "DEL",
            "DELLA",
            "VAN",
            "VON",
            "DER",
            "DEN",
            "LA",
            "LE",
        ]
    )
    | PATRONYMIC_PARTICLES
)
TITLES: Final = frozenset(
    [
        "MR",
        "MRS",
        "MS",
        "DR",
        "PROF",
        "GENERAL",
        "GEN",
        "MAJOR",
        "COLONEL",
        "COL",
        "CAPTAIN",
        "CAPT",
        "LIEUTENANT",
        "LT",
        "SHEIKH",
        "SHAIKH",
        "SHEIKHA",
        "HAJI",
        "HAJJI",
        "HADJI",
        "HAJ",
        "ALHAJ",
        "ALHAJI",
        "MAULAVI",
        "MAWLAWI",
        "MAULVI",
        "MULLAH",
        "MULLA",
        "MAULANA",
        "QARI",
        "MUFTI",
        "IMAM",
        "EMIR",
        "AMIR_TITLE",
        "COMMANDANT",
        "CHIEF",
        "SHAYKH",
        "SHAYKHA",
        "SHEYKH",
        "SHEIK",
        "SHEICK",
        "CHEIKH",
        "CHEICK",
        "SCHEICH",
        "SHAYK",
        "HADJ",
        "HAJJ",
        "HAJIE",
        "MAWLAWI",
        "MAWLAVI",
        "MAWLAWY",
        "MAWLANA",
        "MOULANA",
        "MOLLAH",
        "MOLLA",
        "BRIGADIER",
        "MARSHAL",
        "SERGEANT",
        "SGT",
        "ADMIRAL",
        # Burmese honorifics (U for men, DAW for women; SAW and NAW among the Karen) and
        # the Malay/Indonesian teacher
        "U",
        "DAW",
        "SAW",
        "NAW",
        "USTADZ",
        "USTAZ",
        "USTADH",
        "MADAME",
        # a Shia cleric's rank, written as one word (apart, HOJJAT is also a given name)
        "HOJJATOLESLAM",
        "HOJATOLESLAM",
        "HOJJATOLISLAM",
        "HOJATOLISLAM",
        "HOJJATULISLAM",
        "AYATOLLAH",
        # more spellings of the cleric's title
        "MAULAWI",
        "MOULAVI",
        "MOLVI",
        # generational suffixes, leading where a list put the surname first (JR., Samuel
        # KNOWLES); at the end, see _SUFFIXES
        "JR",
        "JNR",
        "SR",
        "SNR",
        "II",
        "III",
    ]
)
# titles that are never a name: dropped even before a lone name (Colonel MUTEBUTSI,
# Mullah JABAR), where SHEIKH, HAJI, IMAM, U ... may be a name or an initial there
_ONLY_TITLES: Final = frozenset(
    ["GENERAL", "GEN", "COLONEL", "COL", "CAPTAIN", "CAPT", "LIEUTENANT", "LT", "COMMANDANT",
     "BRIGADIER", "MARSHAL", "SERGEANT", "SGT", "ADMIRAL", "MR", "MRS", "MS", "DR", "PROF",
     "MADAME", "MULLAH", "MULLA", "MOLLAH", "MOLLA", "MAULAVI", "MAWLAWI", "MAULVI",
     "MAWLAVI", "MAWLAWY", "MAULAWI", "MOULAVI", "MOLVI", "MAULANA", "MAWLANA", "MOULANA",
     "MUFTI", "HOJJATOLESLAM", "HOJATOLESLAM", "HOJJATOLISLAM", "HOJATOLISLAM",
     "HOJJATULISLAM", "AYATOLLAH"]
)  # fmt: skip
# dropped at the end of a name: generational suffixes, the South Asian honorific SAHIB
# (HOTTAK SAHIB; at the start it is a given name, SAHIB KHAN), and the titles booking
# systems append (ZHUMABAEV/NURLAN MR, as an analyst may type a booked name)
_SUFFIXES: Final = frozenset(
    ["JR", "JNR", "SR", "SNR", "II", "III", "SAHIB", "SAHEB", "MR", "MRS", "MS", "MISS", "MSTR"]
)

# what a form or a system writes where a name is not known: FNU, MNU, LNU (first, middle,
# last name unknown: US and Indian passports and visas, airline reservations for a
# traveller with one name only), NFN, NMN (no first, middle name), UNK. Dropped wherever
# they stand, as long as a name remains: they say nothing of the person.
PLACEHOLDERS: Final = frozenset(["FNU", "MNU", "LNU", "NFN", "NMN", "NLN", "UNK", "UNKNOWN"])
# ض and ذ read as ز, ظ read as ذ (see analyse_token)
_Z_OR_D: Final = str.maketrans({"ض": "ز", "ذ": "ز", "ظ": "ذ"})
_ABBREVIATIONS: Final = {"MOHD": "MUHAMMAD", "MHD": "MUHAMMAD", "MD": "MUHAMMAD", "MOH": "MUHAMMAD"}
_ABD_PREFIXES: Final = frozenset(
    ["ABD", "ABDUL", "ABDEL", "ABDOL", "ABDOUL", "ABDAL", "ABDUR", "ABDUS", "ABDER", "ABDU"]
)
_ABD_GLUED: Final = re.compile(r"^ABD(?:[AEIOU]{1,2})(?:L|([RSZNTD])(?=\1))(?=[A-Z]{2})")
# one shared empty set for the tokens that have none: an index holds tens of thousands of
# tokens, and each set of its own would take room and be walked by the garbage collector
_NO_STRINGS: Final[frozenset[str]] = frozenset()
# Patronymic endings in Latin letters and the gender each gives: Russian, Ukrainian and
# Belarusian; the Kazakh and Kyrgyz "son of", "daughter of" written onto the father's name
# (KEMELULY, ӘБІШҰЛЫ; apart, UULU and KYZY are particles), after three letters at least
_SLAVIC_PATRONYMIC: Final = {"OVICH": "M", "EVICH": "M", "AVICH": "M", "OVYCH": "M",
                      "OVNA": "F", "EVNA": "F", "AVNA": "F", "IVNA": "F", "ICHNA": "F"}  # fmt: skip
_TURKIC_PATRONYMIC: Final = {"ULY": "M", "UULU": "M", "KYZY": "F", "QYZY": "F"}
_PATRONYMIC_GENDER: Final = _SLAVIC_PATRONYMIC | _TURKIC_PATRONYMIC
_PATRONYMIC_LATIN: Final = re.compile(
    f"(?:{'|'.join(_SLAVIC_PATRONYMIC)})$|(?<=[A-Z]{{3}})(?:{'|'.join(_TURKIC_PATRONYMIC)})$"
)
_PATRONYMIC_CYR: Final = re.compile(r"(ВИЧ|ВНА|ИЧНА|ВІЧ|ВИЧА)$|(?<=\w{3})(ҰЛЫ|УЛЫ|УУЛУ|ҚЫЗЫ|КЫЗЫ)$")
_ARABIC_MARKS: Final = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Hebrew vowel points and cantillation marks (not the maqaf, a hyphen, nor the letters)
_HEBREW_MARKS: Final = re.compile("[\u0591-\u05bd\u05bf-\u05c7]")
# "/" is not a separator: VARABEI/VERABEI is one name in two spellings (_alternatives)
_SPLIT: Final = re.compile(r"[\s,;\\()\[\]{}\"“”«»|_\-‐‑‒–—.:·،؛۔־]+")
_SLASH: Final = re.compile(r"\s*/\s*")
# a lower-case "or" between two words joins spellings or names as a slash does (the EU
# writes Ali Saidi or Saeedi, Alesia MILORADOVICH or Alesya MILORADOVICH); a name OR, Or
# (Hebrew) is written with a capital
_OR: Final = re.compile(r"(?<=\S)\s+or\s+(?=\S)")
# a Shia cleric's rank written in two or three words (Hojjat al-Eslam, Hojat-ol-Eslam),
# joined into the one word TITLES knows; HOJJAT alone is also a given name
_HOJJAT_OL_ESLAM: Final = re.compile(
    r"\bhojj?at(?:[\s\-‐]*(?:al|ol|ul)[\s\-‐]*|[\s\-‐]+)([ei])slam\b", re.IGNORECASE
)
_APOSTROPHES: Final = re.compile(r"['`´ʼʻ‘’ʹʿʾ]")
_NOT_ALNUM: Final = re.compile(r"[^A-Z0-9]")
_NOT_LATIN: Final = re.compile(r"[^A-Z]")
_ARABIC_NORM: Final = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ۀ": "ه"}
)


def normalise(text: str) -> str:
    """NFKC, Arabic diacritics and tatweel removed, apostrophes dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_MARKS.sub("", text)
    text = _HEBREW_MARKS.sub("", text)
    text = _APOSTROPHES.sub("", text)
    if "slam" in text or "SLAM" in text:
        text = _HOJJAT_OL_ESLAM.sub(r"HOJJATOL\1SLAM", text)
    return " ".join(text.split())


@dataclass(eq=False, slots=True)
class Token:
    """One name token. ``renditions`` are Latin spellings; ``keys``/``skeletons`` their folds.

    ``role`` is ``name``, ``particle``, ``patronymic`` or ``initial``. ``native`` is the
    original-script form (normalised) for Arabic and Cyrillic tokens, else the Latin text.
    Tokens are interned (:func:`analyse_token` is cached), so identity is equality.
    """

    text: str
    script: str
    role: str
    renditions: tuple[str, ...]
    systems: tuple[str, ...]
    keys: tuple[str, ...]
    skeletons: tuple[str, ...]
    native: str
    # the spellings (four letters or more) with a lone H read as G, when any has an H
    # (IHOR: IGOR); and the keys of the name an ABD compound is shortened to, the half
    # after ABD (ABDUL SAMAD: SAMAD), the name after a glued ABU or BIN AL
    # (ABUZUBAIR: ZUBAIR, BINALSHIBH: SHIBH), or the name before -al-Din (NEZAMOLDIN:
    # NEZAM, GHIASUDDIN: GHIAS). Made here, once per token, for
    # scoring.token_similarity
    g_forms: frozenset[str] = frozenset()
    part_keys: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.role}, keys={self.keys}, skel={self.skeletons})"


@dataclass(eq=False, slots=True)
class NameForm:
    """An analysed name: the original text and its tokens (titles dropped).

    ``main_tokens`` take part in alignment (particles do not). ``items`` are the alignment
    items: each main token, and each pair of adjacent given names or surnames glued
    together (GHOLAM ALI ~ GHOLAMALI), not a patronymic and the name after it (no list
    writes NIKOLAEVICH BORISOV as one word; on names-dev, gluing them changed no alert
    and cost 9% of a cold screening's instructions); they are made on first use,
    because a big list holds a million names of which few are ever aligned.

    ``surnames`` are the positions in ``main_tokens`` of the surnames, where the name says
    which they are: lists (OFAC, the EU, the UN's aliases), passports' visual zones and
    analysts write the surname in capitals and the given names not (Daniel RODRIGUEZ
    OLIVERA, MOUSAVI Seyyed Nezamoldin). A name written all in capitals, or none, or in a
    script without case, says nothing: ``()``.
    """

    text: str
    tokens: tuple[Token, ...]
    script: str
    surnames: tuple[int, ...] = ()
    main_tokens: tuple[Token, ...] = ()
    _items: tuple[tuple[tuple[int, ...], Token], ...] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        main = tuple(t for t in self.tokens if t.role != "particle")
        self.main_tokens = self.tokens if len(main) == len(self.tokens) else main

    @property
    def items(self) -> tuple[tuple[tuple[int, ...], Token], ...]:
        if self._items is None:
            mt = self.main_tokens
            items: list[tuple[tuple[int, ...], Token]] = [((i,), t) for i, t in enumerate(mt)]
            for i in range(len(mt) - 1):
                a, b = mt[i], mt[i + 1]
                if a.role == "name" and b.role == "name" and a.script == b.script:
                    items.append(((i, i + 1), analyse_token(a.text + b.text, a.script)))
            self._items = tuple(items)
        return self._items


def written_name(given_names: str | None, surname: str | None) -> str:
    """A traveller's full name written so that :func:`analyse_name` knows the surname
    (:attr:`NameForm.surnames`): the given names in lower case with capital initials, the
    surname in capitals (``"NURLAN", "ZHUMABAEV"`` -> ``"Nurlan ZHUMABAEV"``). Travel
    documents and bookings give the two apart; a name joined in capitals would lose it."""
    given = " ".join((given_names or "").split()).title()
    last = " ".join((surname or "").split()).upper()
    return f"{given} {last}".strip()


def _in_capitals(word: str) -> bool:
    """Is ``word`` written in capitals: two cased letters or more, none lower case?"""
    cased = [c for c in word if c.isupper() or c.islower()]
    return len(cased) >= 2 and not any(c.islower() for c in cased)


def _role_latin(word: str) -> str:
    if len(word) == 1:
        return "initial"
    if word in PARTICLES:
        return "particle"
    if _PATRONYMIC_LATIN.search(word):
        return "patronymic"
    return "name"


def patronymic_parts(rendition: str) -> tuple[str, str]:
    """A patronymic's Latin rendition as (the father's name, the gender its ending gives):
    YURYEVICH (YURY, M), ASANKYZY (ASAN, F), BAKYT of BAKYT UULU (BAKYT, "": the particle
    was set aside)."""
    m = _PATRONYMIC_LATIN.search(rendition)
    if m is None or m.start() == 0:
        return rendition, ""
    return rendition[: m.start()], _PATRONYMIC_GENDER[m.group()]


@lru_cache(maxsize=200_000)
def analyse_token(word: str, script: str, language: str = "ru", role: str = "") -> Token:
    """Analyse one already-split word of ``script`` (see :mod:`scripts`)."""
    if script == HEBREW:
        return _hebrew_token(word)
    if script == CYRILLIC:
        up = word.upper()
        rends = cyrillic_renditions(up, language)
        renditions = tuple(r for _, r in rends)
        systems = tuple(s for s, _ in rends)
        native = up
        if not role:
            role = "patronymic" if _PATRONYMIC_CYR.search(up) else _role_latin(renditions[0])
        skeletons = tuple(dict.fromkeys(latin_skeleton(r) for r in renditions))
    elif script == ARABIC:
        native = word.translate(_ARABIC_NORM)
        renditions = (arabic_rendition(word),)
        systems = ("arabic-guess",)
        skeletons = (arabic_skeleton(word),)
        if any(c in "ضذظ" for c in word):
            # ض and ذ as the Z, ظ as the D, that Persian, Urdu and Turkic spellings or Gulf
            # Arabic write (رضا REZA, ضیایی ZIAEI, كاظم KADHIM): the name's other reading
            other = word.translate(_Z_OR_D)
            renditions = (*renditions, arabic_rendition(other))
            systems = (*systems, "persian-z")
            skeletons = (*skeletons, arabic_skeleton(other))
        role = role or ("particle" if native in _ARABIC_PARTICLES else "name")
    else:
        latin = fold_other(word) if script == OTHER else anyascii(word).upper()
        latin = _NOT_ALNUM.sub("", latin)
        latin = _ABBREVIATIONS.get(latin, latin)
        renditions = (latin,)
        systems = ("latin" if script == LATIN else "anyascii",)
        native = latin
        role = role or _role_latin(latin)
        skeletons = (latin_skeleton(latin),)
    if script != ARABIC:
        # the forms cognates.py lists (PAVLO -> PAVEL, YI -> RI, RAMAZAN -> RAMADAN ...);
        # ABDULRAHMAN, ABDURRAHMAN: also the canonical ABD compound (ABD AL-RAHMAN -> ABDRAHMAN)
        # and the canonical -al-Din compound (SAFIEDDINE, SAFI AL-DIN -> SAFIDIN), and any
        # other name glued with its article, as written apart (ZEINULABIDEEN, FAZLURRAHMAN:
        # ZEIN AL-ABIDEEN -> ZEINABIDEEN, FAZL UR-RAHMAN -> FAZLRAHMAN)
        extra: dict[str, str] = {}
        for r in renditions:
            for form, system in other_forms(r):
                extra.setdefault(form, system)
            if (rest := _abd_rest(r)) is not None:
                extra.setdefault(f"ABD{rest}", "abd-compound")
            if (din := _din_compound(r)) is not None:
                extra.setdefault(din, "din-compound")
            if (art := _article_compound(r)) is not None:
                extra.setdefault(art, "article-compound")
        for r in renditions:
            extra.pop(r, None)
        if extra:
            renditions = (*renditions, *extra)
            systems = (*systems, *extra.values())
            skeletons = tuple(dict.fromkeys((*skeletons, *(latin_skeleton(r) for r in extra))))
    keys = token_keys(renditions, script == LATIN)
    g_forms = _NO_STRINGS
    if script != ARABIC and any("H" in r for r in renditions):
        g_forms = frozenset(g_for_h(r) for r in renditions if len(r) >= 4) or _NO_STRINGS
    parts = tuple(
        part
        for r in renditions
        if len(r) >= 7 and r.startswith("ABD")
        and not _ALLAH.match(part := _abd_rest(r) or r[3:])
    ) + tuple(
        m.group(1) for r in renditions
        if (m := _ABU_GLUED.match(r) or _BIN_AL_GLUED.match(r)) is not None
    ) + tuple(
        r[:-3] for r, system in zip(renditions, systems)
        if system == "din-compound" and len(r) >= 7  # a stem of four letters or more
    )  # fmt: skip
    part_keys = frozenset(token_keys(parts)) if parts else _NO_STRINGS
    return Token(word, script, role, renditions, systems, keys, skeletons, native, g_forms,
                 part_keys)  # fmt: skip


# Latin letters that look like Cyrillic ones, and the Cyrillic they stand for in a word
# typed with both (ЦАPЁВ with a Latin P, АНАТОЛIЙОВИЧ with a Latin I for the Ukrainian І)
_CYRILLIC_LOOKALIKES: Final = str.maketrans(
    "ABCEHIKMOPTXYËÏaceikopxyëïĸ", "АВСЕНІКМОРТХУЁЇасеікорхуёїк"
)


def _unmixed(word: str) -> str:
    """A word written in Cyrillic with some Latin look-alike letters, in Cyrillic only.
    A word with a Latin letter that has no Cyrillic look-alike is left as it is."""
    if word.isascii() or not any(char_script(c) == CYRILLIC for c in word):
        return word
    out = word.translate(_CYRILLIC_LOOKALIKES)
    return out if not any(char_script(c) == LATIN for c in out) else word


def _token_script(word: str, default: str) -> str:
    for ch in word:
        s = char_script(ch)
        if s:
            return s
    return default


def _abd_rest(word: str) -> str | None:
    """For a glued ABDULRAHMAN / ABDURRAHMAN / ABDULLAH: the part after ABD + article."""
    m = _ABD_GLUED.match(word)
    if not m:
        return None
    return word[m.end() :]  # ABDUR|RAHMAN keeps the assimilated R with the name


# the article, son / daughter / father / mother of, and the Hassaniya "son of" (OULD)
_ARABIC_PARTICLES: Final = frozenset(["ال", "بن", "ابن", "بنت", "ابو", "ام", "ولد"])
# ABD joined to ALLAH (ABDALLAH, ABDULLAH) has no shorter name: ALLAH is no one's name
_ALLAH: Final = re.compile(r"^[AEIOU]?LL?AH?$")
# a kunya written as one word (ABUZUBAIR, ABOUBAKR, ABULHASAN): the name after ABU
_ABU_GLUED: Final = re.compile(r"^AB(?:U|OU|OO)(?:L(?=[^AEIOUY]))?([^AEIOUY][A-Z]{3,})$")
# "son of the" glued to a family name (BINALSHIBH, BINALSHEIDAH): the name after it, as
# written apart (BIN AL-SHIBH: particles dropped); BINALI (a given name) has none
_BIN_AL_GLUED: Final = re.compile(r"^(?:BIN|BEN|IBN)(?:AL|EL)([^AEIOUY][A-Z]{3,})$")


# a name glued to the next with the article, South Asian style: UL (SHAMSULHAQ,
# ZEINULABIDEEN; not ULLAH, which is Allah's name, not an article and a name), or U and
# the doubled first letter of a "sun letter" name it is assimilated to (FAZLURRAHMAN,
# NURUZZAMAN; UDD- is the -al-Din of _din_compound)
_UL_GLUED: Final = re.compile(r"^([A-Z]{3,}?)UL([^L][A-Z]{2,})$")
_SUN_GLUED: Final = re.compile(r"^([A-Z]{3,}?)U([RSTNZ])\2([A-Z]{2,})$")


def _article_compound(word: str) -> str | None:
    """For two names glued with the article between them: the two without it, as a
    list that writes them apart gives them glued (ZAYN AL-ABIDIN -> ZAYN ABIDIN, its
    article a particle): ZEINULABIDEEN -> ZEINABIDEEN, FAZLURRAHMAN -> FAZLRAHMAN. A
    stray reading of a European name (SEPULVEDA -> SEPVEDA) is harmless: nobody is
    listed under it."""
    m = _UL_GLUED.match(word)
    if m is not None:
        return m.group(1) + m.group(2)
    m = _SUN_GLUED.match(word)
    if m is not None:
        return m.group(1) + m.group(2) + m.group(3)
    return None


_DIN_ENDINGS: Final = ("DINE", "DEEN", "DIN")
_LATIN_VOWEL_LETTERS: Final = frozenset("AEIOU")


def _din_compound(word: str) -> str | None:
    """For a glued name in -al-Din (SAFIEDDINE, NOORUDDIN, TAJIDEEN, NEZAMOLDIN): the
    canonical STEM + DIN that the same name written apart also gives (SAFI AL-DIN ->
    SAFIDIN as a glued pair), else None. The article before DIN (UD, ED, AL, OL, OUD)
    or a linking vowel is dropped while a stem of three letters or more remains."""
    for end in _DIN_ENDINGS:
        if word.endswith(end):
            break
    else:
        return None
    stem = word[: -len(end)]
    if stem.endswith(("ABI", "ABE")):
        return None  # ZAYNULABIDIN: Zayn al-Abidin, not a name in -al-Din
    cut = 0
    if stem[-1:] in ("D", "L") and stem[-2:-1] in _LATIN_VOWEL_LETTERS:
        cut = 3 if stem[-3:-1] == "OU" else 2
    elif stem[-1:] in _LATIN_VOWEL_LETTERS:
        cut = 1
    if cut and len(stem) - cut >= 3:
        stem = stem[:-cut]
    if len(stem) < 3:
        return None
    out = stem + "DIN"
    return out if out != word else None


def _strip_article_latin(word: str) -> str:
    if len(word) > 3 and word[:2] in ("AL", "EL", "UL") and word[2] not in "AEIOUY":
        return word[2:]
    return word


def _append_marking_patronymic(tokens: list[Token], tok: Token, language: str) -> None:
    if tok.renditions[0] in PATRONYMIC_PARTICLES and tokens and tokens[-1].role == "name":
        prev = tokens.pop()  # Bakyt UULU: Bakyt is the father's name
        tokens.append(analyse_token(prev.text, prev.script, language, role="patronymic"))
    tokens.append(tok)


def name_alternatives(text: str) -> list[str]:
    """The full names one written name stands for. Lists sometimes join two full names
    with a slash (Natalya Ivanovna BEZRUCHENKO/Natalia Ivanovna BEZRUCHENKO): when every
    part has two words or more, each is a name. Otherwise a slash joins spellings of one
    name (VARABEI/VERABEI, Khaled/Khalid Zubaidi/Zubedi), which :func:`analyse_name`
    reads as one token, and the text is one name. A lower-case "or" between words is
    read as a slash."""
    if " or " in text:
        text = _OR.sub("/", text)
    if "/" not in text:
        return _repeated(text)
    parts = [p.strip() for p in text.split("/")]
    if all(len(p.split()) >= 2 for p in parts):
        return parts
    return [text]


def _repeated(text: str) -> list[str]:
    """A name that gives a given name and a patronymic twice, each time with a surname,
    is two full names written one after the other (Любовь Валентиновна ПРИГОЖИНА Любовь
    Валентиновна КРЯЖЕВА: a maiden and a married name). Arabic chains repeat names too
    (ABDULLA MOHAMAD ABDULLA MOHAMAD BEHZAD: a father named after his own), so only a
    repeated patronymic splits."""
    words = text.split()
    if len(words) < 6:
        return [text]
    a, b = words[0].upper(), words[1].upper()
    if not (_PATRONYMIC_LATIN.search(anyascii(b).upper()) or _PATRONYMIC_CYR.search(b)):
        return [text]
    for k in range(3, len(words) - 2):
        if words[k].upper() == a and words[k + 1].upper() == b:
            return [" ".join(words[:k]), " ".join(words[k:])]
    return [text]


def _latin_word(word: str, script: str) -> str:
    """A Latin-script (or other) word as :func:`analyse_token` takes it."""
    return _NOT_ALNUM.sub("", anyascii(word).upper()) if script != OTHER else word


def _spellings_of_one_name(a: Token, b: Token) -> bool:
    """Do two tokens share a folding key or a consonant skeleton (KHALED, KHALID;
    TALOUS, TLASS), as two spellings of one name do and a surname and a given name
    (ZHUMABAEV/NURLAN, IVANOV/IVAN) do not?"""
    if not set(a.keys).isdisjoint(b.keys):
        return True
    # a skeleton of one consonant says nothing (IVANOV and IVAN are both N)
    return any(len(x) >= 2 for x in set(a.skeletons).intersection(b.skeletons))


@lru_cache(maxsize=20_000)
def _alternatives(spellings: tuple[str, ...], script: str, language: str) -> Token | None:
    """One token for a name written in several spellings joined by slashes (VARABEI/
    VERABEI, ЛАПО/ЛАППО, Hussam/Hossam): every spelling's renditions, keys and
    skeletons, so that each aligns with it as well as it would alone. None when the
    words are not spellings of one name (ZHUMABAEV/NURLAN): they are names apart.
    Cached, so that the same spellings make the same token (tokens are compared by
    identity)."""
    toks: list[Token] = []
    for w in spellings:
        ws = _token_script(w, script)
        if ws == ARABIC:
            toks.append(analyse_token(w, ARABIC))
        elif ws == CYRILLIC:
            toks.append(analyse_token(w.upper(), CYRILLIC, language))
        elif up := _latin_word(w, ws):
            toks.append(analyse_token(up, ws, language))
    if len(toks) <= 1:
        return toks[0] if toks else None
    first = toks[0]
    if not all(_spellings_of_one_name(first, t) for t in toks[1:]):
        return None  # ZHUMABAEV/NURLAN, as an airline writes surname/given names
    spelt: dict[str, str] = {}
    for t in toks:
        for r, system in zip(t.renditions, t.systems):
            spelt.setdefault(r, system)
    patronymic = any(t.role == "patronymic" for t in toks)
    return Token(
        "/".join(t.text for t in toks),
        first.script,
        "patronymic" if patronymic else first.role,
        tuple(spelt),
        tuple(spelt.values()),
        tuple(dict.fromkeys(k for t in toks for k in t.keys)),
        tuple(dict.fromkeys(x for t in toks for x in t.skeletons)),
        first.native,
        frozenset().union(*(t.g_forms for t in toks)) or _NO_STRINGS,
        frozenset().union(*(t.part_keys for t in toks)) or _NO_STRINGS,
    )


def _hebrew_token(word: str) -> Token:
    """A Hebrew word, read as the Arabic-script word of the same letters (both are
    abjads of one family: :func:`translit.hebrew_readings`), with every reading's
    renditions, keys and skeletons; its script is ``ARABIC`` so that it is compared by
    its consonants, as an Arabic-script name is, and its text stays Hebrew."""
    toks = [analyse_token(r, ARABIC) for r in hebrew_readings(word)]
    if not toks:
        return analyse_token(word, OTHER)
    first = toks[0]
    spelt: dict[str, str] = {}
    for t in toks:
        for r in t.renditions:
            spelt.setdefault(r, "hebrew")
    return Token(
        word,
        ARABIC,
        first.role,
        tuple(spelt),
        tuple(spelt.values()),
        tuple(dict.fromkeys(k for t in toks for k in t.keys)),
        tuple(dict.fromkeys(x for t in toks for x in t.skeletons)),
        first.native,
        _NO_STRINGS,
        _NO_STRINGS,
    )


@lru_cache(maxsize=100_000)
def analyse_name(text: str) -> NameForm:
    """Analyse a full name in any script (see the module docstring)."""
    norm = normalise(name_alternatives(text)[0])
    script = detect_script(norm)
    language = cyrillic_language(norm) if script == CYRILLIC else "ru"
    words = [_unmixed(w) for w in _SPLIT.split(_SLASH.sub("/", norm)) if w.strip("/")]
    named = [w for w in words if w.upper() not in PLACEHOLDERS]
    if named and len(named) < len(words):
        words = named
    tokens: list[Token] = []
    capitals: list[bool] = []  # per token, as its word was written (NameForm.surnames)
    caps = False
    i = 0
    n = len(words)
    while i < n:
        _sync(capitals, tokens, caps)
        w = words[i]
        caps = _in_capitals(w)
        if "/" in w:
            spellings = tuple(x for x in w.split("/") if x)
            alt = _alternatives(spellings, script, language) if len(spellings) > 1 else None
            if alt is not None:
                _append_marking_patronymic(tokens, alt, language)
                i += 1
                continue
            words[i : i + 1] = spellings  # one word, or names apart
            n = len(words)
            continue
        ws = _token_script(w, script)
        if ws == ARABIC:
            aw = w
            if aw == "الله" and tokens and tokens[-1].script == ARABIC:
                prev = tokens.pop()  # حجت الله -> one name, Hojatollah
                tokens.append(analyse_token(prev.text + "الله", ARABIC))
                i += 1
                continue
            if aw == "عبد" and i + 1 < n:
                nxt = words[i + 1]
                nxt = nxt[2:] if nxt.startswith("ال") and len(nxt) > 3 else nxt
                tokens.append(analyse_token("عبد" + nxt, ARABIC))
                i += 2
                continue
            if aw.startswith("عبدال") and len(aw) > 6:
                aw = "عبد" + aw[5:]
            if aw.startswith("ال") and len(aw) > 3:
                aw = aw[2:]
            tokens.append(analyse_token(aw, ARABIC))
            i += 1
            continue
        if ws == HEBREW:
            tokens.append(analyse_token(w, HEBREW))
            i += 1
            continue
        if ws == CYRILLIC:
            _append_marking_patronymic(
                tokens, analyse_token(w.upper(), CYRILLIC, language), language
            )
            i += 1
            continue
        up = _latin_word(w, ws)
        if (
            ws != OTHER
            and not tokens
            and ((up in TITLES and n - i > 2) or (up in _ONLY_TITLES and n - i > 1))
        ):
            # leading titles, a run of them too (Brigadier General, Haji Mullah), while
            # two words of the name remain; a rank, while one does (Colonel MUTEBUTSI)
            i += 1
            continue
        if ws != OTHER and up in _ABD_PREFIXES and i + 1 < n:
            j = i + 1
            nxt = _NOT_LATIN.sub("", anyascii(words[j]).upper())
            if (
                nxt in ("AL", "EL", "UL", "AR", "UR", "AS", "US", "AZ", "AD", "ASH", "AN")
                and j + 1 < n
            ):
                j += 1
                nxt = _NOT_LATIN.sub("", anyascii(words[j]).upper())
            tokens.append(analyse_token("ABD" + _strip_article_latin(nxt), LATIN))
            i = j + 1
            continue
        _append_marking_patronymic(tokens, analyse_token(up, ws, language), language)
        i += 1
    _sync(capitals, tokens, caps)
    while len(tokens) > 2 and tokens[-1].script == LATIN and tokens[-1].text in _SUFFIXES:
        tokens.pop()  # Samuel KNOWLES JR., HOTTAK SAHIB: trailing, while two words remain
    _sync(capitals, tokens, caps)
    return NameForm(text, tuple(tokens), script, _surnames(tokens, capitals))


def _surnames(tokens: list[Token], capitals: list[bool]) -> tuple[int, ...]:
    """:attr:`NameForm.surnames`: the positions among the main tokens (no particles) of
    the names written in capitals, when names (no initials) not so written remain."""
    if not any(capitals):
        return ()
    caps = [c for t, c in zip(tokens, capitals) if t.role != "particle"]
    named = [i for i, t in enumerate(t for t in tokens if t.role != "particle")
             if t.role != "initial"]  # fmt: skip
    if all(caps[i] for i in named):
        return ()
    found = tuple(i for i in named if caps[i])
    return _SHARED_POSITIONS.setdefault(found, found)  # a million names hold a few dozen


_SHARED_POSITIONS: Final[dict[tuple[int, ...], tuple[int, ...]]] = {}


def _sync(capitals: list[bool], tokens: list[Token], caps: bool) -> None:
    """Keep one flag per token: the tokens a word added are flagged ``caps``."""
    del capitals[len(tokens) :]
    capitals.extend([caps] * (len(tokens) - len(capitals)))
