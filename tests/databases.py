"""Throw-away databases for a test run: a temporary SQLite file, or a new PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from locator.config import normalise_database_url


def server_url() -> str | None:
    """The PostgreSQL server the suite runs against, or None for SQLite."""
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return normalise_database_url(url) if url else None


def create_database(directory: Path, prefix: str = "locator_test") -> str:
    """A new, empty database; returns its URL."""
    base = server_url()
    if base is None:
        return f"sqlite:///{directory / (prefix + '.db')}"
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    base = server_url()
    if base is None:
        return
    name = make_url(url).database
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
