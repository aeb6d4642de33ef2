"""The matcher end to end on a small list: alerts, thresholds, contradictions."""

from __future__ import annotations

import pytest

from piu.screening import DEFAULT_THRESHOLD, DateOfBirth, Matcher, Query, WatchlistEntry

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
