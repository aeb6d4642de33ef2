"""``piu audit``: check, search and export the tamper-evident audit trail.

``piu audit verify`` walks the hash chain: exit 0 with "N entries, chain intact", or exit 1
naming the first entry that does not fit and why (changed, or something deleted, inserted
or reordered before it).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import IO

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from piu.cli._common import EXIT_BAD_INPUT, EXIT_USAGE, err, guarded, open_engine

__all__ = ["audit_app", "register"]

audit_app = typer.Typer(
    help="The audit trail: verify the hash chain, search, export.", no_args_is_help=True
)
out = Console(highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


def _instant(value: str | None, option: str) -> datetime | None:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO time (UTC when no zone is given)."""
    from piu.store.audit import parse_instant

    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError:
        err.print(f"{option}: {value!r} is not a date (YYYY-MM-DD) or ISO time")
        raise typer.Exit(EXIT_USAGE) from None


_ACTOR = typer.Option(None, "--actor", help="Who acted (user name, cli, carrier:KC).")
_ACTION = typer.Option(None, "--action", help="e.g. read.traveller; 'read.*' for a prefix.")
_SUBJECT_TYPE = typer.Option(None, "--subject-type", help="e.g. traveller, rule, user.")
_SUBJECT_ID = typer.Option(None, "--subject-id", help="The subject's id or name.")
_SINCE = typer.Option(None, "--since", help="From this day or time (UTC), inclusive.")
_UNTIL = typer.Option(None, "--until", help="Before this day or time (UTC).")


@audit_app.command("verify")
@guarded
def verify_cmd() -> None:
    """Check the whole hash chain; exit 1 at the first entry that does not fit."""
    from piu.store.audit import verify

    engine = open_engine()
    result = verify(engine)
    if result.ok:
        out.print(f"{result.entries} entries, chain intact")
        return
    reason = escape(result.reason or "")
    err.print(
        f"[red]audit chain broken at entry {result.first_bad_id}:[/red] {reason}", highlight=False
    )
    raise typer.Exit(EXIT_BAD_INPUT)


@audit_app.command("search")
@guarded
def search_cmd(
    actor: str | None = _ACTOR,
    action: str | None = _ACTION,
    subject_type: str | None = _SUBJECT_TYPE,
    subject_id: str | None = _SUBJECT_ID,
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
    limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="How many entries."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """Entries matching all the filters, newest first."""
    from piu.store.audit import search

    entries = search(
        open_engine(),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        since=_instant(since, "--since"),
        until=_instant(until, "--until"),
        limit=limit,
    )
    if as_json:
        for e in entries:
            typer.echo(
                json.dumps(
                    {
                        "id": e.id,
                        "at": e.at.isoformat(),
                        "actor": e.actor,
                        "action": e.action,
                        "subject_type": e.subject_type,
                        "subject_id": e.subject_id,
                        "detail": e.detail,
                        "remote": e.remote,
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                )
            )
        return
    if not entries:
        err.print("no matching audit entries")
        return
    table = Table("id", "at (UTC)", "actor", "action", "subject", "remote", "detail")
    for e in entries:
        subject = f"{e.subject_type or ''} {e.subject_id or ''}".strip() or "-"
        detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""
        table.add_row(
            str(e.id),
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            escape(e.actor),
            escape(e.action),
            escape(subject),
            escape(e.remote or "-"),
            escape(detail[:120]),
        )
    out.print(table)


def _write(chunks: Iterator[str], stream: IO[str]) -> int:
    """Write every chunk (one per entry, after a CSV header); returns how many were written."""
    count = 0
    for chunk in chunks:
        stream.write(chunk)
        count += 1
    return count


@audit_app.command("export")
@guarded
def export_cmd(
    fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv."),
    out_file: Path | None = typer.Option(None, "--out", help="Write here instead of stdout."),
    actor: str | None = _ACTOR,
    action: str | None = _ACTION,
    subject_type: str | None = _SUBJECT_TYPE,
    subject_id: str | None = _SUBJECT_ID,
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
) -> None:
    """Matching entries oldest first, with their hashes, as JSON lines or CSV."""
    from piu.store.audit import csv_lines, export, jsonl_lines

    if fmt not in ("jsonl", "csv"):
        err.print(f"--format: {fmt!r} is not jsonl or csv")
        raise typer.Exit(EXIT_USAGE)
    start, end = _instant(since, "--since"), _instant(until, "--until")
    lines = csv_lines if fmt == "csv" else jsonl_lines
    engine = open_engine()
    target = (
        out_file.open("w", encoding="utf-8", newline="")
        if out_file is not None
        else nullcontext(sys.stdout)
    )
    with engine.connect() as conn, target as stream:
        rows = export(
            conn,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            since=start,
            until=end,
        )
        count = _write(lines(rows), stream)
    if fmt == "csv":
        count -= 1  # the header
    if out_file is not None:
        err.print(f"{count} entries written to {out_file}", highlight=False)
