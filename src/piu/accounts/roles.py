"""The roles a PIU user can hold.

Roles are coarse on purpose: each names a job in a PIU (analyst, supervisor, the
data-protection officer...). What each role may read is decided at the edge that serves the
data (see :mod:`piu.web.deps` for the HTTP table), not here, so this module stays a plain
vocabulary that storage, CLI and web share.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from piu.accounts.errors import UnknownNameError

__all__ = ["Role", "parse_role", "parse_roles"]


class Role(StrEnum):
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    RULE_MANAGER = "rule_manager"
    WATCHLIST_MANAGER = "watchlist_manager"
    DPO = "dpo"
    ADMIN = "admin"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Role.ANALYST: "reviews flights, travellers and hits",
    Role.SUPERVISOR: "analyst who also approves decisions and reads raw messages",
    Role.RULE_MANAGER: "writes and publishes targeting rules",
    Role.WATCHLIST_MANAGER: "imports and curates watchlists",
    Role.DPO: "data-protection officer: oversees access, masking and retention",
    Role.ADMIN: "manages users, carriers and the system",
}


def parse_role(text: str) -> Role:
    """``"Rule-Manager"`` -> :attr:`Role.RULE_MANAGER`; unknown names suggest the closest."""
    key = text.strip().lower().replace("-", "_")
    try:
        return Role(key)
    except ValueError:
        raise UnknownNameError("role", text, [r.value for r in Role]) from None


def parse_roles(texts: Iterable[str]) -> frozenset[Role]:
    return frozenset(parse_role(t) for t in texts)
