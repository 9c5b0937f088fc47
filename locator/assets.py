"""Versioned URLs for our static files and the vendored libraries: a browser keeps them for a year, and still
fetches a new one the moment it changes. `url_for` adds `?v=` (a hash of the file's content; for a vendored
library, its package's version), and a file asked for with its current `v` is sent as immutable. Without it (or
with an old one) a file is revalidated as usual, so an old page never gets a stale stylesheet for a year.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

from locator.vendor import VERSIONS

YEAR = 365 * 24 * 3600
ENDPOINTS = ("static", "vendor.asset")


@lru_cache(maxsize=256)
def _digest(path: str, _mtime_ns: int) -> str:
    """A file's content hash, read again only when the file changes (its modification time is in the key)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def version(endpoint: str | None, values: dict) -> str | None:
    if endpoint == "vendor.asset":
        return VERSIONS.get(values.get("package", ""))
    if endpoint != "static":
        return None
    path = safe_join(current_app.static_folder or "", values.get("filename", ""))
    if path is None:
        return None
    try:
        return _digest(path, Path(path).stat().st_mtime_ns)
    except OSError:  # no such file: no version (the request is a 404 anyway)
        return None


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint in ENDPOINTS and "v" not in values and (found := version(endpoint, values)):
        values["v"] = found


def _cache_versioned(response: Response) -> Response:
    asked = request.args.get("v")
    if asked and response.status_code in (200, 304) and asked == version(request.endpoint, request.view_args or {}):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)
