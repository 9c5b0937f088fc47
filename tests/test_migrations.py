"""`upgrade head` builds exactly the models' schema; every revision goes down and back up."""

import uuid
from datetime import UTC, datetime

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from locator.extensions import db
from tests.conftest import make_app
from tests.databases import create_database, drop_database


@pytest.fixture
def empty_app(tmp_path):
    url = create_database(tmp_path, prefix="locator_migrations")
    app = make_app(url)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(url)


def _schema_diff(app) -> list:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_head_matches_the_models(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert _schema_diff(empty_app) == []
    assert _tables(empty_app) == set(db.metadata.tables)


def test_downgrade_to_base_and_upgrade_again(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
    assert _tables(empty_app) == set()
    with empty_app.app_context():
        flask_migrate.upgrade()
    assert _schema_diff(empty_app) == []


def test_each_revision_goes_down_and_up(empty_app):
    from alembic.script import ScriptDirectory

    with empty_app.app_context():
        config = empty_app.extensions["migrate"].migrate.get_config()
        revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
        for revision in revisions:
            flask_migrate.upgrade(revision=revision.revision)
            flask_migrate.downgrade(revision=revision.down_revision or "base")
            flask_migrate.upgrade(revision=revision.revision)
    assert _schema_diff(empty_app) == []


#: A program row as the revisions before open-data ids stored it.
OLD_PROGRAM = {
    "slug": "x",
    "name": "X",
    "street1": "",
    "street2": "",
    "city": "Columbus",
    "state": "OH",
    "zip": "43215",
    "county": "",
    "lat": 39.96,
    "lon": -83.0,
    "phone": "",
    "intake_phone": "",
    "website": "",
    "email": "",
    "description": "",
    "timezone": "America/New_York",
    "accepting_new": True,
    "source": "manual",
    "is_demo": False,
    "created_at": "2026-01-01 00:00:00",
    "updated_at": "2026-01-01 00:00:00",
}


def _insert_old_programs(conn, slugs: list[str]) -> None:
    columns = ", ".join(OLD_PROGRAM)
    values = ", ".join(f":{c}" for c in OLD_PROGRAM)
    conn.execute(text(f"INSERT INTO program ({columns}) VALUES ({values})"), [OLD_PROGRAM | {"slug": s} for s in slugs])


#: What refers to a program, a staff member or a request, as the tables stood at 16941bfa4718: the rows that
#: rebuilding a referred-to table must keep, with their references.
LINKED_ROWS = [
    "INSERT INTO program_level (program_id, level, setting, capacity_unit, capacity_updated_by)"
    " VALUES (1, 'detox', 'general', 'bed', '')",
    "INSERT INTO attribute (category, code, label) VALUES ('payment', 'cash', 'Cash')",
    "INSERT INTO program_attribute (program_id, attribute_id) VALUES (1, 1)",
    "INSERT INTO listing_report (program_id, kind, details, status, created_at)"
    " VALUES (1, 'closed', '', 'open', '2026-11-20 06:00:00')",
    "INSERT INTO staff_user (email, name, role, is_active, created_at)"
    " VALUES ('a@example.org', 'A', 'coordinator', true, '2026-11-20 06:00:00')",
    "INSERT INTO staff_program (staff_user_id, program_id) VALUES (1, 1)",
    "INSERT INTO staff_session (staff_user_id, token_hash, created_at, authenticated_at, last_seen_at)"
    " VALUES (1, 'h', '2026-11-20 06:00:00', '2026-11-20 06:00:00', '2026-11-20 06:00:00')",
    "INSERT INTO intake_request (reference, idempotency_key, created_at, updated_at, urgency, priority, status,"
    " program_id, assigned_to_id, routed_by, locale, needs_review, review_reason, version, name, answers)"
    " VALUES ('AAA-AAAA', 'k', '2026-11-20 06:00:00', '2026-11-20 06:00:00', 'routine', 2, 'new', 1, 1, 'chosen',"
    " 'en', false, '', 1, 'x', 'x')",
    "INSERT INTO intake_event (intake_request_id, created_at, kind, actor_id, from_program_id, to_program_id)"
    " VALUES (1, '2026-11-20 06:00:00', 'referral', 1, 1, 1)",
    "INSERT INTO intake_search_token (intake_request_id, token) VALUES (1, 't')",
]

#: Each of those rows by what it refers to.
LINKS = {
    "program_level": "program_id",
    "program_attribute": "program_id, attribute_id",
    "listing_report": "program_id",
    "staff_program": "staff_user_id, program_id",
    "staff_session": "staff_user_id",
    "intake_request": "program_id, assigned_to_id",
    "intake_event": "intake_request_id, actor_id, from_program_id, to_program_id",
    "intake_search_token": "intake_request_id",
}


def _links(conn) -> dict[str, list[tuple]]:
    return {table: [tuple(r) for r in conn.execute(text(f"SELECT {c} FROM {table}"))] for table, c in LINKS.items()}


def test_migrating_up_and_down_keeps_every_row_that_refers_to_a_rebuilt_table(empty_app):
    """On SQLite a revision that changes a constraint rebuilds the table. Its rows are copied, but with foreign
    keys enforced the old table's drop would delete whatever refers to it by ON DELETE CASCADE (a request's
    history, a program's levels) and empty what refers to it by SET NULL (a request's program)."""
    with empty_app.app_context():
        flask_migrate.upgrade(revision="16941bfa4718")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO organization (name, website) VALUES ('A', '')"))
            _insert_old_programs(conn, ["x"])
            for statement in LINKED_ROWS:
                conn.execute(text(statement))
            before = _links(conn)
        assert all(len(rows) == 1 for rows in before.values())
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            assert _links(conn) == before
            if conn.dialect.name == "sqlite":  # enforced again on the connection the migration used
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        flask_migrate.downgrade(revision="16941bfa4718")
        with db.engine.connect() as conn:
            assert _links(conn) == before


def test_programs_and_organizations_from_before_open_data_ids_get_distinct_ones(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="16941bfa4718")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO organization (name, website) VALUES ('A', ''), ('B', '')"))
            _insert_old_programs(conn, [f"program-{n}" for n in range(3)])
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            for table, count in (("program", 3), ("organization", 2)):
                found = [row[0] for row in conn.execute(text(f"SELECT uuid FROM {table}"))]
                assert len(set(found)) == count and None not in found, table


def test_a_slug_that_is_no_url_segment_is_made_one(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="16941bfa4718")
        with db.engine.begin() as conn:
            _insert_old_programs(conn, ["uber-hilfe-1", "Über Hilfe/1", "ok-2"])
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            slugs = set(conn.scalars(text("SELECT slug FROM program")))
    assert slugs == {"uber-hilfe-1", "uber-hilfe-1-2", "ok-2"}


def test_requests_from_before_deadlines_were_kept_are_given_the_one_the_queue_showed(empty_app):
    """Routine: one business day in the program's time zone; urgent: fifteen minutes; the network's zone
    for a request with no program."""
    with empty_app.app_context():
        flask_migrate.upgrade(revision="8d3f6b2a9c15")
        with db.engine.begin() as conn:
            west = OLD_PROGRAM | {"slug": "west", "timezone": "America/Los_Angeles", "uuid": str(uuid.uuid4())}
            conn.execute(
                text(f"INSERT INTO program ({', '.join(west)}) VALUES ({', '.join(':' + c for c in west)})"), west
            )
            program_id = conn.scalar(text("SELECT id FROM program"))
            friday = "2026-11-20 06:00:00.000000"  # 1 am on Friday in New York, 10 pm on Thursday in Los Angeles
            rows = [
                ("AAA-AAAA", "routine", 2, program_id),
                ("BBB-BBBB", "routine", 2, None),
                ("CCC-CCCC", "urgent", 0, None),
            ]
            for reference, urgency, priority, program in rows:
                conn.execute(
                    text(
                        "INSERT INTO intake_request (reference, idempotency_key, created_at, updated_at, urgency,"
                        " priority, status, program_id, routed_by, locale, needs_review, review_reason, version,"
                        " name, answers) VALUES (:ref, :ref, :at, :at, :urgency, :priority, 'new', :program,"
                        " :routed, 'en', false, '', 1, 'x', 'x')"
                    ),
                    {
                        "ref": reference,
                        "at": friday,
                        "urgency": urgency,
                        "priority": priority,
                        "program": program,
                        "routed": "chosen" if program else "network",
                    },
                )
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            due = dict(conn.execute(text("SELECT reference, contact_due_at FROM intake_request")).all())
    # SQLite gives the stored text, PostgreSQL an aware datetime
    as_text = {ref: str(at.astimezone(UTC) if isinstance(at, datetime) else at)[:16] for ref, at in due.items()}
    assert as_text == {"AAA-AAAA": "2026-11-21 06:00", "BBB-BBBB": "2026-11-23 06:00", "CCC-CCCC": "2026-11-20 06:15"}


def test_requests_whose_last_attempt_found_the_number_wrong_are_flagged_as_their_pages_showed(empty_app):
    with empty_app.app_context():
        flask_migrate.upgrade(revision="e8b1f03c5d27")
        with db.engine.begin() as conn:
            at = "2026-11-20 06:00:00.000000"
            for reference in ("AAA-AAAA", "BBB-BBBB", "CCC-CCCC", "DDD-DDDD"):
                conn.execute(
                    text(
                        "INSERT INTO intake_request (reference, idempotency_key, created_at, updated_at, urgency,"
                        " priority, status, contact_due_at, routed_by, locale, needs_review, review_reason, version,"
                        " name, answers) VALUES (:ref, :ref, :at, :at, 'routine', 2, 'new', :due, 'network', 'en',"
                        " false, '', 1, 'x', 'x')"
                    ),
                    {"ref": reference, "at": at, "due": "2026-11-21 06:00:00.000000"},
                )
            ids = dict(conn.execute(text("SELECT reference, id FROM intake_request")).all())
            history = [  # in order: the last contact attempt or correction is what counts, and nothing else
                ("AAA-AAAA", "contact", "no_answer"),
                ("AAA-AAAA", "contact", "wrong_number"),
                ("AAA-AAAA", "note", None),
                ("BBB-BBBB", "contact", "wrong_number"),
                ("BBB-BBBB", "contact", "voicemail"),
                ("CCC-CCCC", "contact", "wrong_number"),
                ("CCC-CCCC", "details", None),
            ]
            for reference, kind, outcome in history:
                conn.execute(
                    text(
                        "INSERT INTO intake_event (intake_request_id, created_at, kind, contact_method,"
                        " contact_outcome, previous) VALUES (:id, :at, :kind, :method, :outcome, :previous)"
                    ),
                    {
                        "id": ids[reference],
                        "at": at,
                        "kind": kind,
                        "method": outcome and "phone",
                        "outcome": outcome,
                        "previous": "x" if kind == "details" else None,  # what it was, encrypted: not read here
                    },
                )
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            flagged = dict(conn.execute(text("SELECT reference, contact_found_wrong FROM intake_request")).all())
    assert {ref: bool(value) for ref, value in flagged.items()} == {
        "AAA-AAAA": True,
        "BBB-BBBB": False,
        "CCC-CCCC": False,
        "DDD-DDDD": False,
    }
