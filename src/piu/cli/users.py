"""``piu users``: accounts, roles, passwords and API tokens, from the server's shell.

Secrets (generated passwords, tokens) are printed once, alone on stdout, so a script can
capture them (``TOKEN=$(piu users token etl --name loader)``); the reminder that they are
shown once goes to stderr. A password can instead be read from stdin
(``--password-stdin``) so it never appears in the shell history or the process list.
Unknown names, unknown roles and refused passwords exit with code 2 and say what to fix.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Engine

from piu.accounts import (
    AccountError,
    change_roles,
    create_token,
    create_user,
    generate_password,
    get_user,
    list_tokens,
    list_users,
    parse_roles,
    revoke_token,
    set_active,
    set_password,
    totp,
)
from piu.accounts.roles import Role
from piu.accounts.users import User
from piu.cli._common import EXIT_USAGE, err, guarded, open_engine

__all__ = ["account_errors", "register", "show_secret", "users_app"]

P = ParamSpec("P")
R = TypeVar("R")

users_app = typer.Typer(help="Manage users: roles, passwords, API tokens.", no_args_is_help=True)
out = Console(highlight=False)

_ROLE_HELP = "Role: " + ", ".join(f"{r.value} ({r.description})" for r in Role) + "."


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


def account_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """An account request the person can fix (unknown name, weak password) exits 2."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except AccountError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper


def show_secret(secret: str, what: str) -> None:
    """The secret alone on stdout; the reminder on stderr."""
    typer.echo(secret)
    err.print(f"{what} (shown once: only its hash is stored)", highlight=False)


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "-"


def _state(user: User) -> str:
    if not user.active:
        return "disabled"
    if user.locked_at(datetime.now(UTC)):
        return f"locked until {_when(user.locked_until)}"
    return "active"


def _roles(user: User) -> str:
    return ", ".join(sorted(user.roles)) or "-"


@users_app.command("add")
@guarded
@account_errors
def add(
    name: Annotated[str, typer.Argument(help="User name (2-64 of a-z 0-9 . _ -).")],
    role: Annotated[list[str], typer.Option("--role", "-r", help=_ROLE_HELP)],
    display_name: str | None = typer.Option(None, "--display-name", help="Full name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from stdin instead of generating it."
    ),
) -> None:
    """Create a user. Without --password-stdin a password is generated and printed once."""
    roles = parse_roles(role)
    engine = open_engine()
    if password_stdin:
        user = create_user(
            engine, name, roles=roles, password=_read_password(), display_name=display_name
        )
        err.print(f"user {user.username} created ({_roles(user)})", highlight=False)
        return
    password = generate_password()
    user = create_user(
        engine,
        name,
        roles=roles,
        password=password,
        display_name=display_name,
        must_change_password=True,
    )
    show_secret(password, f"password of {user.username} ({_roles(user)}); change it at first login")


@users_app.command("list")
@guarded
def list_() -> None:
    """List users with their roles and state."""
    table = Table("user", "name", "roles", "state", "password", "created")
    for user in list_users(open_engine()):
        table.add_row(
            user.username,
            user.display_name or "",
            _roles(user),
            _state(user),
            ("must change" if user.must_change_password else "set") if user.has_password else "-",
            _when(user.created_at),
        )
    out.print(table)


@users_app.command("show")
@guarded
@account_errors
def show(name: str = typer.Argument(..., help="User name.")) -> None:
    """Show one user, with their API tokens."""
    engine = open_engine()
    user = get_user(engine, name)
    table = Table(show_header=False, box=None)
    for label, value in (
        ("user", user.username),
        ("name", user.display_name or "-"),
        ("roles", _roles(user)),
        ("state", _state(user)),
        ("password", "set" if user.has_password else "none (tokens only)"),
        ("must change password", "yes" if user.must_change_password else "no"),
        ("second factor", "TOTP" if user.totp_enabled else "none"),
        ("failed logins", str(user.failed_logins)),
        ("created", _when(user.created_at)),
        ("updated", _when(user.updated_at)),
    ):
        table.add_row(label, escape(value))
    out.print(table)
    _print_tokens(engine, user.username)


@users_app.command("passwd")
@guarded
@account_errors
def passwd(
    name: str = typer.Argument(..., help="User name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from stdin instead of generating it."
    ),
) -> None:
    """Set a new password (and lift a lockout). Without --password-stdin one is generated."""
    engine = open_engine()
    if password_stdin:
        user = set_password(engine, name, _read_password())
        err.print(f"password of {user.username} set", highlight=False)
        return
    user = get_user(engine, name)
    password = generate_password()
    set_password(engine, user.username, password, must_change=True)
    show_secret(password, f"new password of {user.username}; change it at first login")


@users_app.command("roles")
@guarded
@account_errors
def roles(
    name: str = typer.Argument(..., help="User name."),
    add: Annotated[
        list[str] | None, typer.Option("--add", "-a", help="Role to give. " + _ROLE_HELP)
    ] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", "-d", help="Role to take away.")
    ] = None,
) -> None:
    """Add and remove roles; without options, show the current ones."""
    engine = open_engine()
    if add or remove:
        user = change_roles(
            engine, name, add=parse_roles(add or []), remove=parse_roles(remove or [])
        )
    else:
        user = get_user(engine, name)
    typer.echo(f"{user.username}: {_roles(user)}")


def _set_active(name: str, active: bool) -> None:
    user = set_active(open_engine(), name, active)
    typer.echo(f"{user.username}: {'enabled' if user.active else 'disabled'}")


@users_app.command("disable")
@guarded
@account_errors
def disable(name: str = typer.Argument(..., help="User name.")) -> None:
    """Disable a user: their password and tokens stop working at once."""
    _set_active(name, False)


@users_app.command("enable")
@guarded
@account_errors
def enable(name: str = typer.Argument(..., help="User name.")) -> None:
    """Enable a disabled user again."""
    _set_active(name, True)


@users_app.command("reset-totp")
@guarded
@account_errors
def reset_totp(name: str = typer.Argument(..., help="User name.")) -> None:
    """Remove a user's second factor (a lost phone); their open sessions end.

    They sign in with the password alone and may enrol again at /account/totp.

    Also the way out when secret_key was replaced and their sealed secret no longer opens.
    """
    user = totp.reset(open_engine(), name)
    typer.echo(f"{user.username}: second factor removed")


@users_app.command("token")
@guarded
@account_errors
def token(
    name: str = typer.Argument(..., help="User name the token acts as."),
    label: str = typer.Option(..., "--name", "-n", help="What will use it, e.g. 'etl-loader'."),
    expires_days: int | None = typer.Option(
        None, "--expires-days", min=1, max=3650, help="Lifetime in days (default: no expiry)."
    ),
) -> None:
    """Create an API token and print it once."""
    lifetime = timedelta(days=expires_days) if expires_days else None
    new = create_token(open_engine(), name, label, expires_in=lifetime)
    expiry = f"expires {_when(new.expires_at)}" if new.expires_at else "no expiry"
    show_secret(new.token, f"API token {new.id} '{new.name}' of {new.username}, {expiry}")


def _print_tokens(engine: Engine, name: str) -> None:
    tokens = list_tokens(engine, name)
    if not tokens:
        out.print("no API tokens")
        return
    table = Table("id", "name", "state", "created", "expires", "last used")
    now = datetime.now(UTC)
    for info in tokens:
        table.add_row(
            str(info.id),
            escape(info.name),
            info.state(now),
            _when(info.created_at),
            _when(info.expires_at),
            _when(info.last_used_at),
        )
    out.print(table)


@users_app.command("tokens")
@guarded
@account_errors
def tokens(name: str = typer.Argument(..., help="User name.")) -> None:
    """List a user's API tokens (the secrets themselves cannot be shown again)."""
    _print_tokens(open_engine(), name)


@users_app.command("revoke-token")
@guarded
@account_errors
def revoke_token_cmd(token_id: int = typer.Argument(..., help="Token id (see 'tokens').")) -> None:
    """Revoke an API token for good."""
    info = revoke_token(open_engine(), token_id)
    typer.echo(
        f"token {info.id} '{info.name}' of {info.username}: revoked {_when(info.revoked_at)}"
    )
