"""``piu carriers``: which airlines may push, and their push tokens.

Tokens are printed once, alone on stdout (see :mod:`piu.cli.users`). Carriers declared in
the config file are listed too, marked ``config``; they are managed there, not here.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from piu.accounts import add_carrier, list_carriers, revoke_carrier, rotate_carrier
from piu.cli._common import err, guarded, open_engine, settings
from piu.cli.users import account_errors, show_secret

__all__ = ["carriers_app", "register"]

carriers_app = typer.Typer(help="Manage carriers allowed to push.", no_args_is_help=True)
out = Console(highlight=False)

_CODE_HELP = "IATA or ICAO designator, e.g. KC."


def register(app: typer.Typer) -> None:
    app.add_typer(carriers_app, name="carriers")


@carriers_app.command("add")
@guarded
@account_errors
def add(
    code: str = typer.Argument(..., help=_CODE_HELP),
    name: str | None = typer.Option(None, "--name", help="Airline name, e.g. 'Air Astana'."),
) -> None:
    """Allow a carrier to push and print its token once."""
    new = add_carrier(open_engine(), code, name=name)
    show_secret(new.token, f"push token of {new.code}")


@carriers_app.command("list")
@guarded
def list_() -> None:
    """List carriers from the database and from the config file."""
    cfg = settings()
    table = Table("code", "name", "state", "source", "since")
    for carrier in list_carriers(open_engine(cfg), cfg.carriers):
        table.add_row(
            carrier.code,
            escape(carrier.name or ""),
            "active" if carrier.active else "revoked",
            carrier.source,
            f"{carrier.created_at:%Y-%m-%d}" if carrier.created_at else "-",
        )
    out.print(table)


@carriers_app.command("rotate")
@guarded
@account_errors
def rotate(code: str = typer.Argument(..., help=_CODE_HELP)) -> None:
    """Replace a carrier's token (the old one stops working at once) and print it once."""
    new = rotate_carrier(open_engine(), code)
    show_secret(new.token, f"new push token of {new.code}; the old one no longer works")


@carriers_app.command("revoke")
@guarded
@account_errors
def revoke(code: str = typer.Argument(..., help=_CODE_HELP)) -> None:
    """Stop a carrier's pushes ('rotate' issues a new token and allows it again)."""
    cfg = settings()
    carrier = revoke_carrier(open_engine(cfg), code)
    typer.echo(f"{carrier.code}: revoked")
    if any(c.code == carrier.code for c in cfg.carriers):
        err.print(
            f"[yellow]warning:[/yellow] {carrier.code} is also in the config file "
            f"({escape(cfg.source)}): remove it there to stop its pushes",
            highlight=False,
        )
