"""A deployment's own sensitive-data rules, from a TOML file named in the settings.

The built-in list (:data:`piu.privacy.DEFAULT_RULES`) is a starting point; a PIU's
data-protection officer adapts it to national law. The file replaces or extends it::

    version = "kg-2026-11"        # written into every removal log entry
    extend_defaults = true          # false: only the codes and words below
    [ssr_codes]
    PRAY = "religion or belief"
    [keywords]
    "NAMAZ" = "religion or belief"
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from piu.errors import ConfigError
from piu.privacy.minimise import DEFAULT_KEYWORDS, DEFAULT_RULES, DEFAULT_SSR_CODES, SensitiveRules

__all__ = ["load_rules"]

_KEYS = {"version", "extend_defaults", "ssr_codes", "keywords", "drop_not_listed"}


def load_rules(path: Path | None) -> SensitiveRules:
    """The rules in ``path``, or the built-in ones when ``path`` is None."""
    if path is None:
        return DEFAULT_RULES
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"privacy rules file {path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"privacy rules file {path}: not valid TOML: {exc}") from None
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(f"privacy rules file {path}: unknown key {sorted(unknown)[0]!r}")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ConfigError(
            f"privacy rules file {path}: needs a version string (it goes into every log entry)"
        )
    tables = {}
    for key in ("ssr_codes", "keywords"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in table.items()
        ):
            raise ConfigError(f"privacy rules file {path}: {key} must map text to a category")
        tables[key] = {k.upper(): v for k, v in table.items()}
    extend = data.get("extend_defaults", True)
    if not isinstance(extend, bool):
        raise ConfigError(f"privacy rules file {path}: extend_defaults must be true or false")
    codes = {**DEFAULT_SSR_CODES, **tables["ssr_codes"]} if extend else tables["ssr_codes"]
    words = {**DEFAULT_KEYWORDS, **tables["keywords"]} if extend else tables["keywords"]
    return SensitiveRules(
        ssr_codes=codes,
        keywords=words,
        drop_not_listed=bool(data.get("drop_not_listed", True)),
        version=version.strip(),
    )
