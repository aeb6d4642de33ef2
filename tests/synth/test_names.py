"""Name renderings: passports follow ICAO Doc 9303, bookings vary the way agents type."""

from __future__ import annotations

import random

import pytest

from piu.synth.names import (
    GROUPS,
    NativeName,
    booking_variant,
    draw_name,
    icao_cyrillic,
    passport_name,
    romanise_variant,
)


@pytest.mark.parametrize(
    ("native", "icao"),
    [
        ("Юсупов", "IUSUPOV"),
        ("Жумабаев", "ZHUMABAEV"),
        ("Худойбердиев", "KHUDOIBERDIEV"),
        ("Үмүтбек", "UMUTBEK"),
        ("Чыңгыз", "CHYNGYZ"),
        ("Щербаков", "SHCHERBAKOV"),
        ("Соловьёв", "SOLOVEV"),
    ],
)
def test_icao_transliteration(native: str, icao: str) -> None:
    assert icao_cyrillic(native) == icao


def test_agent_romanisations_cover_the_usual_spellings() -> None:
    seen = {romanise_variant("Юсупов", random.Random(i)) for i in range(200)}
    assert {"YUSUPOV", "JUSUPOV", "IUSUPOV"} - {"IUSUPOV"} <= seen
    zh = {romanise_variant("Жумабаев", random.Random(i)) for i in range(200)}
    assert {"JUMABAEV", "DZHUMABAEV", "ZHUMABAEV"} <= zh


def test_russian_passports_omit_the_patronymic_central_asian_ones_print_it() -> None:
    ru = NativeName("russian", "Иванов", "Сергей", "Петрович")
    kg = NativeName("kyrgyz", "Асанов", "Азамат", "Бакытович")
    assert passport_name(ru) == ("IVANOV", "SERGEI", None)
    assert passport_name(kg) == ("ASANOV", "AZAMAT", "BAKYTOVICH")


def test_reported_booking_changes_really_change_the_name() -> None:
    rng = random.Random(5)
    changed = 0
    for group in GROUPS.values():
        for _ in range(200):
            name = draw_name(group, rng.random() < 0.5, rng)
            typed = booking_variant(name, rng, rate=1.0)
            surname, given, middle = passport_name(name)
            passport = (surname, given + (f" {middle}" if middle else ""))
            assert typed.changes, name
            assert (typed.surname, typed.given) != passport, (name, typed)
            changed += 1
    assert changed == 200 * len(GROUPS)


def test_turkish_and_german_diacritics_follow_their_mrz_rules() -> None:
    assert passport_name(NativeName("turkish", "Öztürk", "Çağlar"))[:2] == ("OZTURK", "CAGLAR")
    assert passport_name(NativeName("european", "Müller", "Jürgen"))[:2] == ("MUELLER", "JUERGEN")
