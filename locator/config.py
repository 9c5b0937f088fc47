"""Typed settings, read once from the environment.

`Settings.from_env()` is the only place that reads `os.environ`. Secrets have no production default:
outside development a missing `SECRET_KEY` stops start-up; in development a random key is generated
once and kept in `instance/secret_key` so sessions survive a restart. The same goes for the keys that
encrypt personal fields (`LOCATOR_FIELD_KEYS`, kept in `instance/field_keys` in development).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet
from flask import current_app

ENVIRONMENTS = ("development", "testing", "production")
GEOCODERS = ("offline", "nominatim")
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


class ConfigError(RuntimeError):
    """A setting is missing or has a value we cannot use."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret(instance_path: Path, name: str, make) -> str:
    """A secret generated once into `instance/<name>` (readable by the owner only) and reused."""
    key_file = instance_path / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = make()
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def parse_field_keys(value: str) -> tuple[str, ...]:
    """Comma-separated Fernet keys, newest first: the first encrypts, all of them decrypt."""
    keys = tuple(k.strip() for k in value.split(",") if k.strip())
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ConfigError(
                f"LOCATOR_FIELD_KEYS: key {position} is not a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    return keys


@dataclass(frozen=True)
class MailSettings:
    """SMTP delivery for the outbox. Without a server, messages are written to the log instead."""

    server: str = ""
    port: int = 25
    use_tls: bool = False  # STARTTLS
    use_ssl: bool = False
    username: str = ""
    password: str = field(default="", repr=False)
    default_sender: str = "no-reply@localhost"
    timeout: float = 10.0

    @classmethod
    def from_env(cls, env_vars) -> MailSettings:
        try:
            port = int(env_vars.get("MAIL_PORT") or 25)
            timeout = float(env_vars.get("MAIL_TIMEOUT") or 10)
        except ValueError as exc:
            raise ConfigError(f"MAIL_PORT and MAIL_TIMEOUT must be numbers: {exc}") from exc
        return cls(
            server=env_vars.get("MAIL_SERVER", "").strip(),
            port=port,
            use_tls=_flag(env_vars.get("MAIL_USE_TLS")),
            use_ssl=_flag(env_vars.get("MAIL_USE_SSL")),
            username=env_vars.get("MAIL_USERNAME", ""),
            password=env_vars.get("MAIL_PASSWORD", ""),
            default_sender=env_vars.get("MAIL_DEFAULT_SENDER") or cls.default_sender,
            timeout=timeout,
        )


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str = field(repr=False)
    database_url: str
    geocoder: str = "offline"
    geocoder_user_agent: str = "treatment-locator (self-hosted)"
    geocoder_timeout: float = 5.0
    map_tile_url: str = DEFAULT_TILE_URL
    map_tile_attribution: str = "© OpenStreetMap contributors"
    ratelimit_storage_uri: str = "memory://"
    availability_fresh_hours: int = 72
    languages: tuple[str, ...] = field(default=("en", "es"))
    field_keys: tuple[str, ...] = field(default=(), repr=False)
    base_url: str = "http://127.0.0.1:5000"
    intake_rate_limit: str = "5 per minute;30 per hour"
    intake_min_seconds: float = 3.0
    intake_email: str = ""
    proxy_hops: int = 0
    #: Key of the keyed hashes (HMAC) that let staff search encrypted names and phone numbers.
    index_key: str = field(default="", repr=False)
    require_mfa: bool = False
    #: Time to first contact that staff aim for, in minutes, by urgency (routine: one business day).
    contact_targets: tuple[tuple[str, int], ...] = (("urgent", 15), ("high", 120), ("routine", 24 * 60))
    sign_in_rate_limit: str = "10 per minute;100 per hour"  # per client address
    sign_in_account_rate_limit: str = "5 per minute;30 per hour"  # per account (email typed)
    idle_timeout_minutes: int = 30
    session_lifetime_hours: int = 12
    mail: MailSettings = field(default_factory=MailSettings)

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
            secret_key = _development_secret(instance_path, "secret_key", lambda: secrets.token_urlsafe(48))

        field_keys = parse_field_keys(env_vars.get("LOCATOR_FIELD_KEYS", ""))
        if not field_keys:
            if env == "production":
                raise ConfigError("LOCATOR_FIELD_KEYS must be set when LOCATOR_ENV=production")
            field_keys = parse_field_keys(
                _development_secret(instance_path, "field_keys", lambda: Fernet.generate_key().decode())
            )

        index_key = env_vars.get("LOCATOR_INDEX_KEY", "").strip()
        if not index_key:
            if env == "production":
                raise ConfigError("LOCATOR_INDEX_KEY must be set when LOCATOR_ENV=production")
            index_key = _development_secret(instance_path, "index_key", lambda: secrets.token_urlsafe(32))

        base_url = env_vars.get("LOCATOR_BASE_URL", "").strip().rstrip("/")
        if not base_url and env == "production":
            # Links in staff emails are built from this, never from a request's Host header.
            raise ConfigError("LOCATOR_BASE_URL must be set when LOCATOR_ENV=production")

        geocoder = env_vars.get("LOCATOR_GEOCODER", "offline").strip().lower()
        if geocoder not in GEOCODERS:
            raise ConfigError(f"LOCATOR_GEOCODER must be one of {', '.join(GEOCODERS)}, not {geocoder!r}")

        try:
            fresh_hours = int(env_vars.get("LOCATOR_AVAILABILITY_FRESH_HOURS", "72"))
            timeout = float(env_vars.get("LOCATOR_GEOCODER_TIMEOUT", "5"))
            min_seconds = float(env_vars.get("LOCATOR_INTAKE_MIN_SECONDS", "3"))
            proxy_hops = int(env_vars.get("LOCATOR_PROXY_HOPS", "0"))
            targets = tuple(
                (urgency, int(env_vars.get(f"LOCATOR_TARGET_{urgency.upper()}_MINUTES", default)))
                for urgency, default in cls.contact_targets
            )
            idle_minutes = int(env_vars.get("LOCATOR_IDLE_TIMEOUT_MINUTES", "30"))
            lifetime_hours = int(env_vars.get("LOCATOR_SESSION_LIFETIME_HOURS", "12"))
        except ValueError as exc:
            raise ConfigError(f"a numeric setting is not a number: {exc}") from exc
        for urgency, minutes in targets:
            if minutes < 1:  # a request's deadline comes after it
                raise ConfigError(f"LOCATOR_TARGET_{urgency.upper()}_MINUTES must be at least 1, not {minutes}")

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
            field_keys=field_keys,
            base_url=base_url or cls.base_url,
            intake_rate_limit=env_vars.get("LOCATOR_INTAKE_RATE_LIMIT", cls.intake_rate_limit).strip(),
            intake_min_seconds=min_seconds,
            intake_email=env_vars.get("LOCATOR_INTAKE_EMAIL", "").strip(),
            proxy_hops=proxy_hops,
            index_key=index_key,
            require_mfa=_flag(env_vars.get("LOCATOR_REQUIRE_MFA")),
            sign_in_rate_limit=env_vars.get("LOCATOR_SIGN_IN_RATE_LIMIT", cls.sign_in_rate_limit).strip(),
            sign_in_account_rate_limit=env_vars.get(
                "LOCATOR_SIGN_IN_ACCOUNT_RATE_LIMIT", cls.sign_in_account_rate_limit
            ).strip(),
            contact_targets=targets,
            idle_timeout_minutes=idle_minutes,
            session_lifetime_hours=lifetime_hours,
            mail=MailSettings.from_env(env_vars),
        )

    def contact_target(self, urgency: str) -> int:
        """Minutes to first contact that staff aim for with a request of this urgency."""
        return dict(self.contact_targets)[urgency]

    def flask_config(self) -> dict[str, object]:
        """The Flask/extension configuration keys these settings stand for."""
        return {
            "ENV_NAME": self.env,
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            # hide_parameters: a failed statement's message (and so the log) never shows the values.
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
            "LOCATOR": self,
            "BABEL_DEFAULT_LOCALE": "en",
            "BABEL_DEFAULT_TIMEZONE": "UTC",
            "MAX_CONTENT_LENGTH": 64 * 1024,
            "MAX_FORM_MEMORY_SIZE": 64 * 1024,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.env == "production",
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri,
            "RATELIMIT_HEADERS_ENABLED": False,
            # If the limiter's storage (Redis) is down, let requests through: never lose a request to it.
            "RATELIMIT_SWALLOW_ERRORS": True,
            # Stylesheets, scripts and the API's public JSON go out compressed (a search page weighs about a
            # third as much on a slow phone connection). HTML and CSV do not: they can carry form tokens and
            # personal answers beside text a visitor typed, the mix that BREACH reads through compression.
            "COMPRESS_MIMETYPES": ["text/css", "text/javascript", "application/json", "application/geo+json"],
            "COMPRESS_ALGORITHM_STREAMING": ["zstd", "br", "gzip"],  # files; gzip too, for older phones
            "COMPRESS_STREAMING_ENDPOINT_CONDITIONAL": ["static", "vendor.asset"],  # files: 304 when unchanged
        }


def current_settings() -> Settings:
    """The running app's settings."""
    return current_app.config["LOCATOR"]


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain `postgres://` / `postgresql://` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
