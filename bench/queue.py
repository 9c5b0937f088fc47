"""Queue benchmark (`make bench`): the staff queue and reports at 100k intake requests, against raw SQL.

On SQLite and on PostgreSQL: the demo network, 100,000 requests spread over its programs (and the
network queue) across a year, 30% of them open. Timed through the real app in-process (session check,
queue, counts, audit row, page): a coordinator's first page, and an admin's filtered page
(urgent detox requests). "Raw" is the SQL the page needs, by hand, on the same indexes: the page
of ids in queue order, the counts per status (the total is their sum), and the page's rows.
"Floor" is what any staff page costs before it reads a request or writes any HTML: a route added
here that only checks the session and the role and commits its audit row.
Reports (counted in the database) are timed against only reading the period's requests, the columns a
report counts, which counting them in Python would need before it counted anything.
"""

from __future__ import annotations

import os
import platform
import random
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
from cryptography.fernet import Fernet
from flask import abort
from flask_login import current_user
from sqlalchemy import Text, bindparam, select, text

from bench.intake import postgres_database
from bench.results import percentile, write_section
from locator import create_app
from locator.config import Settings, current_settings
from locator.crypto import FieldCipher
from locator.directory import seed
from locator.extensions import db
from locator.hours import NETWORK_TIMEZONE
from locator.intake.reference import ALPHABET
from locator.intake.targets import due_at
from locator.models import IntakeRequest, Program, UTCDateTime, utcnow
from locator.models.intake import STATUSES, URGENCIES
from locator.staff import accounts, audit
from locator.staff.access import QUEUE_ROLES
from locator.staff.queue import QueueFilters, queue

REQUESTS = 100_000
REPEATS = 40
REPORT_REPEATS = 10
PASSWORD = secrets.token_urlsafe(16)  # a throw-away account in a throw-away database
OPEN = ("new", "contacted", "screening", "scheduled")


def fill(session, key: str, count: int) -> None:
    cipher = FieldCipher((key,))
    name, phone, answers = cipher.encrypt("Bench Person"), cipher.encrypt("+16145550100"), cipher.encrypt("{}")
    zones = dict(session.execute(select(Program.id, Program.timezone)).all())
    program_ids = list(zones)
    target = current_settings().contact_target
    rng = random.Random(3)
    now = datetime.now(UTC)
    references = set()
    rows = []
    # The ciphertext is made once above and written as stored text: the columns' own types would encrypt it again.
    stored = {column: bindparam(column, type_=Text()) for column in ("name", "phone", "answers")}
    insert = IntakeRequest.__table__.insert().values(stored)
    for n in range(count):
        while (ref := "".join(rng.choice(ALPHABET) for _ in range(7))) in references:
            pass
        references.add(ref)
        urgency = rng.choices(URGENCIES, weights=(10, 30, 60))[0]
        program_id = rng.choice(program_ids) if rng.random() > 0.05 else None
        created = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        status = rng.choice(OPEN) if rng.random() < 0.3 else rng.choice(STATUSES[4:])
        # Reached after a wait of about its target (urgent 15 min, high 2 h, routine a day), unless still new.
        wait = timedelta(minutes=rng.expovariate(1 / target(urgency)))
        rows.append(
            {
                "reference": f"{ref[:3]}-{ref[3:]}",
                "idempotency_key": f"bench-{n}",
                "created_at": created,
                "updated_at": created,
                "urgency": urgency,
                "priority": URGENCIES.index(urgency),
                "status": status,
                "first_contact_at": None if status == "new" else created + wait,
                "contact_due_at": due_at(created, target(urgency), zones.get(program_id) or NETWORK_TIMEZONE),
                "program_id": program_id,
                "level": rng.choice(["detox", "residential", "outpatient", "aftercare", None]),
                "routed_by": "chosen" if program_id else "network",
                "locale": "en",
                "needs_review": False,
                "review_reason": "",
                "version": 1,
                "name": name,
                "phone": phone,
                "email": None,
                "answers": answers,
            }
        )
        if len(rows) == 5000:
            session.execute(insert, rows)
            rows = []
    if rows:
        session.execute(insert, rows)


RAW = {
    "ids": """SELECT id FROM intake_request WHERE {where} AND status IN ('new','contacted','screening','scheduled')
              ORDER BY priority, created_at, id LIMIT 50""",
    "counts": "SELECT status, count(*) FROM intake_request WHERE {where} GROUP BY status",
    "rows": """SELECT r.id, r.reference, r.urgency, r.status, r.created_at, r.first_contact_at, r.level, p.name
               FROM intake_request r LEFT JOIN program p ON p.id = r.program_id WHERE r.id IN ({ids})""",
}


RAW_REPORT = """SELECT created_at, urgency, level, status, program_id, first_contact_at, contact_due_at
                FROM intake_request WHERE {where} AND created_at >= :start AND created_at < :end"""


def raw_report(session, where: str, start: datetime, end: datetime) -> float:
    period = (bindparam("start", start, type_=UTCDateTime), bindparam("end", end, type_=UTCDateTime))
    begin = time.perf_counter()
    session.execute(text(RAW_REPORT.format(where=where)).bindparams(*period)).all()
    return (time.perf_counter() - begin) * 1000


def raw_page(session, where: str) -> float:
    start = time.perf_counter()
    ids = [row[0] for row in session.execute(text(RAW["ids"].format(where=where)))]
    session.execute(text(RAW["counts"].format(where=where))).all()
    session.execute(text(RAW["rows"].format(ids=",".join(map(str, ids)) or "0"))).all()
    return (time.perf_counter() - start) * 1000


def add_floor(app) -> str:
    """A bare signed-in, audited response: the fixed cost the queue page carries on top of its SQL."""

    def floor():
        if not current_user.is_authenticated or current_user.role not in QUEUE_ROLES:
            abort(403)
        audit.record(db.session, "queue.view", detail="bench floor")
        db.session.commit()
        return ""

    app.add_url_rule("/staff/bench-floor", "bench_floor", floor)
    return "/staff/bench-floor"


def timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


def measure(label: str, database_url: str, count: int, key: str) -> tuple[list[tuple], list[tuple]]:
    settings = Settings(
        env="testing",
        secret_key=secrets.token_hex(16),
        database_url=database_url,
        field_keys=(key,),
        index_key="bench",
        sign_in_rate_limit="",
        sign_in_account_rate_limit="",
    )
    app = create_app({"LOCATOR": settings, "WTF_CSRF_ENABLED": False})
    floor_url = add_floor(app)
    with app.app_context():
        flask_migrate.upgrade()
        seed.load(db.session)
        start = time.perf_counter()
        fill(db.session, key, count)
        programs = list(db.session.scalars(select(Program).order_by(Program.id).limit(3)))
        accounts.create(db.session, "coord@bench.example", "coordinator", programs, password=PASSWORD)
        accounts.create(db.session, "admin@bench.example", "admin", password=PASSWORD)
        db.session.commit()
        analyse(db.engine)
        build_s = time.perf_counter() - start
        program_ids = ",".join(str(p.id) for p in programs)

    cases = [
        ("coordinator, first page", "coord@bench.example", "/staff/", QueueFilters(), f"program_id IN ({program_ids})"),
        (
            "admin, urgent detox",
            "admin@bench.example",
            "/staff/?urgency=urgent&level=detox",
            QueueFilters(urgencies=("urgent",), level="detox"),
            "priority = 0 AND level = 'detox'",
        ),
    ]
    results, reports = [], []
    for case, email, url, filters, where in cases:
        client = app.test_client()
        client.post("/staff/login", data={"email": email, "password": PASSWORD})
        timed(client, url)  # warm
        timed(client, floor_url)
        app_ms, floor_ms, service_ms, raw_ms = [], [], [], []
        with app.app_context():
            user = accounts.by_email(db.session, email)
            for _ in range(REPEATS):
                app_ms.append(timed(client, url))
                floor_ms.append(timed(client, floor_url))
                start = time.perf_counter()
                queue(db.session, user, filters, 1, "bench")
                service_ms.append((time.perf_counter() - start) * 1000)
                db.session.expunge_all()
                raw_ms.append(raw_page(db.session, where))
        results.append((label, case, build_s, app_ms, floor_ms, service_ms, raw_ms))
        a50, f50, s50, r50 = (percentile(v, 0.5) for v in (app_ms, floor_ms, service_ms, raw_ms))
        print(
            f"{label:>10} {case:>24}: page {a50:6.1f} ms  floor {f50:6.1f}  queue() {s50:6.1f}  raw {r50:6.1f}",
            flush=True,
        )
    for case, email, days, where in [
        ("admin, 12 weeks", "admin@bench.example", 84, "1 = 1"),
        ("admin, a year", "admin@bench.example", 365, "1 = 1"),
        ("coordinator, a year", "coord@bench.example", 365, f"program_id IN ({program_ids})"),
    ]:
        client = app.test_client()
        client.post("/staff/login", data={"email": email, "password": PASSWORD})
        today = utcnow().date()
        url = f"/staff/reports?start={today - timedelta(days=days - 1)}&end={today}"
        start = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), UTC)
        timed(client, url)  # warm
        app_ms, raw_ms = [], []
        with app.app_context():
            for _ in range(REPORT_REPEATS):
                app_ms.append(timed(client, url))
                raw_ms.append(raw_report(db.session, where, start, start + timedelta(days=days)))
        reports.append((label, case, app_ms, raw_ms))
        print(
            f"{label:>10} {case:>24}: page {percentile(app_ms, 0.5):6.1f} ms  raw read {percentile(raw_ms, 0.5):6.1f}"
        )
    with app.app_context():
        db.engine.dispose()
    return results, reports


def analyse(engine) -> None:
    """Planner statistics, as a live database has them (PostgreSQL: also the visibility map autovacuum keeps)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else REQUESTS
    workdir = Path(tempfile.mkdtemp(prefix="locator-bench-queue-"))
    key = Fernet.generate_key().decode()
    results, reports = measure("SQLite", f"sqlite:///{workdir / 'queue.db'}", count, key)
    pg_url, drop = postgres_database(os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    try:
        pg_results, pg_reports = measure("PostgreSQL", pg_url, count, key)
    finally:
        drop()
    write_results(count, results + pg_results, reports + pg_reports)
    return 0


def write_results(count: int, results, reports) -> None:
    lines = [
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({platform.machine()}, "
        f"Python {platform.python_version()}). {count:,} intake requests over the demo network's programs, 30% "
        f"open, then the planner statistics (PostgreSQL: VACUUM ANALYZE); {REPEATS} requests per case after a "
        "warm-up. Page: GET through the real app in-process, signed in (session check, filters, queue, counts, "
        "audit row and commit, HTML). Floor: a bare route, signed in, that checks the session and role and commits "
        "its audit row, with no queue and no HTML. `queue()`: the queue service alone. Raw: the page's ids in "
        "queue order, the counts per status (the total is their sum) and the page's rows, as hand-written SQL on "
        "the same indexes.",
        "",
        "| database | case | built (s) | page p50 (ms) | page p95 (ms) | floor p50 (ms) | queue() p50 (ms) "
        "| raw p50 (ms) | queue()/raw | (floor + queue())/raw | page/raw |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, case, build_s, app_ms, floor_ms, service_ms, raw_ms in results:
        a50, f50, s50, r50 = (percentile(v, 0.5) for v in (app_ms, floor_ms, service_ms, raw_ms))
        lines.append(
            f"| {label} | {case} | {build_s:.0f} | {a50:.1f} | {percentile(app_ms, 0.95):.1f} | {f50:.1f} | "
            f"{s50:.1f} | {r50:.1f} | {s50 / r50:.2f}x | {(f50 + s50) / r50:.2f}x | {a50 / r50:.2f}x |"
        )
    lines += [
        "",
        "Target (issue 5): the page within 3x of the raw SQL for the same rows. The admin's filtered page meets",
        "it, and the queue service (`queue()`) is within about 2x of raw in every case. The coordinator's first",
        "page does not, on either database: its SQL takes a millisecond or two, and the floor and `queue()` alone",
        "come to about 2.5x to 3.5x of it before the page has built its filter form or written any HTML (the",
        "layout, the form and fifty lines: page minus floor and queue() above, a fixed cost that does not grow",
        "with the requests).",
        "",
        f"Reports over the same requests, {REPORT_REPEATS} requests per case after a warm-up. Page: GET "
        "/staff/reports for the period, counted in the database (weeks by urgency and level, outcomes per program, "
        "the median and 90th-percentile wait ranked there). Raw read: only fetching the period's requests, the "
        "columns a report counts, which counting in Python would need first.",
        "",
        "| database | report | page p50 (ms) | page p95 (ms) | raw read p50 (ms) | page/raw read |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, case, app_ms, raw_ms in reports:
        a50, r50 = percentile(app_ms, 0.5), percentile(raw_ms, 0.5)
        lines.append(
            f"| {label} | {case} | {a50:.1f} | {percentile(app_ms, 0.95):.1f} | {r50:.1f} | {a50 / r50:.2f}x |"
        )
    lines.append("")
    write_section("Queue (`bench/queue.py`)", lines)


if __name__ == "__main__":
    raise SystemExit(main())
