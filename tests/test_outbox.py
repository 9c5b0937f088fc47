"""The outbox: written with the change that causes it, delivered at least once, never lost."""

import re
from datetime import timedelta
from typing import ClassVar

import pytest
from sqlalchemy import select

from locator import notify
from locator.config import MailSettings
from locator.models import AuditEvent, IntakeRequest, OutboxMessage, utcnow
from locator.notify import outbox
from locator.notify.mail import LogTransport, SMTPTransport
from tests import factories
from tests.conftest import ROOT, make_settings, sign_in
from tests.intake_forms import form_data


class Recorder:
    def __init__(self, fail: int = 0) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail = fail

    def send(self, message: OutboxMessage) -> None:
        if self.fail:
            self.fail -= 1
            raise ConnectionRefusedError("smtp.example.org refused")
        self.sent.append((message.recipient, message.subject))


def messages(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def queued(session, n: int = 1) -> list[OutboxMessage]:
    made = [
        outbox.enqueue(session, kind="test", recipient=f"r{i}@example.org", subject="s", body="b") for i in range(n)
    ]
    session.commit()
    return made


def test_a_message_is_written_in_the_same_transaction_as_the_request(session):
    outbox.enqueue(session, kind="test", recipient="a@example.org", subject="s", body="b")
    session.rollback()
    assert messages(session) == []


def test_due_messages_are_sent_once(session):
    queued(session, 2)
    transport = Recorder()
    assert outbox.deliver(session, transport).sent == 2
    assert outbox.deliver(session, transport).sent == 0
    assert len(transport.sent) == 2
    assert all(m.status == "sent" and m.sent_at is not None for m in messages(session))


def test_a_failure_is_retried_later_with_backoff(session):
    queued(session)
    now = utcnow()
    report = outbox.deliver(session, Recorder(fail=1), now=now)
    (message,) = messages(session)
    assert (report.retrying, message.status, message.attempts) == (1, "pending", 1)
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert "ConnectionRefusedError" in message.last_error
    assert outbox.deliver(session, Recorder(), now=now).sent == 0  # not due yet
    assert outbox.deliver(session, Recorder(), now=now + timedelta(minutes=2)).sent == 1


def test_backoff_doubles_up_to_six_hours():
    assert [outbox.retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert outbox.retry_delay(20) == timedelta(hours=6)


def test_after_the_last_attempt_a_message_is_kept_as_failed(session):
    queued(session)
    now = utcnow()
    for attempt in range(outbox.MAX_ATTEMPTS):
        outbox.deliver(session, Recorder(fail=1), now=now + timedelta(days=attempt))
    (message,) = messages(session)
    assert (message.status, message.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert outbox.deliver(session, Recorder(), now=now + timedelta(days=30)).sent == 0


def test_a_message_claimed_by_another_sender_is_left_alone(session):
    (message,) = queued(session)
    message.status, message.claimed_at = "sending", utcnow()
    session.commit()
    assert outbox.deliver(session, Recorder()).sent == 0


def test_a_stale_claim_is_taken_up_again(session):
    (message,) = queued(session)
    message.status, message.claimed_at = "sending", utcnow() - timedelta(hours=1)
    session.commit()
    assert outbox.deliver(session, Recorder()).sent == 1


class FakeSMTP:
    """Stands in for smtplib.SMTP, keeping what a server would have received."""

    sessions: ClassVar[list["FakeSMTP"]] = []

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.calls: list[str] = []
        self.sent = []
        FakeSMTP.sessions.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.calls.append("quit")

    def starttls(self):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(f"login {user}")

    def send_message(self, email):
        self.sent.append(email)


def test_smtp_delivery_uses_starttls_and_login(session):
    FakeSMTP.sessions = []
    settings = MailSettings(server="smtp.example.org", port=587, use_tls=True, username="u", password="p")
    (message,) = queued(session)
    SMTPTransport(settings, smtp=FakeSMTP).send(message)
    (smtp,) = FakeSMTP.sessions
    assert (smtp.host, smtp.port) == ("smtp.example.org", 587)
    assert smtp.calls == ["starttls", "login u", "quit"]
    (email,) = smtp.sent
    assert (email["To"], email["Subject"], email["From"]) == ("r0@example.org", "s", settings.default_sender)


def test_without_a_mail_server_messages_go_to_the_log(app):
    assert isinstance(app.extensions[notify.EXTENSION_KEY], LogTransport)


def test_the_command_sends_what_is_due(runner, session):
    queued(session, 3)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "3 sent, 0 to retry later, 0 failed for good." in result.output
    assert {m.status for m in messages(session)} == {"sent"}


@pytest.fixture
def program_with_inbox(session):
    program = factories.program(session, slug="harbor", name="Harbor", email="intake@harbor.example.org")
    session.commit()
    return program


def test_a_new_request_notifies_its_program_with_reference_urgency_and_link_only(client, session, program_with_inbox):
    answers = {"name": "Canaryname", "email": "canary@example.org", "notes": "canary-notes", "zip": "40202"}
    client.post("/intake", data=form_data(client, "?program=harbor", self_harm="yes", **answers))
    request = session.scalars(select(IntakeRequest)).one()
    (message,) = messages(session)
    assert message.recipient == "intake@harbor.example.org"
    assert request.reference in message.subject and "urgent" in message.subject
    assert f"http://127.0.0.1:5000/staff/intakes/{request.reference}" in message.body
    assert "Urgency: urgent (first contact within 15 minutes)" in message.body
    for private in ("Canaryname", "canary", "40202", "5550123", "self", "harm", "988"):
        assert private not in message.body + message.subject


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (60, "1 hour"),
        (90, "1 hour 30 minutes"),
        (24 * 60, "1 business day"),
        (3000, "2 business days 2 hours"),
    ],
)
def test_the_notice_gives_the_target_as_its_deadline_counts_it(
    app_factory, session, database_url, program_with_inbox, minutes, words
):
    targets = (("urgent", 15), ("high", 120), ("routine", minutes))
    client = app_factory(LOCATOR=make_settings(database_url, contact_targets=targets)).test_client()
    client.post("/intake", data=form_data(client, "?program=harbor"))
    (message,) = messages(session)
    assert f"Urgency: routine (first contact within {words})\n" in message.body


def test_urgent_and_unrouted_requests_also_go_to_the_network_inbox(
    app_factory, session, database_url, program_with_inbox
):
    client = app_factory(LOCATOR=make_settings(database_url, intake_email="network@example.org")).test_client()
    client.post("/intake", data=form_data(client, "?program=harbor", self_harm="yes"))
    client.post("/intake", data=form_data(client))  # no program, no ZIP: the network queue
    client.post("/intake", data=form_data(client, "?program=harbor"))  # routine, routed: the program only
    assert [m.recipient for m in messages(session)] == [
        "intake@harbor.example.org",
        "network@example.org",
        "network@example.org",
        "intake@harbor.example.org",
    ]


def test_a_referral_notifies_the_program_it_goes_to_after_the_response_and_says_nothing_of_the_person(
    app_factory, session, database_url, program_with_inbox
):
    origin = factories.program(session, slug="origin", name="Origin", email="intake@origin.example.org")
    coordinator = factories.staff(session, "coordinator", programs=[origin])
    request = factories.intake_request(session, origin, name="Canaryname", urgency="urgent")
    session.commit()
    app = app_factory(LOCATOR=make_settings(database_url, intake_email="network@example.org"))
    client = app.test_client()
    sign_in(client, coordinator.email)
    app.extensions[notify.EXTENSION_KEY] = transport = Recorder()
    fields = {"refer-version": "1", "refer-program": str(program_with_inbox.id), "refer-note": "canary-note"}
    response = client.post(f"/staff/intakes/{request.reference}/refer", data=fields, buffered=True)
    assert response.status_code == 302
    sent = messages(session)
    assert [(m.kind, m.recipient, m.status) for m in sent] == [
        ("intake.referred", "intake@harbor.example.org", "sent"),  # the program it goes to
        ("intake.referred", "network@example.org", "sent"),  # urgent: the network's intake team too
    ]
    assert len(transport.sent) == 2
    message = sent[0]
    assert message.subject == f"Intake request {request.reference} referred to you (urgent)"
    assert "An intake request was referred to Harbor.\n" in message.body
    assert f"http://127.0.0.1:5000/staff/intakes/{request.reference}" in message.body
    for private in ("Canaryname", "canary", "5550123", "Origin"):
        assert private not in message.body + message.subject


def test_a_request_assigned_by_a_colleague_is_told_to_its_assignee_and_claiming_one_tells_nobody(
    app, client, session, program_with_inbox
):
    coordinator = factories.staff(session, "coordinator", programs=[program_with_inbox], email="me@example.org")
    colleague = factories.staff(session, "coordinator", programs=[program_with_inbox], email="them@example.org")
    request = factories.intake_request(session, program_with_inbox, name="Canaryname", urgency="high")
    session.commit()
    sign_in(client, coordinator.email)
    app.extensions[notify.EXTENSION_KEY] = transport = Recorder()
    try:
        claim = {"claim-version": "1"}
        assert client.post(f"/staff/intakes/{request.reference}/claim", data=claim, buffered=True).status_code == 302
        assert messages(session) == []  # one's own doing
        assign = {"assign-version": "2", "assign-assignee": str(colleague.id)}
        assert client.post(f"/staff/intakes/{request.reference}/assign", data=assign, buffered=True).status_code == 302
    finally:
        app.extensions[notify.EXTENSION_KEY] = LogTransport()
    (message,) = messages(session)
    assert (message.kind, message.recipient, message.status) == ("intake.assigned", "them@example.org", "sent")
    assert transport.sent == [("them@example.org", f"Intake request {request.reference} assigned to you (high)")]
    assert "An intake request in Harbor was assigned to you.\n" in message.body
    assert f"http://127.0.0.1:5000/staff/intakes/{request.reference}" in message.body
    assert "Canaryname" not in message.body + message.subject


def test_a_request_raised_to_urgent_by_a_colleague_is_told_to_who_must_act_now(
    app_factory, session, database_url, program_with_inbox
):
    me, colleague = (
        factories.staff(session, "coordinator", programs=[program_with_inbox], email=f"{who}@example.org")
        for who in ("me", "them")
    )
    gone = factories.staff(session, "coordinator", programs=[program_with_inbox], is_active=False)
    unassigned, theirs, mine, to_high, left_behind = (
        factories.intake_request(session, program_with_inbox, name="Canaryname", assigned_to=owner)
        for owner in (None, colleague, me, None, gone)
    )
    session.commit()
    app = app_factory(LOCATOR=make_settings(database_url, intake_email="network@example.org"))
    client = app.test_client()
    sign_in(client, me.email)

    def raise_to(request, urgency):
        fields = {"urgency-version": "1", "urgency-urgency": urgency, "urgency-note": "canary-reason"}
        assert client.post(f"/staff/intakes/{request.reference}/urgency", data=fields).status_code == 302
        return [(m.kind, m.recipient) for m in messages(session) if request.reference in m.subject]

    # Nobody has it: its queue (an urgent one: the network's intake team too), due within the urgent target.
    assert raise_to(unassigned, "urgent") == [
        ("intake.raised", "intake@harbor.example.org"),
        ("intake.raised", "network@example.org"),
    ]
    assert raise_to(theirs, "urgent") == [("intake.raised", "them@example.org")]  # a colleague has it: them
    assert raise_to(mine, "urgent") == []  # the one raising it is working it
    assert raise_to(to_high, "high") == []  # not urgent
    assert raise_to(left_behind, "urgent") == [  # its assignee's account is disabled: the queue, as with nobody
        ("intake.raised", "intake@harbor.example.org"),
        ("intake.raised", "network@example.org"),
    ]
    message = messages(session)[0]
    assert message.subject == f"Intake request {unassigned.reference} raised to urgent"
    assert "An intake request in Harbor was raised to urgent by a colleague.\n" in message.body
    assert re.search(r"Urgency: urgent \(first contact due in 1[45] minutes\)", message.body)
    for private in ("Canaryname", "canary", "5550123"):
        assert private not in message.body + message.subject


def test_every_notice_a_request_writes_is_sent_after_its_response_without_waiting_for_the_command(app, session):
    """A staff invitation, like an intake notice, goes out once the admin has their page: with no cron set up,
    as under `make run`, it would not go at all. A request that writes no notice sends nothing."""
    admin = factories.staff(session, "admin")
    outbox.enqueue(session, kind="test", recipient="earlier@example.org", subject="s", body="b")
    session.commit()
    client = app.test_client()
    sign_in(client, admin.email)
    app.extensions[notify.EXTENSION_KEY] = transport = Recorder()
    try:
        assert client.get("/staff/people", buffered=True).status_code == 200
        assert transport.sent == [] and [m.status for m in messages(session)] == ["pending"]
        invite = {"email": "new@example.org", "role": "manager"}
        assert client.post("/staff/people", data=invite, buffered=True).status_code == 302
    finally:
        app.extensions[notify.EXTENSION_KEY] = LogTransport()
    assert [(m.kind, m.status) for m in messages(session)] == [("test", "sent"), ("staff.invite", "sent")]
    assert [recipient for recipient, _subject in transport.sent] == ["earlier@example.org", "new@example.org"]


def test_notices_are_sent_after_the_response(app, client, session, program_with_inbox):
    transport = Recorder()
    app.extensions[notify.EXTENSION_KEY] = transport
    try:
        response = client.post("/intake", data=form_data(client, "?program=harbor"), buffered=True)
    finally:
        app.extensions[notify.EXTENSION_KEY] = LogTransport()
    assert response.status_code == 200
    assert len(transport.sent) == 1
    assert [m.status for m in messages(session)] == ["sent"]


def test_a_failed_send_after_the_response_leaves_the_notice_for_the_command(app, client, session, program_with_inbox):
    app.extensions[notify.EXTENSION_KEY] = Recorder(fail=1)
    try:
        response = client.post("/intake", data=form_data(client, "?program=harbor"), buffered=True)
    finally:
        app.extensions[notify.EXTENSION_KEY] = LogTransport()
    assert response.status_code == 200
    (message,) = messages(session)
    assert (message.status, message.attempts) == ("pending", 1)


def test_without_logging_configured_the_log_transport_writes_to_stderr(tmp_path):
    """`make run` has no logging set up: a notice 'sent' to the log must still be seen."""
    import subprocess
    import sys

    script = (
        "import logging\n"
        "from locator.logs import init_app\n"
        "init_app(None)\n"
        "logging.getLogger('locator.notify').info('mail to intake@example.org: New intake request')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path.parent,
        env={"PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert "mail to intake@example.org" in result.stderr


@pytest.fixture
def stuck(session):
    """One message of each standing: just written, sent, delayed (due ten minutes ago, nothing sent it),
    retrying (failed twice, next attempt to come) and failed (given up)."""
    now = utcnow()
    fresh, sent, delayed, retrying, failed = queued(session, 5)
    sent.status, sent.sent_at = "sent", now
    delayed.next_attempt_at = now - timedelta(minutes=10)
    retrying.attempts, retrying.next_attempt_at, retrying.last_error = 2, now + timedelta(minutes=3), "Timeout"
    failed.status, failed.attempts = "failed", outbox.MAX_ATTEMPTS
    failed.kind, failed.last_error = "intake.created", "SMTPRecipientsRefused: 550 no such user"
    session.commit()
    return {"fresh": fresh, "sent": sent, "delayed": delayed, "retrying": retrying, "failed": failed}


def test_what_has_not_gone_out_is_counted_and_listed_and_nothing_else(session, stuck):
    assert outbox.backlog(session, utcnow()) == outbox.Backlog(delayed=1, retrying=1, failed=1)
    unsent = [m.id for m in outbox.unsent(session, utcnow())]
    assert unsent == [stuck[k].id for k in ("failed", "retrying", "delayed")]  # newest first
    assert not outbox.Backlog(retrying=4).needs_attention  # retries run on their own
    assert outbox.Backlog(delayed=1).needs_attention and outbox.Backlog(failed=1).needs_attention


def test_the_health_check_tells_a_monitor_notices_wait_for_a_person(client, session, stuck):
    assert client.get("/healthz").json["outbox"] == "failed"
    stuck["failed"].status = "sent"
    session.commit()
    assert client.get("/healthz").json["outbox"] == "delayed"
    stuck["delayed"].status = "sent"
    session.commit()
    assert client.get("/healthz").json == {"status": "ok", "database": "ok", "outbox": "ok"}  # retrying is fine


def test_an_admin_sees_what_has_not_gone_out_and_sends_a_failed_notice_again(app, session, stuck):
    admin = factories.staff(session, "admin")
    session.commit()
    client = app.test_client()
    sign_in(client, admin.email)
    assert "Some notices to programs or staff have not gone out." in client.get("/staff/").get_data(as_text=True)
    page = client.get("/staff/notices").get_data(as_text=True)
    assert "1 notice has been due for more than five minutes and nothing has sent it." in page
    assert "1 notice could not be sent after every attempt." in page
    assert "2 attempts failed; next in" in page and "Failed after 8 attempts" in page and "New request" in page
    assert "SMTPRecipientsRefused: 550 no such user" in page and stuck["fresh"].recipient not in page
    app.extensions[notify.EXTENSION_KEY] = transport = Recorder()
    try:
        again = {"message": str(stuck["failed"].id)}
        response = client.post("/staff/notices/send-again", data=again, buffered=True)
    finally:
        app.extensions[notify.EXTENSION_KEY] = LogTransport()
    assert response.status_code == 302
    assert "1 notice will be sent again now." in client.get("/staff/notices").get_data(as_text=True)
    session.expire_all()
    assert (stuck["failed"].status, stuck["failed"].attempts) == ("sent", 1)  # a fresh round of attempts
    assert (stuck["failed"].recipient, "s") in transport.sent
    trail = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("notices.%"))).all()
    assert sorted(trail) == ["notices.send_again", "notices.view", "notices.view"]
    client.post("/staff/notices/send-again", data=again)  # sent meanwhile: nothing to do, and said so
    assert "Nothing to send again" in client.get("/staff/notices").get_data(as_text=True)
    assert stuck["failed"].id not in [m.id for m in outbox.unsent(session, utcnow())]


def test_every_failed_notice_can_be_sent_again_at_once(app, session):
    admin = factories.staff(session, "admin")
    failed = queued(session, 3)
    for message in failed:
        message.status, message.attempts = "failed", outbox.MAX_ATTEMPTS
    session.commit()
    client = app.test_client()
    sign_in(client, admin.email)
    assert "Send every failed notice again" in client.get("/staff/notices").get_data(as_text=True)
    assert client.post("/staff/notices/send-again", data={"message": ""}, buffered=True).status_code == 302
    assert [m.status for m in messages(session)] == ["sent"] * 3
    assert "Every notice has gone out." in client.get("/staff/notices").get_data(as_text=True)
    assert "have not gone out" not in client.get("/staff/").get_data(as_text=True)


def test_a_failed_notice_to_a_program_is_sent_again_to_the_inbox_it_has_now(app, session, program_with_inbox):
    """The notices page says: a wrong program inbox is corrected on the program's page, then sent again."""
    client = app.test_client()
    client.post("/intake", data=form_data(client, "?program=harbor"))
    staff_notice = outbox.enqueue(session, kind="staff.invite", recipient="a@example.org", subject="s", body="b")
    for message in messages(session):
        message.status, message.attempts = "failed", outbox.MAX_ATTEMPTS
    program_with_inbox.email = "intake@harbour.example.org"  # the typo, corrected
    session.commit()
    assert outbox.send_again(session, utcnow()) == 2
    session.commit()
    program_notice, staff_notice = messages(session)
    assert program_notice.program_id == program_with_inbox.id and program_notice.status == "pending"
    assert program_notice.recipient == "intake@harbour.example.org"
    assert staff_notice.recipient == "a@example.org"  # no program: as it was written


def test_a_program_notice_sent_again_keeps_its_address_when_the_program_has_none_now(session, program_with_inbox):
    message = outbox.enqueue(
        session, kind="intake.created", recipient="old@example.org", subject="s", body="b", program=program_with_inbox
    )
    message.status = "failed"
    program_with_inbox.email = ""
    session.commit()
    assert outbox.send_again(session, utcnow(), message.id) == 1
    session.commit()
    assert [m.recipient for m in messages(session)] == ["old@example.org"]


def test_only_the_program_inbox_is_tied_to_the_program_not_the_networks(
    app_factory, session, database_url, program_with_inbox
):
    client = app_factory(LOCATOR=make_settings(database_url, intake_email="network@example.org")).test_client()
    client.post("/intake", data=form_data(client, "?program=harbor", self_harm="yes"))
    assert [(m.recipient, m.program_id) for m in messages(session)] == [
        ("intake@harbor.example.org", program_with_inbox.id),
        ("network@example.org", None),
    ]
