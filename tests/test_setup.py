"""The steps `make run` takes work on an empty database, as separate processes, like a person runs them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.databases import create_database, drop_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def empty_database(tmp_path) -> str:
    url = create_database(tmp_path, prefix="locator_setup")
    yield url
    drop_database(url)


def _env(database_url: str) -> dict[str, str]:
    return os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": "setup-test-key", "LOCATOR_ENV": "development"}


def _flask(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "locator", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_make_run_steps_on_an_empty_database(empty_database):
    env = _env(empty_database)
    upgrade = _flask("db", "upgrade", env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    first = _flask("seed", "load", "--if-empty", env=env)
    assert first.returncode == 0, first.stderr
    assert "programs: 46 added" in first.stdout
    second = _flask("seed", "load", "--if-empty", env=env)
    assert "already present" in second.stdout
    assert _flask("db", "upgrade", env=env).returncode == 0  # a second `make run` reuses everything

    port = _free_port()
    server = subprocess.Popen(
        # As `make run` serves it: gunicorn, with gunicorn.conf.py from the project's directory.
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "locator:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        assert b'"status":"ok"' in _get(f"http://127.0.0.1:{port}/healthz", deadline).replace(b" ", b"")
        assert b"Demonstration data" in _get(f"http://127.0.0.1:{port}/", deadline)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_translatable_strings_can_be_extracted(tmp_path):
    pot = tmp_path / "messages.pot"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    catalogue = pot.read_text()
    assert 'msgid "Leave this site quickly"' in catalogue  # from a template
    assert 'msgid "Detox (withdrawal management)"' in catalogue  # from Python (lazy_gettext)
