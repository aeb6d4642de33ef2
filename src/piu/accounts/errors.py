"""Errors about accounts: what an administrator asked for cannot be done as asked.

They hang under :class:`~piu.errors.PiuError` so every edge already turns them into a
message for a person; the CLI answers them with exit code 2 (bad usage)::

    PiuError
    ├── AccessError              (piu.errors) authentication or role check failed
    ├── SealedValueError         (piu.accounts.sealed) a stored value does not open under
    │                            this deployment's key (secret_key replaced?)
    └── AccountError             a user, role, token or carrier request cannot be done
        ├── UnknownNameError     no such user / role / token / carrier ("did you mean")
        ├── NameTakenError       the user or carrier exists already
        └── PasswordPolicyError  the password is too weak; lists every problem at once
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from piu.errors import PiuError

__all__ = ["AccountError", "NameTakenError", "PasswordPolicyError", "UnknownNameError"]


class AccountError(PiuError):
    """A request about accounts is impossible as asked (the caller can fix it)."""


class UnknownNameError(AccountError):
    """No ``kind`` called ``name``; ``suggestion`` is the closest known name, if any."""

    def __init__(self, kind: str, name: str, known: Iterable[str] = ()) -> None:
        self.kind = kind
        self.name = name
        close = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=0.6)
        self.suggestion: str | None = close[0] if close else None
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")


class NameTakenError(AccountError):
    """The name is taken."""


class PasswordPolicyError(AccountError):
    """The password breaks the policy; ``problems`` lists each reason for the person."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("password refused: " + "; ".join(problems))
