"""Scoring: names aligned with explanations; dates, nationality, gender, documents."""

from __future__ import annotations

from dataclasses import replace

import pytest

from piu.screening import (
    DEFAULT_THRESHOLD,
    DateOfBirth,
    Document,
    Match,
    Matcher,
    Query,
    WatchlistEntry,
    analyse_name,
    written_name,
)
from piu.screening.names import Token, patronymic_parts
from piu.screening.scoring import (
    DEFAULT_CONFIG,
    QueryScorer,
    align_names,
    compare_dob,
    compare_documents,
    compare_gender,
    compare_nationality,
    entry_view,
    given_name_relief,
    token_similarity,
)


def dob(s: str) -> DateOfBirth:
    d = DateOfBirth.parse(s)
    assert d is not None
    return d


def test_name_order_and_transliteration_are_explained() -> None:
    al = align_names(analyse_name("Абдулхакимов Азамат"), analyse_name("Azamat ABDULKHAKIMOV"))
    assert al.score > 0.9
    pairs = {(p.query, p.listed): p for p in al.pairs}
    assert ("АБДУЛХАКИМОВ", "ABDULKHAKIMOV") in pairs
    assert pairs[("АЗАМАТ", "AZAMAT")].method == "transliteration"
    assert not al.unmatched_query and not al.unmatched_listed


def test_compound_names_align_with_split_ones() -> None:
    al = align_names(analyse_name("Gholamali MOHAMMADI"), analyse_name("Gholam Ali MOHAMMADI"))
    assert al.score > 0.9
    assert any(p.listed == "GHOLAM ALI" for p in al.pairs)


def test_abd_compounds_are_one_token() -> None:
    for variant in ("Abdul Rahman", "ABD AL-RAHMAN", "Abdurrahman", "Abdel Rahman", "عبد الرحمن"):
        al = align_names(analyse_name(variant + " Yusuf"), analyse_name("ABDULRAHMAN YUSUF"))
        assert al.score > 0.85, variant


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Ahmed Khalfan ESSAADI", "Abubakar K. AHMED"),  # a glued pair of the traveller's
        ("M. RAAD", "Mohammed Zuhair RAAD"),  # a glued pair of the list's
    ],
)
def test_an_initial_stands_for_one_name_not_a_glued_pair(query: str, listed: str) -> None:
    q, lf = analyse_name(query), analyse_name(listed)
    al = align_names(q, lf)
    initials = [p for p in al.pairs if p.method == "initial"]
    assert initials and all(" " not in p.query + p.listed for p in initials)
    # the fast path scores the same alignment
    score, at = QueryScorer(q).best(entry_view([(lf, False)]))
    assert at == 0 and score == pytest.approx(al.score)


def _the_one_alert(m: Matcher, q: Query, why: str) -> Match:
    """The one alert ``m`` raises for ``q``, on t:1, saying ``why``; the scorer of every
    candidate (``score_all``) agrees with ``screen`` on it."""
    [hit] = m.screen(q)
    assert hit.entry_id == "t:1" and why in hit.explain(), hit.explain()
    assert [(x.entry_id, x.score) for x in m.score_all(q) if x.alert] == [("t:1", hit.score)]
    return hit


def _sim(a: str, b: str) -> tuple[float, str]:
    return token_similarity(analyse_name(a).main_tokens[0], analyse_name(b).main_tokens[0])


def test_equal_keys_of_spellings_far_apart_only_set_a_floor() -> None:
    # the folding key forgives vowels: AMIR and UMAR, OMAR and AMER are two names
    assert _sim("AMIR", "UMAR") == (DEFAULT_CONFIG.key_equal_far, "key, vowels differ")
    assert _sim("Omar", "Amer") == (DEFAULT_CONFIG.key_equal_far, "key, vowels differ")
    # spellings of one name keep the key's full weight
    for a, b in (("MOHAMMAD", "MUHAMMAD"), ("YUSUF", "YOUSEF"), ("OSMAN", "USMAN")):
        assert _sim(a, b) == (DEFAULT_CONFIG.key_equal, "key"), (a, b)
    # what else agrees may say more: HUSAYN and HOSSEIN share their consonants
    assert _sim("HUSAYN", "HOSSEIN") == (DEFAULT_CONFIG.skeleton_equal_latin, "skeleton")
    # not for Arabic script, whose vowels are not written
    assert _sim("عمر", "OMAR")[1] != "key, vowels differ"


def test_a_name_shortened_to_its_beginning_is_still_alike() -> None:
    shortened = (DEFAULT_CONFIG.prefix_equal, "shortened")
    for a, b in (("KAKHA", "KAKHABER"), ("GHODRATOLLAH", "GHODRAT"), ("NAZARI", "NAZARIKOLEHJOUB")):
        assert _sim(a, b) == shortened, (a, b)
    # four letters begin too many names; a patronymic is compared by the father's name
    assert _sim("ALEX", "ALEXANDER")[1] != "shortened"
    assert _sim("PETROVICH", "PETROV")[1] != "shortened"
    # it alerts with a date of birth that agrees, not on the name alone (Nurlanbek is
    # often a name of its own, not Nurlan's full form)
    born = dob("1990-03-21")
    m = Matcher().build([WatchlistEntry("t:1", "t", ["Hossein NAZARIKOLEHJOUB"], dobs=[born])])
    assert m.screen(Query("Hossein NAZARI")) == []
    assert m.screen(Query("Hossein NAZARI", dob=dob("1990"))) != []
    # the fast path compares such a pair too, though its spellings are far apart
    q = Query("Hossein NAZARI", dob=born)
    [hit] = m.screen(q)
    assert f"NAZARI~NAZARIKOLEHJOUB {DEFAULT_CONFIG.prefix_equal:.2f} (shortened)" in hit.explain()
    scorer = QueryScorer(analyse_name(q.name))
    vocab = m.index.view(0).vocab
    row = scorer.matrix(m.index.view(0))[1]
    assert row[[t.text for t in vocab].index("NAZARIKOLEHJOUB")] == DEFAULT_CONFIG.prefix_equal


def test_patronymics_are_as_alike_as_the_fathers_names() -> None:
    def patronymic(name: str) -> Token:
        return next(t for t in analyse_name(name).main_tokens if t.role == "patronymic")

    def sim(a: str, b: str) -> float:
        return token_similarity(patronymic(f"Ivan {a} PETROV"), patronymic(f"Ivan {b} PETROV"))[0]

    # a shared -EVICH, -OVICH says nothing of the father
    assert sim("Евгеньевич", "Ivanovich") < DEFAULT_CONFIG.min_token_similarity
    assert sim("Георгиевич", "Yuryevich") < DEFAULT_CONFIG.min_token_similarity
    # spellings of one patronymic stay equal
    for a, b in [("Alekseevna", "Alekseyevna"), ("Ivanovich", "Ivanovych"),
                 ("Николаевич", "Nikolaevich")]:  # fmt: skip
        assert sim(a, b) >= DEFAULT_CONFIG.key_equal, (a, b)
    # the Kyrgyz form is the Russian one; Ukrainian and Russian fathers' names compare as
    # names do; a daughter's patronymic is not her brother's
    for q, listed_name in [
        ("Azamat Bakyt uulu ABDULKHAKIMOV", "Azamat Bakytovich ABDULKHAKIMOV"),
        ("Айгуль Бакыт кызы", "Aigul Bakytovna"),
        ("Mykhailo Volodymyrovich RAZVOZHAEV", "Mikhail Vladimirovich RAZVOZHAEV"),
        # the Kazakh "son of", "daughter of" written onto the father's name
        ("Нұрсұлтан Әбішұлы Назарбаев", "Nursultan Abishevich NAZARBAYEV"),
        ("Kassym-Jomart Kemelevich TOKAYEV", "Kassym-Jomart Kemeluly TOKAYEV"),
        ("Айжан Асанқызы", "Aizhan Asanovna"),
        ("Jamshid Abdulla oʻgʻli TOSHEV", "Jamshid Abdullaevich TOSHEV"),  # Uzbek
    ]:
        al = align_names(analyse_name(q), analyse_name(listed_name))
        assert any(p.method == "father's name" for p in al.pairs), q
        assert not al.unmatched_query and not al.unmatched_listed and al.score > 0.85, q
    assert sim("Anatolyevna", "Anatolyevich") == 0.0
    # one table of endings says what is a patronymic, whose, and of which gender
    assert patronymic_parts("YURYEVICH") == ("YURY", "M")
    assert patronymic_parts("RYHORAVICH") == ("RYHOR", "M")  # Belarusian
    assert patronymic_parts("ASANKYZY") == ("ASAN", "F")
    assert patronymic_parts("BAKYT") == ("BAKYT", "")
    assert patronymic_parts("ULY") == ("ULY", "")  # nothing before the ending
    assert sim("Asankyzy", "Asanovich") == 0.0
    listed = WatchlistEntry("t:1", "t", ["Vadim Ivanovich DENISENKO"], dobs=[dob("1967-09-03")])
    [hit] = Matcher(threshold=0.0).build([listed]).screen(Query("Вадим Евгеньевич ДЕНИСЕНКО"))
    assert "ЕВГЕНЬЕВИЧ" in hit.name.unmatched_query and hit.score < DEFAULT_THRESHOLD


def test_missing_middle_name_costs_little_wrong_surname_a_lot() -> None:
    listed = analyse_name("Nikolay Anatolyevich YEVMENOV")
    assert align_names(analyse_name("Nikolai YEVMENOV"), listed).score > 0.85
    wrong = align_names(analyse_name("Nikolai Anatolyevich PETROV"), listed)
    assert wrong.score < 0.7
    assert wrong.unmatched_query == ["PETROV"]


def test_arabic_script_against_latin() -> None:
    al = align_names(analyse_name("حمشو عماد"), analyse_name("Emad HAMSHO"))
    assert al.score > 0.85
    assert "skeleton" in {p.method for p in al.pairs}


def test_weak_name_counts_less() -> None:
    q, listed = analyse_name("Abu Tusnin"), analyse_name("Abu Tusnin")
    assert align_names(q, listed, weak=True).score < align_names(q, listed).score


@pytest.mark.parametrize(
    ("q", "listed", "outcome", "sign"),
    [
        ("1968-03-11", ["1968-03-11"], "full", 1),
        ("1968-11-03", ["1968-03-11"], "day/month swapped", 1),
        ("1968-03-11", ["1968"], "year", 1),
        ("1968", ["1960..1970"], "within range", 1),
        ("1968-03-11", ["1968-03-12"], "same year and month", -1),
        ("1968-03-11", ["1975-01-01"], "contradicts", -1),
        ("1968-03-11", ["1975-01-01", "1968-03-11"], "full", 1),
        ("1968-03-11", [], "unknown", 0),
    ],
)
def test_dob_outcomes(q: str, listed: list[str], outcome: str, sign: int) -> None:
    got, adj = compare_dob(dob(q), [dob(x) for x in listed])
    assert got == outcome
    assert (adj > 0) - (adj < 0) == sign


def test_dob_parse() -> None:
    assert str(dob("1968-03-11")) == "1968-03-11"
    assert dob("1960..1965").is_range
    assert DateOfBirth.parse("unknown") is None


def test_nationality_and_gender() -> None:
    assert compare_nationality("KGZ", ["KGZ", "RUS"])[0] == "agrees"
    assert compare_nationality("KAZ", ["KGZ"])[1] < 0
    assert compare_nationality(None, ["KGZ"]) == ("unknown", 0.0)
    assert compare_gender("F", "M")[1] < 0
    assert compare_gender("M", None) == ("unknown", 0.0)


def test_documents_exact_and_keying_confusions() -> None:
    listed = [Document("AB1O2345", "P", "KGZ")]
    assert compare_documents([Document("AB1O2345")], listed)[1] > 0.2
    outcome, adj = compare_documents([Document("A81023A5")], listed)
    assert adj == 0.0
    outcome, adj = compare_documents([Document("ABIO2345")], listed)
    assert "keying" in outcome and adj > 0
    assert compare_documents([Document("AB1O2345", country="RUS")], listed)[1] == 0.0


def test_match_explanation_says_what_agreed() -> None:
    entry = WatchlistEntry(
        "x:1", "x", ["Azamat Bakyt uulu ABDULKHAKIMOV", "Азамат АБДУЛХАКИМОВ"],
        dobs=[dob("1980-05-02")], nationalities=["KGZ"],
    )  # fmt: skip
    m = Matcher().build([entry])
    hits = m.screen(Query("Abdulhakimov Azamat", dob=dob("1980-02-05"), nationality="KGZ"))
    assert len(hits) == 1
    hit = hits[0]
    assert hit.alert and 0.0 <= hit.score <= 1.0
    assert hit.features["dob"][0] == "day/month swapped"
    assert hit.features["nationality"][0] == "agrees"
    assert hit.algorithm == m.algorithm
    text = hit.explain()
    assert "ABDULHAKIMOV" in text and "dob: day/month swapped" in text


def test_a_partial_name_without_a_date_to_confirm_it_costs_more() -> None:
    listed = WatchlistEntry("t:1", "t", ["MOHAMMAD HASAN KHODAI"], dobs=[dob("1961-04-02")])
    m = Matcher(threshold=0.0).build([listed])
    [bare] = m.screen(Query("Mohammad Hasan"))
    [dated] = m.screen(Query("Mohammad Hasan", dob=dob("1961-04-02")))
    [whole] = m.screen(Query("Mohammad Hasan Khodai"))
    assert bare.features["partial_name"][1] == pytest.approx(-0.05)
    assert "no date of birth" in bare.features["partial_name"][0]
    assert "partial_name" not in dated.features and "partial_name" not in whole.features
    assert bare.score == pytest.approx(bare.name.score - 0.05, abs=1e-4)
    assert "partial_name" in bare.explain()


def test_a_partial_name_in_arabic_script_costs_more_unless_the_full_date_agrees() -> None:
    listed = WatchlistEntry("t:1", "t", ["MOHAMMAD HASAN KHODAI"], dobs=[dob("1961-04-02")])
    m = Matcher(threshold=0.0).build([listed])
    [bare] = m.screen(Query("محمد حسن"))
    [year] = m.screen(Query("محمد حسن", dob=dob("1961")))
    [full] = m.screen(Query("محمد حسن", dob=dob("1961-04-02")))
    [whole] = m.screen(Query("محمد حسن خدائی"))
    [latin] = m.screen(Query("Mohammad Hasan"))
    for hit in (bare, year):
        assert hit.features["partial_arabic_name"][1] == pytest.approx(-0.1)
        assert "partial_arabic_name" in hit.explain()
    assert bare.score == pytest.approx(bare.name.score - 0.05 - 0.1, abs=1e-4)
    assert year.score == pytest.approx(year.name.score + 0.03 - 0.1, abs=1e-4)
    assert bare.score < DEFAULT_THRESHOLD  # two common names and nothing else
    for hit in (full, whole, latin):
        assert "partial_arabic_name" not in hit.features
    assert full.score >= DEFAULT_THRESHOLD and whole.name.score > bare.name.score
    # screen and score_all agree on it
    assert [x.score for x in m.score_all(Query("محمد حسن"))] == [bare.score]


def test_a_differing_given_name_confirmed_by_the_full_date_of_birth_costs_nothing() -> None:
    listed = WatchlistEntry("t:1", "t", ["Omar Arturo ZABALA PADILLA"], dobs=[dob("1970-05-17")])
    m = Matcher().build([listed])
    born = dob("1970-05-17")
    [hit] = m.screen(Query("Omar Enrique ZABALA PADILLA", dob=born))
    assert hit.features["given_name"][1] == pytest.approx(given_name_relief(DEFAULT_CONFIG))
    assert "given name differs" in hit.explain()
    assert [x.score for x in m.score_all(Query("Omar Enrique ZABALA PADILLA", dob=born))] == [
        hit.score
    ]
    # the same name without the date, with another date, or a differing surname (where
    # the surnames are not told apart: see the test of the second surname): no relief
    for q in (
        Query("Omar Enrique ZABALA PADILLA"),
        Query("Omar Enrique ZABALA PADILLA", dob=dob("1971-05-17")),
        Query("OMAR ARTURO ZABALA MORALES", dob=born),
    ):
        [other] = Matcher(threshold=0.0).build([listed]).screen(q)
        assert "given_name" not in other.features and other.score < hit.score - 0.1, q


def test_the_surname_and_the_full_date_of_birth_alert_under_other_given_names() -> None:
    listed = WatchlistEntry(
        "t:1", "t", ["Nemesio OSEGUERA CERVANTES"], dobs=[dob("1966-07-17")], nationalities=["MEX"]
    )
    m = Matcher().build([listed])
    born = dob("1966-07-17")
    q = Query("Ruben OSEGUERA CERVANTES", dob=born)
    hit = _the_one_alert(m, q, "only given names differ")
    assert hit.features["confirmed_by_dob"][1] > 0
    assert hit.score == pytest.approx(DEFAULT_CONFIG.confirmed_by_dob, abs=1e-4)
    # nationality still counts after it: agreeing raises, contradicting drops below
    [agrees] = m.screen(Query("Ruben OSEGUERA CERVANTES", dob=born, nationality="MEX"))
    assert agrees.score > hit.score
    assert m.screen(Query("Ruben OSEGUERA CERVANTES", dob=born, nationality="COL")) == []
    # a year of birth, another day, or another surname (the given name and the date of
    # one person with another's surname): no alert
    for other in (
        Query("Ruben OSEGUERA CERVANTES", dob=dob("1966")),
        Query("Ruben OSEGUERA CERVANTES", dob=dob("1966-07-18")),
        Query("NEMESIO OSEGUERA MORALES", dob=born),
        Query("Nemesio CARRILLO FUENTES", dob=born),
    ):
        assert m.screen(other) == [], other
    # a lone surname and a lone given name on each side: the same
    one = Matcher().build([WatchlistEntry("t:2", "t", ["Musa ABU-MARZUQ"], dobs=[born])])
    [alias] = one.screen(Query("Sa'id ABU-MARZUQ", dob=born))
    assert "confirmed_by_dob" in alias.features
    # ... and given names paired only for want of better ones
    sander = Matcher().build([WatchlistEntry("t:4", "t", ["Alexander HOLLEBRAND"], dobs=[born])])
    [nickname] = sander.screen(Query("Sander HOLLEBRAND", dob=born))
    assert [p.similarity < 0.9 for p in nickname.name.pairs if p.query == "SANDER"] == [True]
    assert "only given names differ" in nickname.explain()
    # two patronymics that differ say two fathers; one left out says nothing
    popov = WatchlistEntry("t:3", "t", ["Ivan Dmitrievich POPOV"], dobs=[born])
    m3 = Matcher().build([popov])
    assert m3.screen(Query("Aleksandr Nikolaevich POPOV", dob=born)) == []
    assert m3.screen(Query("Aleksandr POPOV", dob=born)) != []
    # ... but not a surname that many listed people share: a stranger with it would
    # share a day of birth with one of them too often
    kims = [WatchlistEntry(f"k:{i}", "t", [f"{g} KIM"], dobs=[dob(f"19{50 + i}-01-02")])
            for i, g in enumerate(["Song Chol", "Yong Nam", "Chang Hyok", "Jong Un"])]  # fmt: skip
    few = Matcher(config=replace(DEFAULT_CONFIG, confirmed_surname_sharing=4)).build(kims)
    many = Matcher(config=replace(DEFAULT_CONFIG, confirmed_surname_sharing=3)).build(kims)
    q = Query("Hak Song KIM", dob=dob("1950-01-02"))
    assert [h.entry_id for h in few.screen(q)] == ["k:0"]
    assert many.screen(q) == []
    assert many.index.sharing(analyse_name("KIM").main_tokens[0]) == 4


def test_a_surname_written_first_in_capitals_is_the_surname() -> None:
    # Korean, Chinese and Iranian names are listed surname first, the surname in capitals
    # (KIM Chang Hyok, BARATI Morteza): the surname is there, not in the last place
    born = dob("1963-04-29")
    kim = WatchlistEntry("t:1", "t", ["KIM Chang Hyok"], dobs=[born])
    m = Matcher().build([kim])
    _the_one_alert(m, Query("James Kim", dob=born), "only given names differ")
    barati = Matcher().build([WatchlistEntry("t:2", "t", ["BARATI Morteza"], dobs=[born])])
    assert "only given names differ" in barati.screen(Query("BARATI Qazi", dob=born))[0].explain()
    # the year only, KIM as a given name (the surname last, nothing in capitals), or the
    # given names with another surname: no alert
    for other in (
        Query("James Kim", dob=dob("1963")),
        Query("Kim JAMES", dob=born),
        Query("Chang Hyok PAK", dob=born),
    ):
        assert m.screen(other) == [], other


def test_the_first_of_two_listed_surnames_may_be_the_one_given() -> None:
    # Romez Jose SABAGH CAJELI gives two surnames; a traveller under another given name
    # may give the first only (Ramzi SABAGH), as one may give the last
    born = dob("1960-06-04")
    m = Matcher().build([WatchlistEntry("t:1", "t", ["Romez Jose SABAGH CAJELI"], dobs=[born])])
    for q in (Query("Ricardo SABAGH", dob=born), Query("Ricardo CAJELI", dob=born)):
        [hit] = m.screen(q)
        assert "only given names differ" in hit.explain(), q
    # the year only, or a surname the entry does not give: no alert
    for other in (Query("Ricardo SABAGH", dob=dob("1960")), Query("Jose MORALES", dob=born)):
        assert m.screen(other) == [], other


def test_a_listed_name_given_whole_with_more_names_alerts_when_the_date_agrees() -> None:
    short = WatchlistEntry("t:1", "t", ["Ali ABDOLLAHI"], dobs=[dob("1959")])
    m = Matcher().build([short])
    q = Query("Ali ABDOLLAHI ALIABADI", dob=dob("1959"))
    hit = _the_one_alert(m, q, "every listed name given, with 1 more")
    assert hit.score == pytest.approx(DEFAULT_CONFIG.confirmed_by_dob, abs=1e-4)
    # no date, another year, or a listed name only partly given: no alert
    for other in (
        Query("Ali ABDOLLAHI ALIABADI"),
        Query("Ali ABDOLLAHI ALIABADI", dob=dob("1961")),
        Query("Ali ALIABADI", dob=dob("1959")),
    ):
        assert m.screen(other) == [], other
    # the entry also gives the longer name, which ends otherwise: the traveller's extra
    # name is another surname on that given name and surname
    longer = WatchlistEntry(
        "t:2", "t", ["Javad Bordbar SHIR AMIN", "Javad BORDBAR"], dobs=[dob("1981-10-27")]
    )
    m2 = Matcher().build([longer])
    assert m2.screen(Query("Javad Bordbar JULAIDAN", dob=dob("1981-10-27"))) == []
    # ... but where the longer name goes on elsewhere (a middle name), it still alerts
    middle = WatchlistEntry(
        "t:3", "t", ["Mohammad BAGHERI", "Mohammad Hossein BAGHERI"], dobs=[dob("1960")]
    )
    [hit3] = Matcher().build([middle]).screen(Query("Mohammad BAGHERI AFSHORDI", dob=dob("1960")))
    assert "confirmed_by_dob" in hit3.features
    # a weak name (a nickname, a partial name) is not confirmed this way by the year, only
    # by the full date
    weak = WatchlistEntry("t:4", "t", ["Ali ABDOLLAHI"], weak_names=["Ali ABDOLLAHI"],
                          dobs=[dob("1959-03-01")])  # fmt: skip
    weakly = Matcher().build([weak])
    assert weakly.screen(Query("Ali ABDOLLAHI ALIABADI", dob=dob("1959"))) == []
    [full] = weakly.screen(Query("Ali ABDOLLAHI ALIABADI", dob=dob("1959-03-01")))
    assert "every listed name given, with 1 more" in full.explain()


def test_a_listed_name_of_one_word_given_with_more_alerts_when_the_date_agrees() -> None:
    # a kunya or a nom de guerre, which lists give alone (Abu Seif), given with more names
    # (Abu Seif al-Jawi), on the listed day of birth, or in the year when no one else on
    # the list bears that name
    born = dob("1975-07-14")
    listed = WatchlistEntry("t:1", "t", ["WIJI JOKO SANTOSO", "Abu Seif"],
                            weak_names=["Abu Seif"], dobs=[born])  # fmt: skip
    m = Matcher().build([listed])
    q = Query("Abu Seif al-Jawi", dob=born)
    hit = _the_one_alert(m, q, "the listed name SEIF given, with 1 more")
    assert hit.score == pytest.approx(DEFAULT_CONFIG.confirmed_by_dob, abs=1e-4)
    [year] = m.screen(Query("Abu Seif al-Jawi", dob=dob("1975")))
    assert "the listed name SEIF given, with 1 more" in year.explain()
    # no date, another year, or another day: no alert
    for other in (
        Query("Abu Seif al-Jawi"),
        Query("Abu Seif al-Jawi", dob=dob("1976")),
        Query("Abu Seif al-Jawi", dob=dob("1975-07-15")),
    ):
        assert m.screen(other) == [], other
    # a listed person's given name, which another of his names gives before a surname:
    # the traveller gives it with another surname (KAMEL, also KAMAL BEN MAOELDI
    # AL-HAMRAOUI): the look-alike, no alert
    kamel = WatchlistEntry("t:2", "t", ["Kamal Ben Maoeldi AL-HAMRAOUI", "Kamel"],
                           weak_names=["Kamel"], dobs=[born])  # fmt: skip
    assert Matcher().build([kamel]).screen(Query("Kamal AL-FAWAZ", dob=born)) == []
    # a name that more listed people share than single_name_sharing (with the year:
    # single_name_sharing_year): no alert
    others = [WatchlistEntry(f"t:{i}", "t", [f"Seif {s}"], dobs=[dob(f"19{60 + i}")])
              for i, s in enumerate(["KHAN", "ALI", "AHMED"], start=3)]  # fmt: skip
    tight = replace(DEFAULT_CONFIG, single_name_sharing=3)
    crowded = Matcher(config=tight).build([listed, *others])
    assert crowded.index.sharing(analyse_name("SEIF").main_tokens[0]) == 4
    assert crowded.screen(q) == []
    shared = Matcher().build([listed, *others])
    assert [h.entry_id for h in shared.screen(q)] == ["t:1"]
    assert shared.screen(Query("Abu Seif al-Jawi", dob=dob("1975"))) == []


def test_a_traveller_joining_two_listed_names_alerts_when_the_date_agrees() -> None:
    born = dob("1968-01-01")
    listed = WatchlistEntry("t:1", "t", ["Abderrezak ZAIMECHE", "El Para"], dobs=[born])
    m = Matcher().build([listed])
    [hit] = m.screen(Query("Abderrezak Le Para", dob=born))
    assert "every name given is one the entry lists" in hit.explain()
    assert hit.score == pytest.approx(DEFAULT_CONFIG.confirmed_by_dob, abs=1e-4)
    # names that few listed people share: the year is enough
    [year] = m.screen(Query("Abderrezak Le Para", dob=dob("1968")))
    assert "every name given is one the entry lists" in year.explain()
    # no date, another year, or a name the entry does not give: no alert
    for other in (
        Query("Abderrezak Le Para"),
        Query("Abderrezak Le Para", dob=dob("1970")),
        Query("Mansour ZAIMECHE", dob=dob("1968")),
    ):
        assert m.screen(other) == [], other
    # (the entry's name of one word, which no one else bears, given with another: above)
    [mansour] = m.screen(Query("Mansour Le Para", dob=dob("1968")))
    assert "the listed name PARA given, with 1 more" in mansour.explain()


def test_names_taken_from_two_listed_names_confirm_only_when_few_share_them() -> None:
    born = dob("1982-04-02")
    ruan = WatchlistEntry("t:1", "t", ["Ricky RUNLING", "Ruan RUNLING"], dobs=[born])
    others = [WatchlistEntry(f"t:{i}", "t", [f"Ruan {s}"], dobs=[dob(f"19{60 + i}")])
              for i, s in enumerate(["XU", "LI", "WANG"], start=2)]  # fmt: skip
    m = Matcher().build([ruan, *others])
    for q in (Query("Ricky RUAN", dob=born), Query("Ricky RUAN", dob=dob("1982"))):
        _the_one_alert(m, q, "(RUAN in its other names)")
    # without a date, or with a name of the entry's the traveller does not give: no alert
    assert m.screen(Query("Ricky RUAN")) == []
    assert m.screen(Query("Ricky RUAN MOSES", dob=born)) == []
    # RUAN is shared by four listed people: more than one, and it no longer confirms
    few = Matcher(config=replace(DEFAULT_CONFIG, borrowed_name_sharing=1)).build([ruan, *others])
    assert few.index.sharing(analyse_name("RUAN").main_tokens[0]) == 4
    assert few.screen(Query("Ricky RUAN", dob=born)) == []
    assert few.screen(Query("Ricky RUAN", dob=dob("1982"))) == []


def test_one_surname_that_differs_alerts_when_the_rest_and_the_full_date_agree() -> None:
    born = dob("1974-02-14")
    listed = WatchlistEntry("t:1", "t", ["Daniel RODRIGUEZ OLIVERA"], dobs=[born])
    m = Matcher().build([listed])
    q = Query("Daniel RODRIGUEZ MORFIN", dob=born)
    hit = _the_one_alert(m, q, "the given names, a surname and the date of birth agree (full)")
    assert hit.score == pytest.approx(DEFAULT_CONFIG.confirmed_by_dob, abs=1e-4)
    # a married name (DE and the husband's surname), and a listed second given name
    wife = WatchlistEntry("t:2", "t", ["Maria Rosalinda RENDON POBLETE"], dobs=[born])
    [married] = Matcher().build([wife]).screen(Query("Rosalinda RENDON DE PULIDO", dob=born))
    assert "confirmed_by_dob" in married.features
    # the surname shared in the other place (Portuguese names put the mother's first), or
    # the second one shared
    for q in (
        Query("Daniel MORFIN RODRIGUEZ", dob=born),
        Query("Daniel CASTRO OLIVERA", dob=born),
        Query("Elias Daniel RODRIGUEZ CASTRO", dob=born),  # a given name the list lacks
    ):
        [swapped] = m.screen(q)
        assert "a surname and the date of birth agree (full)" in swapped.explain(), q
    # with the year only, when the traveller's two given names are the listed ones
    ana = Matcher().build(
        [WatchlistEntry("t:5", "t", ["Ana Julia GUIDO OCHOA"], dobs=[dob("1959")])]
    )
    [year] = ana.screen(Query("Ana Julia GUIDO DE ROMERO", dob=dob("1959")))
    assert "a surname and the date of birth agree (year)" in year.explain()
    assert ana.screen(Query("Ana GUIDO DE ROMERO", dob=dob("1959"))) == []
    # without the surnames told apart (all in capitals), with only the year, another
    # given name, other surnames, or a contradicting nationality: no alert
    for other in (
        Query("DANIEL RODRIGUEZ MORFIN", dob=born),
        Query("Daniel RODRIGUEZ MORFIN", dob=dob("1974")),
        Query("Pedro RODRIGUEZ MORFIN", dob=born),
        Query("Daniel MORFIN CASTRO", dob=born),
    ):
        assert m.screen(other) == [], other
    assert (
        Matcher()
        .build([replace(listed, nationalities=["MEX"])])
        .screen(Query("Daniel RODRIGUEZ MORFIN", dob=born, nationality="COL"))
        == []
    )
    # a given name and patronymic of one person with another's surname is not this case
    popov = WatchlistEntry("t:3", "t", ["Igor Borisovich POPOV"], dobs=[born])
    assert Matcher().build([popov]).screen(Query("Igor Borisovich VISMURADOV", dob=born)) == []


def test_names_say_which_are_the_surnames_when_written_in_capitals() -> None:
    def surnames(name: str) -> list[str]:
        form = analyse_name(name)
        return [form.main_tokens[i].text for i in form.surnames]

    assert surnames("Daniel RODRIGUEZ MORFIN") == ["RODRIGUEZ", "MORFIN"]
    assert surnames("Luz del Rocio ARAMBULA DE FLORES") == ["ARAMBULA", "FLORES"]
    assert surnames("MOUSAVI Seyyed Nezamoldin") == ["MOUSAVI"]
    assert surnames("Любовь Валентиновна ПРИГОЖИНА") == ["ПРИГОЖИНА"]
    # all in capitals, none, an initial, or a script without case: nothing is known
    for name in ("NURLAN ZHUMABAEV", "Nurlan Zhumabaev", "S. NKOMO", "حسن مفخمی شهرستانی"):
        assert surnames(name) == [], name
    # a traveller's given names and surname, as documents and bookings give them apart
    assert written_name("NURLAN BAKYT", "ZHUMABAEV") == "Nurlan Bakyt ZHUMABAEV"
    assert surnames(written_name("DANIEL", "RODRIGUEZ MORFIN")) == ["RODRIGUEZ", "MORFIN"]
    assert written_name(None, "ZHUMABAEV") == "ZHUMABAEV"
    assert written_name("NURLAN", None) == "Nurlan"


def test_last_names_that_align_only_weakly_lower_the_score() -> None:
    listed = WatchlistEntry("t:1", "t", ["Elena Leonidovna ZHURAVLEVA"], dobs=[dob("1976-10-13")])
    m = Matcher(threshold=0.0).build([listed])
    born = dob("1976-10-13")
    [other] = m.screen(Query("Elena Leonidovna FROLOVA", dob=born))
    assert other.features["last_name"][1] < 0 and other.score < 0.8
    assert "FROLOVA ~ ZHURAVLEVA" in other.explain()
    [same] = m.screen(Query("Elena Leonidovna ZHURAVLIOVA", dob=born))  # a spelling
    assert "last_name" not in same.features and same.score >= 0.8
    # a surname that shares its ending with the listed one, two letters more: as weak
    ilya = Matcher().build([WatchlistEntry("t:2", "t", ["Ilya LOGINOV"], dobs=[born])])
    q = Query("Ilya GANOV", dob=born)
    [ganov] = ilya.score_all(q)
    assert [round(p.similarity, 2) for p in ganov.name.pairs if p.query == "GANOV"] == [0.54]
    assert "last_name" in ganov.features and ilya.screen(q) == []
