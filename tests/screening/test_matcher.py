"""The matcher end to end on a small list: alerts, thresholds, contradictions."""

from __future__ import annotations

import gc
import weakref

import pytest

from piu.screening import (
    DEFAULT_THRESHOLD,
    DateOfBirth,
    Matcher,
    Query,
    WatchlistEntry,
    analyse_name,
)
from piu.screening.matcher import settle_heap
from piu.screening.names import name_alternatives

ENTRIES = [
    WatchlistEntry("l:1", "l", ["Nurlan Bakytovich ZHUMABAEV", "Нурлан Бакытович ЖУМАБАЕВ"],
                   dobs=[DateOfBirth(1979, 4, 2)], nationalities=["KGZ"]),
    WatchlistEntry("l:2", "l", ["Hani al-Sayyid al-Sebai YUSIF", "هاني السيد السباعي يوسف"],
                   dobs=[DateOfBirth(1961, 3, 1)], nationalities=["EGY"]),
    WatchlistEntry("l:3", "l", ["Yulia Sergeyevna KHODZHAEVA"], dobs=[DateOfBirth(1985)]),
    WatchlistEntry("l:4", "l", ["Talant ESENALIEV"], dobs=[DateOfBirth(1970, 1, 1)]),
]  # fmt: skip


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher().build(ENTRIES)


@pytest.mark.parametrize(
    ("name", "dob", "expected"),
    [
        ("DJUMABAEV NURLAN", "1979-04-02", "l:1"),
        ("Жумабаев Нурлан", None, "l:1"),
        ("Hani El Sayyed Elsebai Yusef", "1961-03-01", "l:2"),
        ("هاني يوسف", "1961-03-01", "l:2"),
        ("IULIIA KHODZHAEVA", "1985-07-07", "l:3"),
        ("Юлия Ходжаева", None, "l:3"),
    ],
)
def test_variants_are_found(matcher: Matcher, name: str, dob: str | None, expected: str) -> None:
    q = Query(name, dob=DateOfBirth.parse(dob) if dob else None)
    assert expected in {m.entry_id for m in matcher.screen(q)}


@pytest.mark.parametrize(
    ("name", "dob"),
    [
        ("Nurlan ESENALIEV", "1979-04-02"),  # given name of one, surname of another
        ("Talant ZHUMABAEV", "1970-01-01"),
        ("Nurlan Bakytovich ZHUMABAEV", "1950-12-30"),  # right name, different person
        ("Yulia PETROVA", None),
    ],
)
def test_hard_negatives_do_not_alert(matcher: Matcher, name: str, dob: str | None) -> None:
    q = Query(name, dob=DateOfBirth.parse(dob) if dob else None)
    assert matcher.screen(q) == []


def test_threshold_is_configurable(matcher: Matcher) -> None:
    q = Query("Nurlan Bakytovich ZHUMABAEV", dob=DateOfBirth.parse("1950-12-30"))
    assert matcher.screen(q, threshold=0.3)
    assert matcher.threshold == DEFAULT_THRESHOLD
    strict = Matcher(list_thresholds={"l": 0.999}).build(ENTRIES)
    assert strict.screen(Query("DJUMABAEV NURLAN")) == []


def test_score_all_returns_non_alerting_candidates_too(matcher: Matcher) -> None:
    all_ = matcher.score_all(Query("Nurlan ESENALIEV"))
    assert all_ and not any(m.alert for m in all_)
    assert all_ == sorted(all_, key=lambda m: m.score, reverse=True)


# A crowd of entries sharing the common name, listed first, so the common name alone
# reaches them all and the one entry that also holds the rest is found only through it.
_CROWD_SURNAMES = ["KARIMI", "NAZARI", "RAHIMI", "SADEGHI", "TEHRANI", "JAFARI", "AMINI",
                   "HOSSEINI", "MOUSAVI", "GHASEMI", "SALEHI", "BAGHERI", "REZAEI",
                   "KAZEMI", "ZAREI", "AHMADI", "HEIDARI", "NOURI", "RASHIDI", "YOUSEFI",
                   "FARAHANI", "SHARIFI", "MORADI", "NADERI", "SOLTANI", "HASHEMI",
                   "KARIMIAN", "ABBASI", "ZAMANI", "SHIRAZI"]  # fmt: skip


def _crowded(given: str, target: list[str], also: list[str] | None = None) -> Matcher:
    crowd = [WatchlistEntry(f"c:{s}", "c", [f"{given} {s}"]) for s in _CROWD_SURNAMES]
    crowd += [WatchlistEntry(f"c:also{i}", "c", [n]) for i, n in enumerate(also or [])]
    return Matcher().build([*crowd, WatchlistEntry("c:target", "c", target)])


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Mohammad JALALMAAB", "Mohammad JALAL MAAB"),  # one word here, two on the list
        ("Mohammad ALIAKBARI", "Mohammad ALI AKBARI"),
        ("علی یزدی خواه", "YAZDIKHAH Ali"),  # two words in Persian, one in Latin letters
        # a name in -al-Din glued on one side, apart on the other, either way round, even
        # when the list also holds the glued spelling for somebody else
        ("Abdullah SAFIEDDINE", "Abdullah SAFI AL-DIN"),
        ("Ali TAJ AL DIN", "Ali TAJEDDINE"),
        ("Noor ud Din TURABI", "Nooruddin TURABI"),
    ],
)
def test_a_name_written_as_one_word_or_two_is_reached(query: str, listed: str) -> None:
    given = listed.split()[0] if listed.split()[0] != "YAZDIKHAH" else "Ali"
    m = _crowded(given, [listed], also=[f"{given} SAFIEDDINE"])
    assert "c:target" in {x.entry_id for x in m.screen(Query(query))}


def test_an_index_can_forget_what_queries_left_in_its_caches() -> None:
    """Cold measurements (bench/names.py) start from an index as freshly built."""
    m = Matcher().build(ENTRIES)
    before = m.screen(Query("DJUMABAEV NURLAN"))
    assert m.index._reach_cache and m.index._near_cache
    m.index.clear_caches()
    assert not m.index._reach_cache and not m.index._near_cache
    assert m.index._reach_held == 0
    assert m.screen(Query("DJUMABAEV NURLAN")) == before


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Azamat Bakyt uulu ABDULKHAKIMOV", "Azamat Bakytovich ABDULKHAKIMOV"),
        ("Азамат Бакытович Абдулхакимов", "Azamat Bakyt uulu ABDULKHAKIMOV"),
        ("Айжан Асан кызы ТОКТОГУЛОВА", "Aizhan Asanovna TOKTOGULOVA"),
        ("Nursultan Abishevich NAZARBAYEV", "Нұрсұлтан Әбішұлы Назарбаев"),
    ],
)
def test_central_asian_patronymic_forms_alert_through_the_fast_path(
    query: str, listed: str
) -> None:
    """Kyrgyz and Kazakh patronymics (father's name + UULU / KYZY / -ULY) against the
    Russian form: the matcher's fast path compares patronymic pairs it would otherwise
    skip, so screen() alerts exactly as score_all() scores."""
    entries = [WatchlistEntry("k:1", "k", [listed]), *ENTRIES]
    m = Matcher().build(entries)
    q = Query(query)
    hits = m.screen(q)
    assert [h.entry_id for h in hits] == ["k:1"]
    assert "father's name" in hits[0].explain()
    assert [(x.entry_id, x.score) for x in m.score_all(q) if x.alert] == [
        (h.entry_id, h.score) for h in hits
    ]


class _Cycle:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_settle_heap_spares_what_lives_and_collects_old_cycles_later() -> None:
    thresholds = gc.get_threshold()
    try:
        m = Matcher().build([WatchlistEntry(id="1", list_id="l", names=["Nurlan ZHUMABAEV"])])
        cycle = _Cycle()
        gone = weakref.ref(cycle)
        settle_heap()
        assert gc.get_freeze_count() > 0  # the index (and the cycle) are out of reach
        assert gc.get_threshold()[0] >= 10_000  # young collections far less often
        del cycle
        gc.collect()
        assert gone() is not None  # frozen: ordinary collections leave it
        m.screen_many([Query("Nurlan Zhumabaev")] * 300, workers=2, per_worker=100)
        assert gc.get_freeze_count() > 0  # a batch does not thaw what was settled
        settle_heap()  # the next settling thaws first, so the old cycle is collected
        assert gone() is None
        assert m.screen(Query("Nurlan Zhumabaev"))
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


@pytest.mark.parametrize(
    ("listed", "traveller"),
    [
        ("Anas Talous/Tals/Tuls/Tlass", "Anas TLASS"),  # spellings of one name
        ("Mikalai Mikalaevich VARABEI/VERABEI", "Mikalai VERABEI"),
        ("Анатоль Пятровiч ЛАПО/ЛАППО", "Anatol LAPPO"),
        ("Viktor Arkadievich CHEVTSOV/ SHEVTSOV", "Viktor Arkadievich SHEVTSOV"),
        ("Khaled/Khalid Zubaidi/Zubedi", "Khalid ZUBEDI"),
        # two full names joined by a slash: each is a name
        ("Natalya Ivanovna BEZRUCHENKO/Natalia Ivanovna PETROVA", "Natalia Ivanovna PETROVA"),
        # ... or by a lower-case "or", as the EU writes them
        ("Ali Saidi or Saeedi", "Ali SAEEDI"),
        ("Alesia KIRSANOVA or Alesya PETROVA", "Alesya PETROVA"),
    ],
)
def test_names_a_list_joins_with_slashes(listed: str, traveller: str) -> None:
    m = Matcher().build([WatchlistEntry(id="1", list_id="l", names=[listed])])
    assert [a.entry_id for a in m.screen(Query(traveller))] == ["1"]


def test_a_given_name_and_patronymic_given_twice_are_two_full_names() -> None:
    two = "Любовь Валентиновна ПРИГОЖИНА Любовь Валентиновна КРЯЖЕВА"
    assert name_alternatives(two) == [
        "Любовь Валентиновна ПРИГОЖИНА",
        "Любовь Валентиновна КРЯЖЕВА",
    ]
    m = Matcher().build([WatchlistEntry(id="1", list_id="l", names=[two])])
    [hit] = m.screen(Query("Lyubov Valentinovna KRYAZHEVA"))
    assert hit.score == 1.0
    # an Arabic chain repeats names with no patronymic: one name
    chain = "ABDULLA MOHAMAD ABDULLA MOHAMAD BEHZAD"
    assert name_alternatives(chain) == [chain]


def test_a_slash_between_names_apart_still_separates_them() -> None:
    """SURNAME/GIVEN, as airlines write names, or IVANOV/IVAN: no spellings of one name."""
    assert [t.text for t in analyse_name("ZHUMABAEV/NURLAN").main_tokens] == [
        "ZHUMABAEV",
        "NURLAN",
    ]
    assert [t.text for t in analyse_name("IVANOV/IVAN").main_tokens] == ["IVANOV", "IVAN"]
    m = Matcher().build([WatchlistEntry(id="1", list_id="l", names=["Nurlan ZHUMABAEV"])])
    assert [a.entry_id for a in m.screen(Query("ZHUMABAEV/NURLAN"))] == ["1"]
    assert [a.score for a in m.screen(Query("ZHUMABAEV/NURLAN MR"))] == [1.0]  # as booked


def test_or_between_names_is_read_as_a_slash_and_a_capital_or_is_a_name() -> None:
    assert name_alternatives("Alesia MILORADOVICH or Olesya MILORADOVIC") == [
        "Alesia MILORADOVICH",
        "Olesya MILORADOVIC",
    ]
    assert [t.text for t in analyse_name("Ali Saidi or Saeedi").main_tokens] == [
        "ALI",
        "SAIDI/SAEEDI",
    ]
    assert [t.text for t in analyse_name("Kirsanova or Selyun").main_tokens] == [
        "KIRSANOVA",
        "SELYUN",
    ]
    assert [t.text for t in analyse_name("Or COHEN").main_tokens] == ["OR", "COHEN"]


def test_a_name_in_hebrew_script_meets_its_latin_spellings() -> None:
    listed = [
        WatchlistEntry("h:1", "l", ["Moshe SHARVIT"], dobs=[DateOfBirth(1994, 11, 13)]),
        WatchlistEntry("h:2", "l", ["Ben-Zion GOPSTEIN"]),
        WatchlistEntry("h:3", "l", ["Yosef KATZ"]),
    ]
    m = Matcher().build(listed)
    [hit] = m.screen(Query("מֹשֶׁה שַׁרְבִיט", dob=DateOfBirth(1994, 11, 13)))  # with vowel points
    assert hit.entry_id == "h:1"
    assert [p.query for p in hit.name.pairs] == ["משה", "שרביט"]  # shown as written
    # BEN is a particle, the maqaf a hyphen
    assert [a.entry_id for a in m.screen(Query("בן־ציון גופשטיין"))] == ["h:2"]
    assert [t.text for t in analyse_name("בן־ציון גופשטיין").main_tokens] == ["ציון", "גופשטיין"]
    # the same given name with another surname: no alert
    assert m.screen(Query("יוסף כהן")) == []


def test_slashed_spellings_are_one_token() -> None:
    form = analyse_name("Hussam/Hossam Ahmed/Mohammed al-Katerji")
    texts = [t.text for t in form.main_tokens]
    assert texts == ["HUSSAM/HOSSAM", "AHMED", "MOHAMMED", "KATERJI"]  # not one name
    assert analyse_name("Hussam/Hossam Ahmed").main_tokens[0] is form.main_tokens[0]


def test_people_born_on_the_travellers_day_are_candidates_whatever_their_rank() -> None:
    """Sixty listed HUANGs: the name alone ranks them all alike, so the one born on the
    traveller's day would not be among the candidates without the date."""
    born = DateOfBirth(1978, 4, 8)
    others = [
        WatchlistEntry(f"l:{i}", "l", [f"{g} HUANG"], dobs=[DateOfBirth(1950 + i % 40, 1, 2)])
        for i, g in enumerate(f"Wei{chr(65 + i % 26)}{chr(65 + i // 26)}" for i in range(60))
    ]
    target = WatchlistEntry("l:target", "l", ["Chin-Hua HUANG"], dobs=[born])
    m = Matcher().build([*others, target])
    assert m.index.born_on(born) == (60,)
    assert m.index.born_on(DateOfBirth(1978)) == ()  # a year is not a day
    form = analyse_name("Peter HUANG")
    assert 60 not in m.index.candidates(form, m.candidate_limit)
    assert 60 in m.index.candidates(form, m.candidate_limit, also=m.index.born_on(born))
    hits = m.screen(Query("Peter HUANG", dob=born))
    assert [h.entry_id for h in hits] == ["l:target"]
    # born that day but sharing no name: not a candidate
    assert m.screen(Query("Bakyt ASANOV", dob=born)) == []


def test_among_many_alike_the_year_of_birth_brings_the_best_reached_born_that_year() -> None:
    """Thirty listed MUHAMMAD HUSAYNs rank alike with the one the traveller may be; given
    only a year of birth, the few best-reached people born that year are candidates too."""
    others = [
        WatchlistEntry(
            f"l:{i}",
            "l",
            [f"Muhammad HUSAYN AL-{chr(65 + i)}{chr(66 + i)}ABI"],
            dobs=[DateOfBirth(1900 + i)],
        )
        for i in range(30)
    ]
    target = WatchlistEntry("l:target", "l", ["Mohamed IBN ALHOUSSEYNI"], dobs=[DateOfBirth(1962)])
    m = Matcher().build([*others, target])
    form = analyse_name("Muhammad IBN AL-HUSAYN")
    assert 30 not in m.index.candidates(form, m.candidate_limit)
    assert m.index.born_in(DateOfBirth(1962)) == {30}
    assert m.index.born_in(DateOfBirth(1962, 3, 1)) == frozenset()  # a full date: born_on
    year = m.index.born_in(DateOfBirth(1962))
    assert 30 in m.index.candidates(form, m.candidate_limit, year=year)
    hits = m.screen(Query("Muhammad IBN AL-HUSAYN", dob=DateOfBirth(1962)))
    assert [h.entry_id for h in hits] == ["l:target"]
    assert "l:target" not in {h.entry_id for h in m.screen(Query("Muhammad IBN AL-HUSAYN"))}
    # born that year but reached by no name: not a candidate
    assert 30 not in m.index.candidates(analyse_name("Igor PETROV"), 12, year=year)
