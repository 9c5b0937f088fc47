"""The locator as a person uses it, in Chromium: search, filters, map, program page, no JavaScript, keyboard."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def result_numbers(page) -> list[int]:
    cards = page.locator(".program-card[id^=result-]")
    return [int(n) for n in cards.evaluate_all("els => els.map(e => e.dataset.number)")]


def test_search_by_zip(seeded, live_server, page):
    page.goto(live_server + "/")
    page.get_by_label("ZIP code, or city and state").fill("40202")
    page.get_by_label("Distance (miles)").select_option("50")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#results-heading")).to_contain_text("within 50 miles of Louisville, KY 40202")
    assert "near=40202" in page.url and "radius=50" in page.url
    assert result_numbers(page)[:3] == [1, 2, 3]


def test_filter_by_level_and_payment_updates_results_and_url(seeded, live_server, page, client):
    page.goto(live_server + "/?near=40202&radius=250")
    everything = int(page.locator("#results-heading").get_attribute("data-total"))
    filters = page.locator("summary.filters-heading")
    expect(page.get_by_role("checkbox", name="Detox (withdrawal management)")).to_be_hidden()  # folded: results first
    filters.click()
    page.get_by_role("checkbox", name="Detox (withdrawal management)").check()
    expect(page).to_have_url(re.compile(r"level=detox"))
    page.locator("summary", has_text="More filters").click()
    page.locator("summary", has_text=re.compile(r"^Payment$")).click()
    page.get_by_role("checkbox", name="Medicaid", exact=True).check()
    expect(page).to_have_url(re.compile(r"payment=MD"))
    expected = client.get(
        "/api/v1/programs", query_string={"near": "40202", "radius": 250, "level": "detox", "payment": "MD"}
    ).json["total"]
    expect(page.locator("#results-heading")).to_have_attribute("data-total", str(expected))
    assert 0 < expected < everything
    page.reload()
    expect(filters).to_have_text("Filters (2 chosen)")
    filters.click()
    page.get_by_role("checkbox", name="Medicaid", exact=True).uncheck()
    expect(page).not_to_have_url(re.compile(r"payment=MD"))
    expect(page.locator(".filters-heading .chosen")).to_be_hidden()  # the server's count, no longer true


def test_map_markers_match_the_list(seeded, live_server, page):
    page.goto(live_server + "/?near=Columbus, OH&radius=250")
    expect(page.locator("#map")).to_be_visible()
    page.wait_for_selector(".leaflet-marker-icon")
    listed = result_numbers(page)
    singles = [int(t) for t in page.locator(".map-marker span").all_inner_texts()]
    clustered = sum(int(t) for t in page.locator(".marker-cluster span").all_inner_texts())
    assert set(singles) <= set(listed)
    assert len(singles) + clustered == len(listed)


def test_open_a_program_page(seeded, live_server, page):
    page.goto(live_server + "/?near=40202")
    first = page.locator(".program-card h3 a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.get_by_role("link", name="Request intake here")).to_be_visible()


def test_the_search_works_without_javascript(seeded, live_server, page_without_js, client):
    page = page_without_js
    page.goto(live_server + "/")
    page.get_by_label("ZIP code, or city and state").fill("40202")
    page.get_by_label("Distance (miles)").select_option("50")
    page.locator("summary.filters-heading").click()
    page.get_by_role("checkbox", name="Detox (withdrawal management)").check()
    page.get_by_role("button", name="Search", exact=True).click()
    api = client.get("/api/v1/programs", query_string={"near": "40202", "radius": 50, "level": "detox"}).json
    names = page.locator(".program-card h3 a").all_inner_texts()
    assert names == [p["name"] for p in api["results"]]
    expect(page.locator("#map")).to_be_hidden()


def test_keyboard_only_search(seeded, live_server, page):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")  # skip link
    expect(page.locator(".skip-link")).to_be_focused()
    near = page.get_by_label("ZIP code, or city and state")
    for _ in range(10):
        page.keyboard.press("Tab")
        if near.evaluate("el => el === document.activeElement"):
            break
    expect(near).to_be_focused()
    page.keyboard.type("Louisville, KY")
    page.keyboard.press("Enter")
    expect(page.locator("#results-heading")).to_contain_text("Louisville, KY")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused in {"SELECT", "BUTTON", "INPUT", "A"}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?near=40202&radius=50",
        "/programs/demo-louisville-detox",
        "/?near=Springfield",
        "/?near=99999",
        "/?lang=es&near=40202",
        "/programs/no-such-program",
        "/intake?program=demo-louisville-detox",
        "/safety?lang=es",
    ],
)
def test_no_serious_accessibility_violations(seeded, live_server, page, axe, path):
    page.goto(live_server + path)
    expect(page.locator("h1")).to_be_visible()
    assert axe(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?near=40202&radius=100",
        "/programs/demo-louisville-detox",  # a long web address and email
        "/intake?program=demo-louisville-detox",
        "/?lang=es&near=40202",
        "/safety",
    ],
)
def test_nothing_scrolls_sideways_on_a_small_phone(seeded, live_server, phone, path):
    phone.goto(live_server + path)
    expect(phone.locator("h1")).to_be_visible()
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [320, 320]


def test_on_a_wide_screen_the_distance_sits_beside_the_place_box(seeded, live_server, page):
    """The place box stops at the width its input may take, so nothing that follows it stands past a hole."""
    page.goto(live_server + "/")
    place, radius = page.locator("#near").bounding_box(), page.locator("#radius").bounding_box()
    assert radius["y"] < place["y"] + place["height"]  # the same row
    assert radius["x"] - (place["x"] + place["width"]) <= 20  # the row's gap of 1rem
    assert (radius["y"], radius["height"]) == (place["y"], place["height"])  # the two boxes line up


@pytest.mark.parametrize("width", [320, 1280])
def test_use_my_location_sits_just_under_the_search_row(seeded, live_server, page, width):
    """It belongs to the place box above it; a paragraph's gap made it look like the start of something else."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server + "/")
    search = page.locator(".search-form .place-row button[type=submit]").bounding_box()
    locate = page.get_by_role("button", name="Use my location").bounding_box()
    assert 0 <= locate["y"] - (search["y"] + search["height"]) <= 8


BROKEN_NUMBERS = """[...document.querySelectorAll('a[href^="tel:"]')]
    .map(a => a.querySelector(".unbroken") || a)
    .filter(number => number.getClientRects().length > 1)
    .map(number => number.textContent)"""


@pytest.mark.parametrize("path", ["/?lang=es&near=40202", "/programs/demo-louisville-detox?lang=es", "/intake?lang=es"])
def test_on_a_phone_no_phone_number_is_broken_over_two_lines(seeded, live_server, phone, path):
    phone.goto(live_server + path)
    expect(phone.locator("h1")).to_be_visible()
    assert phone.locator('a[href^="tel:"]').count() >= 3  # the crisis lines at least
    broken = {}
    for width in range(320, 481, 8):  # where a line breaks depends on the width: phones from small to large
        phone.set_viewport_size({"width": width, "height": 640})
        broken[width] = phone.evaluate(BROKEN_NUMBERS)
    assert {width: numbers for width, numbers in broken.items() if numbers} == {}
