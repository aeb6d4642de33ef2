"""What every subcommand shares: settings, the store, and errors turned into exit codes.

Exit codes (click's convention): 0 success, 1 the work ran but some input failed,
2 bad usage or bad configuration, 3 the database or another service is unavailable.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy import Engine

from piu.config import Settings, load_settings
from piu.errors import ConfigError, PiuError, StoreError

if TYPE_CHECKING:
    from piu.accounts.roles import Role

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_UNAVAILABLE",
    "EXIT_UNFINISHED",
    "EXIT_USAGE",
    "acting_user",
    "err",
    "guarded",
    "open_engine",
    "pretty_json",
    "settings",
    "when",
]

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3
EXIT_UNFINISHED = 4  # the command's change is made; work it owes failed and stays due

err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def settings() -> Settings:
    return load_settings()


def open_engine(cfg: Settings | None = None) -> Engine:
    from piu.store.engine import open_store

    cfg = cfg or settings()
    return open_store(cfg.effective_database_url)


def guarded(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn PIU errors into one readable line on stderr and the matching exit code."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ConfigError as exc:
            err.print(f"[red]configuration error:[/red] {exc}", highlight=False)
            raise typer.Exit(EXIT_USAGE) from None
        except StoreError as exc:
            err.print(f"[red]database unavailable:[/red] {exc}", highlight=False)
            raise typer.Exit(EXIT_UNAVAILABLE) from None
        except PiuError as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            sys.exit(130)

    return wrapper


def acting_user(engine: Engine, username: str, roles: Iterable[Role], refusal: str) -> str:
    """The name of the person a command acts as (``--as``): an active user holding one of
    ``roles``; otherwise ``refusal`` on stderr and exit 2 (an unknown name is an error)."""
    from piu.accounts.users import get_user

    user = get_user(engine, username)
    if not user.active or not user.has_any_role(roles):
        err.print(refusal)
        raise typer.Exit(EXIT_USAGE)
    return user.username


def pretty_json(value: Any) -> str:
    """``value`` as indented JSON for a person to read (dates and the like as strings)."""
    return json.dumps(value, indent=2, default=str, ensure_ascii=False)


def when(value: datetime | None) -> str:
    """An instant to the minute for a table (``2026-11-29 20:00Z``), or ``-``."""
    return value.strftime("%Y-%m-%d %H:%MZ") if value else "-"
