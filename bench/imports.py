"""Import benchmark (`make bench`): the national directory (14,034 rows) on SQLite and PostgreSQL.

Times `flask programs import geoda_SubstanceUseTreatment_Geocoded.csv --format csv --level
outpatient` as a command (start-up included) into a new database, then the same file again (every
row unchanged), and a search from a ZIP code through the API afterwards.
"""

from __future__ import annotations

import os
import platform
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet

from bench.intake import postgres_database
from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("LOCATOR_SHARED_DATA") or ROOT.parent / "shared" / "data")
FILE = DATA / "geoda_SubstanceUseTreatment_Geocoded.csv"


def flask(env: dict, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "locator", *args], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return time.perf_counter() - start


def run(label: str, url: str) -> tuple[str, float, float]:
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": uuid.uuid4().hex,
        "LOCATOR_INDEX_KEY": "bench",
        "LOCATOR_FIELD_KEYS": Fernet.generate_key().decode(),
    }
    flask(env, "db", "upgrade")
    first = flask(env, "programs", "import", str(FILE), "--format", "csv", "--level", "outpatient")
    again = flask(env, "programs", "import", str(FILE), "--format", "csv", "--level", "outpatient")
    print(f"{label:>10}: first import {first:.1f} s, again (unchanged) {again:.1f} s", flush=True)
    return label, first, again


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="locator-bench-import-"))
    results = [run("SQLite", f"sqlite:///{workdir / 'import.db'}")]
    url, drop = postgres_database(os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    try:
        results.append(run("PostgreSQL", url))
    finally:
        drop()
    lines = [
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}). `flask programs import "
        f"{FILE.name} --format csv --level outpatient` (14,034 rows, 13,766 programs after merging duplicate "
        "sites), wall time of the whole command, into a new database; then the same file again.",
        "",
        "| database | first import (s) | again, all unchanged (s) |",
        "|---|---:|---:|",
        *(f"| {label} | {first:.1f} | {again:.1f} |" for label, first, again in results),
        "",
        "Target (issue 6): under 30 seconds.",
        "",
    ]
    write_section("Import (`bench/imports.py`)", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
