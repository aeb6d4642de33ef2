from datetime import date

from piu.domain.linking import Person, evidence, link, normalise_given, without_titles


def test_titles_are_dropped_from_given_names() -> None:
    assert normalise_given("nina ms") == "NINA"
    assert normalise_given("JOHN MR") == "JOHN"
    assert normalise_given("MR") == ""


def test_evidence_order_and_vetoes() -> None:
    api = Person("ASANOV", "BAKYT", date(1980, 5, 1), "M", {"AC1234567"}, "ABC123")
    assert evidence(Person("ASANOV", "BAKYT MR", record_locator="ABC123"), api) == (
        "locator+name",
        1.0,
    )
    assert evidence(Person("ASANOV", "BAKYT", date(1980, 5, 1)), api) == ("name+dob", 0.98)
    assert evidence(Person("ASSANOV", "BAKIT", documents={"ac 1234567"}), api) == (
        "document",
        0.97,
    )
    method, confidence = evidence(Person("ASANOV", "BAKYTBEK"), api) or ("", 0)
    assert method == "fuzzy-name" and confidence < 0.9
    assert evidence(Person("ASANOV", "BAKYT", date(1981, 5, 1)), api) is None
    assert evidence(Person("ASANOV", "BAKYT", gender="F"), api) is None
    assert evidence(Person("ASANOV", "BAKYT", documents={"XX999"}), api) is None
    assert evidence(Person("IVANOV", "PETR"), api) is None


def test_two_namesakes_are_never_merged() -> None:
    api = [
        Person("UULU", "TALANT", date(2000, 1, 1), documents={"AC1"}),
        Person("UULU", "TALANT", date(2001, 1, 1), documents={"AC2"}),
    ]
    # With dates of birth each finds the right one.
    pnr = [
        Person("UULU", "TALANT MR", date(2001, 1, 1)),
        Person("UULU", "TALANT MR", date(2000, 1, 1)),
    ]
    assert sorted((lk.pnr_index, lk.api_index) for lk in link(pnr, api)) == [(0, 1), (1, 0)]
    # Without anything to tell them apart, nobody is linked.
    bare = [Person("UULU", "TALANT MR"), Person("UULU", "TALANT MR")]
    assert link(bare, api) == []
    # One PNR traveller who fits two API travellers equally well is not linked either.
    assert link([Person("UULU", "TALANT")], api) == []


def test_transliteration_variants_link_within_one_booking_only() -> None:
    api = Person("IUSUPOV", "ZHAKHONGIR", record_locator="K7Q2LM")
    assert evidence(Person("YUSUPOV", "DZHAKHONGIR MR", record_locator="K7Q2LM"), api) == (
        "locator+name",
        0.99,
    )
    # The same folded names on another booking are not enough by themselves.
    other = evidence(Person("YUSUPOV", "DZHAKHONGIR MR", record_locator="ZZZ999"), api)
    assert other is None or other[0] == "fuzzy-name"
    # Folding does not merge a woman's surname with a man's.
    assert evidence(Person("IUSUPOVA", "ZHAKHONGIR", record_locator="K7Q2LM"), api) != (
        "locator+name",
        0.99,
    )


def test_booking_titles_leave_the_given_names_in_any_script() -> None:
    assert without_titles("NURLAN MR") == "NURLAN"
    assert without_titles("Айгуль MRS") == "Айгуль"
    assert without_titles("MARIA DR.") == "MARIA"
    assert without_titles("MR") == ""
    assert without_titles("MRAZ") == "MRAZ"
    assert without_titles(None) is None


def test_placeholders_for_a_name_not_known_are_no_name() -> None:
    """A person with one name: SUKARNO/FNU on a US visa or a booking, LNU/SUKARNO
    elsewhere, SUKARNO with no given name in the passport's zone."""
    api = Person("SUKARNO", None, date(1970, 1, 2), record_locator="XYZ789")
    assert evidence(Person("SUKARNO", "FNU MR", record_locator="XYZ789"), api) == (
        "locator+name",
        1.0,
    )
    assert evidence(Person("LNU", "SUKARNO", date(1970, 1, 2)), api) == ("name+dob", 0.98)
    assert Person("LNU", "SUKARNO").key() == ("SUKARNO", "")
    # a word that only contains a placeholder's letters is a name
    assert Person("FNUKOV", "UNKAR").key() == ("FNUKOV", "UNKAR")
