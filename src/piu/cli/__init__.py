"""The ``piu`` command: one entry point, one subcommand group per area."""

from __future__ import annotations

import typer

from piu import __version__

app = typer.Typer(
    name="piu",
    help="PIU: receive, keep and screen airline passenger data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    """Attach subcommand modules (each exposes ``register(app)``) that exist."""
    import importlib

    for name in (
        "serve",
        "ingest",
        "messages",
        "watchlist",
        "users",
        "carriers",
        "db",
        "synth",
        "demo",
        "rules",
        "audit",
        "review",
        "cases",
    ):
        try:
            module = importlib.import_module(f"piu.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"piu.cli.{name}":
                raise
            continue
        module.register(app)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(f"piu {__version__}")
        raise typer.Exit(0)


_register()


def main() -> None:
    app()


__all__ = ["app", "main"]
