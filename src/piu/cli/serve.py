"""``piu serve``: the PIU in one process — HTTP API, carrier push and the inbox folder."""

from __future__ import annotations

import logging
import threading

import typer

from piu.cli._common import err, guarded, settings


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @guarded
    def serve(
        host: str | None = typer.Option(None, help="Listen address (default from settings)."),
        port: int | None = typer.Option(None, help="Listen port (default from settings)."),
        inbox: bool = typer.Option(True, help="Watch the inbox folder in the data folder."),
    ) -> None:
        """Run the PIU: creates the data folder and database on first start."""
        import uvicorn

        from piu.accounts.bootstrap import ensure_first_admin
        from piu.store.engine import open_store
        from piu.transports.inbox import Inbox
        from piu.web.app import create_app

        cfg = settings()
        overrides: dict[str, object] = {}
        if host:
            overrides["host"] = host
        if port:
            overrides["port"] = port
        if overrides:
            from piu.config import apply_overrides

            cfg = apply_overrides(cfg, overrides, "the command line")
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        # Alembic's step-by-step plugin and migration lines bury the admin password line.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        cfg.data_dir.mkdir(parents=True, exist_ok=True)
        engine = open_store(cfg.effective_database_url)
        password = ensure_first_admin(engine)
        if password:
            # Shown once; only its hash is stored. Tools read the line that starts so.
            typer.echo(f"admin password: {password}")
            typer.echo("(user 'admin'; shown once; change it after the first login)")
        stop = threading.Event()
        if inbox:
            watcher = Inbox(engine, cfg.inbox_dir, cfg.archive_dir, rules=cfg.sensitive_rules())
            threading.Thread(
                target=watcher.run, args=(stop, cfg.inbox_poll_seconds), name="inbox", daemon=True
            ).start()
            err.print(f"inbox: drop files into {cfg.inbox_dir.resolve()}")
        typer.echo(
            f"PIU listening on http://{cfg.host}:{cfg.port}  (data in {cfg.data_dir.resolve()})"
        )
        try:
            uvicorn.run(
                create_app(cfg, engine),
                host=cfg.host,
                port=cfg.port,
                log_level="info",
                proxy_headers=bool(cfg.trusted_proxies),
                forwarded_allow_ips=cfg.trusted_proxies or None,
            )
        finally:
            stop.set()
