"""One request: its answers, history and actions; transitions; referral; two people at once; export."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from locator.intake import workflow
from locator.models import AuditEvent, IntakeEvent, IntakeRequest, StaffSession, utcnow
from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def setup(app, session):
    a = factories.program(session, slug="program-a", name="Program A")
    b = factories.program(session, slug="program-b", name="Program B")
    coordinator = factories.staff(session, "coordinator", programs=[a])
    colleague_b = factories.staff(session, "coordinator", programs=[b])
    answers = {"contact_method": "phone", "contact_time": "any", "notes": "Mornings only", "self_harm": "no"}
    request = factories.intake_request(session, a, name="Dana Lee", answers=answers)
    session.commit()
    client = app.test_client()
    sign_in(client, coordinator.email)
    return {"client": client, "request": request, "a": a, "b": b, "coordinator": coordinator, "b_staff": colleague_b}


def act(client, reference, action, version=1, **fields):
    data = {f"{action}-version": str(version)} | {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(f"/staff/intakes/{reference}/{action}", data=data)


def reload(session, request) -> IntakeRequest:
    session.expire_all()
    return session.get(IntakeRequest, request.id)


def test_the_page_shows_every_answer(setup):
    page = setup["client"].get(f"/staff/intakes/{setup['request'].reference}").get_data(as_text=True)
    assert "Dana Lee" in page and "(614) 555-0123" in page and "Mornings only" in page


def test_the_history_comes_before_the_actions(setup):
    """What was tried and said so far is read before the next call, on a phone as on a wide screen."""
    page = setup["client"].get(f"/staff/intakes/{setup['request'].reference}").get_data(as_text=True)
    assert page.index('id="answers-heading"') < page.index('id="history-heading"') < page.index('id="actions-heading"')


def test_an_unanswered_voicemail_or_text_question_reads_as_a_no(app, setup, session):
    """The answers keep only what was answered; the page says what an unanswered question means."""
    page = setup["client"].get(f"/staff/intakes/{setup['request'].reference}").get_data(as_text=True)
    assert "<dd>Not answered: leave no message</dd>" in page and "<dd>Not answered: send no text</dd>" in page
    assert "<dt>ZIP code</dt><dd>—</dd>" in page
    answered = factories.intake_request(session, setup["a"], answers={"voicemail_ok": "yes", "text_ok": "no"})
    session.commit()
    page = setup["client"].get(f"/staff/intakes/{answered.reference}").get_data(as_text=True)
    assert "<dt>Voicemail safe</dt><dd>Yes</dd>" in page and "<dt>Texts safe</dt><dd>No</dd>" in page


def test_the_page_says_in_words_how_it_came_and_why_it_is_flagged(app, session):
    program = factories.program(session, slug="program-a")
    coordinator = factories.staff(session, "coordinator", programs=[program])
    flagged = factories.intake_request(
        session, program, urgency="high", needs_review=True, review_reason="no_ticket,too_fast"
    )
    session.commit()
    client = app.test_client()
    sign_in(client, coordinator.email)
    page = client.get(f"/staff/intakes/{flagged.reference}").get_data(as_text=True)
    assert "Request received (High), routed to the program they chose" in page
    assert "Flagged for review (sent without its form ticket; sent seconds after the form was opened)" in page


def test_from_new_to_admitted_with_history(setup, session):
    client, request = setup["client"], setup["request"]
    ref = request.reference
    assert act(client, ref, "claim", 1).status_code == 302
    assert act(client, ref, "contact", 2, method="phone", outcome="reached", note="Talked").status_code == 302
    assert reload(session, request).status == "contacted"  # reached them
    for version, status in enumerate(("screening", "scheduled", "admitted"), start=3):
        assert act(client, ref, "status", version, to_status=status).status_code == 302
    stored = reload(session, request)
    assert stored.status == "admitted" and stored.closed_at is not None
    assert stored.assigned_to_id == setup["coordinator"].id and stored.first_contact_at is not None
    kinds = [e.kind for e in stored.events]
    assert kinds == ["assignment", "contact", "status", "status", "status", "status"]
    page = client.get(f"/staff/intakes/{ref}").get_data(as_text=True)
    assert "status Scheduled → Admitted" in page and "contact (Phone call): Reached them" in page and "Talked" in page


@pytest.mark.parametrize("to_status", ["admitted", "scheduled", "new"])
def test_a_status_cannot_skip_ahead(setup, session, to_status):
    response = act(setup["client"], setup["request"].reference, "status", 1, to_status=to_status)
    assert response.status_code == 400
    assert reload(session, setup["request"]).status == "new"


def test_any_open_request_can_be_closed_and_then_nothing_more():
    assert workflow.allowed_statuses("screening") == ("scheduled", "referred", "declined", "closed")
    assert workflow.allowed_statuses("declined") == ()


def test_the_status_check_holds_in_the_database(session, setup):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE intake_request SET status = 'lost'"))
    session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE intake_request SET priority = 2, urgency = 'urgent'"))
    session.rollback()


def test_the_first_contact_attempt_sets_the_time_to_first_contact(setup, session):
    act(setup["client"], setup["request"].reference, "contact", 1, method="phone", outcome="no_answer")
    first = reload(session, setup["request"]).first_contact_at
    act(setup["client"], setup["request"].reference, "contact", 2, method="text", outcome="message_sent")
    assert first is not None and reload(session, setup["request"]).first_contact_at == first


def test_reaching_the_person_makes_a_new_request_contacted_in_its_history_and_audit_trail(setup, session):
    client, ref = setup["client"], setup["request"].reference
    act(client, ref, "contact", 1, method="phone", outcome="no_answer")
    assert reload(session, setup["request"]).status == "new"
    response = act(client, ref, "contact", 2, method="phone", outcome="reached")
    stored = reload(session, setup["request"])
    assert stored.status == "contacted" and stored.version == 3  # one change, one new version
    assert [(e.kind, e.to_status) for e in stored.events] == [
        ("contact", None),
        ("contact", None),
        ("status", "contacted"),
    ]
    trail = session.execute(select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)).all()
    assert trail[-2:] == [("intake.contact", "phone: reached"), ("intake.status", "to contacted")]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. The request is now Contacted." in page and "status New → Contacted" in page


def test_reaching_the_person_later_on_changes_no_status(setup, session):
    client, ref = setup["client"], setup["request"].reference
    act(client, ref, "status", 1, to_status="contacted")
    act(client, ref, "status", 2, to_status="screening")
    act(client, ref, "contact", 3, method="phone", outcome="reached")
    stored = reload(session, setup["request"])
    assert stored.status == "screening" and [e.kind for e in stored.events][-1] == "contact"


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        ("contact", {"method": "phone", "outcome": ""}, "Choose what happened."),
        ("contact", {"method": "", "outcome": "reached"}, "Choose how you tried."),
        ("status", {"to_status": ""}, "Choose the new status."),
        ("refer", {"program": ""}, "Choose the program."),
        ("urgency", {"urgency": ""}, "Choose the new urgency."),
    ],
)
def test_nothing_is_recorded_until_a_choice_is_made(setup, session, action, fields, message):
    """No outcome, status or program is chosen in advance: a click on the button alone records nothing."""
    ref = setup["request"].reference
    page = setup["client"].get(f"/staff/intakes/{ref}").get_data(as_text=True)
    assert page.count('<option value="">Choose one</option>') == 5
    menus = {m[1]: m[0] for m in re.finditer(r'<select id="([^"]+)".*?</select>', page, re.S)}
    assert set(menus) >= {"contact-method", "contact-outcome", "status-to_status", "urgency-urgency", "refer-program"}
    for menu_id in ("contact-method", "contact-outcome", "status-to_status", "urgency-urgency", "refer-program"):
        assert "selected" not in menus[menu_id]
    assert re.findall(r"<option selected[^>]*>[^<]*", menus["assign-assignee"]) == ['<option selected value="">Nobody']
    response = act(setup["client"], ref, action, 1, note="Typed before the slip", **fields)
    answer = response.get_data(as_text=True)
    assert response.status_code == 400 and message in answer and "Typed before the slip" in answer
    stored = reload(session, setup["request"])
    assert (stored.version, stored.status, stored.first_contact_at) == (1, "new", None)
    assert (stored.program_id, stored.urgency) == (setup["a"].id, "routine")


def test_the_assign_menu_shows_who_has_the_request_and_a_click_alone_changes_nothing(setup, session):
    client, ref, me = setup["client"], setup["request"].reference, setup["coordinator"]
    act(client, ref, "claim", 1)
    page = client.get(f"/staff/intakes/{ref}").get_data(as_text=True)
    assert f'<option selected value="{me.id}">' in page
    response = act(client, ref, "assign", 2, assignee=str(me.id))  # Assign, with the menu as it was shown
    assert response.status_code == 400 and "It is assigned to that person already." in response.get_data(as_text=True)
    stored = reload(session, setup["request"])
    assert stored.assigned_to_id == me.id and [e.kind for e in stored.events] == ["assignment"]
    assert act(client, ref, "assign", 2, assignee="").status_code == 302  # chosen: nobody
    assert reload(session, setup["request"]).assigned_to_id is None


def test_triaging_again_moves_the_request_up_the_queue_and_the_history_keeps_why(app, setup, session):
    client, ref = setup["client"], setup["request"].reference
    waiting = factories.intake_request(session, setup["a"], urgency="high")
    session.commit()
    response = act(client, ref, "urgency", 1, urgency="urgent", note="Shaking and sweating on the call")
    assert response.status_code == 302
    stored = reload(session, setup["request"])
    assert (stored.urgency, stored.priority, stored.version) == ("urgent", 0, 2)
    [event] = stored.events
    assert (event.kind, event.from_urgency, event.to_urgency) == ("urgency", "routine", "urgent")
    trail = session.execute(select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id.desc())).first()
    assert tuple(trail) == ("intake.urgency", "to urgent")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "urgency Routine → Urgent" in page and "Shaking and sweating on the call" in page
    assert "Request received (Routine)" in page and "(now Urgent: see the history)" in page
    queue = client.get("/staff/").get_data(as_text=True)
    assert queue.index(ref) < queue.index(waiting.reference)  # urgent before high


def test_triaging_again_needs_a_reason_and_a_different_urgency(setup, session):
    client, ref = setup["client"], setup["request"].reference
    response = act(client, ref, "urgency", 1, urgency="urgent", note="")
    assert response.status_code == 400 and "Say why: the history keeps it." in response.get_data(as_text=True)
    response = act(client, ref, "urgency", 1, urgency="routine", note="Checked again")
    answer = response.get_data(as_text=True)
    assert response.status_code == 400 and "It has that urgency already." in answer and "Checked again" in answer
    stored = reload(session, setup["request"])
    assert (stored.urgency, stored.version, stored.events) == ("routine", 1, [])


def test_a_new_urgency_moves_when_the_first_contact_is_due_only_towards_it(setup, session):
    """Raised: due within the new target from now, never later than it was. Lowered: due within the new target
    from arrival, never sooner. Once the person has been contacted, the due time is history and stays."""
    request, staff, minute = setup["request"], setup["coordinator"], timedelta(minutes=1)
    arrived, was_due = request.created_at, request.contact_due_at  # routine: a business day
    workflow.change_urgency(session, request, staff, "high", 120, arrived + 30 * minute, "On the phone")
    assert request.contact_due_at == arrived + 150 * minute
    workflow.change_urgency(session, request, staff, "urgent", 15, arrived + 31 * minute, "Worse")
    assert request.contact_due_at == arrived + 46 * minute
    workflow.change_urgency(session, request, staff, "high", 120, arrived + 32 * minute, "Better")
    assert request.contact_due_at == arrived + 120 * minute  # the high target from arrival
    workflow.change_urgency(session, request, staff, "routine", 24 * 60, arrived + 33 * minute, "Stable")
    assert request.contact_due_at == was_due
    workflow.log_contact(session, request, staff, "phone", "reached", arrived + 40 * minute)
    workflow.change_urgency(session, request, staff, "urgent", 15, arrived + 50 * minute, "Relapse")
    assert request.contact_due_at == was_due and request.priority == 0


def test_an_urgency_change_or_a_correction_must_say_what_it_was_in_the_database(setup, session):
    from sqlalchemy.exc import IntegrityError

    insert = "INSERT INTO intake_event (intake_request_id, kind, created_at, {column}) VALUES (:id, :kind, :now, :v)"
    for kind, column, value in [
        ("urgency", "to_urgency", "urgent"),
        ("urgency", "from_urgency", "urgent"),
        ("details", "note", "x"),
    ]:
        with pytest.raises(IntegrityError):
            values = {"id": setup["request"].id, "kind": kind, "now": utcnow().isoformat(), "v": value}
            session.execute(text(insert.format(column=column)), values)
        session.rollback()


def test_a_flagged_request_is_cleared_by_a_person_who_checked_it(app, setup, session):
    client = setup["client"]
    flagged = factories.intake_request(session, setup["a"], needs_review=True, review_reason="too_fast")
    session.commit()
    page = client.get(f"/staff/intakes/{flagged.reference}").get_data(as_text=True)
    assert "Flagged for review" in page and 'id="review-form"' in page
    flagged_only = client.get("/staff/?review=y").get_data(as_text=True)
    assert flagged.reference in flagged_only and setup["request"].reference not in flagged_only
    response = act(client, flagged.reference, "review", 1, note="Called back, a real person")
    assert response.status_code == 302
    stored = reload(session, flagged)
    assert (stored.needs_review, stored.review_reason) == (False, "too_fast")  # why it was flagged stays on record
    assert [e.kind for e in stored.events] == ["review"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Flagged for review" not in page and 'id="review-form"' not in page
    assert "checked the review flag: a person sent this" in page and "Called back, a real person" in page
    assert flagged.reference not in client.get("/staff/?review=y").get_data(as_text=True)
    about_it = select(AuditEvent.action).where(AuditEvent.target_id == flagged.reference).order_by(AuditEvent.id)
    trail = session.scalars(about_it).all()
    assert trail == ["intake.view", "intake.review", "intake.view"]


def test_a_request_not_flagged_has_no_flag_to_clear(setup, session):
    page = setup["client"].get(f"/staff/intakes/{setup['request'].reference}").get_data(as_text=True)
    assert 'id="review-form"' not in page
    assert act(setup["client"], setup["request"].reference, "review", 1).status_code == 400
    stored = reload(session, setup["request"])
    assert (stored.version, stored.events) == (1, [])
    with pytest.raises(workflow.WorkflowError, match="not flagged for review"):
        workflow.clear_review(session, stored, setup["coordinator"], utcnow())


DANA = {"name": "Dana Lee", "phone": "(614) 555-0123", "email": "", "contact_method": "phone", "contact_time": "any"}


def test_correcting_how_to_reach_the_person_keeps_what_it_was_and_search_follows(setup, session):
    client, ref = setup["client"], setup["request"].reference
    page = client.get(f"/staff/intakes/{ref}").get_data(as_text=True)
    assert 'id="details-name" maxlength="100" name="details-name" required type="text" value="Dana Lee"' in page
    assert 'name="details-phone" type="tel" value="(614) 555-0123"' in page
    fields = DANA | {
        "phone": "614 555 0199",
        "email": "Dana@Example.org",
        "contact_time": "evening",
        "voicemail_ok": "yes",
    }
    response = act(client, ref, "details", 1, **fields, note="She called the front desk")
    assert response.status_code == 302
    stored = reload(session, setup["request"])
    assert (stored.phone, stored.email, stored.version) == ("+16145550199", "Dana@example.org", 2)
    assert stored.answers["voicemail_ok"] == "yes" and stored.answers["notes"] == "Mornings only"  # the rest kept
    [event] = stored.events
    assert event.previous == {"phone": "+16145550123", "email": None, "contact_time": "any", "voicemail_ok": None}
    stored_text = session.execute(text("SELECT previous FROM intake_event")).scalar()
    assert "555" not in stored_text and "phone" not in stored_text  # encrypted, as the request's own details are
    trail = session.execute(select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id.desc())).first()
    assert tuple(trail) == ("intake.details", "phone, email, contact_time, voicemail_ok")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "contact details corrected: Phone number was (614) 555-0123; Email address was not given; "
        "Good time was Any time; Voicemail safe was not given"
    ) in page
    assert "She called the front desk" in page and "(614) 555-0199" in page
    assert client.post("/staff/search", data={"q": "614-555-0199"}).get_data(as_text=True).count(ref) == 2
    assert ref not in client.post("/staff/search", data={"q": "614-555-0123"}).get_data(as_text=True)
    act(client, ref, "details", 2, **(fields | {"name": "Dee <i>Lee</i>"}))
    assert ref in client.post("/staff/search", data={"q": "Dee"}).get_data(as_text=True)
    assert ref not in client.post("/staff/search", data={"q": "Dana"}).get_data(as_text=True)
    act(client, ref, "details", 3, **(fields | {"name": "Dee"}))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Name to ask for was Dee &lt;i&gt;Lee&lt;/i&gt;" in page and "<i>Lee" not in page  # escaped, as typed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "", "email": ""}, "Keep a phone number or an email address: without one nobody can follow up."),
        ({"contact_method": "email"}, "An email needs an email address."),
        ({"phone": "555-01"}, "Enter a phone number with its area code, like 614-555-0123."),
        ({"name": ""}, "Keep a name to ask for."),
        ({}, "Nothing is different from what the request holds."),
    ],
)
def test_a_correction_leaves_a_way_to_reach_them_and_changes_something(setup, session, fields, message):
    response = act(setup["client"], setup["request"].reference, "details", 1, **(DANA | fields), note="Typed note")
    answer = response.get_data(as_text=True)
    assert response.status_code == 400 and message in answer and "Typed note" in answer
    stored = reload(session, setup["request"])
    assert (stored.version, stored.phone, stored.events) == (1, "+16145550123", [])


def test_a_referral_moves_the_request_to_the_other_programs_queue(app, setup, session):
    ref = setup["request"].reference
    act(setup["client"], ref, "claim", 1)
    assert act(setup["client"], ref, "refer", 2, program=str(setup["b"].id), note="Closer to home").status_code == 302
    stored = reload(session, setup["request"])
    assert stored.program_id == setup["b"].id and stored.assigned_to_id is None and stored.status == "new"
    assert setup["client"].get(f"/staff/intakes/{ref}").status_code == 404  # no longer A's
    other = app.test_client()
    sign_in(other, setup["b_staff"].email)
    page = other.get(f"/staff/intakes/{ref}").get_data(as_text=True)
    assert "referred from Program A to Program B" in page and "Closer to home" in page


def test_the_referral_menu_puts_places_open_for_the_level_asked_for_first_and_nearest_first(app, session):
    now = utcnow()

    def detox(available, updated=now):
        return {
            "level": "detox",
            "setting": "residential_detox",
            "capacity_available": available,
            "capacity_maximum": 10,
            "capacity_updated_at": updated,
        }

    here = factories.program(session, name="Here", levels=[detox(0)])
    louisville = {"city": "Louisville", "lat": 38.25, "lon": -85.75}  # the person's ZIP, 40202
    lexington = {"city": "Lexington", "lat": 38.04, "lon": -84.50}  # about 70 miles away
    factories.program(session, name="Far Open", levels=[detox(3)], **lexington)
    factories.program(
        session, name="Near Open", levels=[detox(2), detox(1) | {"setting": "outpatient_detox"}], **louisville
    )
    factories.program(session, name="Near Full", levels=[detox(0)], **louisville)
    factories.program(session, name="Near Stale", levels=[detox(4, now - timedelta(days=5))], **louisville)
    factories.program(
        session, name="Near Outpatient", levels=[{"level": "outpatient", "setting": "general"}], **louisville
    )
    coordinator = factories.staff(session, "coordinator", programs=[here])
    request = factories.intake_request(session, here, level="detox", answers={"zip": "40202"})
    session.commit()
    client = app.test_client()
    sign_in(client, coordinator.email)
    page = client.get(f"/staff/intakes/{request.reference}").get_data(as_text=True)
    menu = re.search(r'<select[^>]*name="refer-program".*?</select>', page, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', menu, re.S)
    listed = [(label, re.findall(r">([^<]+)</option>", options)) for label, options in groups]
    assert listed == [
        (
            "Places open for Detox (withdrawal management)",
            ["Near Open (Louisville, KY) · 3 open · 0 mi", "Far Open (Lexington, KY) · 3 open · 69 mi"],
        ),
        (
            "Detox (withdrawal management): full or not confirmed",
            ["Near Full (Louisville, KY) · 0 mi", "Near Stale (Louisville, KY) · 0 mi"],
        ),
        ("Other programs", ["Near Outpatient (Louisville, KY) · 0 mi"]),
    ]
    assert "Here (" not in menu  # already in its queue
    assert "This program has no places open for Detox (withdrawal management) by its recent figures." in page


@pytest.mark.parametrize(
    ("levels", "said"),
    [
        (
            [{"level": "detox", "setting": "general", "capacity_available": 3, "capacity_maximum": 9}],
            "3 places open here",
        ),
        ([{"level": "outpatient", "setting": "general"}], "This program does not offer Detox"),
    ],
)
def test_a_request_page_says_whether_its_program_has_places_open_for_the_level_asked_for(app, session, levels, said):
    for level in levels:
        level.setdefault("capacity_updated_at", utcnow())
    program = factories.program(session, levels=levels)
    coordinator = factories.staff(session, "coordinator", programs=[program])
    request = factories.intake_request(session, program, level="detox")
    session.commit()
    client = app.test_client()
    sign_in(client, coordinator.email)
    assert said in client.get(f"/staff/intakes/{request.reference}").get_data(as_text=True)


def test_a_note_is_encrypted_and_kept_in_the_history(setup, session):
    from sqlalchemy import text

    act(setup["client"], setup["request"].reference, "note", 1, text="Prefers a woman counsellor")
    raw = session.execute(text("SELECT note FROM intake_event")).scalar()
    assert "counsellor" not in raw
    assert session.scalars(select(IntakeEvent)).one().note == "Prefers a woman counsellor"


def test_two_people_at_once_the_second_gets_a_conflict_and_keeps_what_they_typed(app, setup, session):
    ref = setup["request"].reference
    colleague = app.test_client()
    sign_in(colleague, setup["coordinator"].email)
    assert act(colleague, ref, "note", 1, text="First note").status_code == 302
    response = act(setup["client"], ref, "note", 1, text="My careful note")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this request" in page
    assert "My careful note</textarea>" in page and "First note" in page
    assert re.search(r'name="note-version" type="hidden" value="2"', page)
    assert [e.note for e in reload(session, setup["request"]).events] == ["First note"]


def test_the_version_column_refuses_a_write_based_on_a_stale_read(setup, session):
    """Two sessions read version 1; the first saves; the second's save is refused (the view answers 409)."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    engine = session.get_bind()
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = first.get(IntakeRequest, setup["request"].id), second.get(IntakeRequest, setup["request"].id)
        mine.status = "contacted"
        first.commit()
        theirs.status = "closed"
        with pytest.raises(StaleDataError):
            second.flush()
        second.rollback()
    assert reload(session, setup["request"]).status == "contacted"


def test_a_closed_request_has_no_actions(setup, session):
    request = reload(session, setup["request"])
    request.status = "declined"
    session.commit()
    page = setup["client"].get(f"/staff/intakes/{request.reference}").get_data(as_text=True)
    assert 'id="actions-heading"' not in page
    assert act(setup["client"], request.reference, "claim", request.version).status_code == 400


def test_the_export_neutralises_formulas_and_carries_the_notice(setup, session):
    factories.intake_request(session, setup["a"], name='=HYPERLINK("http://x")', phone="+16145550111")
    factories.intake_request(session, setup["a"], name="@SUM(A1)", email="+tab@example.org")
    factories.intake_request(session, setup["a"], name="\tTabbed")
    factories.intake_request(session, setup["a"], name="-2+3")
    session.commit()
    response = setup["client"].get("/staff/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0].startswith("42 CFR part 2 prohibits unauthorized use or disclosure of these records.")
    header = rows[2]
    names = {row[header.index("name")] for row in rows[3:]}
    assert names == {"Dana Lee", '\'=HYPERLINK("http://x")', "'@SUM(A1)", "'\tTabbed", "'-2+3"}
    assert "'+tab@example.org" in {row[header.index("email")] for row in rows[3:]}


def test_an_export_past_the_limit_says_what_it_left_out(setup, session, monkeypatch):
    from locator.models import AuditEvent
    from locator.staff import exports

    factories.intake_request(session, setup["a"], urgency="urgent", name="Most Urgent")
    factories.intake_request(session, setup["a"], urgency="routine", name="Left Out")
    session.commit()
    monkeypatch.setattr(exports, "LIMIT", 2)
    page = setup["client"].get("/staff/").get_data(as_text=True)
    assert "Export the first 2 as CSV" in page and "Export these as CSV" not in page

    rows = list(csv.reader(io.StringIO(setup["client"].get("/staff/export.csv").get_data(as_text=True))))
    assert rows[1] == [
        "This file holds the first 2 of the 3 matching requests, most urgent and oldest first. "
        "Narrow the filters (for example by date) to export the rest."
    ]
    header = rows[3]
    assert [row[header.index("name")] for row in rows[4:]] == ["Most Urgent", "Dana Lee"]
    assert session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "intake.export")).one() == (
        "2 of 3 requests"
    )

    monkeypatch.setattr(exports, "LIMIT", 3)
    assert "Export these as CSV" in setup["client"].get("/staff/").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(setup["client"].get("/staff/export.csv").get_data(as_text=True))))
    assert rows[1] == [] and rows[2][0] == "reference" and len(rows[3:]) == 3  # exactly the limit: all of them


def test_the_export_needs_a_recent_sign_in(setup, session):
    record = session.scalars(select(StaffSession)).one()
    record.authenticated_at = utcnow() - timedelta(minutes=20)
    session.commit()
    response = setup["client"].get("/staff/export.csv?urgency=urgent")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/confirm?next=")
    confirm = setup["client"].post(response.headers["Location"], data={"password": factories.PASSWORD})
    assert confirm.status_code == 302 and confirm.headers["Location"] == "/staff/export.csv?urgency=urgent"
    assert setup["client"].get(confirm.headers["Location"]).status_code == 200


def test_the_confirm_page_only_returns_to_staff_pages(setup):
    response = setup["client"].post("/staff/confirm?next=https://evil.example/", data={"password": factories.PASSWORD})
    assert response.headers["Location"] == "/staff/"


def test_purge_deletes_only_requests_closed_past_retention(runner, session):
    from locator.models import IntakeSearchToken

    old = factories.intake_request(session, status="closed", closed_at=utcnow() - timedelta(days=3000))
    recent = factories.intake_request(session, status="closed", closed_at=utcnow() - timedelta(days=10))
    still_open = factories.intake_request(session, created_at=utcnow() - timedelta(days=3000))
    session.commit()
    assert "1 request closed before" in runner.invoke(args=["intakes", "purge", "--dry-run"]).output
    assert session.get(IntakeRequest, old.id) is not None
    result = runner.invoke(args=["intakes", "purge"])
    assert result.exit_code == 0 and "Deleted 1 request closed before" in result.output
    session.expire_all()
    remaining = {r.reference for r in session.scalars(select(IntakeRequest))}
    assert remaining == {recent.reference, still_open.reference}
    tokens = session.scalars(select(IntakeSearchToken.intake_request_id)).all()
    assert old.id not in tokens
    events = session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.target_id, e.client_address) for e in events] == [
        ("intake.purge", old.reference, "command line")
    ]


def test_an_event_for_each_of_no_records_writes_none(session):
    from locator.staff import audit

    audit.record_each(session, "intake.purge", "intake_request", [], "closed before 2020-01-01")
    audit.record_each(session, "intake.purge", "intake_request", ["ABC-DEFG"], "closed before 2020-01-01")
    events = session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.target_id, e.client_address) for e in events] == [("intake.purge", "ABC-DEFG", "command line")]


def test_purge_commits_a_batch_at_a_time_so_a_purge_cut_short_keeps_what_it_finished(runner, session, monkeypatch):
    from locator.intake import retention
    from locator.models import IntakeSearchToken
    from locator.staff import audit

    closed_at = utcnow() - timedelta(days=3000)
    old = [factories.intake_request(session, status="closed", closed_at=closed_at) for _ in range(5)]
    session.add_all(IntakeEvent(intake_request=r, kind="note", note="called back") for r in old)
    session.commit()
    ids, references = [r.id for r in old], [r.reference for r in old]
    monkeypatch.setattr(retention, "BATCH", 2)
    record_each, batches = audit.record_each, []

    def cut_short_in_the_third_batch(db, action, target_type, target_ids, detail=""):
        if len(batches) == 2:
            raise RuntimeError("the machine went down")
        batches.append(list(target_ids))
        record_each(db, action, target_type, batches[-1], detail)

    monkeypatch.setattr(audit, "record_each", cut_short_in_the_third_batch)
    assert runner.invoke(args=["intakes", "purge"]).exit_code != 0
    session.rollback()  # as the process ending does

    assert session.scalars(select(IntakeRequest.id).order_by(IntakeRequest.id)).all() == ids[4:]
    assert set(session.scalars(select(IntakeEvent.intake_request_id))) == {ids[4]}
    assert set(session.scalars(select(IntakeSearchToken.intake_request_id))) == {ids[4]}
    purged = [e.target_id for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert purged == references[:4] == batches[0] + batches[1]

    monkeypatch.setattr(audit, "record_each", record_each)
    result = runner.invoke(args=["intakes", "purge"])
    assert result.exit_code == 0 and "Deleted 1 request closed before" in result.output
    session.expire_all()
    assert session.scalars(select(IntakeRequest)).all() == []
    assert session.scalars(select(AuditEvent.target_id).order_by(AuditEvent.id)).all() == references


def test_answers_are_shown_as_the_person_chose_them(app, session):
    from locator.intake.forms import answer_text

    assert answer_text("levels", ["detox", "not_sure"]) == "Detox (withdrawal management), Not sure: help me choose"
    assert answer_text("overdose", "last_7_days") == "Yes, in the last 7 days"
    assert answer_text("notes", "") == "—" and answer_text("support", "My sister") == "My sister"


def test_a_wrong_number_stays_flagged_beside_it_and_in_the_queue_until_the_details_are_corrected(setup, session):
    client, ref = setup["client"], setup["request"].reference
    page = lambda: client.get(f"/staff/intakes/{ref}").get_data(as_text=True)  # noqa: E731

    def queue_line() -> str:
        queue = client.get("/staff/").get_data(as_text=True)
        return queue[queue.index(f">{ref}</a>") :].split("</tr>")[0]

    flagged, tag = (
        "The last attempt found the number or address wrong.",
        '<span class="tag">wrong number/address</span>',
    )
    assert tag not in queue_line()
    act(client, ref, "contact", 1, method="phone", outcome="wrong_number")
    shown = page()
    assert flagged in shown and '<a href="#details-form">Correct the contact details</a>' in shown
    assert 'id="details-form"' in shown
    assert tag in queue_line()
    act(client, ref, "contact", 2, method="phone", outcome="no_answer")  # a later attempt did not find it wrong
    assert flagged not in page() and tag not in queue_line()
    act(client, ref, "contact", 3, method="phone", outcome="wrong_number")
    assert tag in queue_line()
    act(client, ref, "details", 4, **(DANA | {"phone": "614 555 0199"}))
    assert flagged not in page() and tag not in queue_line()
