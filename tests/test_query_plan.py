"""The search's candidate query uses the (lat, lon) index: no plan that scans the program table."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import insert, text

from locator.directory import seed, synth
from locator.geo import OfflineGeocoder
from locator.intake import workflow
from locator.models import IntakeEvent, OutboxMessage, StaffSession, utcnow
from locator.notify import outbox
from locator.search.service import Filters, box_query, filter_clauses
from locator.staff.queue import PER_PAGE, QueueFilters, arrivals_select, queue_select, referred_in_select
from locator.staff.sessions import Limits, timed_out_select
from tests import factories


def _plan(session, statement) -> list[str]:
    dialect = session.get_bind().dialect
    sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.name == "sqlite":
        return [row[-1] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    plan = session.execute(text("EXPLAIN (FORMAT JSON) " + sql)).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        found = f"{node['Node Type']} {node.get('Relation Name', '')} {node.get('Index Name', '')}".strip()
        nodes.append(f"{found} ({node['Index Cond']})" if "Index Cond" in node else found)
        stack.extend(node.get("Plans", []))
    return nodes


def _scans_program_table(plan: list[str]) -> bool:
    for step in plan:
        words = step.split()
        if words[:2] == ["SCAN", "program"] and "INDEX" not in words:  # SQLite full scan
            return True
        if step.startswith("Seq Scan program") and not step.startswith("Seq Scan program_"):  # PostgreSQL
            return True
    return False


def test_the_search_query_plan_uses_the_location_index(app, session):
    seed.load_attributes(session, seed.SEED_DIR / "attributes.yaml")
    synth.synthesize(session, 20_000)
    session.commit()
    session.execute(text("ANALYZE"))
    origin = OfflineGeocoder().geocode("40202")
    filters = Filters(levels=("outpatient",), attributes=(("payment", ("MD",)),))
    clauses = filter_clauses(session, filters, utcnow(), 72)

    plan = _plan(session, box_query(origin, 50, clauses))

    assert plan, "no plan returned"
    assert not _scans_program_table(plan), plan
    assert any("ix_program_lat_lon" in step for step in plan), plan


def test_the_check_itself_catches_a_full_scan(app, session):
    from sqlalchemy import select

    from locator.models import Program

    seed.load_attributes(session, seed.SEED_DIR / "attributes.yaml")
    synth.synthesize(session, 2_000)
    session.commit()
    session.execute(text("ANALYZE"))
    assert _scans_program_table(_plan(session, select(Program.id).where(Program.phone == "x")))


def test_the_queue_asks_for_arrivals_on_an_index_range(app, session):
    """A queue page asks every minute what came in: a range of an index, never every request."""
    programs = [factories.program(session, slug=f"p{n}") for n in range(5)]
    now = utcnow()
    # As a live queue holds them: most requests long since dealt with, a few still new. (With every one new,
    # SQLite's planner found a scan as cheap as the index and took whichever the schema listed first.)
    statuses = ("new", "contacted", "screening", "admitted", "admitted", "referred", "declined", "closed")
    for n in range(2_000):
        status = statuses[n % len(statuses)]
        factories.intake_request(session, programs[n % 5], created_at=now - timedelta(minutes=n), status=status)
    admin = factories.staff(session, "admin")
    coordinator = factories.staff(session, "coordinator", programs=programs[:2])
    session.commit()
    session.execute(text("ANALYZE"))
    for user in (admin, coordinator):
        plan = _plan(session, arrivals_select(user, now - timedelta(minutes=3)))
        # An index whose leading columns are pinned (a status, or programs) and then read from `since` on; not
        # one read whole with `created_at` tested on each entry.
        ranges = [
            step
            for step in plan
            if step.startswith(("SEARCH intake_request", "Index"))
            and "created_at" in step
            and re.search(r"\bstatus\)?(::text)? ?=|\bprogram_id ?=", step)
        ]
        assert ranges, plan


def test_a_queue_page_reads_its_ids_from_the_queue_index_alone(app, session):
    """A page's fifty are chosen among every open request of its queues: from the index, never the table."""
    programs = [factories.program(session, slug=f"p{n}") for n in range(4)]
    now = utcnow()
    statuses = ("new", "contacted", "screening", "scheduled", "admitted", "referred", "declined", "closed")
    for n in range(3_000):
        factories.intake_request(
            session, programs[n % 4], created_at=now - timedelta(minutes=n), status=statuses[n % len(statuses)]
        )
    admin = factories.staff(session, "admin")
    coordinator = factories.staff(session, "coordinator", programs=programs[:2])
    session.commit()
    # As a live database is: planner statistics, and on PostgreSQL the visibility map that autovacuum keeps.
    with session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE intake_request" if conn.dialect.name == "postgresql" else "ANALYZE"))
    for user, index in ((coordinator, "ix_intake_request_program_queue"), (admin, "ix_intake_request_queue")):
        plan = _plan(session, queue_select(user, QueueFilters(), "key").limit(PER_PAGE))
        only_index = [
            s
            for s in plan
            if s.startswith(
                (f"SEARCH intake_request USING COVERING INDEX {index}", f"Index Only Scan intake_request {index}")
            )
        ]
        assert only_index, plan


def test_the_queue_asks_for_referrals_on_an_index_range(app, session):
    """The same minute's question, for requests referred in: a range of the events by kind and time."""
    programs = [factories.program(session, slug=f"p{n}") for n in range(3)]
    admin = factories.staff(session, "admin")
    coordinator = factories.staff(session, "coordinator", programs=programs[:1])
    now = utcnow()
    for n in range(1_000):
        request = factories.intake_request(session, programs[1], created_at=now - timedelta(days=1))
        session.add(IntakeEvent(intake_request=request, kind="note", created_at=now - timedelta(minutes=n)))
        workflow.refer(session, request, admin, programs[n % 2 * 2], now - timedelta(minutes=n))
    session.commit()
    session.execute(text("ANALYZE"))
    plan = _plan(session, referred_in_select(coordinator, now - timedelta(minutes=3)))
    assert any("ix_intake_event_kind_created" in step and "created_at" in step for step in plan), plan


def test_ending_timed_out_sessions_reads_only_the_unended_ones(app, session):
    """`flask staff end-sessions` runs every minute over a table that keeps every sign-in there ever was."""
    people = [factories.staff(session, "coordinator") for _ in range(10)]
    now = utcnow()
    session.add_all(
        StaffSession(
            staff_user_id=people[n % 10].id,
            token_hash=f"{n:064x}",
            created_at=now - timedelta(hours=n),
            last_seen_at=now - timedelta(hours=n),
            ended_at=None if n < 20 else now - timedelta(hours=n),
        )
        for n in range(3_000)
    )
    session.commit()
    session.execute(text("ANALYZE"))

    plan = _plan(session, timed_out_select(Limits(timedelta(minutes=30), timedelta(hours=12)), now))

    assert any("ix_staff_session_unended" in step for step in plan), plan
    assert not any(step.startswith(("SCAN staff_session", "Seq Scan staff_session")) for step in plan), plan


def test_the_notices_not_sent_are_read_from_the_status_index_not_from_every_sent_one(session):
    """The outbox keeps every sent message for ever; the few not sent are found through the status index."""
    now = utcnow()
    message = {"kind": "k", "recipient": "r@example.org", "subject": "s", "body": "b", "next_attempt_at": now}
    session.execute(insert(OutboxMessage), [message | {"status": "sent", "attempts": 1}] * 20_000)
    session.execute(insert(OutboxMessage), [message | {"status": "failed", "attempts": outbox.MAX_ATTEMPTS}] * 3)
    session.commit()
    session.execute(text("ANALYZE"))

    plan = _plan(session, outbox.unsent_select(now))

    assert any("ix_outbox_message_status_next_attempt" in step for step in plan), plan
    assert not any(step.startswith(("SCAN outbox_message", "Seq Scan outbox_message")) for step in plan), plan
