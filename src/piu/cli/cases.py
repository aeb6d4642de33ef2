"""``piu case list|show`` and ``piu dissemination list|approve|reject|export``.

Reading a case shows travellers' personal data, and approving or exporting is a person's
act, so those commands act as a named user (``--as``) who must exist, be active and hold
the role the web would ask for (travel reader to read, supervisor to decide, analyst or
supervisor to export); each is written to the audit log as the web's are. The list of
cases and of disseminations shows titles and recipients, not travellers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Engine

from piu.accounts.roles import Role
from piu.cli._common import acting_user, err, guarded, open_engine, pretty_json, when

__all__ = ["case_app", "dissemination_app", "register"]

case_app = typer.Typer(help="Cases: confirmed hits, notes and files.", no_args_is_help=True)
dissemination_app = typer.Typer(
    help="Disseminations of cases to competent authorities: list, approve, export.",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=True)

_AS = typer.Option(..., "--as", help="The user acting (must hold the right role).")
# The same roles as the web's (piu.web.deps, piu.web.routes_cases), written out here:
# the CLI does not import the web layer.
READERS = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.DPO, Role.ADMIN})
WORKERS = frozenset({Role.ANALYST, Role.SUPERVISOR})
APPROVERS = frozenset({Role.SUPERVISOR})


def register(app: typer.Typer) -> None:
    app.add_typer(case_app, name="case")
    app.add_typer(dissemination_app, name="dissemination")


def _acting(engine: Engine, username: str, roles: frozenset[Role], what: str) -> str:
    names = ", ".join(sorted(str(r) for r in roles))
    refusal = f"{username} is not an active user with a role that may {what} ({names})"
    return acting_user(engine, username, roles, refusal)


@case_app.command("list")
@guarded
def list_cases(
    status: str = typer.Option(None, "--status", help="open or closed (default: both)."),
    limit: int = typer.Option(50, min=1, max=500),
    offset: int = typer.Option(0, min=0),
    as_json: bool = typer.Option(False, "--json", help="Print the page as JSON."),
) -> None:
    """Cases, most recently changed first."""
    from dataclasses import asdict

    from piu.store import cases

    engine = open_engine()
    with engine.connect() as conn:
        page = cases.list_cases(conn, status=status, limit=limit, offset=offset)
    if as_json:
        typer.echo(pretty_json(asdict(page)))
        return
    table = Table("case", "title", "priority", "status", "hits", "notes", "files", "pending")
    for c in page.items:
        table.add_row(
            str(c["id"]),
            escape(c["title"]),
            c["priority"],
            c["status"],
            str(c["hit_count"]),
            str(c["note_count"]),
            str(c["attachment_count"]),
            str(c["pending_count"] or ""),
        )
    out.print(table)
    if page.next_offset is not None:
        out.print(f"more: --offset {page.next_offset}")


@case_app.command("show")
@guarded
def show_case(
    case_id: int = typer.Argument(..., help="The case's id (see `piu case list`)."),
    as_user: str = _AS,
) -> None:
    """A case as JSON: hits with their travellers, notes, files and disseminations."""
    from piu.store import audit, cases

    engine = open_engine()
    by = _acting(engine, as_user, READERS, "read cases")
    with engine.connect() as conn:
        found = cases.get_case(conn, case_id)
    if found is None:
        err.print(f"no case {case_id}")
        raise typer.Exit(1)
    audit.record(
        engine,
        actor=by,
        action="read.case",
        subject_type="case",
        subject_id=case_id,
        detail={"hits": [h["id"] for h in found["hits"]], "via": "cli"},
    )
    typer.echo(pretty_json(found))


@dissemination_app.command("list")
@guarded
def list_disseminations(
    status: str = typer.Option(
        None, "--status", help="requested (awaiting a supervisor), approved or rejected."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the list as JSON."),
) -> None:
    """Disseminations; with --status requested, those awaiting approval, oldest first."""
    from piu.store import disseminations

    engine = open_engine()
    with engine.connect() as conn:
        page = disseminations.list_disseminations(conn, status=status, limit=500)
    if as_json:
        typer.echo(pretty_json(page.items))
        return
    table = Table("id", "case", "recipient", "status", "requested", "decided", "exports")
    for d in page.items:
        table.add_row(
            str(d["id"]),
            f"{d['case_id']} {escape(d['case_title'])}",
            escape(d["recipient"]),
            d["status"],
            f"{d['requested_by']} {when(d['requested_at'])}",
            f"{d['decided_by']} {when(d['decided_at'])}" if d["decided_by"] else "-",
            str(d["export_count"]),
        )
    out.print(table)


def _decide(dissemination_id: int, note: str, as_user: str, *, approve: bool) -> None:
    from piu.store import disseminations

    engine = open_engine()
    by = _acting(engine, as_user, APPROVERS, "decide disseminations")
    step = disseminations.approve if approve else disseminations.reject
    with engine.begin() as conn:
        done = step(conn, dissemination_id, note=note, by=by, now=datetime.now(UTC))
    typer.echo(f"dissemination {dissemination_id}: {done['status']} by {by}")


@dissemination_app.command("approve")
@guarded
def approve(
    dissemination_id: int = typer.Argument(...),
    note: str = typer.Option(..., help="Why it may go, in a few words at least."),
    as_user: str = _AS,
) -> None:
    """Approve a request (a supervisor who did not make it)."""
    _decide(dissemination_id, note, as_user, approve=True)


@dissemination_app.command("reject")
@guarded
def reject(
    dissemination_id: int = typer.Argument(...),
    note: str = typer.Option(..., help="Why it may not go."),
    as_user: str = _AS,
) -> None:
    """Reject a request (a supervisor who did not make it)."""
    _decide(dissemination_id, note, as_user, approve=False)


@dissemination_app.command("export")
@guarded
def export(
    dissemination_id: int = typer.Argument(...),
    fmt: str = typer.Option("pdf", "--format", help="pdf (for people) or json (for systems)."),
    out_dir: Path = typer.Option(
        Path("."), "--out", help="Folder to write the package to.", file_okay=False
    ),
    as_user: str = _AS,
) -> None:
    """Write the approved package to a file; the export is recorded with its SHA-256."""
    from piu.store import disseminations

    engine = open_engine()
    by = _acting(engine, as_user, WORKERS, "export disseminations")
    with engine.begin() as conn:
        made = disseminations.export(conn, dissemination_id, fmt=fmt, by=by, now=datetime.now(UTC))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / made.filename
    target.write_bytes(made.content)
    typer.echo(f"{target} ({len(made.content)} bytes, sha256 {made.sha256})")
