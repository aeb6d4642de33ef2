"""``piu demo``: a living PIU in one command.

Starts the PIU as ``piu serve`` does (embedded SQLite in the data folder, HTTP API, carrier
push, inbox folder), then, on top:

1. creates a push credential for every carrier of the synthetic schedule (an existing one
   is rotated: the demo needs the secret, which PIU never stores);
2. imports the generated watchlist (``synth-national``) and lost/stolen list
   (``synth-sltd``) that name the day's planted cases;
3. pushes a simulated day of traffic through ``POST /api/v1/push`` exactly as carriers
   would, accelerated so that the whole day arrives within ``--span`` seconds.

It prints the address, the one-time administrator password and an API token for
programs, so that a newcomer can, within a minute, list flights, travellers and hits.
The generated files and the ground truth stay in ``DATA/demo/``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from sqlalchemy import Engine

from piu.cli._common import err, guarded, settings
from piu.config import Settings

if TYPE_CHECKING:
    from piu.synth import Config, Generator, Summary

__all__ = ["Demo", "register"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Demo:
    """The demo's steps, separated so a test can run them around its own server."""

    cfg: Settings
    passengers: int = 0  # 0: one day of the schedule
    seed: int = 1
    span: float = 40.0
    engine: Engine | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    admin_password: str | None = None
    api_token: str | None = None
    out: Path | None = None
    config: Config | None = None  # overrides passengers/seed (tests: a smaller day)

    def prepare(self) -> None:
        """Store, first admin, carriers, lists, generator; idempotent on a second run
        except that carrier tokens are rotated."""
        from piu.accounts.bootstrap import FIRST_ADMIN, ensure_first_admin
        from piu.accounts.carriers import add_carrier, rotate_carrier
        from piu.accounts.errors import NameTakenError
        from piu.accounts.tokens import create_token
        from piu.store.engine import open_store
        from piu.synth.routes import ROUTES

        self.cfg.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = engine = open_store(self.cfg.effective_database_url)
        self.admin_password = ensure_first_admin(engine)
        if self.admin_password:
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            self.api_token = create_token(engine, FIRST_ADMIN, f"demo-{stamp}").token
        names = {r.carrier: r.carrier_name for r in ROUTES}
        for code, name in sorted(names.items()):
            try:
                self.tokens[code] = add_carrier(engine, code, name=name).token
            except NameTakenError:
                self.tokens[code] = rotate_carrier(engine, code).token
        self.out = self.cfg.data_dir / "demo"

    def generator(self) -> Generator:
        from piu.synth import Config, Generator
        from piu.synth.routes import day_schedule

        if self.config is not None:
            return Generator(self.config)
        passengers = self.passengers
        if passengers <= 0:
            today = datetime.now(UTC).date()
            passengers = int(sum(d.seats * d.route.load for d in day_schedule(today)) * 0.95)
        return Generator(Config(passengers=passengers, seed=self.seed))

    def import_lists(self, gen: Generator) -> int:
        """Write and import the planted lists; returns the number of entries imported."""
        from piu.screening.importers import load
        from piu.store.watchlists import apply_import
        from piu.synth.planted import SLTD_NAME, WATCHLIST_NAME, sltd_csv, watchlist_csv

        assert self.engine is not None and self.out is not None
        self.out.mkdir(parents=True, exist_ok=True)
        count = 0
        for name, fmt, text, category in (
            (WATCHLIST_NAME, "piu_national_csv", watchlist_csv(gen.watch_rows), "national"),
            (SLTD_NAME, "piu_sltd_csv", sltd_csv(gen.sltd_rows), "sltd"),
        ):
            path = self.out / f"{name}.csv"
            path.write_text(text, encoding="utf-8")
            imported = load(path, fmt, list_id=name)
            with self.engine.begin() as conn:
                apply_import(
                    conn,
                    name=name,
                    imported=imported,
                    by="demo",
                    now=datetime.now(UTC),
                    source="piu synth (synthetic, for demonstration)",
                    category=category,
                )
            count += len(imported.entries)
        return count

    def feed(self, base_url: str, gen: Generator) -> Summary:
        """Push the generated day to ``base_url``, paced to fit in ``span`` seconds."""
        from piu.synth import HttpSink, run

        assert self.out is not None
        hours = max(gen.config.pnr_hours, default=0.0)
        simulated = (gen.days * 24 + hours + 4) * 3600
        speed = simulated / self.span if self.span > 0 else 0.0
        sink = HttpSink(base_url, self.tokens, self.out)
        return run(gen, self.out, sink, speed=speed)


def _wait_healthy(base: str, timeout: float = 30.0) -> bool:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return False


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @guarded
    def demo(
        host: str | None = typer.Option(None, help="Listen address (default from settings)."),
        port: int | None = typer.Option(None, help="Listen port (default from settings)."),
        passengers: int = typer.Option(0, help="Passengers to feed (0: one day's schedule)."),
        seed: int = typer.Option(1, help="Seed of the synthetic day."),
        span: float = typer.Option(40.0, min=0.0, help="Seconds to feed the day over."),
        exit_after: bool = typer.Option(
            False, "--exit-after-feed", help="Stop the server once the day is fed."
        ),
    ) -> None:
        """Run the PIU with a synthetic day of traffic, a watchlist and hits to look at."""
        import uvicorn

        from piu.config import apply_overrides
        from piu.transports.inbox import Inbox
        from piu.web.app import create_app

        cfg = settings()
        overrides: dict[str, object] = {}
        if not cfg.country:
            overrides["country"] = "KG"  # the simulated day is Kyrgyz traffic
        if host:
            overrides["host"] = host
        if port:
            overrides["port"] = port
        if overrides:
            cfg = apply_overrides(cfg, overrides, "the command line")
        logging.basicConfig(
            level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        d = Demo(cfg, passengers=passengers, seed=seed, span=span)
        d.prepare()
        assert d.engine is not None
        gen = d.generator()
        entries = d.import_lists(gen)
        base = f"http://{cfg.host}:{cfg.port}"
        if d.admin_password:
            typer.echo(f"admin password: {d.admin_password}")
            typer.echo("(user 'admin'; shown once; change it after the first login)")
            typer.echo(f"api token: {d.api_token}")
            typer.echo(f'try: curl -H "Authorization: Bearer {d.api_token}" {base}/api/v1/hits')
        else:
            err.print("users exist already: use your account (piu users token NAME)")
        typer.echo(f"PIU listening on {base}  (data in {cfg.data_dir.resolve()})")
        typer.echo(
            f"feeding {gen.config.passengers:,} synthetic passengers over ~{span:.0f} s; "
            f"watchlists: {entries} entries, {len(gen.cases)} planted cases; "
            f"ground truth in {d.out}/ground_truth.jsonl"
        )
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(cfg, d.engine), host=cfg.host, port=cfg.port, log_level="warning"
            )
        )
        stop = threading.Event()
        watcher = Inbox(d.engine, cfg.inbox_dir, cfg.archive_dir)
        threading.Thread(
            target=watcher.run, args=(stop, cfg.inbox_poll_seconds), name="inbox", daemon=True
        ).start()

        def feeder() -> None:
            if not _wait_healthy(base):
                err.print("the server did not come up; nothing fed")
                server.should_exit = True
                return
            summary = d.feed(base, gen)
            typer.echo(
                f"fed {summary.messages} messages for {summary.flights} flights "
                f"({summary.boarded:,} passengers boarded); see {base}/api/v1/flights"
            )
            if exit_after:
                server.should_exit = True

        threading.Thread(target=feeder, name="demo-feed", daemon=True).start()
        try:
            server.run()
        finally:
            stop.set()
