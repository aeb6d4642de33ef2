"""Request parameters and helpers shared by the read-only routes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Depends, Path, Query
from sqlalchemy import Engine

from piu.store import read
from piu.web.deps import get_engine

__all__ = ["EngineDep", "Id", "Limit", "Offset", "page_dict"]

EngineDep = Annotated[Engine, Depends(get_engine)]
# Ids are 64-bit in the store; a larger number is a bad parameter (422), not a server error.
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
Limit = Annotated[int, Query(ge=1, le=read.MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=2**63 - 1, description="Rows to skip.")]


def page_dict(page: read.Page) -> dict[str, Any]:
    return asdict(page)
