"""Settings: safe defaults, overridden by an optional TOML file, overridden by environment.

Precedence (last wins): built-in defaults < config file < ``PIU_*`` environment variables.
The file is the one named by ``PIU_CONFIG``, else ``piu.toml`` in the data folder if it
exists. Every value is checked here, once, so the rest of the code can trust it; a bad value
raises :class:`~piu.errors.ConfigError` naming the setting and where it came from.

File layout (all keys optional)::

    database_url = "postgresql+psycopg://piu@db/piu"
    data_dir = "/var/lib/piu"
    host = "127.0.0.1"
    port = 8080
    max_message_bytes = 16777216
    inbox_poll_seconds = 2.0
    trusted_proxies = "10.0.0.2"
    country = "KG"

    [carriers.KC]            # carrier push credentials: only the SHA-256 of each token
    name = "Air Astana"
    token_sha256 = "9f86d0..."
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from piu.errors import ConfigError

__all__ = ["CarrierCredential", "Settings", "apply_overrides", "load_settings"]

_CARRIER_CODE = re.compile(r"^[A-Z0-9]{2,3}$")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class CarrierCredential:
    """A carrier allowed to push, known from the config file (the database may add more)."""

    code: str
    token_sha256: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Checked settings. Build with :func:`load_settings`, not directly, outside tests."""

    data_dir: Path = Path("piu-data")
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8080
    max_message_bytes: int = 16 * 1024 * 1024
    inbox_poll_seconds: float = 2.0
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs); empty means
    # the socket's peer is the client, as when PIU serves directly.
    trusted_proxies: str = ""
    # TOML file of the deployment's sensitive-data rules (see piu.privacy.rules_file);
    # None: PIU's built-in list.
    privacy_rules: Path | None = None
    # The PIU's own state (ISO 3166 alpha-2, e.g. "KG"): flights are inbound when they land
    # there and outbound when they leave it. Empty: flights are shown by departure and
    # arrival time only.
    country: str = ""
    # When a list gains or changes entries, travellers of flights departing in this window
    # around now are screened again against those entries.
    rescreen_days_back: int = 7
    rescreen_days_ahead: int = 30
    carriers: tuple[CarrierCredential, ...] = field(default_factory=tuple)
    source: str = "defaults"

    @property
    def effective_database_url(self) -> str:
        """The database to use: ``database_url`` or SQLite in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'piu.sqlite3').resolve()}"

    @property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    def sensitive_rules(self) -> Any:
        """The :class:`~piu.privacy.SensitiveRules` in force (file or built-in)."""
        from piu.privacy.rules_file import load_rules

        return load_rules(self.privacy_rules)

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _as_int(name: str, value: object, origin: str, lo: int, hi: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{name} from {origin}: {value!r} is not a whole number") from None
    if not lo <= number <= hi:
        raise ConfigError(f"{name} from {origin}: {number} is outside {lo}..{hi}")
    return number


def _as_float(name: str, value: object, origin: str, lo: float, hi: float) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ConfigError(f"{name} from {origin}: {value!r} is not a number") from None
    if not lo <= number <= hi:
        raise ConfigError(f"{name} from {origin}: {number} is outside {lo}..{hi}")
    return number


def _as_host(value: object, origin: str) -> str:
    host = str(value).strip()
    if not host:
        raise ConfigError(f"host from {origin}: empty")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not re.fullmatch(r"[A-Za-z0-9.-]{1,253}", host):
            raise ConfigError(
                f"host from {origin}: {host!r} is neither an IP address nor a host name"
            ) from None
    return host


def _as_db_url(value: object, origin: str) -> str:
    url = str(value).strip()
    if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", url):
        raise ConfigError(
            f"database_url from {origin}: {url!r} is not supported; use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DB"
        )
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _carriers(table: object, origin: str) -> tuple[CarrierCredential, ...]:
    if not isinstance(table, Mapping):
        raise ConfigError(f"carriers from {origin}: expected a table of carrier codes")
    out = []
    for code, entry in table.items():
        if not _CARRIER_CODE.match(str(code)):
            raise ConfigError(f"carriers.{code} from {origin}: not a 2-3 character designator")
        if not isinstance(entry, Mapping) or "token_sha256" not in entry:
            raise ConfigError(f"carriers.{code} from {origin}: needs token_sha256")
        digest = str(entry["token_sha256"]).lower()
        if not _SHA256_HEX.match(digest):
            raise ConfigError(
                f"carriers.{code}.token_sha256 from {origin}: expected 64 hex digits "
                "(the SHA-256 of the token, never the token itself)"
            )
        name = entry.get("name")
        out.append(CarrierCredential(str(code), digest, str(name) if name else None))
    return tuple(out)


_KNOWN_KEYS = {
    "database_url",
    "data_dir",
    "host",
    "port",
    "max_message_bytes",
    "inbox_poll_seconds",
    "trusted_proxies",
    "rescreen_days_back",
    "rescreen_days_ahead",
    "privacy_rules",
    "country",
    "carriers",
}


def apply_overrides(settings: Settings, values: Mapping[str, Any], origin: str) -> Settings:
    unknown = set(values) - _KNOWN_KEYS
    if unknown:
        import difflib

        name = sorted(unknown)[0]
        hint = difflib.get_close_matches(name, sorted(_KNOWN_KEYS), n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ConfigError(f"unknown setting {name!r} in {origin}{extra}")
    changes: dict[str, Any] = {}
    if "data_dir" in values:
        text = str(values["data_dir"]).strip()
        if not text:
            raise ConfigError(f"data_dir from {origin}: empty")
        changes["data_dir"] = Path(text).expanduser()
    if "database_url" in values and str(values["database_url"]).strip():
        changes["database_url"] = _as_db_url(values["database_url"], origin)
    if "host" in values:
        changes["host"] = _as_host(values["host"], origin)
    if "port" in values:
        changes["port"] = _as_int("port", values["port"], origin, 1, 65535)
    if "max_message_bytes" in values:
        changes["max_message_bytes"] = _as_int(
            "max_message_bytes", values["max_message_bytes"], origin, 1024, 1024**3
        )
    if "inbox_poll_seconds" in values:
        changes["inbox_poll_seconds"] = _as_float(
            "inbox_poll_seconds", values["inbox_poll_seconds"], origin, 0.05, 3600
        )
    if "privacy_rules" in values and str(values["privacy_rules"]).strip():
        rules = Path(str(values["privacy_rules"]).strip()).expanduser()
        if not rules.is_file():
            raise ConfigError(f"privacy_rules from {origin}: {rules} is not a readable file")
        changes["privacy_rules"] = rules
    for key in ("rescreen_days_back", "rescreen_days_ahead"):
        if key in values:
            changes[key] = _as_int(key, values[key], origin, 0, 3650)
    if "trusted_proxies" in values:
        proxies = [p.strip() for p in str(values["trusted_proxies"]).split(",") if p.strip()]
        for proxy in proxies:
            try:
                ipaddress.ip_address(proxy)
            except ValueError:
                raise ConfigError(
                    f"trusted_proxies from {origin}: {proxy!r} is not an IP address"
                ) from None
        changes["trusted_proxies"] = ",".join(proxies)
    if "country" in values:
        country = str(values["country"]).strip().upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise ConfigError(
                f"country from {origin}: {values['country']!r} is not an ISO 3166 alpha-2 "
                "code such as KG"
            )
        changes["country"] = country
    if "carriers" in values:
        changes["carriers"] = _carriers(values["carriers"], origin)
    return replace(settings, **changes) if changes else settings


_ENV = {
    "PIU_DATABASE_URL": "database_url",
    "PIU_DATA_DIR": "data_dir",
    "PIU_HOST": "host",
    "PIU_PORT": "port",
    "PIU_MAX_MESSAGE_BYTES": "max_message_bytes",
    "PIU_INBOX_POLL_SECONDS": "inbox_poll_seconds",
    "PIU_TRUSTED_PROXIES": "trusted_proxies",
    "PIU_RESCREEN_DAYS_BACK": "rescreen_days_back",
    "PIU_RESCREEN_DAYS_AHEAD": "rescreen_days_ahead",
    "PIU_PRIVACY_RULES": "privacy_rules",
    "PIU_COUNTRY": "country",
}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from defaults, the optional file and the environment, and check them."""
    env = os.environ if environ is None else environ
    settings = Settings()
    from_env = {key: env[var] for var, key in _ENV.items() if env.get(var, "").strip()}
    data_dir = Path(from_env.get("data_dir", str(settings.data_dir))).expanduser()

    config_path: Path | None = None
    if env.get("PIU_CONFIG"):
        config_path = Path(env["PIU_CONFIG"]).expanduser()
        if not config_path.is_file():
            raise ConfigError(f"PIU_CONFIG names {config_path}, which is not a readable file")
    elif (data_dir / "piu.toml").is_file():
        config_path = data_dir / "piu.toml"

    sources = ["defaults"]
    if config_path is not None:
        try:
            values = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_path}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_path}: cannot be read: {exc}") from None
        settings = apply_overrides(settings, values, str(config_path))
        sources.append(str(config_path))
    if from_env:
        settings = apply_overrides(settings, from_env, "the environment")
        sources.append("environment")
    return replace(settings, source=" < ".join(sources))
