"""Fixtures: one database per test run (built by the real migrations), emptied after every test."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, create_engine, delete
from werkzeug.serving import make_server

from locator import create_app
from locator.config import Settings
from locator.extensions import db
from locator.models import Base
from tests.databases import create_database, drop_database

ROOT = Path(__file__).resolve().parent.parent


TEST_FIELD_KEY = "Y2lwaGVyLWtleS1mb3ItdGhlLXRlc3Qtc3VpdGUtMzI="  # base64 of 32 bytes; tests only


def make_settings(database_url: str, **overrides) -> Settings:
    values = {
        "env": "testing",
        "secret_key": "test-secret-key",
        "database_url": database_url,
        "field_keys": (TEST_FIELD_KEY,),
        "index_key": "test-index-key",
        "intake_rate_limit": "",  # rate limits off, except in the tests of rate limiting
        "sign_in_rate_limit": "",
        "sign_in_account_rate_limit": "",
        "intake_min_seconds": 0,
    } | overrides
    return Settings(**values)


def make_app(database_url: str, **config) -> Flask:
    settings = config.pop("LOCATOR", None) or make_settings(database_url)
    return create_app({"LOCATOR": settings, "TESTING": True, "WTF_CSRF_ENABLED": False} | config)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    url = create_database(tmp_path_factory.mktemp("db"))
    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    flask_app = make_app(database_url)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def _cleaner(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request) -> Iterator[None]:
    """Every test starts from empty tables (real commits, so threads and processes see the data)."""
    engine = request.getfixturevalue("_cleaner") if "database_url" in request.fixturenames else None
    yield
    if engine is not None:
        with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(delete(table))


@pytest.fixture
def app_factory(database_url: str):
    """Build extra apps on the test database (own routes or settings); their pools are closed after."""
    made: list[Flask] = []

    def build(**config) -> Flask:
        made.append(make_app(config.pop("database_url", database_url), **config))
        return made[-1]

    yield build
    for flask_app in made:
        with flask_app.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _read_whole(app):
    """Each response read whole, and closed, before the server writes it. When a browser drops a
    connection mid-response (a test navigating on), werkzeug's development server skips closing the
    response, and a static file's handle is left to the garbage collector: a ResourceWarning, which
    fails whichever test is running."""

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The test app behind werkzeug's real threaded server on a loopback port."""
    server = make_server("127.0.0.1", 0, _read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def data_app(database_url: str) -> Iterator[Flask]:
    """A second app on the test database, for the tests' own reads and writes.

    Requests to `app` then push contexts of their own (Flask reuses a pushed context of the *same*
    app), so a test's session never shares an identity map or `g` with the code it tests.
    """
    flask_app = make_app(database_url)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture
def session(data_app: Flask):
    """The SQLAlchemy session, in an app context of its own (see `data_app`)."""
    with data_app.app_context():
        yield db.session


@pytest.fixture
def seeded(app: Flask) -> None:
    from locator.directory import seed

    with app.app_context():
        seed.load(db.session)
        db.session.commit()


def shared_data_dir() -> Path | None:
    """`../shared/data` (or LOCATOR_SHARED_DATA); fails instead of skipping when REQUIRE_SHARED_DATA=1."""
    path = Path(os.environ.get("LOCATOR_SHARED_DATA") or ROOT.parent / "shared" / "data")
    if path.is_dir():
        return path
    if os.environ.get("REQUIRE_SHARED_DATA") == "1":
        pytest.fail(f"REQUIRE_SHARED_DATA=1 but {path} is missing")
    pytest.skip(f"shared data not found at {path}")
    return None


def sign_in(client: FlaskClient, email: str, password: str | None = None):
    from tests.factories import PASSWORD

    return client.post("/staff/login", data={"email": email, "password": password or PASSWORD})


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues() -> None:
    """Compile the translation catalogues (as `make test` does) when they are missing or stale."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (ROOT / "locator" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source))
