"""The intake form as a person uses it in Chromium: from a program to a reference, by keyboard alone."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from locator.models import IntakeRequest
from tests.browser.test_staff_pages_a11y import LABELS_BESIDE_THEIR_FIELDS

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^[2-9A-Z]{3}-[2-9A-Z]{4}$")


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received the focus")


def test_from_a_program_to_a_reference_with_the_keyboard_only(seeded, live_server, page, session):
    page.goto(live_server + "/programs/demo-columbus-detox")
    tab_to(page, "a.button.primary")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Ask to be contacted about treatment")
    expect(page.locator(".going-to")).to_contain_text("Columbus")

    tab_to(page, "#name")
    page.keyboard.type("Dana")
    tab_to(page, "#phone")
    page.keyboard.type("614 555 0123")
    tab_to(page, "#zip")
    page.keyboard.type("43215")
    tab_to(page, "#levels-0")
    page.keyboard.press("Space")
    tab_to(page, "#withdrawal_now-0")
    page.keyboard.press("Space")
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to(page, "#privacy_ack")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Thank you. We have your request.")
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.match(reference)
    request = session.scalars(select(IntakeRequest)).one()
    assert (request.reference, request.urgency, request.routed_by) == (reference, "high", "chosen")
    assert request.program.slug == "demo-columbus-detox"
    assert "Dana" not in page.url and "43215" not in page.url


def test_errors_are_summarised_focused_and_linked_to_their_fields(seeded, live_server, page):
    page.goto(live_server + "/intake")
    page.get_by_role("button", name="Send my request").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("Name we should ask for")).click()
    expect(page.locator("#name")).to_be_focused()
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")


def test_the_relation_question_appears_only_for_someone_else(live_server, page):
    page.goto(live_server + "/intake")
    expect(page.locator("#relation")).to_be_hidden()
    page.get_by_label("Someone I care about").check()
    expect(page.locator("#relation")).to_be_visible()


def test_the_form_works_without_javascript(seeded, live_server, page_without_js, session):
    page = page_without_js
    page.goto(live_server + "/intake")
    expect(page.locator("#relation")).to_be_visible()
    page.get_by_label("Name we should ask for").fill("Sam")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("I agree to be contacted").check()
    page.get_by_label("I have read the privacy notice.").check()
    page.get_by_role("button", name="Send my request").click()
    assert REFERENCE.match(page.locator("#reference").inner_text())
    assert session.scalars(select(IntakeRequest)).one().email == "sam@example.org"


def test_no_serious_accessibility_violations_on_the_form_its_errors_and_the_confirmation(
    seeded, live_server, page, axe
):
    page.goto(live_server + "/intake?program=demo-columbus-detox&level=detox")
    assert axe(page) == []
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe(page) == []
    page.get_by_label("Name we should ask for").fill("Dana")
    page.get_by_label("Phone number").fill("614 555 0123")
    page.get_by_label("I agree to be contacted").check()
    page.get_by_label("I have read the privacy notice.").check()
    page.locator("#self_harm-0").check()
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("#urgent-heading")).to_be_visible()
    assert axe(page) == []


def test_on_a_small_phone_every_label_stays_beside_its_box(seeded, live_server, phone):
    """A long choice ("Benzodiazepines (Xanax, Valium, Klonopin)", the consent) wraps beside its box,
    not on a line of its own under it, where it reads as belonging to the next box."""
    phone.goto(live_server + "/intake?program=demo-louisville-detox")
    phone.get_by_role("button", name="Send my request").click()  # the errors too: they sit under the labels
    expect(phone.locator(".error-summary")).to_be_visible()
    phone.wait_for_load_state()  # the stylesheet applied, not only the new page's elements in place
    misplaced = phone.evaluate(
        """() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
            .filter(box => box.offsetParent !== null)
            .map(box => [box, document.querySelector(`label[for="${box.id}"]`)])
            .filter(([box, label]) => {
                const b = box.getBoundingClientRect(), l = label.getBoundingClientRect();
                return l.left < b.right || l.top > b.bottom;
            })
            .map(([box, label]) => label.textContent.trim())"""
    )
    assert phone.locator("input[type=checkbox]:visible").count() > 5
    assert misplaced == []


def test_on_a_wide_screen_every_question_sits_above_its_answer(seeded, live_server, page):
    """A short label ("Phone number") once stood beside its box while a long one stood above its own."""
    page.goto(live_server + "/intake?program=demo-louisville-detox")
    assert page.locator(".field label[for]").count() > 10
    assert page.evaluate(LABELS_BESIDE_THEIR_FIELDS) == []
