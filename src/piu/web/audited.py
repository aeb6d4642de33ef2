"""Writing reads of personal data to the audit trail (DESIGN principle 5).

A route calls :func:`audit_read` after it has found what it will return, so a refused
request (401, 403) or a miss (404) leaves no entry, and a read whose entry cannot be
written fails rather than going unrecorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request
from sqlalchemy import Engine

from piu.accounts.users import User
from piu.store import audit
from piu.web.deps import remote_address

__all__ = ["audit_read", "ids_of"]


def ids_of(items: Iterable[Any], key: str = "id") -> list[int]:
    """The ``key`` of each row (dicts or rows), skipping rows without one."""
    found = []
    for item in items:
        value = item.get(key) if isinstance(item, dict) else getattr(item, key, None)
        if value is not None:
            found.append(value)
    return found


def audit_read(
    engine: Engine,
    user: User,
    request: Request,
    action: str,
    *,
    subject_type: str | None = None,
    subject_id: int | str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        engine,
        actor=user.username,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
        remote=remote_address(request),
    )
