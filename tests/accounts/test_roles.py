from __future__ import annotations

import pytest

from piu.accounts import Role, UnknownNameError, parse_role, parse_roles


def test_the_six_roles() -> None:
    assert {r.value for r in Role} == {
        "analyst",
        "supervisor",
        "rule_manager",
        "watchlist_manager",
        "dpo",
        "admin",
    }
    assert all(r.description for r in Role)


@pytest.mark.parametrize(
    ("text", "role"),
    [("analyst", Role.ANALYST), (" DPO ", Role.DPO), ("Rule-Manager", Role.RULE_MANAGER)],
)
def test_parse_role_forgives_case_and_dashes(text: str, role: Role) -> None:
    assert parse_role(text) is role


def test_unknown_role_suggests_the_closest() -> None:
    with pytest.raises(UnknownNameError) as caught:
        parse_role("watchlist-manger")
    assert caught.value.suggestion == "watchlist_manager"
    assert "did you mean 'watchlist_manager'?" in str(caught.value)


def test_unknown_role_without_a_close_one_has_no_suggestion() -> None:
    with pytest.raises(UnknownNameError) as caught:
        parse_role("root")
    assert caught.value.suggestion is None
    assert "did you mean" not in str(caught.value)


def test_parse_roles_deduplicates() -> None:
    assert parse_roles(["admin", "ADMIN", "dpo"]) == {Role.ADMIN, Role.DPO}
