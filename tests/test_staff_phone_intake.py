"""A request taken on a call: staff ask the intake form's questions and the request lands in a queue they work."""

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from locator.models import AuditEvent, IntakeRequest, OutboxMessage
from tests import factories
from tests.conftest import sign_in

ANSWERS = {
    "name": "Rae Caller",
    "phone": "614 555 0177",
    "for_whom": "self",
    "contact_method": "phone",
    "contact_time": "evening",
    "language": "es",
    "levels": "detox",
    "self_harm": "yes",
    "consent": "y",
    "privacy_ack": "y",
}


@pytest.fixture
def desk(app, session):
    a = factories.program(session, slug="program-a", name="Program A", email="a@program.example")
    b = factories.program(session, slug="program-b", name="Program B")
    coordinator = factories.staff(session, "coordinator", programs=[a])
    session.commit()
    client = app.test_client()
    sign_in(client, coordinator.email)
    return {"client": client, "a": a, "b": b, "coordinator": coordinator}


def ticket(page: str) -> str:
    return re.search(r'name="ticket" type="hidden" value="([^"]+)"', page)[1]


def count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(IntakeRequest))


def test_a_request_taken_on_a_call_is_the_takers_and_already_contacted(desk, session):
    client = desk["client"]
    page = client.get("/staff/intakes/new").get_data(as_text=True)
    assert 'id="who-heading"' in page and 'id="consent-heading"' in page  # the web form's questions
    assert f'<option selected value="{desk["a"].id}">Program A</option>' in page  # the one queue they work
    response = client.post("/staff/intakes/new", data=ANSWERS | {"queue": desk["a"].id, "ticket": ticket(page)})
    assert response.status_code == 302
    stored = session.scalars(select(IntakeRequest)).one()
    assert response.headers["Location"] == f"/staff/intakes/{stored.reference}"
    assert (stored.program_id, stored.routed_by, stored.urgency) == (desk["a"].id, "staff", "urgent")  # triaged
    assert (stored.status, stored.assigned_to_id, stored.level) == ("contacted", desk["coordinator"].id, "detox")
    assert stored.first_contact_at is not None and stored.first_contact_at >= stored.created_at
    assert (stored.phone, stored.answers["contact_time"], stored.locale) == ("+16145550177", "evening", "es")
    assert "queue" not in stored.answers and not stored.needs_review
    assert [(e.kind, e.actor_id) for e in stored.events] == [
        ("assignment", desk["coordinator"].id),
        ("contact", desk["coordinator"].id),
        ("status", desk["coordinator"].id),
    ]
    trail = session.execute(select(AuditEvent.action, AuditEvent.target_id, AuditEvent.detail)).all()
    assert ("intake.create", stored.reference, "taken on a call") in trail
    notices = session.scalars(select(OutboxMessage.recipient)).all()
    assert "a@program.example" in notices  # the program's inbox hears of it, as of any new request
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Saved as {stored.reference}." in shown and "routed by staff, who took it on a call" in shown
    assert "Request taken on this call." in shown
    assert stored.reference in client.post("/staff/search", data={"q": "Rae Caller"}).get_data(as_text=True)


def test_saving_twice_stores_it_once(desk, session):
    page = desk["client"].get("/staff/intakes/new").get_data(as_text=True)
    data = ANSWERS | {"queue": desk["a"].id, "ticket": ticket(page)}
    first, second = (desk["client"].post("/staff/intakes/new", data=data) for _ in range(2))
    assert first.headers["Location"] == second.headers["Location"] and count(session) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"queue": "other"}, "Not a valid choice."),
        ({"consent": ""}, "We need your agreement before we can contact you."),
        ({"phone": "", "contact_method": "phone"}, "Give us a phone number or an email address"),
    ],
)
def test_what_cannot_be_saved_says_why_and_keeps_every_answer(desk, session, change, message):
    change = {k: desk["b"].id if v == "other" else v for k, v in change.items()}
    response = desk["client"].post("/staff/intakes/new", data=ANSWERS | {"queue": desk["a"].id} | change)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert 'value="Rae Caller"' in page and '<option selected value="evening">' in page
    assert count(session) == 0


def test_an_admin_may_put_it_in_the_network_queue(app, desk, session):
    admin = factories.staff(session, "admin")
    session.commit()
    client = app.test_client()
    sign_in(client, admin.email)
    page = client.get("/staff/intakes/new").get_data(as_text=True)
    assert '<option value="network">Network-wide queue (no program)</option>' in page
    menu = re.search(r'<select id="queue".*?</select>', page, re.S)[0]
    assert "selected" not in menu  # several queues: none is chosen for them
    assert client.post("/staff/intakes/new", data=ANSWERS | {"queue": "network"}).status_code == 302
    stored = session.scalars(select(IntakeRequest)).one()
    assert (stored.program_id, stored.routed_by, stored.assigned_to_id) == (None, "staff", admin.id)
    assert f">{stored.reference}</a>" in client.get("/staff/?program=network").get_data(as_text=True)


def test_a_page_open_too_long_keeps_the_answers_to_save_again(app_factory, desk, session, monkeypatch):
    client = app_factory(WTF_CSRF_ENABLED=True).test_client()
    token = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    login = client.get("/staff/login").get_data(as_text=True)
    client.post(
        "/staff/login",
        data={"email": desk["coordinator"].email, "password": factories.PASSWORD}
        | {"csrf_token": token.search(login)[1]},
    )
    page = client.get("/staff/intakes/new").get_data(as_text=True)
    data = ANSWERS | {"queue": desk["a"].id, "ticket": ticket(page), "csrf_token": token.search(page)[1]}
    an_hour_on = int(time.time()) + 3700  # the session stays alive; the form's token has not
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: an_hour_on)
    response = client.post("/staff/intakes/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "This page was open too long to save it safely." in page
    assert 'value="Rae Caller"' in page and count(session) == 0
    assert client.post("/staff/intakes/new", data=data | {"csrf_token": "forged"}).status_code == 400
    assert count(session) == 0
    assert client.post("/staff/intakes/new", data=data | {"csrf_token": token.search(page)[1]}).status_code == 302
    assert count(session) == 1


def test_the_programs_inbox_hears_of_it_once_the_response_has_gone(app, desk, session):
    from locator import notify
    from locator.notify.mail import LogTransport
    from tests.test_outbox import Recorder

    app.extensions[notify.EXTENSION_KEY] = transport = Recorder()
    try:
        data = ANSWERS | {"queue": desk["a"].id}
        assert desk["client"].post("/staff/intakes/new", data=data, buffered=True).status_code == 302
    finally:
        app.extensions[notify.EXTENSION_KEY] = LogTransport()
    assert [recipient for recipient, _subject in transport.sent] == ["a@program.example"]


def test_a_coordinator_who_covers_no_program_is_told_before_the_call_not_after(app, desk, session):
    lone = factories.staff(session, "coordinator", programs=[])
    session.commit()
    client = app.test_client()
    sign_in(client, lone.email)
    page = client.get("/staff/intakes/new").get_data(as_text=True)
    assert "You cover no program yet" in page and 'id="who-heading"' not in page  # nothing to type in vain
    # Programs taken away while the page was open: what was typed is shown again, with the reason.
    response = client.post("/staff/intakes/new", data=ANSWERS | {"queue": desk["a"].id})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "You cover no program yet" in page and 'value="Rae Caller"' in page
    assert count(session) == 0
