"""Availability, programs, problem reports, staff accounts and reports, as admins and managers use them."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from locator.models import AuditEvent, ListingReport, Program, StaffSession, StaffUser, utcnow
from locator.notify import outbox
from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def place(app, session):
    program = factories.program(
        session,
        slug="harbor",
        name="Harbor",
        zip="40202",
        levels=[{"level": "detox", "setting": "general", "capacity_available": 0, "capacity_maximum": 10}],
    )
    admin = factories.staff(session, "admin")
    manager = factories.staff(session, "manager", programs=[program])
    session.commit()

    def client_for(user):
        client = app.test_client()
        sign_in(client, user.email)
        return client

    return {
        "program": program,
        "level": program.levels[0],
        "admin": client_for(admin),
        "manager": client_for(manager),
        "manager_user": manager,
    }


def capacity(client, level_id, available, maximum=""):
    prefix = f"level-{level_id}"
    data = {f"{prefix}-level_id": level_id, f"{prefix}-available": available, f"{prefix}-maximum": maximum}
    return client.post(f"/staff/availability/{level_id}", data=data)


def test_a_manager_updates_availability_and_the_locator_shows_it_at_once(place, client, session):
    assert capacity(place["manager"], place["level"].id, 3).status_code == 302
    session.expire_all()
    level = session.get(type(place["level"]), place["level"].id)
    assert (level.capacity_available, level.capacity_maximum) == (3, 10)
    assert level.capacity_updated_by == place["manager_user"].email and level.capacity_updated_at is not None
    assert "3 beds open" in client.get("/programs/harbor").get_data(as_text=True)


def test_more_open_than_the_total_is_refused_with_a_message(place):
    response = capacity(place["manager"], place["level"].id, 12, 10)
    assert response.status_code == 400 and "Cannot be more than the total." in response.get_data(as_text=True)


def test_a_manager_cannot_touch_another_programs_levels(place, session):
    other = factories.program(session, levels=[{"level": "detox", "setting": "general"}])
    session.commit()
    assert capacity(place["manager"], other.levels[0].id, 1).status_code == 404


def program_form(**changes) -> dict:
    return {
        "name": "Harbor",
        "street1": "1 Main St",
        "city": "Louisville",
        "state": "ky",
        "zip": "40202",
        "timezone": "America/New_York",
        "accepting_new": "y",
        "levels": ["detox/general", "outpatient/intensive_outpatient"],
    } | changes


def test_an_admin_edits_a_program_and_a_new_address_is_geocoded(place, session):
    program_id = place["program"].id
    response = place["admin"].post(f"/staff/programs/{program_id}", data=program_form(city="Columbus", zip="43215"))
    assert response.status_code == 302
    session.expire_all()
    program = session.get(Program, program_id)
    # Stored as typed; the map point follows the ZIP code.
    assert (program.city, program.state, program.zip) == ("Columbus", "KY", "43215")
    assert abs(program.lat - 39.96) < 0.1 and abs(program.lon + 83.0) < 0.1
    assert {(lvl.level, lvl.setting) for lvl in program.levels} == {
        ("detox", "general"),
        ("outpatient", "intensive_outpatient"),
    }
    detox = next(lvl for lvl in program.levels if lvl.level == "detox")
    assert detox.capacity_maximum == 10  # a kept level keeps its capacity


def test_the_program_form_groups_levels_and_attributes_under_their_names(place, session):
    for category, code, label in [("service", "TELE", "Telehealth"), ("payment", "MD", "Medicaid")]:
        factories.attribute(session, category, code, label)
    session.commit()
    page = place["admin"].get(f"/staff/programs/{place['program'].id}").get_data(as_text=True)
    groups = [part.split("</legend>")[0] for part in page.split('<fieldset class="choice-group">')[1:]]
    assert [g.strip() for g in groups] == [
        "<legend>Detox (withdrawal management)",
        "<legend>Residential",
        "<legend>Outpatient",
        "<legend>Aftercare and recovery support",
        "<legend>Payment",  # in the locator's order, not the alphabet's
        "<legend>Services",
    ]
    payment = page.split("<legend>Payment</legend>")[1].split("</fieldset>")[0]
    assert "Medicaid" in payment and "Telehealth" not in payment
    assert "payment: Medicaid" not in page


def _hours(session, program_id) -> list[tuple[int, int, int]]:
    session.expire_all()
    return sorted((h.weekday, h.opens_minute, h.closes_minute) for h in session.get(Program, program_id).hours)


def test_an_admin_sets_a_programs_opening_hours_and_the_locator_shows_them(place, session, client):
    program_id = place["program"].id
    week = {"hours_mon": "08:00-12:00, 13:00-17:30", "hours_tue": "8-17:30", "hours_sat": "09:00–13:00"}
    assert place["admin"].post(f"/staff/programs/{program_id}", data=program_form(**week)).status_code == 302
    assert _hours(session, program_id) == [(0, 480, 720), (0, 780, 1050), (1, 480, 1050), (5, 540, 780)]

    form = place["admin"].get(f"/staff/programs/{program_id}").get_data(as_text=True)
    assert 'name="hours_mon" type="text" value="08:00-12:00, 13:00-17:30"' in form
    assert 'name="hours_sat" type="text" value="09:00-13:00"' in form
    public = client.get(f"/programs/{place['program'].slug}").get_data(as_text=True)
    assert "Closed" in public and "5:30" in public

    place["admin"].post(f"/staff/programs/{program_id}", data=program_form(open_all_week="y", hours_mon="08:00-09:00"))
    assert _hours(session, program_id) == [(day, 0, 1440) for day in range(7)]


@pytest.mark.parametrize("typed", ["8am-5pm", "17:00-09:00", "08:00-12:00, 11:00-13:00"])
def test_hours_that_cannot_be_are_a_message_and_nothing_changes(place, session, typed):
    program_id = place["program"].id
    place["admin"].post(f"/staff/programs/{program_id}", data=program_form(hours_fri="08:00-17:00"))
    response = place["admin"].post(f"/staff/programs/{program_id}", data=program_form(hours_mon=typed, name="Renamed"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Write the times on a 24-hour clock" in page
    assert f'value="{typed}"' in page  # what was typed stays to be mended
    assert _hours(session, program_id) == [(4, 480, 1020)] and session.get(Program, program_id).name == "Harbor"


def test_an_address_that_cannot_be_placed_is_a_message(place):
    response = place["admin"].post(f"/staff/programs/{place['program'].id}", data=program_form(zip="00000"))
    assert response.status_code == 400
    assert "could not be placed on the map" in response.get_data(as_text=True)


def test_an_admin_adds_a_program(place, session):
    response = place["admin"].post("/staff/programs/new", data=program_form(name="New Place"))
    assert response.status_code == 302
    program = session.scalars(select(Program).where(Program.name == "New Place")).one()
    assert program.slug == "new-place-louisville" and program.source == "manual"


def test_a_new_programs_time_zone_follows_its_zip_code_unless_chosen(place, session):
    place["admin"].post(
        "/staff/programs/new", data=program_form(name="West", city="Oakland", state="CA", zip="94612", timezone="")
    )
    chosen = program_form(name="Chosen", city="Oakland", state="CA", zip="94612", timezone="America/Denver")
    place["admin"].post("/staff/programs/new", data=chosen)
    zones = dict(
        session.execute(select(Program.name, Program.timezone).where(Program.name.in_(["West", "Chosen"]))).all()
    )
    assert zones == {"West": "America/Los_Angeles", "Chosen": "America/Denver"}


def test_a_time_zone_that_does_not_exist_is_refused_with_the_form_kept(place, session):
    response = place["admin"].post(
        f"/staff/programs/{place['program'].id}", data=program_form(timezone="Eastern", description="Kept text")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Not a valid choice" in page and "Kept text" in page
    session.expire_all()
    assert session.get(Program, place["program"].id).timezone == "America/New_York"


def test_stale_programs_are_listed_for_review(place, session):
    fresh = factories.program(session, name="Fresh One", verified_at=utcnow() - timedelta(days=10))
    factories.program(session, name="Stale One", verified_at=utcnow() - timedelta(days=200))
    session.commit()
    page = place["admin"].get("/staff/programs?stale=1").get_data(as_text=True)
    assert "Stale One" in page and "Harbor" in page and fresh.name not in page
    place["admin"].post(f"/staff/programs/{place['program'].id}/verify")
    assert "Harbor" not in place["admin"].get("/staff/programs?stale=1").get_data(as_text=True)


def test_the_program_list_finds_a_listing_among_many_a_page_at_a_time(place, session, monkeypatch):
    from locator.staff import views_admin

    factories.program(session, name="Bluegrass Recovery", city="Lexington", zip="40507")
    factories.program(session, name="River 100% Detox", city="Cincinnati", state="OH", zip="45202")
    factories.program(session, name="Hope House", city="Dayton", state="OH", zip="45402")
    session.commit()
    admin = place["admin"]

    def listed(query: str) -> list[str]:
        page = admin.get("/staff/programs" + query).get_data(as_text=True)
        return re.findall(r'<td><a href="/staff/programs/\d+">([^<]+)</a>', page)

    assert listed("") == ["Bluegrass Recovery", "Harbor", "River 100% Detox", "Hope House"]  # by state, then city
    assert listed("?q=lexing") == ["Bluegrass Recovery"]  # a city, in any case
    assert listed("?q=45") == ["River 100% Detox", "Hope House"]  # the start of a ZIP code
    assert listed("?q=100%25") == ["River 100% Detox"]  # % is a character here, not a wildcard
    assert listed("?state=OH&q=hope") == ["Hope House"]
    assert "2 programs" in admin.get("/staff/programs?state=OH").get_data(as_text=True)

    monkeypatch.setattr(views_admin, "PROGRAMS_PER_PAGE", 3)
    assert listed("?page=2") == ["Hope House"]
    second = admin.get("/staff/programs?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "Previous" in second and "Next" not in second
    assert "past the end of this list" in admin.get("/staff/programs?page=3").get_data(as_text=True)

    refused = admin.get("/staff/programs?state=ZZ")
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)


def test_marking_verified_returns_to_the_same_list_and_never_to_another_site(place):
    url = f"/staff/programs/{place['program'].id}/verify"
    back = place["admin"].post(url, data={"back": "/staff/programs?q=harb&page=1"})
    assert back.headers["Location"] == "/staff/programs?q=harb&page=1"
    away = place["admin"].post(url, data={"back": "https://evil.example/staff/"})
    assert away.headers["Location"] == "/staff/programs"


def test_an_admin_keeps_the_availability_of_the_networks_programs_not_a_directory_imports(place, session):
    detox = [{"level": "detox", "setting": "general"}]
    factories.program(session, name="Imported Elsewhere", import_hash="x" * 64, levels=detox)
    covered = factories.program(session, name="Imported And Ours", import_hash="y" * 64, levels=detox)
    factories.staff(session, "manager", programs=[covered])
    session.commit()
    page = place["admin"].get("/staff/availability").get_data(as_text=True)
    assert "Harbor" in page and "Imported And Ours" in page and "Imported Elsewhere" not in page


def test_listing_reports_are_worked(place, session, client):
    client.post("/programs/harbor/report", data={"kind": "phone", "details": "Number rings out"})
    page = place["admin"].get("/staff/listing-reports").get_data(as_text=True)
    assert "Number rings out" in page and "A phone number is wrong ·" in page  # what the person chose, not a code
    report = session.scalars(select(ListingReport)).one()
    place["admin"].post(f"/staff/listing-reports/{report.id}", data={"outcome": "resolved"})
    session.expire_all()
    assert session.get(ListingReport, report.id).status == "resolved"


def test_an_invitation_has_no_role_until_one_is_chosen(place, session):
    page = place["admin"].get("/staff/people").get_data(as_text=True)
    role = re.search(r'<select[^>]*name="role".*?</select>', page, re.S).group(0)
    assert (
        role.index('<option value="">Choose one</option>') < role.index('<option value="manager"')
        and "selected" not in role
    )
    response = place["admin"].post("/staff/people", data={"email": "typed@example.org", "name": "Typed Name"})
    answer = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose a role." in answer
    assert 'value="typed@example.org"' in answer and 'value="Typed Name"' in answer
    assert session.scalars(select(StaffUser).where(StaffUser.email == "typed@example.org")).first() is None


def test_disabling_someone_signs_them_out_everywhere(place, session):
    user = place["manager_user"]
    response = place["admin"].post(f"/staff/people/{user.id}", data={"role": "manager", "programs": []})
    assert response.status_code == 302
    assert place["manager"].get("/staff/availability").status_code == 302
    session.expire_all()
    assert all(
        s.ended_at is not None
        for s in session.scalars(select(StaffSession).where(StaffSession.staff_user_id == user.id))
    )


def test_reports_show_weekly_counts_contact_times_and_outcomes(place, session):
    now = utcnow()
    program = place["program"]
    factories.intake_request(
        session,
        program,
        urgency="urgent",
        created_at=now - timedelta(hours=2),
        first_contact_at=now - timedelta(hours=2) + timedelta(minutes=10),
        level="detox",
    )
    factories.intake_request(
        session,
        program,
        urgency="urgent",
        created_at=now - timedelta(hours=3),
        first_contact_at=now - timedelta(hours=3) + timedelta(minutes=30),
        status="admitted",
    )
    factories.intake_request(session, None, urgency="routine", created_at=now - timedelta(days=3))
    session.commit()
    page = place["admin"].get("/staff/reports").get_data(as_text=True)
    assert "3 requests from" in page
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "<rect" in page
    urgent_row = page[page.index('<th scope="row">Urgent</th>') :][:300]
    assert "<td>2</td>" in urgent_row and "20 min" in urgent_row and "30 min" in urgent_row
    assert "Network-wide queue" in page
    assert '<th scope="col">Referred elsewhere</th>' in page  # labels, not the codes


def _medium(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def test_a_report_shows_its_period_in_the_form_and_in_words(place):
    today = utcnow().date()
    default = place["admin"].get("/staff/reports").get_data(as_text=True)
    start = today - timedelta(days=83)
    assert f'value="{start.isoformat()}"' in default and f'value="{today.isoformat()}"' in default
    assert f"0 requests from {_medium(start)} to {_medium(today)}." in default
    assert "No requests in this period." in default

    since = today - timedelta(days=400)  # only a start: from it to today
    page = place["admin"].get(f"/staff/reports?start={since.isoformat()}").get_data(as_text=True)
    assert f"from {_medium(since)} to {_medium(today)}." in page and f'value="{today.isoformat()}"' in page

    later = today + timedelta(days=10)  # a start still to come: that day, never a period ending before it starts
    page = place["admin"].get(f"/staff/reports?start={later.isoformat()}").get_data(as_text=True)
    assert f"from {_medium(later)} to {_medium(later)}." in page


def test_a_long_report_keeps_its_chart_readable_and_two_years_is_the_limit(place):
    today = utcnow().date()
    start = today - timedelta(days=2 * 365)
    page = place["admin"].get(f"/staff/reports?start={start.isoformat()}").get_data(as_text=True)
    chart = page[page.index("<svg role") : page.index("</svg>")]
    assert float(chart.split('width="', 1)[1].split('"', 1)[0]) <= 612  # as wide as thirteen weeks
    assert page.count('<tr><th scope="row" class="date">') >= 104  # every week in the table
    assert chart.count('font-size="10"') <= 14  # a week named every few bars, not 105 overlapping names

    response = place["admin"].get(f"/staff/reports?start={(today - timedelta(days=800)).isoformat()}")
    assert response.status_code == 400
    assert "Choose a period of two years or less." in response.get_data(as_text=True)


def test_the_audit_trail_is_filtered_by_who_what_which_record_and_when(place, session):
    now = utcnow()
    for email, action, target, age in [
        ("ana@example.org", "intake.view", "KYX-739Q", timedelta(hours=1)),
        ("ben@example.org", "intake.contact", "KYX-739Q", timedelta(hours=2)),
        ("ana@example.org", "auth.sign_in", "7", timedelta(hours=3)),
        ("ana@example.org", "intake.view", "ABC-2345", timedelta(days=10)),
    ]:
        session.add(AuditEvent(at=now - age, actor_email=email, action=action, target_type="t", target_id=target))
    session.commit()

    def rows(query: str) -> set[tuple[str, str, str]]:
        page = place["admin"].get(f"/staff/audit?{query}").get_data(as_text=True)
        found = re.findall(r"<td>([a-z]+@example\.org)</td><td>([a-z_.]+)</td>\s*<td>t ([A-Z0-9-]+)</td>", page)
        return set(found)

    assert rows("actor=ANA@example.org") == {
        ("ana@example.org", "intake.view", "KYX-739Q"),
        ("ana@example.org", "auth.sign_in", "7"),
        ("ana@example.org", "intake.view", "ABC-2345"),
    }
    assert {action for _, action, _ in rows("action=intake.")} == {"intake.view", "intake.contact"}
    assert rows("action=intake%25") == set()  # a wildcard is a character, not a pattern
    assert {who for who, _, _ in rows("target=kyx739q")} == {"ana@example.org", "ben@example.org"}  # as typed
    since = (now - timedelta(days=2)).date().isoformat()
    assert ("ana@example.org", "intake.view", "ABC-2345") not in rows(f"actor=ana@example.org&start={since}")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/staff/reports?start=9999-12-31&end=9999-12-31", "Enter a date between 2000 and 2099."),
        ("/staff/reports?start=2026-05-01&end=2026-04-01", "The end date is before the start date."),
        ("/staff/audit?start=2026-05-01&end=2026-04-01", "The end date is before the start date."),
        ("/staff/audit?end=0001-01-01", "Enter a date between 2000 and 2099."),
    ],
)
def test_a_period_that_cannot_be_is_a_message(place, url, message):
    response = place["admin"].get(url)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/staff/people/{}", "/staff/programs/{}"])
def test_an_id_beyond_any_row_is_no_page(place, path):
    """Not a query: PostgreSQL refuses an INTEGER beyond 2**31 - 1."""
    for number in (0, 2**31, 10**30):
        assert place["admin"].get(path.format(number)).status_code == 404


def test_staff_menus_list_the_networks_programs_not_the_imported_directory(place, session, runner):
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    runner.invoke(
        args=["programs", "import", str(fixtures / "findtreatment_small.csv"), "--format", "findtreatment-csv"]
    )
    assert session.scalars(select(Program).where(Program.name == "Harbor Recovery")).one()
    people = place["admin"].get("/staff/people").get_data(as_text=True)
    assert "Harbor (Louisville, KY)" in people and "Harbor Recovery" not in people


def test_the_availability_page_says_which_figures_the_locator_no_longer_shows(place, session):
    stale = factories.program(
        session, slug="stale", levels=[{"level": "detox", "setting": "general", "capacity_available": 2}]
    )
    stale.levels[0].capacity_updated_at = utcnow() - timedelta(hours=73)
    never = factories.program(session, slug="never", levels=[{"level": "aftercare", "setting": "general"}])
    place["level"].capacity_updated_at = utcnow() - timedelta(hours=1)
    session.commit()
    page = place["admin"].get("/staff/availability").get_data(as_text=True)
    assert "After 72 hours without an update it shows them as “not confirmed”" in page
    starts = {p.slug: page.index(f'id="program-{p.id}"') for p in (place["program"], stale, never)}
    sections = {slug: page[start : page.index("</section>", start)] for slug, start in starts.items()}
    assert "Out of date" not in sections["harbor"] and "no figures" not in sections["harbor"]
    assert "Out of date: the locator shows “not confirmed”." in sections["stale"]
    assert "The locator shows no figures for this level." in sections["never"]


def test_saving_a_program_whose_notices_failed_says_where_to_send_them_again(place, session):
    program = place["program"]
    notices = [
        outbox.enqueue(session, kind="intake.created", recipient="typo@example.org", subject="s", body="b", program=p)
        for p in (program, program, None)
    ]
    for message in notices:
        message.status = "failed"
    session.commit()
    page = place["admin"].post(
        f"/staff/programs/{program.id}", data=program_form(email="intake@example.org"), follow_redirects=True
    )
    assert "2 notices to this program could not be sent. If its inbox was wrong, send them again from Notices" in (
        page.get_data(as_text=True)
    )
    notices[0].status = notices[1].status = "sent"
    session.commit()
    page = place["admin"].post(f"/staff/programs/{program.id}", data=program_form(), follow_redirects=True)
    assert "could not be sent" not in page.get_data(as_text=True)
