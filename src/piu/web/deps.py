"""Authentication and role checks for the HTTP API, and who may read what.

Every route but ``GET /health`` needs a credential. Users send an API token
(``Authorization: Bearer piu_u_...``, see :mod:`piu.accounts.tokens`); carriers push with
their own credentials (see :mod:`piu.web.routes_push`), and a user token cannot push.

::

    route                                 analyst supervisor dpo admin rule_mgr watchlist_mgr
    GET  /health                          public: no credential, no personal data
    POST /api/v1/push                     carriers only (carrier token; user tokens refused)
    GET  /api/v1/me                          x        x       x    x      x           x
    GET  /api/v1/openapi.json                x        x       x    x      x           x
    GET  /api/v1/flights                     x        x       x    x      -           -
    GET  /api/v1/flights/{id}                x        x       x    x      -           -
    GET  /api/v1/flights/{id}/travellers     x        x       x    x      -           -
    GET  /api/v1/travellers/{id}             x        x       x    x      -           -
    GET  /api/v1/bookings/{id}               x        x       x    x      -           -
    GET  /api/v1/messages                    x        x       x    x      -           -
    GET  /api/v1/messages/{id}               x        x       x    x      -           -
    GET  /api/v1/messages/{id}/raw           -        x       x    x      -           -
    GET  /api/v1/hits                        x        x       x    x      -           -
    GET  /api/v1/hits/{id}                   x        x       x    x      -           -
    GET  /api/v1/hits/{id}/reviews           x        x       x    x      -           -
    POST /api/v1/hits/{id}/decision          x        x       -    -      -           -
    GET  /api/v1/queue                       x        x       x    x      -           -
    GET  /api/v1/watchlists                  x        x       x    x      -           x
    GET  /api/v1/rules, /rules/{name}        x        x       x    x      x           -
    POST /api/v1/rules/check                 x        x       x    x      x           -
    POST /api/v1/rules/try, /{name}/...      -        -       -    -      x           -
    GET  /api/v1/cases, /cases/{id}          x        x       x    x      -           -
    GET  /api/v1/cases/{id}/attachments/{a}  x        x       x    x      -           -
    POST /api/v1/cases, /cases/{id}/...      x        x       -    -      -           -
    GET  /api/v1/disseminations[/{id}]       x        x       x    x      -           -
    POST /api/v1/disseminations/{id}/export  x        x       -    -      -           -
    POST /api/v1/disseminations/{id}/decision
                                             -        x       -    -      -           -

Why: travel data is personal data, so only the roles whose work is to look at travellers
(and the DPO who oversees that work, and admins who run the system) read it. Message
metadata is cheap to show but a message's ``error`` and ``warnings`` quote its content, so
messages follow the travel-data rule rather than adding the rule and watchlist managers:
they get their own routes with targeting and screening. Raw messages hold every data
element at once, including elements the API does not surface, so analysts read the parsed
form and a supervisor, the DPO or an admin opens the raw bytes when something needs
checking. A user with no role can still ask who they are (``/me``). Hits name travellers, so they
follow the travel-data rule; the list of watchlists (names, sources, sizes, no entries) is
also for the watchlist managers who maintain them. The review queue and a hit's decisions
follow the same rule; deciding on a hit is the analysts' and supervisors' work, so the DPO
(who oversees it) and admins (who run the system) read decisions but do not take them.
Cases and disseminations follow the same split: the travel readers read them (the DPO
oversees what leaves the PIU), analysts and supervisors build cases, request a
dissemination and export an approved package, and only a supervisor who did not request
it approves or rejects (four eyes, enforced in :mod:`piu.store.disseminations`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from piu.accounts.roles import Role
from piu.accounts.tokens import verify_token
from piu.accounts.users import User
from piu.config import Settings
from piu.errors import AccessError

__all__ = [
    "MESSAGE_READERS",
    "RAW_READERS",
    "RULE_MANAGERS",
    "RULE_READERS",
    "TRAVEL_READERS",
    "WATCHLIST_READERS",
    "AnyUser",
    "MessageReader",
    "RawReader",
    "RuleManager",
    "RuleReader",
    "TravelReader",
    "WatchlistReader",
    "acting",
    "current_user",
    "get_engine",
    "get_settings",
    "remote_address",
    "require_roles",
]

TRAVEL_READERS = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.DPO, Role.ADMIN})
MESSAGE_READERS = TRAVEL_READERS
RAW_READERS = frozenset({Role.SUPERVISOR, Role.DPO, Role.ADMIN})
WATCHLIST_READERS = TRAVEL_READERS | {Role.WATCHLIST_MANAGER}
RULE_READERS = TRAVEL_READERS | {Role.RULE_MANAGER}
RULE_MANAGERS = frozenset({Role.RULE_MANAGER})

USER_REALM = 'Bearer realm="piu"'

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="userToken",
    description="A user's API token: `piu users token NAME --name LABEL`.",
)


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def remote_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def acting(name: str, request: Request) -> dict[str, Any]:
    """Who makes a change through this request, when and from where: the ``by``, ``now``
    and ``remote`` keywords of the store functions that record a person's act."""
    return {"by": name, "now": datetime.now(UTC), "remote": remote_address(request)}


def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> User:
    """The user whose token came with the request, or 401.

    A plain ``def``: FastAPI runs it in its threadpool, as the token check reads the
    database. A request without a token is not a security event (health probes, browsers);
    a token that fails is (see :func:`verify_token`).
    """
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "an API token is needed: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": USER_REALM},
        )
    try:
        return verify_token(
            get_engine(request), credentials.credentials, remote=remote_address(request)
        )
    except AccessError as exc:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            str(exc),
            headers={"WWW-Authenticate": f'{USER_REALM}, error="invalid_token"'},
        ) from None


def require_roles(allowed: frozenset[Role]) -> Callable[[User], User]:
    """A dependency that lets through users holding at least one of ``allowed``."""
    names = ", ".join(sorted(allowed))

    def check(user: Annotated[User, Depends(current_user)]) -> User:
        if not user.has_any_role(allowed):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"needs one of the roles: {names}")
        return user

    return check


AnyUser = Annotated[User, Depends(current_user)]
TravelReader = Annotated[User, Depends(require_roles(TRAVEL_READERS))]
MessageReader = Annotated[User, Depends(require_roles(MESSAGE_READERS))]
RawReader = Annotated[User, Depends(require_roles(RAW_READERS))]
WatchlistReader = Annotated[User, Depends(require_roles(WATCHLIST_READERS))]
RuleReader = Annotated[User, Depends(require_roles(RULE_READERS))]
RuleManager = Annotated[User, Depends(require_roles(RULE_MANAGERS))]
