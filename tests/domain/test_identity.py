from datetime import date

from piu.domain.identity import KnownTraveller, match_key, name_key, same_person


def _known(**kw: object) -> KnownTraveller:
    base = {
        "id": 1,
        "crew": False,
        "passenger_ref": None,
        "name_key": name_key("Asanov", "Bakyt", date(1980, 1, 1), False),
        "documents": {"AC1"},
    }
    base.update(kw)
    return KnownTraveller(**base)  # type: ignore[arg-type]


def test_passenger_reference_decides_when_both_have_one() -> None:
    k = _known(passenger_ref="P1")
    key = name_key("OTHER", "NAME", None, False)
    assert same_person(k, crew=False, passenger_ref="p1 ", key=key, documents=[])
    assert not same_person(k, crew=False, passenger_ref="P2", key=k.name_key, documents=["AC1"])


def test_name_and_birth_date_match_unless_documents_contradict() -> None:
    k = _known()
    key = name_key(" asanov ", "BAKYT", date(1980, 1, 1), False)
    assert same_person(k, crew=False, passenger_ref=None, key=key, documents=[])
    assert same_person(k, crew=False, passenger_ref=None, key=key, documents=["ac1", "X"])
    assert not same_person(k, crew=False, passenger_ref=None, key=key, documents=["AC2"])
    assert not same_person(k, crew=True, passenger_ref=None, key=key, documents=[])


def test_match_key_is_stable_and_bounded() -> None:
    key = name_key("A" * 300, None, None, False)
    assert len(match_key(None, key, ["X"])) <= 255
    assert match_key("ref1", key, []) == match_key("REF1", key, ["other"])
