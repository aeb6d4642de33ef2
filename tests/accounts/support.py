"""Helpers for account tests, shared with the web and CLI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from piu.accounts import passwords

# What the module built at import, before any test swapped it.
PRODUCTION_HASHER = passwords._hasher
# Same algorithm (argon2id), minimal cost: the production parameters take 0.1 s a hash.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
GOOD_PASSWORD = "Tulip-garden-2024"


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(passwords, "_hasher", FAST_HASHER)
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()
