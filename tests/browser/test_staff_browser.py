"""The staff workspace in Chromium: sign in, work a request from the queue, sign out, and nothing left behind."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from locator.models import Program, StaffSession, utcnow
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(session):
    program = factories.program(session, slug="harbor", name="Harbor Detox")
    coordinator = factories.staff(session, "coordinator", programs=[program], email="coord@example.org")
    request = factories.intake_request(session, program, name="Dana Canary", urgency="urgent")
    session.commit()
    return {"reference": request.reference, "email": coordinator.email}


def sign_in(page, live_server, email):
    page.goto(live_server + "/staff/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The page's deferred scripts have run: a test's fake clock run forward before they set their timers
    # would never fire them.
    page.wait_for_load_state()


def test_work_a_request_and_leave_nothing_behind(live_server, page, desk):
    sign_in(page, live_server, desk["email"])
    expect(page.locator("h1")).to_have_text("Intake queue")
    page.get_by_role("link", name=desk["reference"]).click()
    expect(page.locator("h1")).to_contain_text(desk["reference"])
    expect(page.locator("body")).to_contain_text("Dana Canary")

    contact = page.locator("#contact-form")
    contact.get_by_label("How").select_option("phone")
    contact.get_by_label("Outcome").select_option("reached")
    contact.get_by_role("button", name="Log contact").click()
    expect(page.locator(".history")).to_contain_text("contact (Phone call): Reached them")
    expect(page.locator(".history")).to_contain_text("status New → Contacted")

    status = page.locator("#status-form")
    status.get_by_label("New status").select_option("screening")
    status.get_by_role("button", name="Change status").click()
    expect(page.locator(".history")).to_contain_text("status Contacted → Screening")

    note = page.locator("#note-form")
    note.get_by_label("Note").fill("Call back after 5pm")
    note.get_by_role("button", name="Add note").click()
    expect(page.locator(".history")).to_contain_text("Call back after 5pm")

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Staff sign-in")
    page.go_back()
    page.wait_for_load_state()
    assert "Dana Canary" not in page.content()
    assert "Call back after 5pm" not in page.content()
    page.goto(live_server + f"/staff/intakes/{desk['reference']}")
    expect(page.locator("h1")).to_have_text("Staff sign-in")


def idle_for(session, minutes: int) -> None:
    record = session.scalars(select(StaffSession)).one()
    record.last_seen_at = utcnow() - timedelta(minutes=minutes)
    session.commit()


def last_seen(session) -> timedelta:
    session.expire_all()
    return utcnow() - session.scalars(select(StaffSession)).one().last_seen_at


def said_here(response) -> bool:
    return response.url.endswith("/staff/session") and response.request.method == "POST"


def test_an_idle_page_warns_before_signing_out_and_stays_when_asked(live_server, page, axe, session, desk):
    page.clock.install()  # the page's timers, run forward by the test; the server keeps real time
    sign_in(page, live_server, desk["email"])
    page.get_by_role("link", name=desk["reference"]).click()
    expect(page.locator("h1")).to_contain_text(desk["reference"])
    warning = page.get_by_role("dialog", name="Are you still there?")
    expect(warning).to_be_hidden()

    idle_for(session, 29)
    page.clock.run_for(61_000)
    expect(warning).to_be_visible()
    expect(warning).to_have_accessible_description(re.compile("signed out in less than two minutes"))
    expect(warning.get_by_role("button", name="Stay signed in")).to_be_focused()
    backdrop = warning.evaluate("w => getComputedStyle(w, '::backdrop').backgroundColor")
    assert backdrop.startswith("rgb("), backdrop  # opaque: nobody's details show past an empty desk's warning
    assert axe(page) == []
    assert last_seen(session) > timedelta(minutes=28)  # the page asking is not the person being there

    with page.expect_response(said_here):
        warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    assert last_seen(session) < timedelta(minutes=1)
    expect(page.locator("body")).to_contain_text("Dana Canary")


def test_typing_counts_as_being_there(live_server, page, session, desk):
    page.clock.install()
    sign_in(page, live_server, desk["email"])
    page.get_by_role("link", name=desk["reference"]).click()
    idle_for(session, 20)
    page.locator("#note-form").get_by_label("Note").fill("Still writing")  # no request: the page alone knows
    page.locator("#note-form").get_by_label("Note").press("End")
    with page.expect_response(said_here):
        page.clock.run_for(61_000)
    assert last_seen(session) < timedelta(minutes=1)
    expect(page.get_by_role("dialog")).to_be_hidden()


def test_a_timed_out_page_leaves_for_the_sign_in_page(live_server, page, session, desk):
    page.clock.install()
    sign_in(page, live_server, desk["email"])
    page.get_by_role("link", name=desk["reference"]).click()
    expect(page.locator("body")).to_contain_text("Dana Canary")
    idle_for(session, 31)
    page.clock.run_for(61_000)
    expect(page.locator("h1")).to_have_text("Staff sign-in")
    expect(page.get_by_role("status")).to_contain_text("You were signed out")
    assert "Dana Canary" not in page.content()
    page.go_back()
    page.wait_for_load_state()
    assert "Dana Canary" not in page.content()


def test_no_serious_accessibility_violations_on_sign_in_queue_and_request(live_server, page, axe, desk):
    page.goto(live_server + "/staff/login")
    assert axe(page) == []
    sign_in(page, live_server, desk["email"])
    expect(page.locator("h1")).to_have_text("Intake queue")
    assert axe(page) == []
    page.get_by_role("link", name=desk["reference"]).click()
    expect(page.locator("h1")).to_contain_text(desk["reference"])
    assert axe(page) == []
    page.goto(live_server + "/staff/intakes/new")
    expect(page.locator("h1")).to_have_text("Take a request on a call")
    assert axe(page) == []


def test_on_a_phone_each_queued_request_is_one_line_and_only_the_table_scrolls(live_server, phone, session, desk):
    program = factories.program(session, slug="long", name="Harbor Light Detox and Stabilization Center – Columbus")
    factories.intake_request(session, program, name="Sam Long", urgency="routine")
    admin = factories.staff(session, "admin", email="admin@example.org")  # sees both programs' requests
    session.commit()
    sign_in(phone, live_server, admin.email)
    expect(phone.locator("h1")).to_have_text("Intake queue")
    phone.wait_for_load_state()  # the stylesheet applied, not only the new page's elements in place
    rows = phone.locator("table.one-line tbody tr")
    expect(rows).to_have_count(2)
    line = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('table.one-line td')).lineHeight)")
    heights = [rows.nth(n).bounding_box()["height"] for n in range(2)]
    assert all(height < 2 * line + 20 for height in heights), (heights, line)  # one line, its padding and a tag
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert phone.evaluate("document.querySelector('.wide-region').scrollWidth > 320")


def test_on_a_wide_screen_the_find_button_sits_beside_the_search_box(live_server, page, desk):
    sign_in(page, live_server, desk["email"])
    expect(page.locator("h1")).to_have_text("Intake queue")
    page.wait_for_load_state()  # the stylesheet applied
    box = page.get_by_label("Reference, name or phone").bounding_box()
    button = page.get_by_role("button", name="Find").bounding_box()
    assert button["y"] < box["y"] + box["height"]  # the same row
    assert button["x"] - (box["x"] + box["width"]) <= 20  # the row's gap of 1rem


def test_escape_twice_leaves_a_public_page_but_not_a_staff_one(live_server, page, desk):
    """The public pages' quick exit (Esc twice) is for someone hiding their search; on a staff page it would
    throw a coordinator out of a request they are working on."""
    left = []
    page.on("request", lambda request: left.append(request.url) if "weather.gov" in request.url else None)
    sign_in(page, live_server, desk["email"])
    expect(page.locator("h1")).to_have_text("Intake queue")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.reload()  # anything the keys set off has been asked for by now
    expect(page.locator("h1")).to_have_text("Intake queue")
    assert left == []
    page.goto(live_server + "/safety")
    with page.expect_request(lambda request: "weather.gov" in request.url):
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")


def test_the_open_queue_says_when_requests_come_in(live_server, page, axe, session, desk):
    page.clock.install()
    sign_in(page, live_server, desk["email"])
    expect(page.locator("h1")).to_have_text("Intake queue")
    arrivals = page.get_by_role("status")
    expect(arrivals).not_to_contain_text("new request")
    expect(arrivals.get_by_role("link")).to_be_hidden()
    program = session.scalars(select(Program).where(Program.slug == "harbor")).one()
    newcomer = factories.intake_request(session, program, name="Robin Vale", urgency="urgent")
    session.commit()
    page.clock.run_for(61_000)
    expect(arrivals).to_contain_text("1 new request since this page was loaded, 1 urgent.")
    expect(page).to_have_title(re.compile(r"^\(1\) Intake queue"))
    assert axe(page) == []
    arrivals.get_by_role("link", name="Open the queue again").click()
    expect(page.get_by_role("link", name=newcomer.reference)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Intake queue"))
