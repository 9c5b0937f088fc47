"""Submitting the intake form: stored before the confirmation, once per form, flagged but never dropped."""

import threading
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select, text

from locator.models import IntakeRequest
from tests import factories
from tests.conftest import make_settings
from tests.intake_forms import form_data, hidden_fields, reference_in


def all_requests(session) -> list[IntakeRequest]:
    session.expire_all()
    return list(session.scalars(select(IntakeRequest).order_by(IntakeRequest.id)))


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(IntakeRequest))


@pytest.fixture
def harbor(session):
    program = factories.program(
        session,
        slug="harbor-detox",
        name="Harbor Detox",
        intake_phone="(502) 555-0100",
        email="intake@harbor.example.org",
        levels=[{"level": "detox", "setting": "general"}],
    )
    session.commit()
    return program


def test_a_request_is_stored_routed_and_triaged_before_the_reference_is_shown(client, session, harbor):
    data = form_data(client, "?program=harbor-detox&level=detox", withdrawal_now="yes", zip="40202")
    response = client.post("/intake", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    (request,) = all_requests(session)
    assert reference_in(page) == request.reference
    assert (request.program.slug, request.routed_by, request.level) == ("harbor-detox", "chosen", "detox")
    assert request.urgency == "high"
    assert request.answers["triage"] == ["in_withdrawal", "asks_for_detox"]
    assert request.status == "new" and not request.needs_review
    assert "Harbor Detox" in page and 'href="tel:+1-502-555-0100"' in page
    assert "within about 2 hours" in page


def test_the_reference_is_short_and_easy_to_read_aloud(client, session):
    client.post("/intake", data=form_data(client))
    (request,) = all_requests(session)
    assert len(request.reference) == 8 and request.reference[3] == "-"
    assert not set(request.reference) & set("01OILU")


def test_urgent_answers_show_crisis_resources_and_still_create_the_request(client, session):
    page = client.post("/intake", data=form_data(client, self_harm="yes")).get_data(as_text=True)
    assert 'id="urgent-heading"' in page
    assert "call or text 988" in page
    assert all_requests(session)[0].urgency == "urgent"


def test_routine_answers_do_not_show_the_urgent_panel(client):
    page = client.post("/intake", data=form_data(client, levels=["outpatient"])).get_data(as_text=True)
    assert 'id="urgent-heading"' not in page
    assert "within 1 business day (Monday to Friday)" in page


def test_no_personal_data_in_the_url(client):
    data = form_data(client, name="Dana Canary", zip="40202")
    response = client.post("/intake", data=data)
    assert response.request.path == "/intake" and not response.request.query_string
    assert "Location" not in response.headers


def test_the_same_form_sent_twice_gives_one_request_and_the_same_reference(client, session):
    data = form_data(client)
    first = client.post("/intake", data=data).get_data(as_text=True)
    second = client.post("/intake", data=data).get_data(as_text=True)
    assert count(session) == 1
    assert reference_in(first) == reference_in(second) == all_requests(session)[0].reference
    assert "We had already received this request" in second


def test_two_submissions_of_one_form_at_once_give_one_row(app, session):
    data = form_data(app.test_client())
    barrier = threading.Barrier(4)
    references: list[str | None] = []

    def send():
        client = app.test_client()
        barrier.wait()
        references.append(reference_in(client.post("/intake", data=data).get_data(as_text=True)))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert count(session) == 1
    assert len(references) == 4 and len(set(references)) == 1 and references[0] is not None


def test_different_forms_give_different_requests(client, session):
    client.post("/intake", data=form_data(client))
    client.post("/intake", data=form_data(client))
    assert len({r.reference for r in all_requests(session)}) == 2


@pytest.fixture
def csrf_client(app_factory):
    return app_factory(WTF_CSRF_ENABLED=True).test_client()


def test_a_lost_session_keeps_the_answers_and_gives_a_fresh_token(csrf_client, session):
    data = form_data(csrf_client, name="Dana Keeps", notes="All of this stays")
    csrf_client.delete_cookie("session")  # the browser was closed, or the cookie expired
    response = csrf_client.post("/intake", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This page was open for a long time" in page
    assert 'value="Dana Keeps"' in page and "All of this stays</textarea>" in page
    assert count(session) == 0
    fresh = hidden_fields(page)
    assert fresh["csrf_token"] != data["csrf_token"] and fresh["ticket"] == data["ticket"]
    assert csrf_client.post("/intake", data=data | fresh).status_code == 200
    assert count(session) == 1


def test_an_expired_token_keeps_the_answers(csrf_client, session, monkeypatch):
    data = form_data(csrf_client, name="Dana Later")
    two_hours_on = int(time.time()) + 7200
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_on)
    response = csrf_client.post("/intake", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This page was open for a long time" in page and 'value="Dana Later"' in page
    assert csrf_client.post("/intake", data=data | {"csrf_token": hidden_fields(page)["csrf_token"]}).status_code == 200
    assert count(session) == 1


def test_a_forged_token_is_refused_without_storing(csrf_client, session):
    data = form_data(csrf_client) | {"csrf_token": "forged"}
    assert csrf_client.post("/intake", data=data).status_code == 400
    assert count(session) == 0


def test_the_honeypot_flags_the_request_for_review_and_keeps_it(client, session):
    page = client.post("/intake", data=form_data(client, website="http://spam.example")).get_data(as_text=True)
    (request,) = all_requests(session)
    assert reference_in(page) == request.reference
    assert request.needs_review and request.review_reason == "honeypot"


def test_a_too_fast_submission_is_flagged_not_dropped(app_factory, session, database_url):
    client = app_factory(LOCATOR=make_settings(database_url, intake_min_seconds=60)).test_client()
    assert client.post("/intake", data=form_data(client)).status_code == 200
    (request,) = all_requests(session)
    assert request.needs_review and request.review_reason == "too_fast"


def test_a_missing_or_forged_ticket_is_flagged_not_dropped(client, session):
    client.post("/intake", data=form_data(client) | {"ticket": "made-up"})
    client.post("/intake", data={k: v for k, v in form_data(client).items() if k != "ticket"})
    requests = all_requests(session)
    assert len(requests) == 2
    assert all(r.needs_review and r.review_reason == "no_ticket" for r in requests)


def test_fields_the_form_does_not_have_are_ignored(client, session, harbor):
    extra = {
        "status": "admitted",
        "urgency": "routine",
        "routed_by": "network",
        "program_id": "999",
        "needs_review": "1",
        "reference": "AAA-AAAA",
        "idempotency_key": "mine",
    }
    client.post("/intake", data=form_data(client, "?program=harbor-detox", self_harm="yes", **extra))
    (request,) = all_requests(session)
    assert request.status == "new" and request.urgency == "urgent" and request.routed_by == "chosen"
    assert request.program_id == harbor.id and not request.needs_review
    assert request.reference != "AAA-AAAA" and request.idempotency_key != "mine"
    assert not set(extra) & set(request.answers)


@pytest.mark.parametrize(
    "name",
    [
        "José Núñez-Çelik",
        "李小龙",
        "Zoë 🌱 O'Brien",
        "<script>alert('x')</script>",
        "Robert'); DROP TABLE intake_request;--",
        "{{ 7*7 }} ${7*7}",
    ],
)
def test_names_are_stored_exactly_and_shown_escaped(client, session, name):
    client.post("/intake", data=form_data(client, name=name, notes=name))
    (request,) = all_requests(session)
    assert request.name == name and request.answers["notes"] == name
    page = client.post("/intake", data=form_data(client, name=name, consent="")).get_data(as_text=True)
    assert "<script>alert" not in page and "49" not in page.split('id="name"')[1][:200]


def test_nul_bytes_are_removed(client, session):
    assert client.post("/intake", data=form_data(client, name="Da\x00na", notes="a\x00b")).status_code == 200
    (request,) = all_requests(session)
    assert "\x00" not in request.name and "\x00" not in request.answers["notes"]


def test_an_oversized_request_is_refused_with_a_page_that_still_shows_phone_numbers(client, session):
    response = client.post("/intake", data=form_data(client, notes="x" * 100_000))
    assert response.status_code == 413
    assert 'href="tel:988"' in response.get_data(as_text=True)
    assert count(session) == 0


def test_the_database_row_holds_no_personal_data_in_the_clear(client, session):
    answers = {"name": "Canaryname", "email": "canary@example.org", "notes": "canary-notes", "zip": "40202"}
    client.post("/intake", data=form_data(client, self_harm="yes", **answers))
    row = session.execute(text("SELECT * FROM intake_request")).mappings().one()
    raw = " ".join(str(value) for value in row.values())
    for secret in ("Canaryname", "canary@example.org", "canary-notes", "40202", "5550123", "self_harm"):
        assert secret not in raw
    assert row["name"].startswith("gAAAAA")  # a Fernet token
