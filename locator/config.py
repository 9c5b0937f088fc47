"""Typed settings, read once from the environment.

`Settings.from_env()` is the only place that reads `os.environ`. Secrets have no production default:
outside development a missing `SECRET_KEY` stops start-up; in development a random key is generated
once and kept in `instance/secret_key` so sessions survive a restart.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

ENVIRONMENTS = ("development", "testing", "production")
GEOCODERS = ("offline", "nominatim")
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


class ConfigError(RuntimeError):
    """A setting is missing or has a value we cannot use."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret(instance_path: Path) -> str:
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    database_url: str
    geocoder: str = "offline"
    geocoder_user_agent: str = "treatment-locator (self-hosted)"
    geocoder_timeout: float = 5.0
    map_tile_url: str = DEFAULT_TILE_URL
    map_tile_attribution: str = "© OpenStreetMap contributors"
    ratelimit_storage_uri: str = "memory://"
    availability_fresh_hours: int = 72
    languages: tuple[str, ...] = field(default=("en", "es"))

    @classmethod
    def from_env(cls, instance_path: Path, environ: dict[str, str] | None = None) -> Settings:
        env_vars = os.environ if environ is None else environ
        env = env_vars.get("LOCATOR_ENV", "development").strip().lower()
        if env not in ENVIRONMENTS:
            raise ConfigError(f"LOCATOR_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")

        secret_key = env_vars.get("SECRET_KEY", "")
        if not secret_key:
            if env == "production":
                raise ConfigError("SECRET_KEY must be set when LOCATOR_ENV=production")
            secret_key = _development_secret(instance_path)

        geocoder = env_vars.get("LOCATOR_GEOCODER", "offline").strip().lower()
        if geocoder not in GEOCODERS:
            raise ConfigError(f"LOCATOR_GEOCODER must be one of {', '.join(GEOCODERS)}, not {geocoder!r}")

        try:
            fresh_hours = int(env_vars.get("LOCATOR_AVAILABILITY_FRESH_HOURS", "72"))
            timeout = float(env_vars.get("LOCATOR_GEOCODER_TIMEOUT", "5"))
        except ValueError as exc:
            raise ConfigError(f"a numeric setting is not a number: {exc}") from exc

        default_db = f"sqlite:///{instance_path / 'locator.db'}"
        return cls(
            env=env,
            secret_key=secret_key,
            database_url=normalise_database_url(env_vars.get("DATABASE_URL") or default_db),
            geocoder=geocoder,
            geocoder_user_agent=env_vars.get("LOCATOR_GEOCODER_USER_AGENT", cls.geocoder_user_agent),
            geocoder_timeout=timeout,
            map_tile_url=env_vars.get("MAP_TILE_URL", DEFAULT_TILE_URL),
            map_tile_attribution=env_vars.get("MAP_TILE_ATTRIBUTION", cls.map_tile_attribution),
            ratelimit_storage_uri=env_vars.get("RATELIMIT_STORAGE_URI", "memory://"),
            availability_fresh_hours=fresh_hours,
        )

    def flask_config(self) -> dict[str, object]:
        """The Flask/extension configuration keys these settings stand for."""
        return {
            "ENV_NAME": self.env,
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "LOCATOR": self,
            "BABEL_DEFAULT_LOCALE": "en",
            "BABEL_DEFAULT_TIMEZONE": "UTC",
            "MAX_CONTENT_LENGTH": 64 * 1024,
            "MAX_FORM_MEMORY_SIZE": 64 * 1024,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.env == "production",
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri,
        }

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["secret_key"] = "***"  # noqa: S105 (a mask, not a password)
        return data


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain `postgres://` / `postgresql://` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
