import json
import re

import pytest
from sqlalchemy import select

from locator.hours import parse_weekly
from locator.models import ListingReport, ProgramHours
from tests import factories


def page(client, **params) -> tuple[int, str]:
    response = client.get("/", query_string=params)
    return response.status_code, response.get_data(as_text=True)


def test_search_by_zip_lists_programs_without_javascript(seeded, client):
    status, html = page(client, near="40202", radius="50", level="detox")
    assert status == 200
    assert "programs within 50 miles of Louisville, KY 40202" in html
    cards = re.findall(r'<li class="program-card" id="result-(\d+)"', html)
    assert cards == [str(n) for n in range(1, len(cards) + 1)] and cards
    assert "miles away" in html and 'href="tel:+1-502-555-' in html
    assert 'href="/intake?program=demo-louisville-detox"' in html


def test_the_form_remembers_the_search(seeded, client):
    _, html = page(client, near="40202", radius="50", level="detox", payment="MD")
    assert 'value="40202"' in html
    assert re.search(r'<option value="50" selected>', html)
    assert re.search(r'id="level-0"[^>]*checked|checked[^>]*id="level-0"', html)
    assert re.search(r'name="payment"[^>]*value="MD"[^>]*checked|checked[^>]*value="MD"', html)


def filters_of(html: str) -> str:
    """The filters' <details> start tag and summary."""
    return re.search(r'<details class="filters"[^>]*>\s*<summary[^>]*>.*?</summary>', html, re.S).group(0)


@pytest.mark.parametrize(
    ("params", "folded", "label"),
    [
        ({"near": "40202"}, True, "Filters</summary>"),  # results first, on a phone too
        ({"near": "40202", "level": "detox", "payment": ["MD", "SF"], "sort": "name"}, True, "(4 chosen)"),
        ({"near": "40202", "accepting": "1", "q": "Louisville"}, True, "(2 chosen)"),
        ({"near": "59801", "radius": "10", "level": "detox"}, False, "(1 chosen)"),  # nothing: to loosen them
        ({"near": "40202", "radius": "-5"}, False, "Filters</summary>"),  # something to correct
    ],
)
def test_the_filters_fold_away_once_there_are_results(seeded, client, params, folded, label):
    _, html = page(client, **params)
    filters = filters_of(html)
    assert (" open>" not in filters) == folded and label in filters


def test_availability_is_shown_with_its_age(seeded, client):
    _, html = page(client, near="40202", radius="25")
    assert re.search(r"\d+ (beds|places) open · updated", html)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"near": "Atlantis, OH"}, "We could not find"),
        ({"radius": "-5", "near": "40202"}, "Number must be between 1 and 250"),
        ({"lat": "91", "lon": "0"}, "Number must be between -90 and 90"),
        ({"page": "abc"}, "Not a valid integer value"),
        ({"level": "therapy"}, "Unknown choice: therapy"),
    ],
)
def test_bad_input_gets_an_inline_message_not_a_500(seeded, client, params, message):
    status, html = page(client, **params)
    assert status == 400
    assert message in html
    assert 'class="error-summary"' in html


def test_an_ambiguous_place_offers_links_to_each_choice(client):
    status, html = page(client, near="Springfield", level="detox")
    assert status == 400
    assert "matches more than one place" in html
    assert 'href="/?near=Springfield%2C+IL&amp;level=detox"' in html


def test_no_results_suggest_a_wider_radius_and_the_crisis_lines(seeded, client):
    _, html = page(client, near="59801", radius="10")  # Missoula, MT: no demo programs
    assert "No programs match this search." in html
    assert "Search within 25 miles instead" in html
    assert html.count('href="tel:988"') >= 2  # in the results and in the footer


def test_the_live_update_gets_only_the_results(seeded, client):
    response = client.get("/", query_string={"near": "40202"}, headers={"X-Requested-With": "fetch"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="results-heading"' in html


def test_pages_keep_the_search(seeded, client):
    _, html = page(client, near="Columbus, OH", radius="250", per_page="5")
    assert 'rel="next" href="/?near=Columbus%2C+OH&amp;radius=250&amp;per_page=5&amp;page=2"' in html


def test_a_page_past_the_last_one_says_so_and_leads_back_to_the_first(seeded, client):
    _, html = page(client, near="40202", page="999")  # an old link, after the results shrank
    assert "Page 999 is past the end of these results." in html
    assert 'href="/?near=40202">Go to the first page</a>' in html
    assert 'id="map"' not in html


def test_the_map_and_its_assets_come_from_our_own_origin(seeded, client):
    _, html = page(client, near="40202")
    assert 'id="map"' in html and "data-tiles=" in html
    for src in re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        assert src.startswith("/static/"), src
        with client.get(src) as asset:
            assert asset.status_code == 200


def test_program_page_has_everything_about_the_site(seeded, client):
    html = client.get("/programs/demo-louisville-detox").get_data(as_text=True)
    for text in (
        "Bluegrass Bridge",
        "Louisville, KY 40202",
        "Request intake here",
        "Residential detox",
        "Payment",
        "Medicaid",
        "Listing last verified on",
        "Report a problem with this listing",
        "Open now",
    ):
        assert text in html, text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "MedicalClinic"
    assert data["address"]["postalCode"] == "40202"
    assert len(data["openingHoursSpecification"]) == 7


def test_opening_hours_name_every_day_in_the_visitors_clock(client, session):
    program = factories.program(session, slug="weekdays")
    weekly = parse_weekly({"mon-fri": "08:00-12:00, 13:00-17:30", "sat": "20:00-24:00"})
    session.add_all(ProgramHours(program=program, weekday=d, opens_minute=o, closes_minute=c) for d, o, c in weekly)
    session.commit()
    html = client.get("/programs/weekdays").get_data(as_text=True)
    rows = re.findall(r'<th scope="row">(\w+)</th><td>(.*?)</td>', html)
    assert rows[0] == ("Monday", "8:00\u202fAM – 12:00\u202fPM, 1:00\u202fPM – 5:30\u202fPM")
    assert rows[5:] == [("Saturday", "8:00\u202fPM – 12:00\u202fAM"), ("Sunday", "Closed")]
    spanish = client.get("/programs/weekdays?lang=es").get_data(as_text=True)
    assert '<th scope="row">lunes</th><td>8:00 – 12:00, 13:00 – 17:30</td>' in spanish
    assert '<th scope="row">domingo</th><td>Cerrado</td>' in spanish


def test_a_program_open_all_week_says_so_in_one_line(seeded, client):
    html = client.get("/programs/demo-louisville-detox").get_data(as_text=True)
    assert "Open 24 hours, every day" in html
    assert '<table class="hours">' not in html


def test_an_unknown_program_is_404(client):
    assert client.get("/programs/nope").status_code == 404


def test_a_listing_report_is_stored(seeded, client, app):
    response = client.post("/programs/demo-louisville-detox/report", data={"kind": "phone", "details": "Rings out"})
    assert response.status_code == 302
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you" in follow
    with app.app_context():
        from locator.extensions import db

        report = db.session.scalar(select(ListingReport))
        assert (report.kind, report.details, report.status) == ("phone", "Rings out", "open")


def test_a_bad_report_keeps_what_was_typed(seeded, client):
    response = client.post("/programs/demo-louisville-detox/report", data={"kind": "bribe", "details": "Kept text"})
    assert response.status_code == 400
    assert "Kept text" in response.get_data(as_text=True)
