"""``piu watchlist`` and ``piu screen``: load lists, see what changed, check a name by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy import Engine

from piu.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_UNFINISHED,
    EXIT_USAGE,
    err,
    guarded,
    open_engine,
    settings,
)
from piu.config import Settings

out = Console(soft_wrap=True)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"{option}: {value!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(EXIT_USAGE) from None


def _progress() -> Progress:
    """A progress bar on stderr for long screening (none where stderr is not a terminal)."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _rescreen_due(engine: Engine, cfg: Settings) -> None:
    """Do the re-screenings that list imports owe (this one's, and any a stopped process
    left), saying what each found; one that failed stays due, and the exit code says so."""
    from piu.ingest.lists import rescreen_due

    failed = 0
    with _progress() as bar:
        tasks: dict[str, TaskID] = {}

        def advance(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(f"re-screening against {name}", total=total)
            bar.update(tasks[name], completed=done, total=total)

        owed = rescreen_due(
            engine,
            days_back=cfg.rescreen_days_back,
            days_ahead=cfg.rescreen_days_ahead,
            progress=advance,
        )
    for r in owed:
        if r.error is None:
            out.print(
                f"list {r.watchlist!r}: re-screened {r.travellers} stored travellers of recent "
                f"and upcoming flights: {r.new_hits} new hits"
            )
        else:
            failed += 1
            err.print(
                f"list {r.watchlist!r}: re-screening the stored travellers failed ({r.error}); "
                "it stays due: run `piu screen --due` to try again"
            )
    if failed:
        raise typer.Exit(EXIT_UNFINISHED)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Watchlists: import, list, show, diff.", no_args_is_help=True)
    app.add_typer(group, name="watchlist")

    @group.command("import")
    @guarded
    def import_(
        path: Path = typer.Argument(..., help="List file (or folder, for EU annex CSVs)."),
        name: str = typer.Option(..., "--name", help="Name of the list in PIU, e.g. un-sc."),
        fmt: str | None = typer.Option(None, "--format", help="Importer (default: detected)."),
        source: str | None = typer.Option(None, help="Who publishes the list."),
        legal_basis: str | None = typer.Option(None, help="Why the PIU may screen with it."),
        category: str | None = typer.Option(None, help="sanctions, terrorism, sltd, national"),
        severity: str | None = typer.Option(None, help="low, medium, high or critical"),
        threshold: float | None = typer.Option(None, min=0.0, max=1.0, help="Alert threshold."),
        valid_from: str | None = typer.Option(None, help="First day in force (YYYY-MM-DD)."),
        valid_to: str | None = typer.Option(None, help="Last day in force (YYYY-MM-DD)."),
        by: str = typer.Option("cli", help="Recorded as the user who loaded the list."),
        rescreen: bool = typer.Option(
            True,
            help="Screen the stored travellers of recent and upcoming flights against the "
            "added and changed entries (with --no-rescreen nothing is owed: they are screened "
            "against the list as their next messages arrive).",
        ),
    ) -> None:
        """Import a list, or re-import it: only the difference is applied, and reported."""
        from piu.ingest.lists import ListSettings, import_list
        from piu.screening.importers import IMPORTERS, load
        from piu.store.watchlists import SEVERITIES

        if fmt is not None and fmt not in IMPORTERS:
            err.print(f"unknown format {fmt!r}; known: {', '.join(sorted(IMPORTERS))}")
            raise typer.Exit(EXIT_USAGE)
        if severity is not None and severity not in SEVERITIES:
            err.print(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
            raise typer.Exit(EXIT_USAGE)
        imported = load(path, fmt, list_id=name)  # a refused file raises: nothing changes
        cfg = settings()
        engine = open_engine(cfg)
        applied = import_list(
            engine,
            name=name,
            imported=imported,
            by=by,
            file_name=path.name,
            settings=ListSettings(
                source=source,
                legal_basis=legal_basis,
                category=category,
                severity=severity,
                threshold=threshold,
                valid_from=_date(valid_from, "--valid-from"),
                valid_to=_date(valid_to, "--valid-to"),
            ),
        )
        verb = "created" if applied.created else "updated"
        out.print(f"list {name!r} {verb} from {path} ({imported.format}): {applied.diff.summary()}")
        if imported.warnings:
            err.print(f"{len(imported.warnings)} warnings; first: {imported.warnings[0]}")
        if applied.rescreen_due:
            _rescreen_due(engine, cfg)

    @group.command("list")
    @guarded
    def list_() -> None:
        """Lists in PIU with their size and settings."""
        from piu.store.watchlists import list_watchlists

        engine = open_engine()
        table = Table("name", "entries", "format", "category", "severity", "threshold", "active")
        with engine.connect() as conn:
            for w in list_watchlists(conn):
                table.add_row(
                    w.name,
                    str(w.entry_count),
                    w.format,
                    w.category,
                    w.severity,
                    "default" if w.threshold is None else f"{w.threshold:.2f}",
                    "yes" if w.active else "no",
                )
        out.print(table)

    @group.command("show")
    @guarded
    def show(
        name: str,
        entries: int = typer.Option(10, min=0, help="How many entries to print."),
    ) -> None:
        """One list: settings, import history and its first entries."""
        from sqlalchemy import select

        from piu.store.schema import watchlist_entries, watchlist_imports
        from piu.store.watchlists import entry_from_row, get_watchlist, list_watchlists

        engine = open_engine()
        with engine.connect() as conn:
            info = get_watchlist(conn, name)
            if info is None:
                import difflib

                names = [w.name for w in list_watchlists(conn)]
                hint = difflib.get_close_matches(name, names, n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else ""
                err.print(f"no list named {name!r}{extra}")
                raise typer.Exit(EXIT_USAGE)
            imports = conn.execute(
                select(watchlist_imports)
                .where(watchlist_imports.c.watchlist_id == info.id)
                .order_by(watchlist_imports.c.id)
            ).all()
            rows = conn.execute(
                select(watchlist_entries)
                .where(
                    (watchlist_entries.c.watchlist_id == info.id)
                    & watchlist_entries.c.removed_at.is_(None)
                )
                .order_by(watchlist_entries.c.id)
                .limit(entries)
            ).all()
        out.print(
            f"[bold]{info.name}[/bold]: {info.entry_count} entries, {info.category}, "
            f"severity {info.severity}, source {info.source or '-'}, "
            f"legal basis {info.legal_basis or '-'}"
        )
        for imp in imports:
            out.print(
                f"  import {imp.at:%Y-%m-%d %H:%M} by {imp.by}: +{imp.added} ~{imp.changed} "
                f"-{imp.removed} ({imp.format}, {len(imp.warnings)} warnings)"
            )
        for r in rows:
            e = entry_from_row(r, name)
            dobs = ", ".join(str(d) for d in e.dobs) or "-"
            out.print(
                f"  {e.id}: {' | '.join(e.names[:4])}  dob {dobs}  {','.join(e.nationalities)}"
            )

    @group.command("diff")
    @guarded
    def diff_(
        name: str,
        path: Path,
        fmt: str | None = typer.Option(None, "--format"),
        show: int = typer.Option(10, min=0, help="How many changes of each kind to print."),
    ) -> None:
        """What importing PATH into list NAME would change; nothing is written."""
        from piu.screening.importers import load
        from piu.store.watchlists import preview_import

        imported = load(path, fmt, list_id=name)
        engine = open_engine()
        with engine.connect() as conn:
            changes = preview_import(conn, name, imported)
        out.print(changes.summary())
        for e in changes.added[:show]:
            out.print(f"  + {e.id}: {' | '.join(e.names[:3])}")
        for c in changes.changed[:show]:
            out.print(f"  ~ {c.new.id}: {', '.join(c.fields)}")
        for e in changes.removed[:show]:
            out.print(f"  - {e.id}: {' | '.join(e.names[:3])}")

    @app.command("screen")
    @guarded
    def screen(
        name: str = typer.Argument(
            None,
            help="A name to check, in any script; the surname in capitals among given "
            "names that are not (Daniel RODRIGUEZ MORFIN) says which it is.",
        ),
        dob: str | None = typer.Option(None, help="Date of birth: YYYY-MM-DD, YYYY-MM or YYYY."),
        nationality: str | None = typer.Option(None, help="ISO 3166 alpha-3."),
        gender: str | None = typer.Option(None, help="M or F."),
        document: str | None = typer.Option(None, help="A document number."),
        threshold: float | None = typer.Option(None, min=0.0, max=1.0),
        due: bool = typer.Option(False, "--due", help="Screen stored travellers not yet screened."),
        workers: int = typer.Option(
            0, "--workers", min=0, help="Processes for --due (0: one per core)."
        ),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Check a name against the lists in force (ad hoc; nothing is recorded)."""
        from piu.ingest.assess import build_index, document_hits, screen_due
        from piu.screening.matcher import default_workers
        from piu.screening.model import DateOfBirth, Document, Query

        if due:
            cfg = settings()
            engine = open_engine(cfg)
            with _progress() as bar:
                task = bar.add_task("screening stored travellers", total=None)

                def advance(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                screened, new = screen_due(
                    engine, workers=workers or default_workers(), progress=advance
                )
            out.print(f"screened {screened} travellers: {new} new hits")
            _rescreen_due(engine, cfg)
            return
        engine = open_engine()
        if not name:
            err.print("give a NAME to check, or --due")
            raise typer.Exit(EXIT_USAGE)
        parsed_dob = None
        if dob:
            parsed_dob = DateOfBirth.parse(dob)
            if parsed_dob is None:
                err.print(f"--dob: {dob!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
                raise typer.Exit(EXIT_USAGE)
        query = Query(
            name=name,
            dob=parsed_dob,
            nationality=nationality.upper() if nationality else None,
            gender=gender.upper() if gender else None,
            documents=[Document(document)] if document else [],
        )
        with engine.connect() as conn:
            index = build_index(conn)
        if index.empty:
            err.print("no watchlist is loaded: use `piu watchlist import` first")
            raise typer.Exit(EXIT_BAD_INPUT)
        matches = index.matcher.screen(query, threshold) if index.matcher else []
        doc_hits = document_hits(query, index)
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "matches": [
                            {
                                "list": m.list_id,
                                "entry": m.entry_id,
                                "score": round(m.score, 4),
                                "explanation": m.explain(),
                            }
                            for m in matches
                        ],
                        "documents": [d for _, d in doc_hits],
                    },
                    ensure_ascii=False,
                )
            )
            return
        if not matches and not doc_hits:
            out.print("no alert")
        for m in matches:
            out.print(f"[bold]{m.score:.2f}[/bold] {m.list_id} {m.entry_id}")
            out.print(f"   {m.explain()}", highlight=False)
        for _, d in doc_hits:
            out.print(f"[bold]{d['score']:.2f}[/bold] {d['text']}", highlight=False)
