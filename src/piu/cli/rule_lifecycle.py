"""``piu rules list|show|draft|submit|approve|reject|activate|retire|test``.

The lifecycle commands act as a named user (``--as``), who must exist and hold the rule
manager role: the four-eyes check compares people, so the CLI cannot be anonymous.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, date, datetime

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from piu.cli._common import EXIT_USAGE, acting_user, err, guarded, open_engine

__all__ = ["add_commands"]

out = Console(highlight=False, soft_wrap=True)


def _rule_manager(engine: Engine, username: str) -> str:
    from piu.accounts import Role

    refusal = f"{username} is not an active rule manager"
    return acting_user(engine, username, (Role.RULE_MANAGER,), refusal)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"{option}: {value!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(EXIT_USAGE) from None


def add_commands(group: typer.Typer) -> None:
    @group.command("list")
    @guarded
    def list_() -> None:
        """Every rule's latest version, its state and live figures."""
        from piu.store import rules as lifecycle

        engine = open_engine()
        table = Table(
            "rule",
            "v",
            "status",
            "severity",
            "hits",
            "confirmed",
            "dismissed",
            "precision",
            "expression",
        )
        with engine.connect() as conn:
            for v in lifecycle.list_rules(conn):
                f = lifecycle.rule_figures(conn, v.name)
                table.add_row(
                    v.name,
                    str(v.version),
                    v.status,
                    v.severity,
                    str(f["hits"]),
                    str(f["confirmed"]),
                    str(f["dismissed"]),
                    "-" if f["precision"] is None else f"{f['precision']:.2f}",
                    v.expression,
                )
        out.print(table)

    @group.command("show")
    @guarded
    def show(name: str) -> None:
        """A rule's versions, lifecycle events and figures, as JSON."""
        from piu.store import rules as lifecycle

        engine = open_engine()
        with engine.connect() as conn:
            versions, events = lifecycle.get_rule(conn, name)
            figures = lifecycle.rule_figures(conn, name)
        typer.echo(
            json.dumps(
                {"versions": [asdict(v) for v in versions], "events": events, "figures": figures},
                indent=2,
                default=str,
                ensure_ascii=False,
            )
        )

    @group.command("draft")
    @guarded
    def draft(
        name: str,
        expression: str,
        justification: str = typer.Option(..., help="Why these criteria (required)."),
        category: str = typer.Option(..., help="e.g. terrorism, trafficking, smuggling"),
        severity: str = typer.Option("medium", help="low, medium, high or critical"),
        valid_from: str | None = typer.Option(None, help="YYYY-MM-DD"),
        valid_to: str | None = typer.Option(None, help="YYYY-MM-DD"),
        as_user: str = typer.Option(..., "--as", help="The rule manager writing it."),
    ) -> None:
        """Write a new draft version of rule NAME (the first creates the rule)."""
        from piu.store import rules as lifecycle

        engine = open_engine()
        author = _rule_manager(engine, as_user)
        with engine.begin() as conn:
            v = lifecycle.draft(
                conn,
                name=name,
                expression=expression,
                justification=justification,
                category=category,
                severity=severity,
                author=author,
                now=datetime.now(UTC),
                valid_from=_date(valid_from, "--valid-from"),
                valid_to=_date(valid_to, "--valid-to"),
            )
        out.print(f"{v.name} v{v.version}: draft")

    def _stepper(action: str) -> None:
        @group.command(action)
        @guarded
        def step(
            name: str,
            version: int | None = typer.Option(None, help="Default: the latest version."),
            as_user: str = typer.Option(..., "--as", help="The rule manager acting."),
            note: str | None = typer.Option(None, help="Why (required to reject)."),
        ) -> None:
            from piu.store import rules as lifecycle

            engine = open_engine()
            by = _rule_manager(engine, as_user)
            now = datetime.now(UTC)
            with engine.begin() as conn:
                if action == "reject":
                    if not note:
                        err.print("a rejection needs --note saying why")
                        raise typer.Exit(EXIT_USAGE)
                    v = lifecycle.reject(conn, name, version, by=by, now=now, note=note)
                else:
                    v = getattr(lifecycle, action)(conn, name, version, by=by, now=now)
            out.print(f"{v.name} v{v.version}: {v.status}")

        step.__doc__ = f"{action.capitalize()} a version of a rule (recorded with who and when)."

    for action in ("submit", "approve", "reject", "activate", "retire"):
        _stepper(action)

    @group.command("test")
    @guarded
    def test(
        expression: str,
        start: str = typer.Option(..., help="First departure date (YYYY-MM-DD)."),
        end: str = typer.Option(..., help="Last departure date (YYYY-MM-DD)."),
        sample: int = typer.Option(5, min=0, max=100),
    ) -> None:
        """How many stored travellers of a period the rule would have hit (nothing is written)."""
        from piu.ingest.targeting import try_rule

        first, last = _date(start, "--start"), _date(end, "--end")
        assert first is not None and last is not None
        result = try_rule(open_engine(), expression, start=first, end=last, sample=sample)
        out.print(f"{result.matched} of {result.travellers} travellers would have been hit")
        for s in result.sample:
            out.print(f"  {s['name']}  {s['flight']} {s['date']}")
