"""Account tests hash with cheap argon2 parameters; the engine fixture is tests/conftest.py's."""

from __future__ import annotations

import pytest

from tests.accounts.support import fast_hashing

__all__ = ["fast_hashing"]


@pytest.fixture(autouse=True)
def _cheap_argon2(fast_hashing: None) -> None:
    """Every account test, unless it asks for the real hasher (see test_passwords)."""
