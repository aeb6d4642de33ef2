"""``piu db``: schema migrations by hand (``piu serve`` also upgrades on start)."""

from __future__ import annotations

import typer

from piu.cli._common import guarded, settings


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Database schema.", no_args_is_help=True)
    app.add_typer(group, name="db")

    @group.command("upgrade")
    @guarded
    def upgrade() -> None:
        """Create or migrate the schema to the latest revision."""
        from piu.store.engine import open_store

        cfg = settings()
        open_store(cfg.effective_database_url)
        typer.echo(f"database at {cfg.effective_database_url} is up to date")
