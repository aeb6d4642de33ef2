"""People (and programs) who use PIU: accounts, roles, passwords, and password login.

User names are case-insensitive: they are stored lower-case, so ``Aigul`` and ``aigul``
cannot be two accounts. A user may have no password at all (a program that only uses API
tokens). Two guards protect the deployment from its own administrators: the last active
admin can be neither disabled nor stripped of the admin role.

Password login (:func:`authenticate_password`) locks an account for
:data:`LOCKOUT_PERIOD` after :data:`MAX_FAILED_LOGINS` failures in a row, and writes a
security event for every failure and every lockout. The argon2 check runs outside any
transaction, so a slow hash never holds a database lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from piu.accounts import passwords
from piu.accounts.errors import AccountError, NameTakenError, UnknownNameError
from piu.accounts.events import EventKind, record_event
from piu.accounts.roles import Role
from piu.accounts.ui_sessions import end_user_sessions
from piu.errors import AccessError
from piu.store import audit
from piu.store.schema import user_roles, users

__all__ = [
    "LOCKOUT_PERIOD",
    "MAX_FAILED_LOGINS",
    "User",
    "authenticate_password",
    "change_roles",
    "count_failed_login",
    "create_user",
    "get_user",
    "list_users",
    "normalize_username",
    "set_active",
    "set_password",
    "set_roles",
]

MAX_FAILED_LOGINS = 5
LOCKOUT_PERIOD = timedelta(minutes=15)
LOGIN_REFUSED = "wrong user name or password"

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_ROLE_VALUES = frozenset(r.value for r in Role)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str | None
    roles: frozenset[Role]
    active: bool
    must_change_password: bool
    has_password: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    updated_at: datetime
    totp_enabled: bool = False  # a second factor (piu.accounts.totp) is required at login

    def has_any_role(self, roles: Iterable[Role]) -> bool:
        return not self.roles.isdisjoint(roles)

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def _now() -> datetime:
    return datetime.now(UTC)


def normalize_username(name: str) -> str:
    """Lower-case and check a new user name (2-64 of ``a-z 0-9 . _ -``)."""
    key = name.strip().lower()
    if not _USERNAME.match(key):
        raise AccountError(
            f"user name {name!r} is not allowed: use 2-64 characters from a-z, 0-9, '.', '_' "
            "and '-', starting with a letter or digit"
        )
    return key


def _roles_of(conn: Connection, user_ids: list[int]) -> dict[int, frozenset[Role]]:
    found: dict[int, set[Role]] = {uid: set() for uid in user_ids}
    if user_ids:
        rows = conn.execute(
            select(user_roles.c.user_id, user_roles.c.role).where(
                user_roles.c.user_id.in_(user_ids)
            )
        )
        for uid, role in rows:
            if role in _ROLE_VALUES:  # a role dropped from the code is ignored, not fatal
                found[uid].add(Role(role))
    return {uid: frozenset(roles) for uid, roles in found.items()}


def _build(row: Any, roles: frozenset[Role]) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles=roles,
        active=row.active,
        must_change_password=row.must_change_password,
        has_password=row.password_hash is not None,
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
        created_at=row.created_at,
        updated_at=row.updated_at,
        totp_enabled=row.totp_secret is not None,
    )


def _select_users(conn: Connection, *where: Any) -> list[User]:
    rows = conn.execute(select(users).where(*where).order_by(users.c.username)).all()
    roles = _roles_of(conn, [r.id for r in rows])
    return [_build(r, roles[r.id]) for r in rows]


def user_by_id(conn: Connection, user_id: int) -> User | None:
    """For other account modules (token checks): the user with this id, or None."""
    found = _select_users(conn, users.c.id == user_id)
    return found[0] if found else None


def require_user(conn: Connection, username: str) -> User:
    """For other account modules: the user called ``username`` or UnknownNameError."""
    key = username.strip().lower()
    found = _select_users(conn, users.c.username == key)
    if not found:
        known = conn.execute(select(users.c.username)).scalars().all()
        raise UnknownNameError("user", username, known)
    return found[0]


def _active_admins(conn: Connection) -> int:
    query = (
        select(func.count())
        .select_from(users.join(user_roles, user_roles.c.user_id == users.c.id))
        .where(and_(users.c.active.is_(True), user_roles.c.role == Role.ADMIN.value))
    )
    return int(conn.execute(query).scalar_one())


def _guard_last_admin(conn: Connection, before: User) -> None:
    """Call after a change inside its transaction: refuse to leave no active admin."""
    if before.active and Role.ADMIN in before.roles and _active_admins(conn) == 0:
        raise AccountError(
            f"{before.username!r} is the last active admin; give another user the admin role first"
        )


def create_user(
    engine: Engine,
    username: str,
    *,
    roles: Iterable[Role] = (),
    password: str | None = None,
    display_name: str | None = None,
    must_change_password: bool = False,
    actor: str = "cli",
) -> User:
    """Create an account; ``password`` None means API tokens only (no password login).

    ``actor`` (the acting user's name, or ``cli``) is written to the audit trail, as in
    every function here that changes an account.
    """
    key = normalize_username(username)
    password_hash = None
    if password is not None:
        passwords.check_policy(password, username=key)
        password_hash = passwords.hash_password(password)
    now = _now()
    try:
        with engine.begin() as conn:
            user_id = conn.execute(
                insert(users)
                .values(
                    username=key,
                    display_name=display_name,
                    password_hash=password_hash,
                    active=True,
                    must_change_password=must_change_password and password is not None,
                    failed_logins=0,
                    created_at=now,
                    updated_at=now,
                )
                .returning(users.c.id)
            ).scalar_one()
            for role in sorted(set(roles)):
                conn.execute(insert(user_roles).values(user_id=user_id, role=role.value))
            _audit(
                conn,
                actor,
                "user.create",
                key,
                {"roles": sorted(r.value for r in set(roles)), "password": password is not None},
            )
            return require_user(conn, key)
    except IntegrityError:
        raise NameTakenError(f"user {key!r} exists already") from None


def get_user(engine: Engine, username: str) -> User:
    with engine.connect() as conn:
        return require_user(conn, username)


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        return _select_users(conn)


def set_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    must_change: bool = False,
    actor: str = "cli",
) -> User:
    """Set a new password (policy checked); also lifts a lockout, as an admin reset should.

    Every open UI session of the user ends (``password``): whoever knew the old password
    must not stay signed in. The web page that changes one's own password opens a fresh
    session for the person who did it.
    """
    with engine.connect() as conn:
        key = require_user(conn, username).username
    passwords.check_policy(password, username=key)
    password_hash = passwords.hash_password(password)
    with engine.begin() as conn:
        conn.execute(
            update(users)
            .where(users.c.username == key)
            .values(
                password_hash=password_hash,
                must_change_password=must_change,
                failed_logins=0,
                locked_until=None,
                updated_at=_now(),
            )
        )
        user = require_user(conn, key)
        ended = end_user_sessions(conn, user.id, "password")
        _audit(conn, actor, "user.password", key, {"must_change": must_change, "sessions": ended})
        return user


def _audit(
    conn: Connection, actor: str, action: str, username: str, detail: dict[str, Any]
) -> None:
    """An account change in the audit trail, in the change's own transaction."""
    audit.record(
        conn, actor=actor, action=action, subject_type="user", subject_id=username, detail=detail
    )


def _replace_roles(conn: Connection, before: User, wanted: set[Role], actor: str) -> User:
    conn.execute(delete(user_roles).where(user_roles.c.user_id == before.id))
    for role in sorted(wanted):
        conn.execute(insert(user_roles).values(user_id=before.id, role=role.value))
    conn.execute(update(users).where(users.c.id == before.id).values(updated_at=_now()))
    _guard_last_admin(conn, before)
    _audit(
        conn,
        actor,
        "user.roles",
        before.username,
        {"before": sorted(r.value for r in before.roles), "after": sorted(r.value for r in wanted)},
    )
    return require_user(conn, before.username)


def set_roles(engine: Engine, username: str, roles: Iterable[Role], *, actor: str = "cli") -> User:
    """Replace the user's roles with exactly ``roles``."""
    with engine.begin() as conn:
        return _replace_roles(conn, require_user(conn, username), set(roles), actor)


def change_roles(
    engine: Engine,
    username: str,
    *,
    add: Iterable[Role] = (),
    remove: Iterable[Role] = (),
    actor: str = "cli",
) -> User:
    """Add and remove roles in one step; a role both added and removed is an error."""
    add, remove = set(add), set(remove)
    if add & remove:
        both = ", ".join(sorted(add & remove))
        raise AccountError(f"role {both} is both added and removed; pick one")
    with engine.begin() as conn:
        before = require_user(conn, username)
        return _replace_roles(conn, before, (set(before.roles) | add) - remove, actor)


def set_active(engine: Engine, username: str, active: bool, *, actor: str = "cli") -> User:
    """Enable or disable an account. A disabled user's tokens, password and sessions stop."""
    with engine.begin() as conn:
        before = require_user(conn, username)
        conn.execute(
            update(users).where(users.c.id == before.id).values(active=active, updated_at=_now())
        )
        _guard_last_admin(conn, before)
        detail: dict[str, Any] = {}
        if not active:
            detail["sessions"] = end_user_sessions(conn, before.id, "revoked")
        _audit(conn, actor, "user.enable" if active else "user.disable", before.username, detail)
        return require_user(conn, before.username)


def authenticate_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    remote: str | None = None,
    now: datetime | None = None,
) -> User:
    """Return the user if ``password`` is right and the account usable; else AccessError.

    The error says only "wrong user name or password" unless the account is locked (the
    person needs to know to wait). Every refusal is a ``login_failed`` security event with
    the real reason; the fifth failure in a row locks the account and resets the counter,
    so after :data:`LOCKOUT_PERIOD` there are five more tries.

    For a user with a second factor the right password does not reset the failure count:
    only a right code does (:func:`piu.accounts.totp.verify_login_code`), so someone who
    knows the password cannot guess codes forever by signing in again between guesses.
    """
    now = now or _now()
    key = username.strip().lower()
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == key)).first()

    def refuse(reason: str, message: str = LOGIN_REFUSED) -> AccessError:
        record_event(
            engine, EventKind.LOGIN_FAILED, subject=key, remote=remote, detail=reason, now=now
        )
        return AccessError(message)

    if row is None:
        passwords.verify_password(None, password)  # same cost as a real check
        raise refuse("unknown user")
    if row.locked_until is not None and row.locked_until > now:
        raise refuse(
            "account locked",
            f"account locked after {MAX_FAILED_LOGINS} failed logins; try again after "
            f"{row.locked_until:%H:%M} UTC",
        )
    right = passwords.verify_password(row.password_hash, password)
    if right and not row.active:
        raise refuse("account disabled")
    if not right:
        count_failed_login(engine, row.id, key, remote, now)
        raise refuse("wrong password" if row.password_hash else "no password set")

    changes: dict[str, Any] = {}
    if (row.failed_logins or row.locked_until is not None) and row.totp_secret is None:
        changes.update(failed_logins=0, locked_until=None)
    if passwords.needs_rehash(row.password_hash):
        changes["password_hash"] = passwords.hash_password(password)
    with engine.begin() as conn:
        if changes:
            conn.execute(update(users).where(users.c.id == row.id).values(**changes))
        user = user_by_id(conn, row.id)
    if user is None:  # deleted between the two reads
        raise AccessError(LOGIN_REFUSED)
    return user


def count_failed_login(
    engine: Engine, user_id: int, username: str, remote: str | None, now: datetime
) -> None:
    """One more failed login (a password or a second-factor code); locks at the limit."""
    with engine.begin() as conn:
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(failed_logins=users.c.failed_logins + 1)
        )
        failures = conn.execute(
            select(users.c.failed_logins).where(users.c.id == user_id)
        ).scalar_one()
        if failures >= MAX_FAILED_LOGINS:
            until = now + LOCKOUT_PERIOD
            conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(failed_logins=0, locked_until=until)
            )
            record_event(
                conn,
                EventKind.ACCOUNT_LOCKED,
                subject=username,
                remote=remote,
                detail=f"{failures} failed logins in a row; locked until {until.isoformat()}",
                now=now,
            )
