"""``piu review queue|decide|history``: hit review from the command line.

``decide`` acts as a named user (``--as``), who must exist, be active and hold the analyst
or supervisor role: a decision is a person's, so the CLI cannot take one anonymously.
"""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.table import Table

from piu.cli._common import acting_user, guarded, open_engine, pretty_json, when

__all__ = ["register", "review_app"]

review_app = typer.Typer(
    help="Review hits: the queue, decisions with reasons, history.", no_args_is_help=True
)
out = Console(highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")


@review_app.command("queue")
@guarded
def queue(
    status: list[str] = typer.Option(
        None, "--status", help="open, more_info, confirmed or dismissed (repeatable)."
    ),
    limit: int = typer.Option(50, min=1, max=500),
    offset: int = typer.Option(0, min=0),
    as_json: bool = typer.Option(False, "--json", help="Print the page as JSON."),
) -> None:
    """Hits waiting for a decision: most severe first, then soonest departure or arrival."""
    from dataclasses import asdict

    from piu.store import reviews

    statuses = tuple(status) if status else reviews.QUEUE_STATUSES
    engine = open_engine()
    with engine.connect() as conn:
        page = reviews.review_queue(conn, statuses=statuses, limit=limit, offset=offset)
    if as_json:
        typer.echo(pretty_json(asdict(page)))
        return
    table = Table("hit", "severity", "status", "traveller", "flight", "due", "source", "entry/rule")
    for h in page.items:
        due = f"{h['due_kind']} {when(h['due'])}" if h["due"] else when(h["departure_utc"])
        table.add_row(
            str(h["id"]),
            h["severity"],
            h["status"],
            " ".join(p for p in (h["surname"], h["given_names"]) if p),
            f"{h['flight_code']} {h['origin']}-{h['destination']}",
            due,
            h["source"] or "-",
            h["entry"] or (f"v{h['rule_version']}" if h["rule_version"] else "-"),
        )
    out.print(table)
    if page.next_offset is not None:
        out.print(f"more: --offset {page.next_offset}")


@review_app.command("decide")
@guarded
def decide(
    hit_id: int = typer.Argument(..., help="The hit's id (see `piu review queue`)."),
    decision: str = typer.Option(..., help="confirmed, dismissed (false match) or more_info."),
    reason: str = typer.Option(..., help="Why, in a few words at least (required)."),
    as_user: str = typer.Option(..., "--as", help="The analyst or supervisor deciding."),
) -> None:
    """Record a decision on a hit, with its reason."""
    from piu.accounts import Role
    from piu.store import reviews

    engine = open_engine()
    refusal = f"{as_user} is not an active analyst or supervisor"
    by = acting_user(engine, as_user, (Role.ANALYST, Role.SUPERVISOR), refusal)
    with engine.begin() as conn:
        done = reviews.decide(
            conn, hit_id, decision=decision, reason=reason, by=by, now=datetime.now(UTC)
        )
    note = " (remembered as a false match)" if done["false_match"] else ""
    typer.echo(f"hit {hit_id}: {done['previous_status']} -> {done['status']} by {by}{note}")


@review_app.command("history")
@guarded
def history(hit_id: int) -> None:
    """Every decision on a hit, oldest first, as JSON."""
    from piu.store import reviews

    engine = open_engine()
    with engine.connect() as conn:
        typer.echo(pretty_json(reviews.hit_history(conn, hit_id)))
