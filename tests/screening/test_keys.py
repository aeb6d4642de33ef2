"""The folding key merges transliteration variants and keeps distinct names apart."""

from __future__ import annotations

import pytest

from piu.screening.keys import fold_key, token_keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ZHUKOV", "JUKOV"), ("DZHUMABAEV", "JUMABAEV"), ("DJUMABAEV", "ZHUMABAEV"),
        ("KHABIBULLAEV", "HABIBULLAEV"), ("YULIYA", "IULIIA"), ("YURIY", "IURII"),
        ("YUSUPOV", "IUSUPOV"), ("IVANOV", "IVANOFF"), ("IVANOV", "IVANOW"),
        ("YEVMENOV", "EVMENOV"), ("AFANASYEV", "AFANASEV"), ("MOHAMMED", "MUHAMMAD"),
        ("MOHAMAD", "MOHAMMAD"), ("ABDULLAH", "ABDULLA"), ("YOUSSEF", "YUSUF"),
        ("SHCHERBAKOV", "SHERBAKOV"), ("TSOI", "TSOY"), ("TSOI", "TZOI"),
        ("FILIPPOV", "PHILIPOV"), ("KHAN", "HAN"), ("GHULAM", "GULAM"),
        ("OSMANOV", "OSMANOFF"), ("TURSUNBAEV", "TURSUNBAYEV"), ("ISMAILOV", "ISMAYLOV"),
    ],
)  # fmt: skip
def test_variants_share_a_key(a: str, b: str) -> None:
    assert fold_key(a) == fold_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("IVANOV", "IVANOVA"), ("PETROV", "PETRENKO"), ("KARIMOV", "KAMILOV"),
        ("SULTANOV", "SULEIMANOV"), ("ALI", "ALIEV"), ("AHMED", "MAHMOUD"),
        ("RASHID", "RASUL"), ("ZHUKOV", "SHUKOV"), ("KHALID", "KHALIL"),
        ("ABDULLAEV", "ABDRAKHMANOV"), ("NURLAN", "NURBEK"), ("AZAMAT", "AZAT"),
        ("BAKYT", "BAKIR"), ("TALGAT", "TALANT"),
        # CH and TS are one sound, never read again as K (CHO is not KO, TSOY not KOY)
        ("CHO", "KO"), ("TSOY", "KOY"), ("CHANG", "KANG"),
        # the H of KH stays after a vowel (IKHTIYAR is not ITIYAR/ATAR)
        ("IKHTIYAR", "ATAR"), ("MUKHTAR", "MUTAR"),
    ],
)  # fmt: skip
def test_distinct_names_keep_distinct_keys(a: str, b: str) -> None:
    assert fold_key(a) != fold_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("ALARIFI", "ARIFI"), ("ALANSARI", "ANSARI"), ("ELOMARI", "OMARI"),
     ("DAWOUD", "DAOUD"), ("DAWOOD", "DAUD"), ("DAWUD", "DAVOOD"),
     ("CHO", "JO"), ("CHONG", "JONG"), ("CHIN", "JIN"), ("CHAE", "JAE"),
     ("TO", "DO"), ("POM", "BOM"), ("POK", "BOK"), ("KYU", "GYU"), ("TENG", "DENG"),
     ("KUO", "GUO"), ("CHIBLI", "SHIBLI"), ("ALLOUCH", "ALLUSH"), ("ACHOUR", "ASHUR"),
     ("CHAMIL", "SHAMIL"), ("BAASYIR", "BASHIR"), ("SYARIF", "SHARIF"),
     ("CABDULLAHI", "ABDULLAHI"), ("CUSMAN", "OSMAN"), ("MAXAMED", "MOHAMED"),
     ("XASAN", "HASAN"), ("YACINE", "YASIN"), ("LAHCENE", "LAHSEN"), ("AMINE", "AMIN"),
     ("OTHMANE", "UTHMAN"), ("AYACHE", "AYASH"), ("GAMAL", "JAMAL"), ("RAGAB", "RAJAB"),
     ("NAGIB", "NAJIB"), ("HEGAZI", "HIJAZI"), ("GEBRIL", "JIBRIL")],
)  # fmt: skip
def test_second_readings_share_a_key(a: str, b: str) -> None:
    """AL glued before a vowel, W as the vowel of waw, a Korean syllable's CH (McCune-
    Reischauer), a short syllable's first P, T, K (Wade-Giles, McCune-Reischauer) and
    the French CH for SH (Arabic ش, Russian Ш), C for S before E and I and a silent
    final E, the Egyptian G for ج, the Indonesian SY for SH and the Somali C and X for
    ʿayn and ḥ give a second key."""
    assert set(token_keys((a,))) & set(token_keys((b,)))


@pytest.mark.parametrize(
    ("a", "b"),
    [("ALEXANDER", "EXANDER"), ("ALIYEV", "IYEV"), ("ALIEVA", "IEVA"), ("JAWAD", "JAAD"),
     ("EDWARD", "EDUARD"), ("ALAN", "AN"), ("CHARLES", "JARLES"), ("RICHON", "RIJON"),
     ("TARIQ", "DARIQ"), ("KAMAL", "GAMAL"), ("PETROV", "BETROV"), ("KHAN", "GHAN"),
     ("THAN", "DHAN"), ("CHEN", "SHEN"), ("TCHAIKA", "TSHAIKA"), ("CLAUDE", "LAUDE"),
     ("SYLVIA", "SHLVIA"), ("GUL", "JUL"), ("GANG", "JANG"), ("GHANI", "JANI"),
     ("ANGELA", "ANJELA"), ("JOSE", "JOS"), ("CHEN", "SEN"), ("GEORGE", "GEORJ")],
)  # fmt: skip
def test_second_readings_stay_narrow(a: str, b: str) -> None:
    """Names that go on from AL with E, I or Y keep it; W before a consonant or A stays V;
    only a short name's first CH may be the Korean J, and only a short name's first P, T
    or K before a vowel (not of KH, TH) may be B, D, G; the French CH is SH only in a
    name of five letters or more (CHEN and SHEN are two Chinese surnames), not in TCH,
    and the silent E only in such a name too; the Egyptian G is J only before a vowel
    in a name of five letters or more, and never in GH (غ) or NG."""
    assert not set(token_keys((a,))) & set(token_keys((b,)))


def test_other_orthographies_only_for_names_written_in_latin_letters() -> None:
    """Our own renditions of a Cyrillic name (Сергей: SERGEY) are not French or Egyptian
    spellings: reading them so would only add keys."""
    assert set(token_keys(("SERGEY",))) & set(token_keys(("SERJEY",)))
    assert not set(token_keys(("SERGEY",), written=False)) & set(token_keys(("SERJEY",)))
