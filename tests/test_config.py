from pathlib import Path

import pytest

from locator.config import ConfigError, Settings


def test_production_requires_a_secret_key(tmp_path: Path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env(tmp_path, {"LOCATOR_ENV": "production"})


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path: Path):
    first = Settings.from_env(tmp_path, {})
    second = Settings.from_env(tmp_path, {})
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_explicit_secret_key_is_used(tmp_path: Path):
    settings = Settings.from_env(tmp_path, {"LOCATOR_ENV": "production", "SECRET_KEY": "s3cret-from-env"})
    assert settings.secret_key == "s3cret-from-env"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path):
    settings = Settings.from_env(tmp_path, {})
    assert settings.database_url == f"sqlite:///{tmp_path / 'locator.db'}"


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_postgres_urls_use_psycopg3(tmp_path: Path, url: str):
    settings = Settings.from_env(tmp_path, {"DATABASE_URL": url})
    assert settings.database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("name", "value"),
    [("LOCATOR_ENV", "staging"), ("LOCATOR_GEOCODER", "google-maps"), ("LOCATOR_AVAILABILITY_FRESH_HOURS", "soon")],
)
def test_bad_values_are_refused_with_the_setting_named(tmp_path: Path, name: str, value: str):
    with pytest.raises(ConfigError):
        Settings.from_env(tmp_path, {name: value})


def test_secret_is_masked_when_settings_are_shown(tmp_path: Path):
    settings = Settings.from_env(tmp_path, {"SECRET_KEY": "do-not-print"})
    assert "do-not-print" not in repr(settings.as_dict())


def test_production_cookies_are_secure(tmp_path: Path):
    settings = Settings.from_env(tmp_path, {"LOCATOR_ENV": "production", "SECRET_KEY": "x" * 40})
    assert settings.flask_config()["SESSION_COOKIE_SECURE"] is True
