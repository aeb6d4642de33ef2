"""Transliteration tables: ICAO Doc 9303, common passport renditions, Arabic skeletons."""

from __future__ import annotations

import pytest

from piu.screening.keys import latin_skeleton
from piu.screening.scripts import ARABIC, CYRILLIC, HEBREW, LATIN, OTHER, detect_script
from piu.screening.translit import (
    ICAO_CYRILLIC,
    arabic_shape_agrees,
    arabic_skeleton,
    cyrillic_language,
    cyrillic_renditions,
    hebrew_readings,
)


def _latin(word: str, language: str = "ru") -> set[str]:
    return {latin for _, latin in cyrillic_renditions(word, language)}


def _system(word: str, system: str, language: str = "ru") -> str:
    return dict(cyrillic_renditions(word, language))[system]


@pytest.mark.parametrize(
    ("letter", "latin"),
    [("Ж", "ZH"), ("Х", "KH"), ("Ц", "TS"), ("Ч", "CH"), ("Ш", "SH"), ("Щ", "SHCH"),
     ("Ы", "Y"), ("Ю", "IU"), ("Я", "IA"), ("Й", "I"), ("Ъ", "IE"), ("Ь", ""), ("Є", "IE"),
     ("Ў", "U"), ("І", "I")],
)  # fmt: skip
def test_icao_table(letter: str, latin: str) -> None:
    assert ICAO_CYRILLIC[letter] == latin


def test_icao_rendition_of_whole_names() -> None:
    assert _system("ЮЛИЯ", "icao") == "IULIIA"
    assert _system("ХАБИБУЛЛАЕВ", "icao") == "KHABIBULLAEV"
    assert _system("ЦОЙ", "icao") == "TSOI"


def test_common_russian_passport_renditions() -> None:
    assert "YEVMENOV" in _latin("ЕВМЕНОВ")
    assert "AFANASYEV" in _latin("АФАНАСЬЕВ")
    assert "YULIYA" in _latin("ЮЛИЯ")
    assert {"ZHUKOV", "JUKOV"} <= _latin("ЖУКОВ")
    assert {"KHAN", "HAN"} <= _latin("ХАН")


@pytest.mark.parametrize(
    ("word", "expected"),
    [("ҮСӨНБАЕВ", "USONBAEV"), ("ТӨРӨБАЕВ", "TOROBAEV"), ("АҢСАР", "ANSAR"),
     ("ӘЛИЕВ", "ALIEV"), ("ҒАЛЫМ", "GALYM"), ("ҚАЙРАТ", "KAIRAT"), ("ҰЛАН", "ULAN"),
     ("ҺАДИ", "HADI")],
)  # fmt: skip
def test_kyrgyz_and_kazakh_letters(word: str, expected: str) -> None:
    assert cyrillic_language(word) == "kk"
    assert _system(word, "icao") == expected


def test_kazakh_digraph_rendition() -> None:
    assert _system("ҚАЙРАТ", "national-kk", "kk") == "QAYRAT"
    assert _system("ҒАЛЫМ", "national-kk", "kk") == "GHALYM"


def test_ukrainian_and_belarusian_national_systems() -> None:
    assert cyrillic_language("Олександр Юрійович") == "uk"
    assert _system("ГРИГОРІЙ", "national-uk", "uk") == "HRYHORIY"
    assert _system("ЇЖАК", "national-uk", "uk") == "YIZHAK"
    assert cyrillic_language("Аляксандр Лукашэнка Шаўцоў") == "be"
    assert "HENADZEVICH" in _latin("ГЕНАДЗЕВIЧ".replace("I", "І"), "be")


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("حمشو", "HAMSHO"), ("حمشو", "HAMCHO"), ("الشامسي", "ALSHAMSI"), ("قریشی", "GHOREISHI"),
     ("قریشی", "QUREISHI"), ("زاده", "ZADEH"), ("محمد", "MUHAMMAD"), ("عبدالله", "ABDULLAH"),
     ("یزدیخواه", "YAZDIKHAH"), ("نیکخواه", "NIKKHAH")],  # a final HA after KH keeps KH
)  # fmt: skip
def test_arabic_skeleton_meets_latin_skeleton(arabic: str, latin: str) -> None:
    assert arabic_skeleton(arabic) == latin_skeleton(latin)


def test_arabic_skeleton_keeps_distinct_names_apart() -> None:
    assert arabic_skeleton("محمدی") != latin_skeleton("MUHAMMAD")  # Mohammadi
    # vowels are lost: HASAN and HUSAYN share a skeleton (arabic_shape_agrees tells them apart)
    assert arabic_skeleton("حسن") == latin_skeleton("HUSSEIN")
    assert arabic_skeleton("كريم") != latin_skeleton("KAMAL")


def test_detect_script() -> None:
    assert detect_script("Сергей ПАНТЕЛЕЕВ") == CYRILLIC
    assert detect_script("حمشو عماد") == ARABIC
    assert detect_script("Jérôme KAKWAVU") == LATIN
    assert detect_script("김정은") == OTHER
    assert detect_script("משה שרביט") == HEBREW
    assert detect_script("1234") == LATIN


@pytest.mark.parametrize(
    ("arabic", "latin", "agrees"),
    [
        ("احمد", "AHMAD", True), ("احمد", "HAMID", False), ("حامد", "HAMID", True),
        ("محمد", "MUHAMMAD", True), ("محمد", "MAHMOUD", False), ("محمود", "MAHMOUD", True),
        ("سالم", "SALEM", True), ("سالم", "ISLAM", False), ("عمر", "OMAR", True),
        ("علي", "ALI", True), ("وكيل", "WAKIL", True), ("وكيل", "GUL", False),
        ("يوسف", "YOUSSEF", True), ("حمادي", "ALHAMMADI", True),
        # a diphthong the Latin spells (EI, AY, AI) is a ya in the Arabic
        ("حسن", "HUSSEIN", False), ("حسن", "HUSAYN", False), ("حسين", "HUSSEIN", True),
        ("حسن", "HASSAN", True), ("زيد", "ZAYD", True), ("سيف", "SAIF", True),
        ("شيخ", "SHEIKH", True), ("رائد", "RAID", True),
    ],
)  # fmt: skip
def test_arabic_shape_agrees(arabic: str, latin: str, agrees: bool) -> None:
    assert arabic_shape_agrees(arabic, latin) is agrees


def test_hebrew_is_read_letter_for_letter_as_arabic_with_each_latin_reading() -> None:
    # SHIN is SH or S, BET inside a word B or V, TSADI TS, Z or TZ: one spelling each
    assert hebrew_readings("שרביט") == ("شربيط", "شرويط", "سربيط", "سرويط")
    assert set(hebrew_readings("ציון")) == {"تسيون", "زيون", "تزيون"}
    # at the start of a word BET and KAF are B and K; PE is P or F
    assert hebrew_readings("ברק") == ("برق",)
    assert hebrew_readings("כהן") == ("كهن",)
    assert hebrew_readings("פרץ") == ("پرتس", "پرز", "پرتز", "فرتس", "فرز", "فرتز")
    # a geresh writes J, ZH, CH; TET SHIN the CH of foreign names
    assert hebrew_readings("ג׳ורג׳") == ("جورج",)
    assert hebrew_readings("דויטש")[0] == "دويچ"
    # at most eight readings, and none for a word without Hebrew letters
    assert len(hebrew_readings("שפחצשפחצ")) == 8
    assert hebrew_readings("ABC") == ()
    # the skeleton of a reading meets the Latin spelling's
    assert arabic_skeleton(hebrew_readings("שרביט")[1]) == latin_skeleton("SHARVIT")
    # the TZ and H of a Hebrew name are not the Russian ZH
    assert latin_skeleton("YITZHAK") == arabic_skeleton(hebrew_readings("יצחק")[4]) == "TZHK"
    assert latin_skeleton("ZHUKOV").startswith("J")
