from pathlib import Path

import pytest

from piu.config import load_settings
from piu.errors import ConfigError


def test_defaults_are_local_and_embedded(tmp_path: Path) -> None:
    s = load_settings({"PIU_DATA_DIR": str(tmp_path)})
    assert s.host == "127.0.0.1"
    assert s.effective_database_url == f"sqlite:///{(tmp_path / 'piu.sqlite3').resolve()}"


def test_file_then_environment_precedence(tmp_path: Path) -> None:
    (tmp_path / "piu.toml").write_text(
        'port = 9000\nhost = "0.0.0.0"\n[carriers.KC]\nname = "Air Astana"\n'
        f'token_sha256 = "{"a" * 64}"\n'
    )
    s = load_settings({"PIU_DATA_DIR": str(tmp_path), "PIU_PORT": "9100"})
    assert s.port == 9100 and s.host == "0.0.0.0"
    assert s.carriers[0].code == "KC" and s.carriers[0].name == "Air Astana"


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"PIU_PORT": "eighty"}, "port"),
        ({"PIU_PORT": "70000"}, "outside"),
        ({"PIU_DATABASE_URL": "mysql://x/y"}, "not supported"),
        ({"PIU_HOST": "bad host!"}, "host"),
        ({"PIU_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, "not an IP address"),
        ({"PIU_CONFIG": "/nonexistent/piu.toml"}, "not a readable file"),
        ({"PIU_COUNTRY": "KGZ"}, "alpha-2"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        load_settings(env)


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    cfg = tmp_path / "x.toml"
    cfg.write_text("prot = 80\n")
    with pytest.raises(ConfigError, match="did you mean 'port'"):
        load_settings({"PIU_CONFIG": str(cfg)})


def test_carrier_token_must_be_a_hash_not_a_secret(tmp_path: Path) -> None:
    cfg = tmp_path / "x.toml"
    cfg.write_text('[carriers.KC]\ntoken_sha256 = "my-plain-token"\n')
    with pytest.raises(ConfigError, match="64 hex digits"):
        load_settings({"PIU_CONFIG": str(cfg)})


def test_postgres_url_gets_the_psycopg_driver() -> None:
    s = load_settings({"PIU_DATABASE_URL": "postgresql://u@h/db"})
    assert s.database_url == "postgresql+psycopg://u@h/db"


def test_country_is_upper_cased(tmp_path: Path) -> None:
    assert load_settings({"PIU_DATA_DIR": str(tmp_path), "PIU_COUNTRY": "kg"}).country == "KG"
