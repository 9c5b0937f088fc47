from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from locator.config import ConfigError, Settings


def production(**extra: str) -> dict[str, str]:
    return {
        "LOCATOR_ENV": "production",
        "SECRET_KEY": "x" * 40,
        "LOCATOR_FIELD_KEYS": Fernet.generate_key().decode(),
        "LOCATOR_BASE_URL": "https://help.example.org",
        "LOCATOR_INDEX_KEY": "an-index-key-for-tests",
    } | extra


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
    settings = Settings.from_env(tmp_path, production(SECRET_KEY="s3cret-from-env"))
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


def test_a_contact_target_is_at_least_a_minute(tmp_path: Path):
    with pytest.raises(ConfigError, match="LOCATOR_TARGET_HIGH_MINUTES must be at least 1, not 0"):
        Settings.from_env(tmp_path, {"LOCATOR_TARGET_HIGH_MINUTES": "0"})
    assert dict(Settings.from_env(tmp_path, {"LOCATOR_TARGET_HIGH_MINUTES": "1"}).contact_targets)["high"] == 1


def test_secrets_are_left_out_when_settings_are_shown(tmp_path: Path):
    key = Fernet.generate_key().decode()
    settings = Settings.from_env(
        tmp_path, {"SECRET_KEY": "do-not-print", "LOCATOR_FIELD_KEYS": key, "MAIL_PASSWORD": "mail-pass"}
    )
    shown = repr(settings)
    assert "do-not-print" not in shown and key not in shown and "mail-pass" not in shown


def test_production_cookies_are_secure(tmp_path: Path):
    settings = Settings.from_env(tmp_path, production())
    assert settings.flask_config()["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("name", ["LOCATOR_FIELD_KEYS", "LOCATOR_BASE_URL", "LOCATOR_INDEX_KEY"])
def test_production_requires_field_keys_an_index_key_and_a_base_url(tmp_path: Path, name: str):
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(tmp_path, production(**{name: ""}))
    assert not (tmp_path / "field_keys").exists()


def test_development_generates_field_keys_once_and_keeps_them(tmp_path: Path):
    first = Settings.from_env(tmp_path, {})
    second = Settings.from_env(tmp_path, {})
    assert len(first.field_keys) == 1
    assert first.field_keys == second.field_keys
    assert (tmp_path / "field_keys").stat().st_mode & 0o077 == 0


def test_field_keys_are_read_newest_first(tmp_path: Path):
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings = Settings.from_env(tmp_path, {"LOCATOR_FIELD_KEYS": f" {new} , {old} "})
    assert settings.field_keys == (new, old)


def test_a_malformed_field_key_is_refused_without_showing_it(tmp_path: Path):
    with pytest.raises(ConfigError, match="key 2 is not a Fernet key") as refused:
        Settings.from_env(tmp_path, {"LOCATOR_FIELD_KEYS": Fernet.generate_key().decode() + ",not-a-key"})
    assert "not-a-key" not in str(refused.value)


def test_mail_settings(tmp_path: Path):
    settings = Settings.from_env(tmp_path, {"MAIL_SERVER": "smtp.example.org", "MAIL_PORT": "587", "MAIL_USE_TLS": "1"})
    assert (settings.mail.server, settings.mail.port, settings.mail.use_tls) == ("smtp.example.org", 587, True)
