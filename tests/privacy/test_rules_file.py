from pathlib import Path

import pytest

from piu.config import load_settings
from piu.errors import ConfigError
from piu.formats import pnrgov
from piu.privacy import DEFAULT_RULES, load_rules, minimise
from tests.fixtures.messages import pnr_push


def test_a_deployment_adds_its_own_codes_and_words(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        'version = "kg-1"\n[ssr_codes]\nXTRA = "religion or belief"\n'
        '[keywords]\nNAMAZ = "religion or belief"\n'
    )
    rules = load_rules(path)
    assert rules.version == "kg-1"
    assert "XTRA" in rules.ssr_codes and "MOML" in rules.ssr_codes  # defaults kept
    [push] = pnrgov.read(pnr_push(ssr_codes=("XTRA",), osi="TIME FOR NAMAZ"))
    _kept, removals = minimise(push, rules)
    assert len(removals) == 2 and all("kg-1" in str(r) for r in removals)
    _, with_defaults = minimise(push, DEFAULT_RULES)
    assert with_defaults == []  # the built-in list knows neither


def test_settings_name_the_file_and_bad_files_are_refused(tmp_path: Path) -> None:
    good = tmp_path / "rules.toml"
    good.write_text('version = "v2"\nextend_defaults = false\n[ssr_codes]\nMOML = "religion"\n')
    cfg = load_settings({"PIU_PRIVACY_RULES": str(good), "PIU_DATA_DIR": str(tmp_path)})
    rules = cfg.sensitive_rules()
    assert dict(rules.ssr_codes) == {"MOML": "religion"} and not rules.keywords
    with pytest.raises(ConfigError, match="not a readable file"):
        load_settings({"PIU_PRIVACY_RULES": str(tmp_path / "missing.toml")})
    bad = tmp_path / "bad.toml"
    bad.write_text("[ssr_codes]\nMOML = 1\n")
    with pytest.raises(ConfigError, match="version"):
        load_rules(bad)
