"""``GET /health``: the only public route, for load balancers and monitoring.

It says whether the process answers and the database is reachable, and nothing else: no
version, no counts, no personal data, so it is safe to expose to a probe.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from piu.web.deps import get_engine
from piu.web.models import Health

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database is unreachable."}},
)
def health(response: Response, engine: Annotated[Engine, Depends(get_engine)]) -> Health:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Health(status="degraded", database="unreachable")
    return Health(status="ok", database="ok")
