"""Every staff page, not only the three the browser workflow opens: no serious or critical axe-core
violation, as an admin sees it (with something on it) and with the errors a refused form shows; and
nothing that makes a phone screen scroll sideways (a wide table scrolls in a region of its own)."""

from itertools import pairwise

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from locator.models import IntakeRequest, ListingReport, utcnow
from locator.notify import outbox
from tests import factories
from tests.browser.test_staff_browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def office(session):
    """A program with a level, a report on its listing, a request in its queue, an admin and a coordinator."""
    levels = [{"level": "detox", "setting": "general"}, {"level": "outpatient", "setting": "intensive_outpatient"}]
    program = factories.program(session, slug="harbor", name="Harbor Detox", levels=levels)
    program.levels[1].capacity_available, program.levels[1].capacity_maximum = 3, 10
    program.levels[1].capacity_updated_at = utcnow()
    program.levels[1].capacity_updated_by = "a.manager.with.a.long.address@harbor-detox.example.org"
    admin = factories.staff(session, "admin", email="admin@example.org")
    coordinator = factories.staff(session, "coordinator", programs=[program], email="coord@example.org")
    factories.intake_request(session, program, name="Dana Canary", urgency="urgent")
    session.add(ListingReport(program=program, kind="phone", details="The number rings out"))
    for n in range(2):  # notices given up, to send again
        message = outbox.enqueue(
            session, kind="intake.created", recipient=f"in{n}@harbor.example.org", subject="s", body="b"
        )
        message.status, message.attempts, message.last_error = "failed", outbox.MAX_ATTEMPTS, "SMTPRecipientsRefused"
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
    "/staff/notices",
    "/staff/reports",
    "/staff/account",
    "/staff/account/two-factor",
    "/staff/confirm",
    "/staff/login/forgot",
]


def test_every_admin_page(live_server, page, axe, office):
    sign_in(page, live_server, office["admin"])
    expect(page.locator("h1")).to_have_text("Intake queue")
    found, unstyled = {}, {}
    for path in PAGES:
        page.goto(live_server + path.format(**office))
        expect(page.locator("h1")).to_be_visible()
        found[path] = axe(page)
        unstyled[path] = page.evaluate(FIELDS_WITHOUT_THE_HOUSE_BORDER) + page.evaluate(LABELS_BESIDE_THEIR_FIELDS)
    assert {path: violations for path, violations in found.items() if violations} == {}
    assert list(found) == PAGES
    assert {path: fields for path, fields in unstyled.items() if fields} == {}  # every kind of field looks alike


FIELDS_WITHOUT_THE_HOUSE_BORDER = """[...document.querySelectorAll("input, select, textarea")]
    .filter(f => !["hidden", "checkbox", "radio", "submit"].includes(f.type))
    .filter(f => {
        const style = getComputedStyle(f);
        return `${style.borderTopWidth} ${style.borderTopStyle} ${style.borderTopLeftRadius}` !== "2px solid 6px";
    })
    .map(f => `${f.type} ${f.name}`)"""

# Labels whose field (a box, a list or a text area: not a tick box or a day of the week's hours) is beside them, not
# under them, on the page as shown.
LABELS_BESIDE_THEIR_FIELDS = """[...document.querySelectorAll(".field label[for]")]
    .filter(label => !label.closest(".week-hours"))
    .map(label => [label, document.getElementById(label.htmlFor)])
    .filter(([label, f]) => f && f.matches("input:not([type=checkbox]):not([type=radio]), select, textarea"))
    .filter(([label, f]) => f.getClientRects().length)  // shown
    .filter(([label, f]) => f.getBoundingClientRect().top < label.getBoundingClientRect().bottom)
    .map(([label]) => `beside: ${label.textContent.trim()}`)"""


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


def test_each_levels_boxes_and_save_stand_in_columns(live_server, page, office):
    """Down the availability page, whatever the length of a level's name or of who updated it last."""
    sign_in(page, live_server, office["admin"])
    page.goto(live_server + "/staff/availability")
    rows = page.locator(".capacity-row")
    expect(rows).to_have_count(2)
    columns = [
        [round(rows.nth(n).locator(part).bounding_box()["x"]) for n in range(2)]
        for part in ("input[name$=available]", "input[name$=maximum]", "button")
    ]
    assert all(len(set(xs)) == 1 for xs in columns), columns


def test_no_page_scrolls_sideways_on_a_phone(live_server, phone, office, session):
    reference = session.scalar(select(IntakeRequest.reference))
    sign_in(phone, live_server, office["admin"])
    expect(phone.locator("h1")).to_have_text("Intake queue")
    widths, cut_off = {}, {}
    for path in ["/staff/", f"/staff/intakes/{reference}", *PAGES]:
        phone.goto(live_server + path.format(**office))
        expect(phone.locator("h1")).to_be_visible()
        widths[path] = phone.evaluate("document.documentElement.scrollWidth")
        cut_off[path] = phone.evaluate(CAPTIONS_PAST_THE_SCREEN)
    assert {path: width for path, width in widths.items() if width > 320} == {}
    assert {path: captions for path, captions in cut_off.items() if captions} == {}


# The shown captions of tables whose right edge is past the screen's (hidden ones are a pixel, placed absolutely).
CAPTIONS_PAST_THE_SCREEN = """[...document.querySelectorAll("caption")]
    .filter(c => getComputedStyle(c).position !== "absolute" && c.getBoundingClientRect().right > innerWidth)
    .map(c => c.textContent)"""


def test_on_a_phone_the_reports_chart_keeps_its_size_and_the_caption_stays_in_view(live_server, phone, office):
    sign_in(phone, live_server, office["admin"])
    expect(phone.locator("h1")).to_have_text("Intake queue")
    phone.goto(live_server + "/staff/reports")
    chart = phone.get_by_role("img", name="Requests per week, by urgency")
    drawn = chart.bounding_box()["width"]
    assert drawn == pytest.approx(float(chart.get_attribute("width")), abs=1)  # not shrunk: its labels stay legible
    assert drawn > 320
    region = phone.get_by_role("region", name="Requests per week, by urgency")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320  # the region scrolls, not the page
    legend = phone.locator("figure.chart .legend")
    expect(legend).to_have_count(3)
    assert len({round(legend.nth(n).bounding_box()["y"]) for n in range(3)}) == 1  # one line: swatches beside names

    labels = [chart.locator("text").nth(n) for n in range(chart.locator("text").count())]
    assert {label.evaluate("t => getComputedStyle(t).fontSize") for label in labels} == {"12px"}
    weeks = sorted((box["x"], box["x"] + box["width"]) for box in (label.bounding_box() for label in labels[1:]))
    assert len(weeks) >= 4 and all(end + 4 <= start for (_s, end), (start, _e) in pairwise(weeks)), weeks

    caption = phone.locator("#weekly-caption")
    before = caption.bounding_box()
    assert before["x"] + before["width"] <= 320
    phone.get_by_role("region", name="Requests per week by urgency and level of care").evaluate(
        "r => r.scrollLeft = r.scrollWidth"
    )
    assert caption.bounding_box()["x"] == pytest.approx(before["x"], abs=1)  # the table moved under it
