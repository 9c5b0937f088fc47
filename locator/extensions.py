"""The extension objects, created unbound; `create_app` calls their `init_app`."""

import sqlite3

import flask_compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from locator.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()


class Compress(flask_compress.Compress):
    """Flask-Compress, closing what it wraps: it streams a file (a stylesheet, a script) through its compressor
    in place of the file's own iterable, and the file was left open for the garbage collector to find."""

    def after_request(self, response):
        source = response.response
        response = super().after_request(response)
        if response.response is not source and hasattr(source, "close"):
            response.call_on_close(source.close)
        return response


compress = Compress()
login_manager = LoginManager()
# Keyed on the client address (behind a proxy, set LOCATOR_PROXY_HOPS). Like every extension
# object here it is shared, and its storage is the one of the app that called `init_app` last: one
# app per process in production; tests of rate limits build their own app right before they run.
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: write-ahead log, wait instead of failing on a busy database, enforce foreign keys."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
