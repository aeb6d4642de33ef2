from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from piu.accounts import (
    AccountError,
    NameTakenError,
    PasswordPolicyError,
    Role,
    UnknownNameError,
    authenticate_password,
    change_roles,
    create_user,
    get_user,
    list_users,
    set_active,
    set_password,
    set_roles,
)
from piu.store.schema import users
from tests.accounts.support import GOOD_PASSWORD


def test_create_and_find_case_insensitively(engine: Engine) -> None:
    made = create_user(
        engine, "Aigul", roles=[Role.ANALYST], password=GOOD_PASSWORD, display_name="Aigul K."
    )
    assert made.username == "aigul"
    found = get_user(engine, "AIGUL")
    assert found == made
    assert found.roles == {Role.ANALYST}
    assert found.active and found.has_password and not found.must_change_password
    assert found.created_at.tzinfo is not None


def test_password_is_stored_only_as_argon2id(engine: Engine) -> None:
    create_user(engine, "aigul", password=GOOD_PASSWORD)
    with engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert GOOD_PASSWORD not in stored


def test_a_user_without_password_is_for_tokens_only(engine: Engine) -> None:
    user = create_user(engine, "etl-loader", roles=[Role.ANALYST])
    assert not user.has_password


def test_names_are_unique_ignoring_case(engine: Engine) -> None:
    create_user(engine, "aigul")
    with pytest.raises(NameTakenError, match="exists already"):
        create_user(engine, "AIGUL")


@pytest.mark.parametrize("name", ["a", "has space", "-dash-first", "ü-umlaut", "x" * 65, ""])
def test_bad_user_names_are_refused(engine: Engine, name: str) -> None:
    with pytest.raises(AccountError, match="is not allowed"):
        create_user(engine, name)


def test_weak_password_refused_and_nothing_created(engine: Engine) -> None:
    with pytest.raises(PasswordPolicyError):
        create_user(engine, "aigul", password="aigul2024")
    assert list_users(engine) == []


def test_unknown_user_suggests_the_closest(engine: Engine) -> None:
    create_user(engine, "aigul")
    create_user(engine, "bakyt")
    with pytest.raises(UnknownNameError) as caught:
        get_user(engine, "aigl")
    assert caught.value.suggestion == "aigul"
    assert str(caught.value) == "unknown user 'aigl'; did you mean 'aigul'?"


def test_list_is_sorted_with_roles(engine: Engine) -> None:
    create_user(engine, "zarina", roles=[Role.DPO])
    create_user(engine, "aigul", roles=[Role.ANALYST, Role.SUPERVISOR])
    listed = list_users(engine)
    assert [u.username for u in listed] == ["aigul", "zarina"]
    assert listed[0].roles == {Role.ANALYST, Role.SUPERVISOR}
    assert listed[1].roles == {Role.DPO}


def test_change_roles_adds_and_removes(engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST])
    user = change_roles(engine, "aigul", add=[Role.SUPERVISOR, Role.DPO], remove=[Role.ANALYST])
    assert user.roles == {Role.SUPERVISOR, Role.DPO}
    assert get_user(engine, "aigul").roles == {Role.SUPERVISOR, Role.DPO}
    assert set_roles(engine, "aigul", []).roles == frozenset()


def test_a_role_both_added_and_removed_is_an_error(engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST])
    with pytest.raises(AccountError, match="both added and removed"):
        change_roles(engine, "aigul", add=[Role.DPO], remove=[Role.DPO])


def test_the_last_active_admin_cannot_be_removed_or_disabled(engine: Engine) -> None:
    create_user(engine, "root1", roles=[Role.ADMIN])
    with pytest.raises(AccountError, match="last active admin"):
        change_roles(engine, "root1", remove=[Role.ADMIN])
    with pytest.raises(AccountError, match="last active admin"):
        set_active(engine, "root1", False)
    # Nothing changed: the transaction was rolled back.
    user = get_user(engine, "root1")
    assert user.roles == {Role.ADMIN} and user.active

    create_user(engine, "root2", roles=[Role.ADMIN])
    assert not set_active(engine, "root1", False).active
    with pytest.raises(AccountError, match="last active admin"):
        change_roles(engine, "root2", remove=[Role.ADMIN])


def test_non_admins_can_be_disabled_and_enabled(engine: Engine) -> None:
    create_user(engine, "aigul", roles=[Role.ANALYST])
    assert not set_active(engine, "aigul", False).active
    assert set_active(engine, "aigul", True).active


def test_set_password_checks_policy_and_replaces(engine: Engine) -> None:
    create_user(engine, "aigul", password=GOOD_PASSWORD)
    with pytest.raises(PasswordPolicyError):
        set_password(engine, "aigul", "short")
    user = set_password(engine, "aigul", "Another-long-one-9", must_change=True)
    assert user.must_change_password
    assert authenticate_password(engine, "aigul", "Another-long-one-9").username == "aigul"
    with pytest.raises(Exception, match="wrong user name or password"):
        authenticate_password(engine, "aigul", GOOD_PASSWORD)


def test_changes_to_unknown_users_suggest(engine: Engine) -> None:
    create_user(engine, "aigul")
    calls: list[Callable[[], object]] = [
        lambda: set_password(engine, "aigull", GOOD_PASSWORD),
        lambda: change_roles(engine, "aigull", add=[Role.DPO]),
        lambda: set_active(engine, "aigull", False),
    ]
    for call in calls:
        with pytest.raises(UnknownNameError, match="did you mean 'aigul'"):
            call()
