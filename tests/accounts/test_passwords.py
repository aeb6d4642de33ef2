from __future__ import annotations

import argon2
import pytest

from piu.accounts import PasswordPolicyError, check_policy, generate_password, passwords
from tests.accounts.support import PRODUCTION_HASHER


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Short-1", "it has 7 characters; at least 12 are needed"),
        ("onlysmallletters", "it uses only small letters"),
        ("ONLYCAPITALSHERE", "it uses only capitals"),
        ("123456789012", "it uses only digits"),
        ("!!!!????----", "it uses only symbols"),
        ("x" * 1025 + "A", "at most 1024 are allowed"),
    ],
)
def test_policy_names_the_problem(password: str, problem: str) -> None:
    with pytest.raises(PasswordPolicyError) as caught:
        check_policy(password)
    assert problem in str(caught.value)


def test_policy_lists_every_problem_at_once() -> None:
    with pytest.raises(PasswordPolicyError) as caught:
        check_policy("aigul", username="aigul")
    assert len(caught.value.problems) == 3
    assert "contains the user name" in caught.value.problems[2]


@pytest.mark.parametrize("password", ["Aigul-2024-spring", "my AIGUL password 7"])
def test_policy_refuses_the_user_name_in_any_case(password: str) -> None:
    with pytest.raises(PasswordPolicyError, match="contains the user name"):
        check_policy(password, username="aigul")


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "Tulip-garden-2024", "жаңы сырсөз 2024", "twelve chars1"],
)
def test_policy_accepts_long_mixed_passwords(password: str) -> None:
    check_policy(password, username="aigul")


def test_generated_passwords_pass_the_policy_and_differ() -> None:
    made = {generate_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        check_policy(password)
        assert len(password) >= 20


def test_hash_verifies_only_the_right_password() -> None:
    stored = passwords.hash_password("Tulip-garden-2024")
    assert "Tulip" not in stored
    assert passwords.verify_password(stored, "Tulip-garden-2024")
    assert not passwords.verify_password(stored, "tulip-garden-2024")


@pytest.mark.parametrize("stored", [None, "", "not-an-argon2-hash", "$argon2id$v=19$broken"])
def test_missing_or_corrupt_hash_is_a_mismatch(stored: str | None) -> None:
    assert not passwords.verify_password(stored, "Tulip-garden-2024")


def test_production_hasher_is_argon2id_with_strong_parameters() -> None:
    params = argon2.extract_parameters(PRODUCTION_HASHER.hash("Tulip-garden-2024"))
    assert params.type is argon2.Type.ID
    assert params.memory_cost >= 19 * 1024  # OWASP's floor for argon2id
    assert params.time_cost >= 2


def test_old_parameters_need_a_rehash() -> None:
    weak = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    assert passwords.needs_rehash(weak.hash("x")) is False  # the tests run with these
    strong = argon2.PasswordHasher()
    assert passwords.needs_rehash(strong.hash("x")) is True
