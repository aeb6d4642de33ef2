"""``POST /api/v1/push``: where carriers deliver their API and PNR messages.

A carrier proves who it is with HTTP Basic (user name = carrier code, password = token) or
with ``Authorization: Bearer <token>`` plus ``X-PIU-Carrier: <code>``. The checks run in
this order, each before any work the next would cost:

1. credentials, before a byte of the body is read: a stranger gets a 401 and a security
   event (code as sent, remote address, reason; never the token);
2. a ``Content-Length`` over ``max_message_bytes``: 413 without reading;
3. the body, read as a stream and refused with 413 the moment it passes the cap, so a
   chunked upload can never make the server hold more than ``max_message_bytes``;
4. an empty body: 400;
5. :func:`piu.ingest.receive`, in the threadpool because it blocks on the database.

Every message that reaches step 5 is answered 202, whether ``stored``, ``duplicate`` or
``rejected``. 202 says "kept, and handled on our side": the raw bytes are durable before the
answer (DESIGN principle 1), so the delivery has succeeded. A 4xx for an unreadable message
would tell the carrier's sending software that the delivery failed, and it would retry or
fall back to another channel with bytes that will never parse; PIU would then hold several
copies of one bad message instead of one with a precise error. The body's ``status`` and
``error`` tell the carrier what is wrong, and the PIU can reprocess once its parser is fixed.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, Security, status
from fastapi.security import HTTPBasic, HTTPBearer
from starlette.concurrency import run_in_threadpool

from piu.accounts.carriers import verify_carrier
from piu.accounts.events import EventKind, record_event
from piu.errors import AccessError
from piu.web.deps import get_engine, get_settings, remote_address
from piu.web.models import PushReceipt

__all__ = ["read_capped", "router"]

router = APIRouter(prefix="/api/v1", tags=["push"])

CARRIER_CHALLENGE = 'Basic realm="piu-push", charset="UTF-8", Bearer realm="piu-push"'


class _BasicInDocs(HTTPBasic):
    """Names the scheme in OpenAPI only. The route parses the header itself, so that every
    failure, malformed headers included, becomes a security event before the 401."""

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


class _BearerInDocs(HTTPBearer):
    __doc__ = _BasicInDocs.__doc__

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


_basic = _BasicInDocs(scheme_name="carrierBasic", description="Carrier code and push token.")
_bearer = _BearerInDocs(
    scheme_name="carrierBearer", description="Push token; the code goes in X-PIU-Carrier."
)


class _RefusedError(Exception):
    def __init__(self, reason: str, subject: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.subject = subject


def parse_credentials(authorization: str | None, carrier: str | None) -> tuple[str, str]:
    """``(code, token)`` from the request headers, or :class:`_RefusedError` with the reason."""
    if not authorization:
        raise _RefusedError("no credentials", carrier)
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise _RefusedError("malformed Basic credentials", carrier) from None
        code, colon, token = decoded.partition(":")
        if not colon or not code or not token:
            raise _RefusedError("Basic credentials need code:token", code or carrier)
        if carrier and carrier.strip().upper() != code.strip().upper():
            raise _RefusedError(f"X-PIU-Carrier {carrier!r} differs from the Basic user name", code)
        return code, token
    if scheme.lower() == "bearer":
        if not carrier:
            raise _RefusedError("Bearer token without X-PIU-Carrier")
        if not value:
            raise _RefusedError("empty Bearer token", carrier)
        return carrier, value
    raise _RefusedError(f"unsupported authorization scheme {scheme[:20]!r}", carrier)


def _unauthorized() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "carrier credentials missing or refused",
        headers={"WWW-Authenticate": CARRIER_CHALLENGE},
    )


async def _authenticate(request: Request, carrier_header: str | None) -> str:
    engine, settings = get_engine(request), get_settings(request)
    remote = remote_address(request)
    try:
        code, token = parse_credentials(request.headers.get("authorization"), carrier_header)
    except _RefusedError as refused:
        await run_in_threadpool(
            record_event,
            engine,
            EventKind.PUSH_AUTH_FAILED,
            subject=refused.subject,
            remote=remote,
            detail=refused.reason,
        )
        raise _unauthorized() from None
    try:
        return await run_in_threadpool(
            verify_carrier, engine, code, token, configured=settings.carriers, remote=remote
        )
    except AccessError:  # verify_carrier wrote the security event
        raise _unauthorized() from None


def _too_large(cap: int) -> HTTPException:
    return HTTPException(413, f"message larger than the limit of {cap} bytes")


async def read_capped(request: Request, cap: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed ``cap`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "bad Content-Length") from None
        if size > cap:
            raise _too_large(cap)
    body = bytearray()
    async for chunk in request.stream():
        if len(body) + len(chunk) > cap:
            raise _too_large(cap)
        body += chunk
    return bytes(body)


@router.post(
    "/push",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PushReceipt,
    dependencies=[Security(_basic), Security(_bearer)],
    responses={
        400: {"description": "Empty body or bad Content-Length."},
        401: {"description": "Carrier credentials missing or refused."},
        413: {"description": "Larger than the configured max_message_bytes."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            "description": "The message bytes as the carrier's system produced them.",
        }
    },
)
async def push(
    request: Request,
    x_piu_carrier: Annotated[
        str | None, Header(description="Carrier code, with a Bearer token.")
    ] = None,
) -> dict[str, Any]:
    """Deliver one message (PAXLST, PNRGOV EDIFACT or XML). Answered 202 once it is kept."""
    code = await _authenticate(request, x_piu_carrier)
    body = await read_capped(request, get_settings(request).max_message_bytes)
    if not body:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "empty body: send the message bytes")
    # Imported here, not at the top: the ingest pipeline pulls in every message reader,
    # which the read-only API and its tests do not need.
    from piu.ingest import receive

    result = await run_in_threadpool(
        receive,
        get_engine(request),
        body,
        sender=code,
        channel="http",
        origin=remote_address(request),
        rules=request.app.state.sensitive_rules,
    )
    return result.as_dict()
