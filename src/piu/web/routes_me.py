"""``GET /api/v1/me``: who the token belongs to, so a client can check its setup."""

from __future__ import annotations

from fastapi import APIRouter

from piu.web.deps import AnyUser
from piu.web.models import Me

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["account"])


@router.get("/me", response_model=Me)
def me(user: AnyUser) -> Me:
    return Me(
        username=user.username,
        display_name=user.display_name,
        roles=sorted(user.roles),
        must_change_password=user.must_change_password,
    )
