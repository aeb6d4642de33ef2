"""``piu messages``: look at kept messages and run them again after a fix."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy import select

from piu.cli._common import EXIT_BAD_INPUT, EXIT_USAGE, err, guarded, open_engine, settings
from piu.store.schema import messages, receipts

STATUSES = ("received", "stored", "rejected")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Kept messages: list, show, reprocess.", no_args_is_help=True)
    app.add_typer(group, name="messages")

    @group.command("list")
    @guarded
    def list_(
        status: str | None = typer.Option(None, help="received, stored or rejected"),
        limit: int = typer.Option(50, min=1, max=10000),
    ) -> None:
        """Recent messages, newest first."""
        if status is not None and status not in STATUSES:
            err.print(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
            raise typer.Exit(EXIT_USAGE)
        engine = open_engine()
        query = (
            select(
                messages.c.id,
                messages.c.received_at,
                messages.c.sender,
                messages.c.channel,
                messages.c.msg_type,
                messages.c.status,
                messages.c.traveller_count,
                messages.c.error,
            )
            .order_by(messages.c.id.desc())
            .limit(limit)
        )
        if status:
            query = query.where(messages.c.status == status)
        table = Table("id", "received (UTC)", "sender", "via", "type", "status", "trav.", "error")
        with engine.connect() as conn:
            for r in conn.execute(query):
                table.add_row(
                    str(r.id),
                    r.received_at.strftime("%Y-%m-%d %H:%M:%S"),
                    r.sender,
                    r.channel,
                    r.msg_type,
                    r.status,
                    str(r.traveller_count),
                    (r.error or {}).get("message", "") if r.error else "",
                )
        Console().print(table)

    @group.command("show")
    @guarded
    def show(message_id: int) -> None:
        """One message: status, error with its position, warnings and every delivery."""
        engine = open_engine()
        with engine.connect() as conn:
            row = (
                conn.execute(select(messages).where(messages.c.id == message_id)).mappings().first()
            )
            if row is None:
                err.print(f"no message {message_id}")
                raise typer.Exit(EXIT_BAD_INPUT)
            deliveries = (
                conn.execute(
                    select(receipts)
                    .where(receipts.c.message_id == message_id)
                    .order_by(receipts.c.id)
                )
                .mappings()
                .all()
            )
        out = {k: v for k, v in row.items() if k != "raw"}
        out["received_at"] = row["received_at"].isoformat()
        out["processed_at"] = row["processed_at"].isoformat() if row["processed_at"] else None
        out["receipts"] = [{**d, "received_at": d["received_at"].isoformat()} for d in deliveries]
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False, default=str))

    @group.command("reprocess")
    @guarded
    def reprocess_(
        ids: list[int] = typer.Argument(None, help="Message ids (default: every rejected one)."),
        all_: bool = typer.Option(False, "--all", help="Every kept message, stored ones too."),
    ) -> None:
        """Parse and store kept messages again, e.g. after a parser fix."""
        from piu.ingest import reprocess
        from piu.ingest.pipeline import pending_count

        engine = open_engine()
        statuses = None if all_ or ids else ("rejected", "received")
        total = len(ids) if ids else pending_count(engine, statuses or STATUSES)
        counts = {"stored": 0, "rejected": 0, "duplicate": 0}
        with Progress(
            TextColumn("reprocessing"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress:
            task = progress.add_task("reprocess", total=total)
            rules = settings().sensitive_rules()
            for result in reprocess(engine, ids=ids or None, statuses=statuses, rules=rules):
                counts[result.status] += 1
                progress.advance(task)
        err.print(f"{counts['stored']} stored, {counts['rejected']} still rejected")
        if counts["rejected"]:
            raise typer.Exit(EXIT_BAD_INPUT)
