"""Carriers allowed to push messages, and the check of their push credentials.

A carrier authenticates with its designator (``KC``) and a secret token. Tokens come from
two places, both holding only SHA-256 digests: the ``carriers`` table, managed with
``piu carriers add|rotate|revoke``, and ``[carriers.XX]`` in the config file, for
deployments that keep credentials in configuration management. A push is accepted when
either place knows the code and the token matches; revoking in the database does not
override the config file (remove the entry there).

Every comparison goes through :func:`hmac.compare_digest`, and every candidate is compared,
so the time taken does not reveal which part of a credential was right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from piu.accounts.credentials import CARRIER_TOKEN_PREFIX, digest, digests_equal, new_secret
from piu.accounts.errors import AccountError, NameTakenError, UnknownNameError
from piu.accounts.events import EventKind, record_event
from piu.config import CarrierCredential
from piu.errors import AccessError
from piu.store import audit
from piu.store.schema import carriers

__all__ = [
    "Carrier",
    "CarrierToken",
    "add_carrier",
    "list_carriers",
    "normalize_code",
    "revoke_carrier",
    "rotate_carrier",
    "verify_carrier",
]

_CODE = re.compile(r"^[A-Z0-9]{2,3}$")


@dataclass(frozen=True, slots=True)
class Carrier:
    code: str
    name: str | None
    active: bool
    source: Literal["database", "config"]
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CarrierToken:
    """A new push token for ``code``: the secret, shown to the person exactly once."""

    code: str
    token: str


def normalize_code(code: str) -> str:
    """``kc`` -> ``KC``; anything but a 2-3 character designator is refused."""
    key = code.strip().upper()
    if not _CODE.match(key):
        raise AccountError(
            f"carrier code {code!r} is not a 2-3 character IATA/ICAO designator (e.g. KC)"
        )
    return key


def _row(conn: Connection, code: str) -> Any:
    return conn.execute(select(carriers).where(carriers.c.code == code)).first()


def _require(conn: Connection, code: str) -> Any:
    row = _row(conn, code)
    if row is None:
        known = conn.execute(select(carriers.c.code)).scalars().all()
        raise UnknownNameError("carrier", code, known)
    return row


def _audit(conn: Connection, actor: str, action: str, code: str, **detail: Any) -> None:
    """A carrier change in the audit trail (never the token), in the change's transaction."""
    audit.record(
        conn, actor=actor, action=action, subject_type="carrier", subject_id=code, detail=detail
    )


def add_carrier(
    engine: Engine, code: str, *, name: str | None = None, actor: str = "cli"
) -> CarrierToken:
    key = normalize_code(code)
    secret = new_secret(CARRIER_TOKEN_PREFIX)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(carriers).values(
                    code=key,
                    name=name,
                    token_hash=digest(secret),
                    active=True,
                    created_at=datetime.now(UTC),
                )
            )
            _audit(conn, actor, "carrier.add", key, name=name)
    except IntegrityError:
        raise NameTakenError(
            f"carrier {key!r} exists already; use 'piu carriers rotate {key}' for a new token"
        ) from None
    return CarrierToken(key, secret)


def rotate_carrier(engine: Engine, code: str, *, actor: str = "cli") -> CarrierToken:
    """Replace the token (the old one stops working at once) and re-activate the carrier."""
    key = normalize_code(code)
    secret = new_secret(CARRIER_TOKEN_PREFIX)
    with engine.begin() as conn:
        _require(conn, key)
        conn.execute(
            update(carriers)
            .where(carriers.c.code == key)
            .values(token_hash=digest(secret), active=True)
        )
        _audit(conn, actor, "carrier.rotate", key)
    return CarrierToken(key, secret)


def revoke_carrier(engine: Engine, code: str, *, actor: str = "cli") -> Carrier:
    key = normalize_code(code)
    with engine.begin() as conn:
        _require(conn, key)
        conn.execute(update(carriers).where(carriers.c.code == key).values(active=False))
        _audit(conn, actor, "carrier.revoke", key)
        row = _row(conn, key)
    return Carrier(row.code, row.name, row.active, "database", row.created_at)


def list_carriers(engine: Engine, configured: Iterable[CarrierCredential] = ()) -> list[Carrier]:
    """Database carriers and config-file carriers, sorted by code (a code may be in both)."""
    with engine.connect() as conn:
        rows = conn.execute(select(carriers).order_by(carriers.c.code)).all()
    found = [Carrier(r.code, r.name, r.active, "database", r.created_at) for r in rows]
    found += [Carrier(c.code, c.name, True, "config") for c in configured]
    return sorted(found, key=lambda c: (c.code, c.source))


def verify_carrier(
    engine: Engine,
    code: str,
    token: str,
    *,
    configured: Iterable[CarrierCredential] = (),
    remote: str | None = None,
) -> str:
    """The canonical carrier code if ``token`` is valid for ``code``; else AccessError.

    A failure is written as a ``push_auth_failed`` security event with the code as sent,
    the remote address and the reason; the token itself is never written anywhere.
    """
    key = code.strip().upper()
    presented = digest(token)
    ok = False
    known = False
    revoked = False
    if _CODE.match(key):
        with engine.connect() as conn:
            row = _row(conn, key)
        if row is not None:
            known = True
            match = digests_equal(presented, row.token_hash)
            ok |= match and row.active
            revoked |= match and not row.active
        for cred in configured:
            if cred.code == key:
                known = True
                ok |= digests_equal(presented, cred.token_sha256)
    if ok:
        return key
    reason = "unknown carrier" if not known else "carrier revoked" if revoked else "wrong token"
    record_event(engine, EventKind.PUSH_AUTH_FAILED, subject=code, remote=remote, detail=reason)
    # The reason stays in the event: the caller learns nothing about which codes exist.
    raise AccessError("carrier credentials refused")
