"""Intake benchmark (`make bench`): 8 concurrent clients submit 500 requests through gunicorn on loopback.

For each database (SQLite, then PostgreSQL at BENCH_POSTGRES_URL, default the local `test` server):
a fresh database is migrated and seeded, gunicorn serves the real app (4 gthread workers x 2
threads, `gunicorn.conf.py`), and each client does what a browser does: GET /intake (cookie, CSRF
token, ticket), then POST the answers. Every tenth submission is sent a second time with the same
ticket, as a double click or a retry after a timeout would be.

Afterwards the database is checked: a request acknowledged with a reference but not stored is
*lost*; more stored rows than distinct forms, or a resubmission answered with another reference,
is *duplicated*. Both must be 0.
"""

from __future__ import annotations

import os
import platform
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.results import percentile, write_section

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
REQUESTS = 500
RESUBMIT_EVERY = 10
ZIPS = ["43215", "45202", "44114", "40202", "40507", "46204", "46802", "47708", "45402", "41011"]
_HIDDEN = re.compile(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"')
_REFERENCE = re.compile(r'id="reference">([^<]+)<')


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)  # ticket -> reference
    mismatched_resubmits: int = 0
    errors: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(database_url: str, env: dict[str, str]) -> None:
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "locator"]
    for args in (["db", "upgrade"], ["seed", "load"]):
        subprocess.run([*flask, *args], env=env, cwd=ROOT, check=True, capture_output=True)


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/gunicorn"), "-b", f"127.0.0.1:{port}", "locator:create_app()"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start; see {log}")


def client(base: str, count: int, number: int, outcome: Outcome, lock: threading.Lock) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    rng = random.Random(number)
    for i in range(count):
        try:
            page = opener.open(f"{base}/intake", timeout=30).read().decode()
            fields = dict(_HIDDEN.findall(page))
            answers = fields | {
                "for_whom": "self",
                "name": f"Bench {number}-{i}",
                "phone": f"(614) 555-{rng.randrange(100, 200):04d}",
                "contact_method": "phone",
                "contact_time": "any",
                "language": "en",
                "zip": rng.choice(ZIPS),
                "levels": rng.choice(["detox", "residential", "outpatient", "not_sure"]),
                "withdrawal_now": rng.choice(["yes", "no"]),
                "consent": "y",
                "privacy_ack": "y",
            }
            body = urllib.parse.urlencode(answers).encode()
            sends = 2 if i % RESUBMIT_EVERY == 0 else 1
            for attempt in range(sends):
                start = time.perf_counter()
                html = opener.open(f"{base}/intake", data=body, timeout=30).read().decode()
                elapsed = (time.perf_counter() - start) * 1000
                reference = _REFERENCE.search(html).group(1)
                with lock:
                    outcome.latencies_ms.append(elapsed)
                    if attempt == 0:
                        outcome.references[fields["ticket"]] = reference
                    elif outcome.references[fields["ticket"]] != reference:
                        outcome.mismatched_resubmits += 1
        except Exception as exc:  # counted and reported, never hidden
            with lock:
                outcome.errors.append(f"{type(exc).__name__}: {exc}")


def verify(database_url: str, outcome: Outcome) -> tuple[int, int]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT reference, idempotency_key FROM intake_request")).all())
    engine.dispose()
    lost = sum(1 for reference in outcome.references.values() if reference not in stored)
    duplicated = max(0, len(stored) - len(outcome.references)) + outcome.mismatched_resubmits
    return lost, duplicated


def run(label: str, database_url: str, workdir: Path) -> dict:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "LOCATOR_ENV": "development",
        "SECRET_KEY": uuid.uuid4().hex,
        "LOCATOR_FIELD_KEYS": Fernet.generate_key().decode(),
        "LOCATOR_INTAKE_RATE_LIMIT": "",
        "LOCATOR_INTAKE_MIN_SECONDS": "0",
    }
    prepare(database_url, env)
    port = free_port()
    server = serve(env, port, workdir / f"gunicorn-{label}.log")
    outcome, lock = Outcome(), threading.Lock()
    shares = [REQUESTS // CLIENTS + (1 if n < REQUESTS % CLIENTS else 0) for n in range(CLIENTS)]
    threads = [
        threading.Thread(target=client, args=(f"http://127.0.0.1:{port}", share, n, outcome, lock))
        for n, share in enumerate(shares)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    server.terminate()
    server.wait(timeout=30)
    lost, duplicated = verify(database_url, outcome)
    result = {
        "label": label,
        "submitted": len(outcome.references),
        "posts": len(outcome.latencies_ms),
        "throughput": len(outcome.references) / wall,
        "p50": percentile(outcome.latencies_ms, 0.5) if outcome.latencies_ms else float("nan"),
        "p95": percentile(outcome.latencies_ms, 0.95) if outcome.latencies_ms else float("nan"),
        "lost": lost,
        "duplicated": duplicated,
        "errors": outcome.errors,
    }
    print(
        f"{label:>10}: {result['submitted']} requests ({result['posts']} POSTs) in {wall:.1f} s, "
        f"{result['throughput']:.1f}/s, p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
        f"lost {lost}, duplicated {duplicated}, errors {len(outcome.errors)}",
        flush=True,
    )
    return result


def postgres_database(server_url: str) -> tuple[str, Callable[[], None]]:
    base = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"locator_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="locator-bench-intake-"))
    results = [run("SQLite", f"sqlite:///{workdir / 'intake.db'}", workdir)]
    pg_url, drop = postgres_database(os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    try:
        results.append(run("PostgreSQL", pg_url, workdir))
    finally:
        drop()
    write_results(results)
    failed = [r for r in results if r["lost"] or r["duplicated"] or r["errors"] or r["submitted"] != REQUESTS]
    for r in failed:
        print(f"{r['label']}: {r['errors'][:3]}", file=sys.stderr)
    return 1 if failed else 0


def write_results(results: list[dict]) -> None:
    lines = [
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}). {CLIENTS} concurrent clients, {REQUESTS} "
        "intake requests, each a GET of the form and a POST of the answers, through gunicorn on loopback "
        f"(4 gthread workers x 2 threads); every {RESUBMIT_EVERY}th form is posted twice with the same ticket. "
        "Latency is per POST (validation, triage, routing, encryption, commit, outbox row, confirmation page).",
        "",
        "| database | requests | POSTs | requests/s | POST p50 (ms) | POST p95 (ms) | lost | duplicated | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['submitted']} | {r['posts']} | {r['throughput']:.1f} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['lost']} | {r['duplicated']} | {len(r['errors'])} |"
        )
    lines += ["", "Target (issue 4): lost and duplicated both 0.", ""]
    write_section("Intake (`bench/intake.py`)", lines)


if __name__ == "__main__":
    raise SystemExit(main())
