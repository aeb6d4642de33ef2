"""``piu rules``: the targeting-rule language from the command line.

``check`` parses, type-checks and applies the non-discrimination check to one expression:
exit 0 and the canonical form when it is accepted, exit 2 with the reason, its column and a
caret line under the expression when it is refused. ``attributes`` lists the catalogue.
"""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from piu.cli._common import EXIT_USAGE
from piu.targeting import CATALOGUE, RuleError, compile_rule, describe_catalogue

__all__ = ["register", "rules_app"]

rules_app = typer.Typer(
    help="Targeting rules: check, draft, review, activate, retire, test.", no_args_is_help=True
)
out = Console(highlight=False)


def register(app: typer.Typer) -> None:
    from piu.cli.rule_lifecycle import add_commands

    add_commands(rules_app)
    app.add_typer(rules_app, name="rules")


@rules_app.command("check")
def check_(
    expression: str = typer.Argument(
        ..., help="The rule, e.g. \"flight.origin = 'IST' and booking.paid_cash\"."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Check a rule expression; print its canonical form, or the error and its column."""
    try:
        rule = compile_rule(expression)
    except RuleError as exc:
        if as_json:
            typer.echo(json.dumps({"valid": False, "error": exc.as_dict()}))
        else:
            typer.echo(f"refused: {exc.describe()}", err=True)
            typer.echo(exc.caret(expression), err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        typer.echo(
            json.dumps(
                {"valid": True, "canonical": rule.canonical, "attributes": list(rule.attributes)}
            )
        )
        return
    typer.echo(rule.canonical)
    for name in rule.attributes:
        attr = CATALOGUE[name]
        flag = ", protected" if attr.protected else ""
        typer.echo(f"  {name}: {attr.type.value}{flag}", err=True)


@rules_app.command("attributes")
def attributes(
    as_json: bool = typer.Option(False, "--json", help="Print the catalogue as JSON."),
) -> None:
    """List the attributes rules may test, with their types."""
    if as_json:
        typer.echo(json.dumps(describe_catalogue(), indent=2))
        return
    table = Table("attribute", "type", "protected", "source", "description")
    for a in CATALOGUE.values():
        table.add_row(
            a.name, a.type.value, "yes" if a.protected else "", a.source, escape(a.description)
        )
    out.print(table)
