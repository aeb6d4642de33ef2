"""``piu ingest PATH...``: feed files through the same ``receive()`` as every other door."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from piu.cli._common import EXIT_BAD_INPUT, err, guarded, open_engine, settings


def _expand(paths: list[str]) -> list[tuple[str, Path]]:
    """Each path as given, with folders expanded to their files (sorted, recursive)."""
    out = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for child in sorted(c for c in p.rglob("*") if c.is_file()):
                out.append((str(child), child))
        else:
            out.append((given, p))
    return out


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    @guarded
    def ingest(
        paths: list[str] = typer.Argument(..., help="Files or folders of messages."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object a line per file."),
        sender: str = typer.Option("cli", help="Recorded as the sender of these messages."),
    ) -> None:
        """Receive message files: keep, parse and store them, as a carrier push would."""
        from piu.ingest import receive

        cfg = settings()
        engine = open_engine(cfg)
        rules = cfg.sensitive_rules()
        files = _expand(paths)
        failures = 0
        counts = {"stored": 0, "duplicate": 0, "rejected": 0}
        progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=as_json and not err.is_terminal,
        )
        with progress:
            task = progress.add_task("ingesting", total=len(files))
            for given, path in files:
                try:
                    raw = path.read_bytes()
                except OSError as exc:
                    failures += 1
                    counts["rejected"] += 1
                    line = {
                        "path": given,
                        "status": "rejected",
                        "type": "unknown",
                        "bookings": 0,
                        "travellers": 0,
                        "warnings": [],
                        "error": f"cannot read the file: {exc.strerror or exc}",
                    }
                    if as_json:
                        typer.echo(json.dumps(line))
                    else:
                        err.print(f"[red]{given}[/red]: {line['error']}", highlight=False)
                    progress.advance(task)
                    continue
                result = receive(
                    engine, raw, sender=sender, channel="cli", origin=given, rules=rules
                )
                counts[result.status] += 1
                if result.status == "rejected":
                    failures += 1
                if as_json:
                    d = result.as_dict()
                    typer.echo(
                        json.dumps(
                            {
                                "path": given,
                                "status": d["status"],
                                "type": d["type"],
                                "bookings": d["bookings"],
                                "travellers": d["travellers"],
                                "warnings": d["warnings"],
                                "error": d["error"],
                            },
                            ensure_ascii=False,
                        )
                    )
                elif result.status == "rejected":
                    err.print(
                        f"[red]rejected[/red] {given}: {_error_text(result)}", highlight=False
                    )
                progress.advance(task)
        if not as_json:
            err.print(
                f"{counts['stored']} stored, {counts['duplicate']} duplicate, "
                f"{counts['rejected']} rejected"
            )
        if failures:
            raise typer.Exit(EXIT_BAD_INPUT)


def _error_text(result: object) -> str:
    error = getattr(result, "error", None)
    return str(error.get("message")) if isinstance(error, dict) else "unknown error"
