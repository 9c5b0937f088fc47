"""Staff sign-in: passwords, throttling, server-side sessions, timeouts, the second factor, accounts."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from locator.models import AuditEvent, OutboxMessage, StaffSession, StaffUser, utcnow
from locator.staff import passwords
from tests import factories
from tests.conftest import make_settings, sign_in


def audit_actions(session) -> list[tuple[str, str]]:
    session.expire_all()
    return [(e.action, e.actor_email) for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def coordinator(session):
    user = factories.staff(session, "coordinator", email="coord@example.org")
    session.commit()
    return user


def test_signing_in_opens_the_queue_and_is_audited(client, session, coordinator):
    response = sign_in(client, "Coord@Example.org ")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert ("auth.sign_in", "coord@example.org") in audit_actions(session)


def test_the_session_is_renewed_at_sign_in(client, coordinator):
    with client.session_transaction() as cookie:
        cookie["planted"] = "by someone before sign-in"
    sign_in(client, "coord@example.org")
    with client.session_transaction() as cookie:
        assert "planted" not in cookie


@pytest.mark.parametrize("email", ["coord@example.org", "nobody@example.org"])
def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client, session, coordinator, email):
    response = sign_in(client, email, "wrong password, long enough")
    assert response.status_code == 400
    assert "That email and password do not match an account." in response.get_data(as_text=True)
    assert ("auth.sign_in_failed", email) in audit_actions(session)


def test_a_disabled_account_cannot_sign_in(client, session, coordinator):
    coordinator.is_active = False
    session.commit()
    assert sign_in(client, "coord@example.org").status_code == 400


class CountingHasher:
    def __init__(self) -> None:
        self.calls = 0

    def verify(self, *_args) -> bool:
        self.calls += 1
        return True


def test_an_over_long_password_is_refused_before_hashing(monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)
    assert passwords.verify_password("$argon2id$whatever", "x" * 129) is False
    assert hasher.calls == 0
    assert passwords.verify_password("$argon2id$whatever", "x" * 128) is True
    assert hasher.calls == 1
    monkeypatch.undo()
    with pytest.raises(passwords.PasswordPolicyError):
        passwords.hash_password("x" * 129)
    with pytest.raises(passwords.PasswordPolicyError):
        passwords.hash_password("x" * 11)


def test_passwords_are_hashed_with_argon2id():
    assert passwords.hash_password("twelve chars ok").startswith("$argon2id$")


def test_signing_out_ends_the_session_on_the_server(client, coordinator):
    sign_in(client, "coord@example.org")
    with client.session_transaction() as cookie:
        copied = dict(cookie)
    client.post("/staff/logout")
    with client.session_transaction() as cookie:
        cookie.update(copied)  # an old cookie, copied before sign-out
    assert client.get("/staff/").status_code == 302


def test_changing_the_password_signs_out_the_other_sessions(app, session, coordinator):
    mine, other = app.test_client(), app.test_client()
    sign_in(mine, "coord@example.org")
    sign_in(other, "coord@example.org")
    new = "a brand new passphrase"
    response = mine.post("/staff/account", data={"current": factories.PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert mine.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302
    assert sign_in(app.test_client(), "coord@example.org", new).status_code == 302
    (notice,) = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff.password_changed"))
    assert notice.recipient == "coord@example.org" and "If you did not change it" in notice.body
    assert new not in notice.body


def test_choosing_the_first_password_is_no_change_to_report(app, session):
    admin = factories.staff(session, "admin", email="admin@example.org")
    session.commit()
    client = app.test_client()
    sign_in(client, admin.email)
    client.post("/staff/people", data={"email": "new@example.org", "name": "New", "role": "manager"})
    invite = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff.invite")).one()
    link = re.search(r"http://127.0.0.1:5000(/staff/invite/\S+)", invite.body).group(1)
    password = "my own good password"
    assert app.test_client().post(link, data={"password": password, "confirm": password}).status_code == 302
    session.expire_all()
    assert session.scalars(select(OutboxMessage.kind)).all() == ["staff.invite"]


def test_a_person_signs_out_everywhere_else_and_this_session_goes_on(app, session, coordinator):
    here, there, elsewhere = (app.test_client() for _ in range(3))
    for client in (here, there, elsewhere):
        sign_in(client, "coord@example.org")
    page = here.get("/staff/account").get_data(as_text=True)
    assert page.count("Another browser") == 2 and page.count("This browser") == 1
    response = here.post("/staff/account/sign-out-others")
    assert response.status_code == 302
    page = here.get(response.headers["Location"]).get_data(as_text=True)
    assert "Signed out of 2 other sessions." in page
    assert "Another browser" not in page and "Sign out everywhere else" not in page
    assert (there.get("/staff/").status_code, elsewhere.get("/staff/").status_code) == (302, 302)
    assert here.get("/staff/").status_code == 200
    assert ("auth.sign_out_others", "coord@example.org") in audit_actions(session)


def test_the_account_lists_only_sessions_still_going(app, session, coordinator):
    here, idle, old = (app.test_client() for _ in range(3))
    for client in (here, idle, old):
        sign_in(client, "coord@example.org")
    idle_record, old_record = session.scalars(select(StaffSession).order_by(StaffSession.id)).all()[1:]
    idle_record.last_seen_at = utcnow() - timedelta(minutes=31)
    old_record.created_at = utcnow() - timedelta(hours=12, minutes=1)
    session.commit()
    page = here.get("/staff/account").get_data(as_text=True)
    assert "This browser" in page and "Another browser" not in page and "Sign out everywhere else" not in page


def test_disabling_an_account_signs_it_out(client, session, coordinator):
    sign_in(client, "coord@example.org")
    coordinator.is_active = False
    session.commit()
    assert client.get("/staff/").status_code == 302
    assert ended_sessions(session) == [("coord@example.org", "account disabled")]


def ended_sessions(session) -> list[tuple[str, str]]:
    """Sessions the server ended (timed out, or the account disabled), from the audit trail."""
    session.expire_all()
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.session_ended"))
    return [(e.actor_email, e.detail) for e in events]


def _age_session(session, **ago):
    record = session.scalars(select(StaffSession)).one()
    for column, delta in ago.items():
        setattr(record, column, utcnow() - delta)
    session.commit()


def test_an_idle_session_times_out_after_30_minutes(client, session, coordinator):
    sign_in(client, "coord@example.org")
    _age_session(session, last_seen_at=timedelta(minutes=31))
    response = client.get("/staff/")
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]
    assert "signed out" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert ended_sessions(session) == [("coord@example.org", "idle too long")]


def test_a_session_ends_after_12_hours_however_busy(client, session, coordinator):
    sign_in(client, "coord@example.org")
    _age_session(session, created_at=timedelta(hours=12, minutes=1), last_seen_at=timedelta(minutes=1))
    assert client.get("/staff/").status_code == 302
    assert ended_sessions(session) == [("coord@example.org", "time limit reached")]


def test_sessions_that_time_out_with_no_page_open_are_ended_and_audited(app, runner, session):
    """A laptop closed mid-shift asks nothing more: `staff end-sessions`, run every minute, ends its session."""
    people = [factories.staff(session, "coordinator", email=f"{name}@example.org") for name in ("idle", "old", "busy")]
    session.commit()
    for person in people:
        sign_in(app.test_client(), person.email)
    idle, old, busy = session.scalars(select(StaffSession).order_by(StaffSession.id)).all()
    idle.created_at = idle.last_seen_at = utcnow() - timedelta(minutes=31)
    old.created_at, old.last_seen_at = utcnow() - timedelta(hours=12, minutes=1), utcnow() - timedelta(minutes=2)
    busy.created_at, busy.last_seen_at = utcnow() - timedelta(hours=11), utcnow() - timedelta(minutes=29)
    session.commit()

    result = runner.invoke(args=["staff", "end-sessions"])

    assert result.exit_code == 0, result.output
    assert "Ended 2 sessions" in result.output
    assert sorted(ended_sessions(session)) == [
        ("idle@example.org", "idle too long"),
        ("old@example.org", "time limit reached"),
    ]
    session.expire_all()
    assert [r.ended_at is not None for r in (idle, old, busy)] == [True, True, False]
    assert "Ended 0 sessions" in runner.invoke(args=["staff", "end-sessions"]).output  # each ended once
    assert len(ended_sessions(session)) == 2


def test_a_browser_coming_back_to_a_session_ended_meanwhile_is_told_why(client, runner, session, coordinator):
    sign_in(client, "coord@example.org")
    _age_session(session, created_at=timedelta(minutes=40), last_seen_at=timedelta(minutes=31))
    assert "Ended 1 session" in runner.invoke(args=["staff", "end-sessions"]).output
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login?expired=1"
    assert "You were signed out: the session was idle too long" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_a_session_ends_once_when_its_browser_and_end_sessions_meet(app, runner, session, coordinator, monkeypatch):
    import locator.staff.sessions as sessions

    browser = app.test_client()
    sign_in(browser, "coord@example.org")
    _age_session(session, created_at=timedelta(minutes=40), last_seen_at=timedelta(minutes=31))
    really_ending = sessions.ending

    def the_browser_asks_meanwhile(record, limits, now):
        monkeypatch.setattr(sessions, "ending", really_ending)
        assert browser.get("/staff/").status_code == 302  # found over and ended, by the request
        return really_ending(record, limits, now)

    monkeypatch.setattr(sessions, "ending", the_browser_asks_meanwhile)
    result = runner.invoke(args=["staff", "end-sessions"])
    assert result.exit_code == 0, result.output
    assert "Ended 0 sessions" in result.output
    assert ended_sessions(session) == [("coord@example.org", "idle too long")]


def test_timeouts_with_a_frozen_clock(client, session, coordinator, monkeypatch):
    import locator.staff.sessions as sessions

    start = utcnow()
    sign_in(client, "coord@example.org")
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(minutes=29))
    assert client.get("/staff/").status_code == 200  # active: the idle clock restarts
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(minutes=58))
    assert client.get("/staff/").status_code == 200
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(minutes=89))
    assert client.get("/staff/").status_code == 302


def _last_seen(session) -> timedelta:
    session.expire_all()
    return utcnow() - session.scalars(select(StaffSession)).one().last_seen_at


def test_asking_the_time_left_is_not_activity(client, session, coordinator):
    """The staff pages' script asks every minute: were that activity, a page left open would never time out."""
    sign_in(client, "coord@example.org")
    _age_session(session, last_seen_at=timedelta(minutes=25))
    for _ in range(2):
        response = client.get("/staff/session")
        assert response.status_code == 200
        assert response.json["signed_in"] is True and response.json["extendable"] is True
        assert 290 <= response.json["seconds_left"] <= 300
    assert _last_seen(session) >= timedelta(minutes=25)


def test_saying_the_person_is_there_restarts_the_idle_clock(client, session, coordinator):
    sign_in(client, "coord@example.org")
    _age_session(session, last_seen_at=timedelta(minutes=29))
    response = client.post("/staff/session")
    assert response.status_code == 200 and response.json["seconds_left"] >= 29 * 60
    assert _last_seen(session) < timedelta(minutes=1)


def test_the_absolute_limit_is_told_as_not_extendable(client, session, coordinator):
    sign_in(client, "coord@example.org")
    _age_session(session, created_at=timedelta(hours=11, minutes=59))
    response = client.post("/staff/session")
    assert response.json["extendable"] is False and response.json["seconds_left"] <= 60


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_once_the_session_has_timed_out_the_script_gets_401_not_a_page(client, session, coordinator, method):
    sign_in(client, "coord@example.org")
    _age_session(session, last_seen_at=timedelta(minutes=31))
    response = client.open("/staff/session", method=method)
    assert (response.status_code, response.json) == (401, {"signed_in": False})
    assert client.get("/staff/").status_code == 302  # and it stays ended
    assert client.open("/staff/session", method=method).status_code == 401  # as for no session at all


def test_saying_the_person_is_there_needs_the_csrf_token(app_factory, session, coordinator):
    client = app_factory(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"email": "coord@example.org", "password": factories.PASSWORD, "csrf_token": token}
    assert client.post("/staff/login", data=form).status_code == 302
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/staff/").get_data(as_text=True)).group(1)
    assert client.post("/staff/session").status_code == 400
    assert client.post("/staff/session", headers={"X-CSRFToken": token}).status_code == 200


def throttled_client(app_factory, database_url, **limits):
    from locator.extensions import limiter

    settings = make_settings(database_url, **limits)
    client = app_factory(LOCATOR=settings).test_client()
    limiter.reset()
    return client


def test_sign_in_is_throttled_per_account(app_factory, database_url, session, coordinator):
    client = throttled_client(app_factory, database_url, sign_in_account_rate_limit="3 per minute")
    for _ in range(3):
        assert sign_in(client, "coord@example.org", "wrong wrong wrong").status_code == 400
    response = sign_in(client, "coord@example.org")  # even the right password, for now
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.get_data(as_text=True)
    assert sign_in(client, "other@example.org", "wrong wrong wrong").status_code == 400


def test_sign_in_is_throttled_per_client(app_factory, database_url, session, coordinator):
    client = throttled_client(app_factory, database_url, sign_in_rate_limit="3 per minute")
    for n in range(3):
        sign_in(client, f"someone{n}@example.org", "wrong wrong wrong")
    assert sign_in(client, "coord@example.org").status_code == 429


def test_successful_sign_ins_are_not_counted(app_factory, database_url, session, coordinator):
    client = throttled_client(app_factory, database_url, sign_in_account_rate_limit="2 per minute")
    for _ in range(4):
        assert sign_in(client, "coord@example.org").status_code == 302


def enrol(client) -> str:
    page = client.get("/staff/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    token = re.search(r'name="secret" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/staff/account/two-factor", data={"secret": token, "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return secret


def test_two_step_sign_in_and_a_used_code_is_refused(app, session, coordinator):
    client = app.test_client()
    sign_in(client, "coord@example.org")
    secret = enrol(client)
    client.post("/staff/logout")

    response = sign_in(client, "coord@example.org")
    assert response.headers["Location"] == "/staff/login/code"
    assert client.get("/staff/").status_code == 302  # not signed in yet
    assert "Lost or replaced your phone? Ask an administrator" in client.get("/staff/login/code").get_data(as_text=True)
    code = pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30))  # the next step's code
    assert client.post("/staff/login/code", data={"code": code}).status_code == 302
    assert client.get("/staff/").status_code == 200
    client.post("/staff/logout")

    sign_in(client, "coord@example.org")
    again = client.post("/staff/login/code", data={"code": code})
    assert again.status_code == 400
    assert "has been used already" in again.get_data(as_text=True)


def test_the_enrolment_page_never_sends_the_secret_unencrypted_in_the_form(client, coordinator):
    sign_in(client, "coord@example.org")
    page = client.get("/staff/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    hidden = re.search(r'name="secret" type="hidden" value="([^"]+)"', page).group(1)
    assert secret not in hidden and "<svg" in page


def test_required_two_step_sign_in_sends_everyone_to_enrol(app_factory, database_url, session, coordinator):
    client = app_factory(LOCATOR=make_settings(database_url, require_mfa=True)).test_client()
    sign_in(client, "coord@example.org")
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/account/two-factor"
    enrol(client)
    assert client.get("/staff/").status_code == 200


def test_the_first_admin_is_created_on_the_command_line(runner, session):
    result = runner.invoke(
        args=["staff", "create", "Boss@Example.org", "--role", "admin", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(select(StaffUser)).one()
    assert (user.email, user.role) == ("boss@example.org", "admin")
    assert user.password_hash.startswith("$argon2id$")
    event = session.scalars(select(AuditEvent)).one()
    assert (event.action, event.target_id, event.detail) == ("staff.create", str(user.id), "admin")
    assert event.client_address == "command line" and event.actor_id is None


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "admin"], "short\n", "at least 12 characters"),
        (["--role", "coordinator", "--program", "nowhere"], "a long enough password\n", "no program with slug nowhere"),
        (["--role", "janitor"], "a long enough password\n", "Invalid value for '--role'"),
    ],
)
def test_staff_create_refuses_bad_input(runner, session, args, stdin, message):
    result = runner.invoke(args=["staff", "create", "x@example.org", *args, "--password-stdin"], input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert session.scalars(select(StaffUser)).all() == []


def test_an_invitation_sets_a_password_once(app, session):
    admin = factories.staff(session, "admin", email="admin@example.org")
    session.commit()
    client = app.test_client()
    sign_in(client, admin.email)
    response = client.post("/staff/people", data={"email": "New@Example.org", "name": "New", "role": "manager"})
    assert response.status_code == 302
    message = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff.invite")).one()
    link = re.search(r"http://127.0.0.1:5000(/staff/invite/\S+)", message.body).group(1)
    newcomer = app.test_client()
    assert newcomer.get(link).status_code == 200
    password = "my own good password"
    assert newcomer.post(link, data={"password": password, "confirm": password}).status_code == 302
    assert newcomer.get(link).status_code == 404  # used
    assert sign_in(newcomer, "new@example.org", password).status_code == 302


@pytest.fixture
def admin_and_coordinator(app, session, coordinator):
    admin = factories.staff(session, "admin", email="admin@example.org")
    session.commit()
    clients = {}
    for user in (admin, coordinator):
        clients[user.role] = app.test_client()
        assert sign_in(clients[user.role], user.email).status_code == 302
    return clients


def test_a_forgotten_password_is_reset_by_an_admin_with_a_link(app, session, coordinator, admin_and_coordinator):
    admin, old_session = admin_and_coordinator["admin"], admin_and_coordinator["coordinator"]
    page = admin.get(f"/staff/people/{coordinator.id}").get_data(as_text=True)
    folded = r'<details class="confirm">\s*<summary class="button">Email a link to choose a new password</summary>'
    assert re.search(folded + r".*?<form method=\"post\" action=\"/staff/people/\d+/password-link\">", page, re.S)
    response = admin.post(f"/staff/people/{coordinator.id}/password-link")
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/people/{coordinator.id}"
    assert old_session.get("/staff/").status_code == 302  # signed out everywhere at once
    assert sign_in(app.test_client(), "coord@example.org").status_code == 400  # the old password stops working
    assert "a link to choose one was emailed" in admin.get(f"/staff/people/{coordinator.id}").get_data(as_text=True)

    message = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff.password_reset")).one()
    assert message.recipient == "coord@example.org" and "old one no longer works" in message.body
    link = re.search(r"http://127.0.0.1:5000(/staff/invite/\S+)", message.body).group(1)
    person = app.test_client()
    password = "a brand new password"
    assert person.post(link, data={"password": password, "confirm": password}).status_code == 302
    assert person.get(link).status_code == 404  # once
    assert sign_in(person, "coord@example.org", password).status_code == 302
    assert ("staff.password_reset", "admin@example.org") in audit_actions(session)
    assert ("auth.password_set_by_link", "coord@example.org") in audit_actions(session)


def _links(session) -> list[OutboxMessage]:
    session.expire_all()
    return session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff.password_link")).all()


SAME_ANSWER = "If that address belongs to a staff account with two-step sign-in, a link to choose a new password"


@pytest.fixture
def with_second_factor(session, coordinator):
    coordinator.mfa_secret = pyotp.random_base32()
    session.commit()
    return coordinator


def test_a_forgotten_password_is_replaced_from_an_emailed_link(app, session, with_second_factor):
    client = app.test_client()
    assert 'href="/staff/login/forgot"' in client.get("/staff/login").get_data(as_text=True)
    response = client.post("/staff/login/forgot", data={"email": " Coord@Example.org"})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    assert SAME_ANSWER in client.get("/staff/login").get_data(as_text=True)

    (message,) = _links(session)
    assert message.recipient == "coord@example.org" and "your password has not changed" in message.body
    asked = sign_in(app.test_client(), "coord@example.org")  # asking locks nobody out
    assert asked.headers["Location"] == "/staff/login/code"
    link = re.search(r"http://127.0.0.1:5000(/staff/invite/\S+)", message.body).group(1)
    password = "a brand new password"
    assert client.post(link, data={"password": password, "confirm": password}).status_code == 302
    assert sign_in(app.test_client(), "coord@example.org").status_code == 400
    session.expire_all()
    assert session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all() == [
        "staff.password_link",
        "staff.password_changed",
    ]
    new = sign_in(app.test_client(), "coord@example.org", password)
    assert new.headers["Location"] == "/staff/login/code"  # the second factor is still asked for
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.password_link_requested")).one()
    assert (event.actor_email, event.target_id, event.detail) == (
        "coord@example.org",
        str(with_second_factor.id),
        "link sent",
    )


def test_asking_for_a_link_says_nothing_of_who_has_an_account(app, session, with_second_factor):
    factories.staff(session, "coordinator", email="gone@example.org", is_active=False, mfa_secret="A" * 32)
    factories.staff(session, "coordinator", email="plain@example.org")
    session.commit()
    answers = []
    for email in ("coord@example.org", "nobody@example.org", "gone@example.org", "plain@example.org"):
        client = app.test_client()
        response = client.post("/staff/login/forgot", data={"email": email})
        page = client.get("/staff/login").get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"], SAME_ANSWER in page))
    assert set(answers) == {(302, "/staff/login", True)}
    assert [m.recipient for m in _links(session)] == ["coord@example.org"]
    details = session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "auth.password_link_requested").order_by(AuditEvent.id)
    )
    assert details.all() == [
        "link sent",
        "no such account",
        "account disabled",
        "no second factor: only an admin sends the link",
    ]


def test_at_most_one_link_every_five_minutes(app, session, with_second_factor):
    client = app.test_client()
    for _ in range(3):
        assert client.post("/staff/login/forgot", data={"email": "coord@example.org"}).status_code == 302
    assert len(_links(session)) == 1
    user = session.get(StaffUser, with_second_factor.id)
    user.invite_expires_at -= timedelta(minutes=6)
    session.commit()
    client.post("/staff/login/forgot", data={"email": "coord@example.org"})
    first, second = _links(session)
    assert first.body != second.body  # a new link; the first one no longer works
    assert app.test_client().get(re.search(r"(/staff/invite/\S+)", first.body).group(1)).status_code == 404


def test_asking_for_links_is_throttled_per_client(app_factory, database_url, session, with_second_factor):
    client = throttled_client(app_factory, database_url, sign_in_rate_limit="2 per minute")
    for n in range(2):
        assert client.post("/staff/login/forgot", data={"email": f"someone{n}@example.org"}).status_code == 302
    response = client.post("/staff/login/forgot", data={"email": "coord@example.org"})
    assert response.status_code == 429 and "Too many requests from here" in response.get_data(as_text=True)
    assert _links(session) == []


def test_a_bad_address_is_explained_and_kept(client):
    response = client.post("/staff/login/forgot", data={"email": "coord at example"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="coord at example"' in page and 'aria-invalid="true"' in page


def test_a_lost_second_factor_is_reset_by_an_admin(app_factory, database_url, session, coordinator):
    app = app_factory(LOCATOR=make_settings(database_url, require_mfa=True))
    person = app.test_client()
    sign_in(person, "coord@example.org")
    enrol(person)
    assert person.get("/staff/").status_code == 200
    admin_user = factories.staff(session, "admin", email="admin@example.org")
    session.commit()
    admin = app.test_client()
    sign_in(admin, admin_user.email)
    enrol(admin)
    assert "Reset the second factor" in admin.get(f"/staff/people/{coordinator.id}").get_data(as_text=True)

    assert admin.post(f"/staff/people/{coordinator.id}/second-factor-reset").status_code == 302
    assert person.get("/staff/").status_code == 302  # signed out
    session.expire_all()
    assert session.get(StaffUser, coordinator.id).mfa_secret is None
    assert sign_in(person, "coord@example.org").headers["Location"] == "/staff/"  # the password alone...
    assert person.get("/staff/").headers["Location"] == "/staff/account/two-factor"  # ...then a new phone
    enrol(person)
    assert person.get("/staff/").status_code == 200
    assert ("staff.second_factor_reset", "admin@example.org") in audit_actions(session)


def test_an_admin_resets_no_one_but_someone_else_who_is_active(session, coordinator, admin_and_coordinator):
    admin = admin_and_coordinator["admin"]
    me = session.scalars(select(StaffUser).where(StaffUser.email == "admin@example.org")).one()
    assert "Email a link" not in admin.get(f"/staff/people/{me.id}").get_data(as_text=True)
    assert admin.post(f"/staff/people/{me.id}/password-link").status_code == 400
    assert admin.post(f"/staff/people/{me.id}/second-factor-reset").status_code == 400
    coordinator.is_active = False
    session.commit()
    assert admin.post(f"/staff/people/{coordinator.id}/password-link").status_code == 400
    assert admin.post(f"/staff/people/{coordinator.id + 1000}/password-link").status_code == 404
    assert session.scalars(select(OutboxMessage)).all() == []


def test_an_expired_invitation_says_so_and_a_new_link_works(app, session, admin_and_coordinator):
    admin = admin_and_coordinator["admin"]
    admin.post("/staff/people", data={"email": "late@example.org", "role": "manager"})
    late = session.scalars(select(StaffUser).where(StaffUser.email == "late@example.org")).one()
    first = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff.invite")).one()
    late.invite_expires_at = utcnow() - timedelta(hours=1)
    session.commit()
    assert "the link to choose one expired" in admin.get(f"/staff/people/{late.id}").get_data(as_text=True)
    assert app.test_client().get(re.search(r"/staff/invite/\S+", first.body).group(0)).status_code == 404

    assert admin.post(f"/staff/people/{late.id}/password-link").status_code == 302
    again = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff.password_reset")).one()
    assert "a new link to choose the password" in again.body and "old one" not in again.body
    password = "finally my own password"
    link = re.search(r"/staff/invite/\S+", again.body).group(0)
    assert app.test_client().post(link, data={"password": password, "confirm": password}).status_code == 302
    assert sign_in(app.test_client(), "late@example.org", password).status_code == 302
