import pytest

from piu.screening.importers import WatchlistFormatError, detect_format, diff, parse_bytes
from piu.screening.importers._dates import parse_dobs
from piu.screening.model import DateOfBirth, Document, WatchlistEntry

NATIONAL = (
    "id,names,weak_names,dob,nationality,gender,documents,notes\r\n"
    "KG-1,Азамат Абдулхакимов|Azamat Abdulkhakimov,Aza,1980-03-11|circa 1975,KGZ|kz,M,"
    '"P:AC1234567:KGZ|ID::",note\r\n'
    "KG-2,محمد الحسن,,1970..1972,Syria,,,\r\n"
    "KG-3,Ivan Petrov,,31.2.1990,XXX,Q,P:,\r\n"
)


def test_national_csv() -> None:
    r = parse_bytes(NATIONAL.encode())
    assert r.format == detect_format(NATIONAL.encode()) == "piu_national_csv"
    a, b, c = r.entries
    assert a.names == ["Азамат Абдулхакимов", "Azamat Abdulkhakimov", "Aza"] and a.weak_names == [
        "Aza"
    ]
    assert a.dobs == [DateOfBirth(1980, 3, 11), DateOfBirth(1974, year_to=1976)]
    assert a.nationalities == ["KGZ", "KAZ"] and a.gender == "M"
    assert a.documents == [Document("AC1234567", "P", "KGZ")]
    assert a.attributes == {"notes": "note"}
    assert b.dobs == [DateOfBirth(1970, year_to=1972)] and b.nationalities == ["SYR"]
    assert c.dobs == [] and c.nationalities == ["XXX"] and c.gender is None
    # one warning per fault, each naming its line
    assert any("line 2" in w and "document 'ID::'" in w for w in r.warnings)
    assert sum("line 4" in w for w in r.warnings) == 4  # dob, nationality, gender, document


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        (
            "id,names,weak_names,dob,nationaility,gender,documents\n",
            1,
            "did you mean 'nationality'",
        ),
        ("id,names,weak_names,dob,nationality,gender,documents\nX,A,,,,\n", 2, "6 columns"),
        (
            "id,names,weak_names,dob,nationality,gender,documents\nX,A,,,,,\nX,B,,,,,\n",
            3,
            "repeated",
        ),
        ("id,names,weak_names,dob,nationality,gender,documents\n\nX,,,,,,\n", 3, "no name"),
        ('id,names,weak_names,dob,nationality,gender,documents\nX,"A,,,,,\n', 2, "CSV"),
    ],
)
def test_national_csv_refusals(text: str, line: int, needle: str) -> None:
    with pytest.raises(WatchlistFormatError) as exc:
        parse_bytes(text.encode(), "piu_national_csv")
    assert exc.value.line == line and needle in str(exc.value)


def test_sltd_csv() -> None:
    text = (
        "number,type,issuing_state,reported_on,status\n"
        "AC 123-4567,P,KGZ,2025-01-31,stolen\n"
        "N0000001,ID,KZ,2025-02-30,misplaced\n"
    )
    r = parse_bytes(text.encode())
    assert r.format == "piu_sltd_csv"
    a, b = r.entries
    assert (a.id, a.kind, a.names) == ("KGZ:AC1234567", "document", [])
    assert a.documents == [Document("AC1234567", "P", "KGZ")]
    assert a.attributes == {"reported_on": "2025-01-31", "status": "stolen"}
    assert b.id == "KAZ:N0000001" and len(r.warnings) == 2
    with pytest.raises(WatchlistFormatError) as exc:
        parse_bytes((text + "AC1234567,P,KGZ,,lost\n").encode())
    assert exc.value.line == 4 and "repeated" in exc.value.reason
    with pytest.raises(WatchlistFormatError) as exc:
        parse_bytes(b"number,type,issuing_state,reported_on,status\n,P,KGZ,,\n")
    assert (exc.value.line, exc.value.column) == (2, 1)


def test_diff_fields() -> None:
    a = WatchlistEntry("1", "L", ["A B", "C D"], dobs=[DateOfBirth(1970)])
    b = WatchlistEntry("1", "L", ["C D", "A B"], dobs=[DateOfBirth(1971)], gender="M")
    c = WatchlistEntry("2", "L", ["E"])
    d = diff([a, c], [b])
    assert [x.id for x in d.removed] == ["2"] and d.added == []
    assert d.changed[0].fields == ["dobs", "gender"]  # reordered names are no change
    assert diff([a], [a]).is_empty
    with pytest.raises(ValueError, match="twice"):
        diff([a, a], [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19 Jun 1951", [DateOfBirth(1951, 6, 19)]),
        ("circa 1970", [DateOfBirth(1969, year_to=1971)]),
        ("Between 1960 and 1965", [DateOfBirth(1960, year_to=1965)]),
        ("01 Jan 1960 to 31 Dec 1962", [DateOfBirth(1960, year_to=1962)]),
        ("(a) 28.2.1970, (b) 1971", [DateOfBirth(1970, 2, 28), DateOfBirth(1971)]),
        ("13-07-1989", [DateOfBirth(1989, 7, 13)]),
        ("Aug 1961", [DateOfBirth(1961, 8)]),
        ("31.2.1970", []),
    ],
)
def test_date_shapes(text: str, expected: list[DateOfBirth]) -> None:
    assert parse_dobs(text)[0] == expected
