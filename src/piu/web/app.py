"""The HTTP application: :func:`create_app` wires settings, the store and the routes.

Nothing is served from a CDN and there are no public docs pages: PIUs run on closed
networks, and only ``/health`` answers without a credential. The OpenAPI schema is served
to any signed-in user at ``/api/v1/openapi.json`` (FastAPI's own ``/openapi.json``,
``/docs`` and ``/redoc`` are switched off; the Swagger page would load its scripts from a
CDN). Every answer carries ``Cache-Control: no-store`` and ``X-Content-Type-Options:
nosniff``: answers hold personal data that no proxy or browser cache should keep.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from piu import __version__
from piu.config import Settings
from piu.errors import StoreError
from piu.ingest.lists import Rescreener
from piu.web import (
    routes_cases,
    routes_health,
    routes_hits,
    routes_me,
    routes_messages,
    routes_push,
    routes_reviews,
    routes_rules,
    routes_travel,
)
from piu.web.deps import AnyUser
from piu.web.ui import mount as mount_ui

__all__ = ["create_app"]

log = logging.getLogger(__name__)

_SAFETY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
]


class _SafetyHeaders:
    """Plain ASGI middleware (not BaseHTTPMiddleware) so the push body still streams."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SAFETY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # The reason goes to the log, not to the client: it may name hosts and paths.
    log.error("%s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": "database unavailable; try again later"},
        status_code=503,
        headers={"Retry-After": "30"},
    )


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    """The PIU web application on ``engine`` (already migrated, see ``open_store``).

    ``app.state.rescreener`` re-screens stored travellers after list imports in a
    background thread; it starts once with the server, to take up what a stopped one left,
    and stops with it."""
    rescreener = Rescreener(
        engine, days_back=settings.rescreen_days_back, days_ahead=settings.rescreen_days_ahead
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        rescreener.kick()
        yield
        # between two batches the thread gives its import up, for the next start to finish
        rescreener.stop(timeout=30)

    app = FastAPI(
        lifespan=lifespan,
        title="PIU",
        version=__version__,
        description="Passenger Information Unit: carrier push and read-only travel data.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.rescreener = rescreener
    app.state.sensitive_rules = settings.sensitive_rules()
    app.add_middleware(_SafetyHeaders)
    app.add_exception_handler(StoreError, _store_unavailable)
    for module in (
        routes_health,
        routes_push,
        routes_me,
        routes_travel,
        routes_messages,
        routes_hits,
        routes_reviews,
        routes_rules,
        routes_cases,
    ):
        app.include_router(module.router)

    mount_ui(app, settings)  # the analyst's pages: /login, /, /flights ... (piu.web.ui)

    # the app from the request, not from this closure: FastAPI caches endpoint functions
    # module-wide, and a closure over the app would keep every app ever made alive (in
    # the tests, thousands of them, with their stores and templates)
    @app.get("/api/v1/openapi.json", include_in_schema=False)
    def openapi(request: Request, _user: AnyUser) -> dict[str, Any]:
        return cast(dict[str, Any], request.app.openapi())

    return app
