"""``piu synth``: generate realistic airline traffic into a folder, or push it to a PIU."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import typer

from piu.cli._common import EXIT_BAD_INPUT, EXIT_USAGE, err, guarded


def _tokens(pairs: list[str], path: Path | None) -> dict[str, str]:
    """``CODE=TOKEN`` options and a JSON file ``{"TK": "…"}`` merged (options win)."""
    tokens: dict[str, str] = {}
    if path is not None:
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            err.print(f"--carrier-tokens {path}: cannot read a JSON object ({exc})")
            raise typer.Exit(EXIT_USAGE) from None
        if not isinstance(loaded, dict):
            err.print(f"--carrier-tokens {path}: expected a JSON object of code -> token")
            raise typer.Exit(EXIT_USAGE)
        tokens.update({str(k).upper(): str(v) for k, v in loaded.items()})
    for pair in pairs:
        code, eq, token = pair.partition("=")
        if not eq or not code or not token:
            err.print(f"--carrier-token {pair!r}: expected CODE=TOKEN, e.g. TK=piuc_…")
            raise typer.Exit(EXIT_USAGE)
        tokens[code.strip().upper()] = token.strip()
    return tokens


def register(app: typer.Typer) -> None:
    @app.command("synth")
    @guarded
    def synth(
        out: Path = typer.Option(..., "--out", help="Folder for messages and ground truth."),
        passengers: int = typer.Option(5000, min=1, help="Booked passengers to generate."),
        seed: int = typer.Option(1, help="Same seed, same bytes."),
        first_day: str | None = typer.Option(
            None, "--day", help="First day of flights (YYYY-MM-DD; default today, UTC)."
        ),
        pnr: bool | None = typer.Option(
            None, "--pnr/--no-pnr", help="PNR pushes (default: when the PNRGOV writer works)."
        ),
        pnr_hours: str = typer.Option(
            "72,24,2,0", help="PNR push times, hours before departure (0: at closing)."
        ),
        faults: bool = typer.Option(True, help="Late, missing, malformed and resent lists."),
        workers: int = typer.Option(
            0, min=0, help="Processes generating flights (0: one per core; same bytes)."
        ),
        push: str | None = typer.Option(
            None, "--push", help="Push to a running PIU (base URL) instead of writing files."
        ),
        carrier_token: list[str] = typer.Option(
            [], "--carrier-token", help="CODE=TOKEN push credential (repeatable)."
        ),
        carrier_tokens: Path | None = typer.Option(
            None, help="JSON file mapping carrier codes to push tokens."
        ),
        speed: float = typer.Option(
            0.0, help="With --push: simulated seconds per real second (0: as fast as possible)."
        ),
        progress: bool = typer.Option(True, help="Show a progress bar."),
    ) -> None:
        """Generate flights, API lists and PNR pushes with planted cases and ground truth.

        Writes DIR/messages/…, DIR/ground_truth.jsonl, DIR/watchlist.csv (piu_national_csv)
        and DIR/sltd.csv (piu_sltd_csv). Import the lists with
        `piu watchlist import DIR/watchlist.csv --name synth-national` before ingesting.
        """
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from piu.synth import Config, Generator, HttpSink, run

        try:
            hours = tuple(float(h) for h in pnr_hours.split(",") if h.strip())
        except ValueError:
            err.print(f"--pnr-hours {pnr_hours!r}: expected numbers separated by commas")
            raise typer.Exit(EXIT_USAGE) from None
        day = None
        if first_day is not None:
            try:
                day = date.fromisoformat(first_day)
            except ValueError:
                err.print(f"--day {first_day!r} is not a date (YYYY-MM-DD)")
                raise typer.Exit(EXIT_USAGE) from None
        config = Config(
            passengers=passengers,
            seed=seed,
            first_day=day,
            pnr=pnr,
            pnr_hours=hours,
            faults=faults,
            workers=workers or os.cpu_count() or 1,
        )
        try:
            gen = Generator(config)
        except RuntimeError as exc:
            err.print(str(exc))
            raise typer.Exit(EXIT_USAGE) from None
        if not gen.with_pnr:
            err.print("PNR pushes off (the PNRGOV writer is not usable): API lists only")
        sink = None
        if push is not None:
            tokens = _tokens(carrier_token, carrier_tokens)
            if not tokens:
                err.print(
                    "--push needs credentials: --carrier-token CODE=TOKEN or --carrier-tokens"
                )
                raise typer.Exit(EXIT_USAGE)
            out.mkdir(parents=True, exist_ok=True)
            sink = HttpSink(push, tokens, out)
        with Progress(
            TextColumn("[bold]synth[/bold]"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.completed:,} / {task.total:,} passengers"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=not progress,
        ) as bar:
            task = bar.add_task("passengers", total=passengers)
            summary = run(
                gen,
                out,
                sink,
                speed=speed,
                on_flight=lambda done, _total: bar.update(task, completed=min(done, passengers)),
            )
        rate = summary.passengers / summary.seconds if summary.seconds else 0.0
        typer.echo(
            f"{summary.flights} flights, {summary.passengers:,} passengers "
            f"({summary.boarded:,} boarded, {summary.crew:,} crew), {summary.messages:,} messages "
            f"({summary.bytes / 1e6:.1f} MB), {summary.planted} planted cases; "
            f"{summary.seconds:.1f} s ({rate:,.0f} passengers/s)"
        )
        typer.echo(f"ground truth: {out / 'ground_truth.jsonl'}")
        if isinstance(sink, HttpSink) and sink.failures:
            err.print(f"{sink.failures} pushes failed; see {out / 'deliveries.jsonl'}")
            raise typer.Exit(EXIT_BAD_INPUT)
