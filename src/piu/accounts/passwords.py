"""Password policy and hashing (argon2id through argon2-cffi).

The policy follows NIST SP 800-63B in spirit: length matters most, so it asks for 12
characters, refuses a password made of one kind of character only, and refuses one that
contains the user name. It reports every problem at once so a person fixes them in one go.

Hashing uses argon2-cffi's defaults (RFC 9106 low-memory profile: argon2id, 64 MiB, t=3),
about 0.1 s here. :func:`needs_rehash` lets login upgrade old hashes when the defaults
move on. Tests swap ``_hasher`` for a cheap one; nothing else should.
"""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from piu.accounts.errors import PasswordPolicyError

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "check_policy",
    "generate_password",
    "hash_password",
    "needs_rehash",
    "verify_password",
]

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte per login attempt would be a cheap denial of service

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified when there is no real hash, so a wrong name costs as long as a wrong password."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _classes(password: str) -> set[str]:
    kinds = set()
    for ch in password:
        if ch.isdigit():
            kinds.add("digits")
        elif ch.isupper():
            kinds.add("capitals")
        elif ch.islower():
            kinds.add("small letters")
        else:
            kinds.add("symbols")
    return kinds


def check_policy(password: str, *, username: str | None = None) -> None:
    """Raise :class:`PasswordPolicyError` naming every rule ``password`` breaks."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"it has {len(password)} characters; at least {MIN_LENGTH} are needed")
    if len(password) > MAX_LENGTH:
        problems.append(f"it has {len(password)} characters; at most {MAX_LENGTH} are allowed")
    kinds = _classes(password)
    if len(kinds) == 1:
        (only,) = kinds
        problems.append(
            f"it uses only {only}; mix in another kind (small letters, capitals, digits, symbols)"
        )
    if username and username.casefold() in password.casefold():
        problems.append("it contains the user name")
    if problems:
        raise PasswordPolicyError(problems)


def generate_password() -> str:
    """A random password that passes the policy (about 120 bits), to be shown once."""
    while True:
        candidate = secrets.token_urlsafe(15)
        try:
            check_policy(candidate)
        except PasswordPolicyError:  # pragma: no cover - one draw in millions
            continue
        return candidate


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing or corrupt hash is simply a mismatch."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
