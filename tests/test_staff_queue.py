"""The queue: order, filters, counts, search through the blind index, clocks against the targets."""

import re
from datetime import datetime, timedelta
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from locator.intake import workflow
from locator.models import IntakeRequest, StaffSession, utcnow
from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def admin_client(app, session):
    admin = factories.staff(session, "admin")
    session.commit()
    client = app.test_client()
    sign_in(client, admin.email)
    client.admin = admin
    return client


def order_in(page: str, references: list[str]) -> list[str]:
    return sorted(references, key=page.index)


def test_most_urgent_first_then_oldest(admin_client, session):
    now = utcnow()
    old_routine = factories.intake_request(session, urgency="routine", created_at=now - timedelta(hours=5))
    new_urgent = factories.intake_request(session, urgency="urgent", created_at=now - timedelta(minutes=1))
    old_urgent = factories.intake_request(session, urgency="urgent", created_at=now - timedelta(minutes=9))
    high = factories.intake_request(session, urgency="high", created_at=now - timedelta(hours=9))
    session.commit()
    page = admin_client.get("/staff/").get_data(as_text=True)
    refs = [old_urgent.reference, new_urgent.reference, high.reference, old_routine.reference]
    assert order_in(page, refs) == refs


def test_closed_requests_are_left_out_unless_asked_for(admin_client, session):
    open_one = factories.intake_request(session)
    closed = factories.intake_request(session, status="closed")
    session.commit()
    page = admin_client.get("/staff/").get_data(as_text=True)
    assert open_one.reference in page and closed.reference not in page
    assert closed.reference in admin_client.get("/staff/?status=closed").get_data(as_text=True)


def test_counts_per_status(admin_client, session):
    for status in ("new", "new", "contacted", "admitted"):
        factories.intake_request(session, status=status)
    session.commit()
    page = admin_client.get("/staff/").get_data(as_text=True)
    assert "New: <strong>2</strong>" in page and "Contacted: <strong>1</strong>" in page
    assert "Admitted: <strong>1</strong>" in page


@pytest.mark.parametrize(
    ("query", "matching"),
    [
        ("urgency=urgent", {"urgent"}),
        ("urgency=urgent&urgency=high", {"urgent", "high"}),
        ("level=detox", {"detox"}),
        ("assigned=me", {"mine"}),
        ("assigned=none", {"urgent", "high", "detox", "old", "flagged", "program"}),
        ("review=y", {"flagged"}),
        ("program=network", {"urgent", "high", "detox", "mine", "old", "flagged"}),
    ],
)
def test_filters(admin_client, session, query, matching):
    program = factories.program(session)
    made = {
        "urgent": factories.intake_request(session, urgency="urgent"),
        "high": factories.intake_request(session, urgency="high"),
        "detox": factories.intake_request(session, level="detox"),
        "mine": factories.intake_request(session, assigned_to_id=admin_client.admin.id),
        "old": factories.intake_request(session, created_at=utcnow() - timedelta(days=40)),
        "flagged": factories.intake_request(session, needs_review=True, review_reason="honeypot"),
        "program": factories.intake_request(session, program),
    }
    session.commit()
    page = admin_client.get(f"/staff/?{query}").get_data(as_text=True)
    assert {name for name, r in made.items() if r.reference in page} == matching


def test_a_date_range(admin_client, session):
    old = factories.intake_request(session, created_at=utcnow() - timedelta(days=40))
    recent = factories.intake_request(session)
    session.commit()
    since = (utcnow() - timedelta(days=7)).date().isoformat()
    page = admin_client.get(f"/staff/?created_from={since}").get_data(as_text=True)
    assert recent.reference in page and old.reference not in page


def test_a_bad_filter_is_a_message_not_an_error(admin_client):
    response = admin_client.get("/staff/?created_from=2026-05-01&created_to=2026-04-01&urgency=apocalyptic")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The end date is before the start date." in page and "Unknown choice: apocalyptic" in page
    far = admin_client.get("/staff/?created_from=0001-01-01&created_to=9999-12-31")  # 9999-12-31 + 1 day was a crash
    assert far.status_code == 400 and "Enter a date between 2000 and 2099." in far.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["josé núñez", "NUNEZ", "Jose", "(614) 555-0188", "+1 614 555 0188"])
def test_search_by_name_or_phone(admin_client, session, typed):
    wanted = factories.intake_request(session, name="José Núñez", phone="+16145550188")
    other = factories.intake_request(session, name="Josephine Smith", phone="+16145550199")
    session.commit()
    page = admin_client.post("/staff/search", data={"q": typed}).get_data(as_text=True)
    assert wanted.reference in page and other.reference not in page


def test_search_by_reference_opens_the_request(admin_client, session):
    wanted = factories.intake_request(session)
    session.commit()
    response = admin_client.post("/staff/search", data={"q": wanted.reference.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/intakes/{wanted.reference}"


def test_searching_never_puts_the_name_in_a_url(admin_client, session):
    factories.intake_request(session, name="Dana Lee")
    session.commit()
    response = admin_client.post("/staff/search", data={"q": "Dana"})
    assert response.request.path == "/staff/search" and not response.request.query_string
    assert "?q=" not in response.get_data(as_text=True)


def test_the_blind_index_holds_no_names(session):
    from sqlalchemy import text

    factories.intake_request(session, name="Dana Lee", phone="+16145550123")
    session.commit()
    tokens = [row[0] for row in session.execute(text("SELECT token FROM intake_search_token"))]
    assert len(tokens) == 3 and not any("dana" in t or "5550123" in t for t in tokens)


def test_overdue_requests_stand_out(admin_client, session):
    overdue = factories.intake_request(session, urgency="urgent", created_at=utcnow() - timedelta(minutes=40))
    on_time = factories.intake_request(session, urgency="high", created_at=utcnow() - timedelta(minutes=30))
    session.commit()
    page = admin_client.get("/staff/").get_data(as_text=True)
    row = page[page.index(overdue.reference) - 300 : page.index(overdue.reference)]
    assert "overdue" in row and "urgent-new" in row
    assert "overdue by 25 min" in page
    assert "due in 1 h 30 min" in page or "due in 1 h 29 min" in page
    assert on_time.reference in page


def test_targets_are_configurable_and_a_request_keeps_the_one_it_came_in_under(app_factory, database_url, session):
    from tests.conftest import make_settings
    from tests.intake_forms import form_data

    admin = factories.staff(session, "admin")
    before = factories.intake_request(session, urgency="urgent", created_at=utcnow() - timedelta(minutes=40))
    session.commit()
    settings = make_settings(database_url, contact_targets=(("urgent", 60), ("high", 120), ("routine", 1440)))
    client = app_factory(LOCATOR=settings).test_client()
    client.post("/intake", data=form_data(client, self_harm="yes"))
    after = session.scalar(select(IntakeRequest).where(IntakeRequest.id != before.id))
    assert after.urgency == "urgent" and after.contact_due_at - after.created_at == timedelta(minutes=60)

    sign_in(client, admin.email)
    page = client.get("/staff/").get_data(as_text=True)
    row = page[page.index(after.reference) :].split("</tr>")[0]
    assert "due in 1 h" in row or "due in 59 min" in row
    assert "overdue by 25 min" in page[page.index(before.reference) :].split("</tr>")[0]


def test_pagination(admin_client, session):
    for _ in range(55):
        factories.intake_request(session)
    session.commit()
    first = admin_client.get("/staff/").get_data(as_text=True)
    assert "55 requests" in first and "Page 1 of 2" in first
    assert admin_client.get("/staff/?page=2").get_data(as_text=True).count('class="reference-link"') == 5
    past = admin_client.get("/staff/?page=3&status=new").get_data(as_text=True)
    assert "Page 3 is past the end of this queue." in past and "No requests match." not in past
    assert 'href="/staff/?status=new">Go to the first page</a>' in past and "Page 3 of" not in past


def test_routine_targets_count_business_days():
    from datetime import UTC, datetime

    from locator.intake.targets import due_at

    friday_3pm_eastern = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    assert due_at(friday_3pm_eastern, 24 * 60).isoformat() == "2026-11-23T20:00:00+00:00"  # Monday
    assert due_at(friday_3pm_eastern, 15) == friday_3pm_eastern + timedelta(minutes=15)


QUEUE_PARAMS = ["status", "urgency", "program", "level", "assigned", "review", "created_from", "created_to", "page"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.lists(st.tuples(st.sampled_from(QUEUE_PARAMS), st.text(max_size=40)), max_size=8))
def test_any_queue_filters_get_a_page_never_an_error(admin_client, params):
    response = admin_client.get("/staff/", query_string=params)
    assert response.status_code in (200, 400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(since=st.one_of(st.text(max_size=40), st.datetimes(timezones=st.timezones()).map(datetime.isoformat)))
def test_arrivals_since_any_time_or_text_get_an_answer_never_an_error(admin_client, since):
    response = admin_client.get("/staff/queue/arrivals", query_string={"since": since})
    assert response.status_code in (200, 400)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.lists(st.tuples(st.sampled_from(["page", "per_page", "postcode", "proximity"]), st.text(max_size=20))))
def test_any_hsds_parameters_get_an_answer_never_an_error(client, params):
    response = client.get("/hsds/services", query_string=params)
    assert response.status_code in (200, 400)


def test_contacted_and_closed_requests_show_no_clock(admin_client, session):
    created = utcnow() - timedelta(hours=3)
    contacted = factories.intake_request(
        session,
        urgency="high",
        created_at=created,
        first_contact_at=created + timedelta(minutes=12),
        status="contacted",
    )
    closed = factories.intake_request(session, urgency="urgent", created_at=created, status="declined")
    session.commit()
    page = admin_client.get("/staff/?status=contacted&status=declined").get_data(as_text=True)
    contacted_row = page[page.index(contacted.reference) :].split("</tr>")[0]
    closed_row = page[page.index(closed.reference) :].split("</tr>")[0]
    assert "after 12 min" in contacted_row and "overdue" not in contacted_row
    assert "—" in closed_row and "overdue" not in closed_row and "due in" not in closed_row


def test_a_new_request_tried_but_not_reached_says_so_in_the_queue_and_on_its_page(admin_client, session):
    created = utcnow() - timedelta(hours=3)
    tried = factories.intake_request(
        session, urgency="high", created_at=created, first_contact_at=created + timedelta(minutes=12)
    )
    session.commit()
    page = admin_client.get("/staff/").get_data(as_text=True)
    row = page[page.index(tried.reference) :].split("</tr>")[0]
    assert "tried after 12 min, not reached yet" in row and "overdue" not in row
    page = admin_client.get(f"/staff/intakes/{tried.reference}").get_data(as_text=True)
    assert "first tried after 12 min, not reached yet" in page


def test_a_page_of_the_queue_costs_the_same_statements_however_many_rows(app, admin_client, session):
    """One statement for the page's rows with their programs and assignees, one for the counts: no
    statement per row, and nothing decrypted."""
    from sqlalchemy import event

    from locator.extensions import db

    def statements_for_page() -> list[str]:
        seen: list[str] = []
        with app.app_context():
            engine = db.engine

        def count(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert admin_client.get("/staff/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return seen

    programs = [factories.program(session, name=f"Program {n}") for n in range(3)]
    factories.intake_request(session, programs[0], assigned_to=admin_client.admin)
    session.commit()
    few = statements_for_page()
    for n in range(40):
        factories.intake_request(session, programs[n % 3], assigned_to=admin_client.admin if n % 2 else None)
    session.commit()
    many = statements_for_page()
    assert len(many) == len(few)
    assert not any("intake_request.name" in s or "intake_request.answers" in s for s in many)


def arrivals(client, since) -> dict:
    response = client.get("/staff/queue/arrivals", query_string={"since": since.isoformat()})
    assert response.status_code == 200
    return response.json


def test_the_queue_page_learns_of_requests_that_came_in_after_it_was_loaded(app, session):
    now = utcnow()
    mine, theirs = factories.program(session, slug="mine"), factories.program(session, slug="theirs")
    coordinator = factories.staff(session, "coordinator", programs=[mine])
    factories.intake_request(session, mine, urgency="urgent", created_at=now - timedelta(minutes=10))
    session.commit()
    client = app.test_client()
    sign_in(client, coordinator.email)
    page = client.get("/staff/").get_data(as_text=True)
    since = re.search(r'data-url="/staff/queue/arrivals\?since=([^"]+)"', page).group(1)
    assert arrivals(client, datetime.fromisoformat(unquote(since))) == {"count": 0, "urgent": 0, "text": ""}

    later = now + timedelta(seconds=1)
    for urgency in ("urgent", "routine"):
        factories.intake_request(session, mine, urgency=urgency, created_at=later)
    factories.intake_request(session, theirs, urgency="urgent", created_at=later)  # not the coordinator's
    factories.intake_request(session, urgency="urgent", created_at=later)  # the network queue: admins'
    session.commit()
    assert arrivals(client, now) == {
        "count": 2,
        "urgent": 1,
        "text": "2 new requests since this page was loaded, 1 urgent.",
    }


def test_the_queue_page_learns_of_requests_referred_into_it(app, session):
    now, earlier, later = utcnow(), utcnow() - timedelta(hours=1), utcnow() + timedelta(seconds=2)
    mine, also_mine, theirs = (factories.program(session, slug=slug) for slug in ("mine", "also-mine", "theirs"))
    coordinator = factories.staff(session, "coordinator", programs=[mine, also_mine])
    admin = factories.staff(session, "admin")
    came = [factories.intake_request(session, theirs, urgency=u, created_at=earlier) for u in ("urgent", "routine")]
    before = factories.intake_request(session, theirs, created_at=earlier)
    within = factories.intake_request(session, also_mine, created_at=earlier)
    passing = factories.intake_request(session, theirs, created_at=earlier)
    fresh = factories.intake_request(session, theirs, urgency="high", created_at=now + timedelta(seconds=1))
    workflow.refer(session, before, admin, mine, now - timedelta(minutes=5))  # before the page was loaded
    for request in came:
        workflow.refer(session, request, admin, mine, later)
    workflow.refer(session, within, admin, mine, later)  # between the coordinator's own queues: already seen
    workflow.refer(session, passing, admin, mine, later)
    workflow.refer(session, passing, admin, theirs, later + timedelta(seconds=1))  # and gone again
    workflow.refer(session, fresh, admin, mine, later)  # new since: counted once, as new
    session.commit()
    client = app.test_client()
    sign_in(client, coordinator.email)
    assert arrivals(client, now) == {
        "count": 3,
        "urgent": 1,
        "text": "3 new requests since this page was loaded, 1 urgent, 2 referred from another queue.",
    }
    sign_in(client, admin.email)  # every queue is the admin's: a referral brings nothing new
    assert arrivals(client, now) == {"count": 1, "urgent": 0, "text": "1 new request since this page was loaded."}


def test_asking_for_arrivals_is_not_activity(app, session):
    coordinator = factories.staff(session, "coordinator")
    session.commit()
    client = app.test_client()
    sign_in(client, coordinator.email)
    record = session.scalars(select(StaffSession)).one()
    record.last_seen_at = utcnow() - timedelta(minutes=20)
    session.commit()
    arrivals(client, utcnow())
    session.expire_all()
    assert utcnow() - session.scalars(select(StaffSession)).one().last_seen_at >= timedelta(minutes=20)


@pytest.mark.parametrize(
    "since",
    [
        "",
        "yesterday",
        "2026-11-24",
        "2026-11-24T10:00:00",  # no offset
        "2026-13-01T00:00:00+00:00",
        "0001-01-01T00:00:00+05:00",  # before the first day there is, in UTC
        "9999-12-31T23:59:59-14:00",  # after the last
    ],
)
def test_arrivals_since_a_bad_time_is_a_clear_400(admin_client, since):
    response = admin_client.get("/staff/queue/arrivals", query_string={"since": since})
    assert response.status_code == 400
    assert list(response.json["errors"]) == ["since"]


def test_a_coordinator_who_covers_no_program_is_not_shown_an_empty_queue_as_a_quiet_one(app, session):
    program = factories.program(session)
    factories.intake_request(session, program)
    covering, lone = factories.staff(session, programs=[program]), factories.staff(session, programs=[])
    session.commit()
    pages = {}
    for user in (covering, lone):
        client = app.test_client()
        sign_in(client, user.email)
        pages[user] = client.get("/staff/").get_data(as_text=True)
    assert "You cover no program yet" in pages[lone] and "0 requests" in pages[lone]
    assert "You cover no program yet" not in pages[covering] and "1 request" in pages[covering]
