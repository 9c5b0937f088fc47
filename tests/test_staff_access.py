"""Who may open which staff page: every role (and nobody) x every URL and method, and what is audited."""

import pytest
from sqlalchemy import select

from locator.models import AuditEvent, StaffSession
from tests import factories
from tests.conftest import sign_in

ROLES = ("anonymous", "admin", "coordinator", "manager")


@pytest.fixture
def world(session):
    """Program A (covered by the coordinator and the manager) with a request, and program B with one."""
    a = factories.program(session, slug="program-a", levels=[{"level": "detox", "setting": "general"}])
    b = factories.program(session, slug="program-b")
    people = {
        "admin": factories.staff(session, "admin"),
        "coordinator": factories.staff(session, "coordinator", programs=[a]),
        "manager": factories.staff(session, "manager", programs=[a]),
    }
    mine = factories.intake_request(session, a, name="Mine Person")
    theirs = factories.intake_request(session, b, name="Their Person")
    report = factories_report(session, a)
    session.commit()
    return {
        "people": {role: user.email for role, user in people.items()},
        "mine": mine.reference,
        "theirs": theirs.reference,
        "level": a.levels[0].id,
        "program": a.id,
        "report": report,
        "staff_id": people["coordinator"].id,
    }


def factories_report(session, program) -> int:
    from locator.models import ListingReport

    report = ListingReport(program=program, kind="phone", details="")
    session.add(report)
    session.flush()
    return report.id


def client_for(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, world["people"][role]).status_code == 302
    return client


#: A request taken on a call, into program A's queue.
CALL = {"queue": "{program}", "name": "Caller", "phone": "614-555-0100", "contact_method": "phone", "consent": "y"}
CALL |= {"privacy_ack": "y", "for_whom": "self", "contact_time": "any", "language": "en"}

# (method, url template, data, expected status for anonymous, admin, coordinator, manager)
MATRIX = [
    ("GET", "/staff/", None, (302, 200, 200, 403)),
    ("POST", "/staff/search", {"q": "Mine"}, (302, 200, 200, 403)),
    ("GET", "/staff/intakes/{mine}", None, (302, 200, 200, 403)),
    ("POST", "/staff/intakes/{mine}/note", {"note-version": "1", "note-text": "x"}, (302, 302, 302, 403)),
    ("GET", "/staff/intakes/new", None, (302, 200, 200, 403)),
    ("POST", "/staff/intakes/new", CALL, (302, 302, 302, 403)),
    ("GET", "/staff/export.csv", None, (302, 200, 200, 403)),
    ("GET", "/staff/reports", None, (302, 200, 200, 403)),
    ("GET", "/staff/availability", None, (302, 200, 403, 200)),
    (
        "POST",
        "/staff/availability/{level}",
        {"level-{level}-level_id": "{level}", "level-{level}-available": "2", "level-{level}-maximum": "5"},
        (302, 302, 403, 302),
    ),
    ("GET", "/staff/programs", None, (302, 200, 403, 403)),
    ("GET", "/staff/programs/new", None, (302, 200, 403, 403)),
    ("GET", "/staff/programs/{program}", None, (302, 200, 403, 403)),
    ("POST", "/staff/programs/{program}/verify", {}, (302, 302, 403, 403)),
    ("GET", "/staff/listing-reports", None, (302, 200, 403, 403)),
    ("POST", "/staff/listing-reports/{report}", {"outcome": "resolved"}, (302, 302, 403, 403)),
    ("GET", "/staff/people", None, (302, 200, 403, 403)),
    ("GET", "/staff/people/{staff_id}", None, (302, 200, 403, 403)),
    ("POST", "/staff/people/{staff_id}/password-link", {}, (302, 302, 403, 403)),
    ("POST", "/staff/people/{staff_id}/second-factor-reset", {}, (302, 302, 403, 403)),
    ("GET", "/staff/audit", None, (302, 200, 403, 403)),
    ("GET", "/staff/notices", None, (302, 200, 403, 403)),
    ("POST", "/staff/notices/send-again", {"message": ""}, (302, 302, 403, 403)),
    ("GET", "/staff/account", None, (302, 200, 200, 200)),
    ("POST", "/staff/account/sign-out-others", {}, (302, 302, 302, 302)),
    ("GET", "/staff/session", None, (401, 200, 200, 200)),
    ("GET", "/staff/queue/arrivals?since=2026-11-24T10:00:00%2B00:00", None, (401, 200, 200, 403)),
    ("POST", "/staff/session", {}, (401, 200, 200, 200)),
    ("GET", "/staff/login", None, (200, 200, 200, 200)),
    ("GET", "/staff/login/forgot", None, (200, 200, 200, 200)),
    ("POST", "/staff/login/forgot", {"email": "someone@example.org"}, (302, 302, 302, 302)),
]


def _fill(template: str, world) -> str:
    return template.format(**world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "data", "expected"), MATRIX, ids=[f"{m} {u}" for m, u, _d, _e in MATRIX])
def test_access(app, world, role, method, url, data, expected):
    client = client_for(app, world, role)
    path = _fill(url, world)
    form = {_fill(k, world): _fill(v, world) for k, v in (data or {}).items()}
    response = client.open(path, method=method, data=form)
    assert response.status_code == expected[ROLES.index(role)], response.get_data(as_text=True)[:300]
    if expected[ROLES.index(role)] == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/staff/login")


AUDITED = [
    ("GET", "/staff/intakes/{mine}", None, "intake.view"),
    ("POST", "/staff/intakes/{mine}/note", {"note-version": "1", "note-text": "x"}, "intake.note"),
    ("GET", "/staff/export.csv", None, "intake.export"),
    ("GET", "/staff/", None, "queue.view"),
    ("POST", "/staff/search", {"q": "Mine"}, "queue.search"),
    ("POST", "/staff/intakes/new", CALL, "intake.create"),
]


@pytest.mark.parametrize("role", ["admin", "coordinator"])
@pytest.mark.parametrize(("method", "url", "data", "action"), AUDITED, ids=[a for *_x, a in AUDITED])
def test_views_changes_and_exports_are_audited(app, world, session, role, method, url, data, action):
    client = client_for(app, world, role)
    client.open(_fill(url, world), method=method, data={k: _fill(v, world) for k, v in (data or {}).items()})
    session.expire_all()
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
    assert [(e.actor_email, e.client_address) for e in events] == [(world["people"][role], "127.0.0.1")]
    if action.startswith("intake.") and action not in ("intake.export", "intake.create"):
        assert events[0].target_id == world["mine"]


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("GET", "/staff/intakes/{theirs}", None),
        ("POST", "/staff/intakes/{theirs}/note", {"note-version": "1", "note-text": "x"}),
        ("POST", "/staff/intakes/{theirs}/claim", {"claim-version": "1"}),
    ],
)
def test_a_coordinator_gets_404_for_another_programs_request(app, world, method, url, data):
    client = client_for(app, world, "coordinator")
    assert client.open(_fill(url, world), method=method, data=data or {}).status_code == 404


def test_the_queue_shows_only_the_coordinators_programs(app, world):
    page = client_for(app, world, "coordinator").get("/staff/").get_data(as_text=True)
    assert world["mine"] in page and world["theirs"] not in page
    admin_page = client_for(app, world, "admin").get("/staff/").get_data(as_text=True)
    assert world["mine"] in admin_page and world["theirs"] in admin_page


def test_a_search_never_finds_another_programs_request(app, world):
    page = client_for(app, world, "coordinator").post("/staff/search", data={"q": "Their Person"})
    assert world["theirs"] not in page.get_data(as_text=True)


def test_the_audit_trail_refuses_updates(session, world):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    session.add(AuditEvent(action="test", actor_email="x@example.org"))
    session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("UPDATE audit_event SET action = 'changed'"))
    session.rollback()


def test_a_failed_sign_in_is_audited_without_the_password(client, world, session):
    sign_in(client, world["people"]["admin"], "the wrong password here")
    session.expire_all()
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")).one()
    assert event.actor_email == world["people"]["admin"] and "wrong" not in event.detail
    assert session.scalars(select(StaffSession)).all() == []
