"""Every staff page, not only the three the browser workflow opens: no serious or critical axe-core
violation, as an admin sees it (with something on it) and with the errors a refused form shows; and
nothing that makes a phone screen scroll sideways (a wide table scrolls in a region of its own)."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from locator.models import IntakeRequest, ListingReport
from tests import factories
from tests.browser.test_staff_browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def office(session):
    """A program with a level, a report on its listing, a request in its queue, an admin and a coordinator."""
    levels = [{"level": "detox", "setting": "general"}]
    program = factories.program(session, slug="harbor", name="Harbor Detox", levels=levels)
    admin = factories.staff(session, "admin", email="admin@example.org")
    coordinator = factories.staff(session, "coordinator", programs=[program], email="coord@example.org")
    factories.intake_request(session, program, name="Dana Canary", urgency="urgent")
    session.add(ListingReport(program=program, kind="phone", details="The number rings out"))
    session.commit()
    return {"admin": admin.email, "program": program.id, "coordinator": coordinator.id}


PAGES = [
    "/staff/availability",
    "/staff/programs",
    "/staff/programs/new",
    "/staff/programs/{program}",
    "/staff/listing-reports",
    "/staff/people",
    "/staff/people/{coordinator}",
    "/staff/audit",
    "/staff/reports",
    "/staff/account",
    "/staff/account/two-factor",
    "/staff/confirm",
]


def test_every_admin_page(live_server, page, axe, office):
    sign_in(page, live_server, office["admin"])
    expect(page.locator("h1")).to_have_text("Intake queue")
    found = {}
    for path in PAGES:
        page.goto(live_server + path.format(**office))
        expect(page.locator("h1")).to_be_visible()
        found[path] = axe(page)
    assert {path: violations for path, violations in found.items() if violations} == {}
    assert list(found) == PAGES


def test_forms_showing_their_errors(live_server, page, axe, office):
    sign_in(page, live_server, office["admin"])
    expect(page.locator("h1")).to_have_text("Intake queue")
    found = {}

    page.goto(live_server + "/staff/programs/new")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary")).to_be_visible()
    found["program"] = axe(page)

    page.goto(live_server + "/staff/people")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".error-summary")).to_be_visible()
    found["invite"] = axe(page)

    page.goto(live_server + "/staff/?created_from=2026-13-40")
    expect(page.locator(".error-summary")).to_be_visible()
    found["queue filters"] = axe(page)

    page.goto(live_server + "/staff/availability")
    row = page.locator("form.capacity-row").first
    row.locator("input[name$='-available']").fill("-4")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error").first).to_be_visible()
    found["availability"] = axe(page)
    assert {form: violations for form, violations in found.items() if violations} == {}


def test_no_page_scrolls_sideways_on_a_phone(live_server, phone, office, session):
    reference = session.scalar(select(IntakeRequest.reference))
    sign_in(phone, live_server, office["admin"])
    expect(phone.locator("h1")).to_have_text("Intake queue")
    widths = {}
    for path in ["/staff/", f"/staff/intakes/{reference}", *PAGES]:
        phone.goto(live_server + path.format(**office))
        expect(phone.locator("h1")).to_be_visible()
        widths[path] = phone.evaluate("document.documentElement.scrollWidth")
    assert {path: width for path, width in widths.items() if width > 320} == {}
