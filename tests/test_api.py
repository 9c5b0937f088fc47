import csv
import io

import pytest

from tests import factories
from tests.openapi_check import assert_matches, document

PROGRAMS = "/api/v1/programs"


def test_the_openapi_document_is_valid_and_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json["openapi"] == "3.1.0"
    assert set(response.json["paths"]) == set(document()["paths"])


def test_search_by_city_with_a_payment_filter(seeded, client):
    response = client.get(PROGRAMS, query_string={"near": "Columbus, OH", "payment": "MD"})
    assert response.status_code == 200
    assert_matches(response, PROGRAMS)
    body = response.json
    assert body["origin"]["label"] == "Columbus, OH"
    assert body["total"] == len(body["results"]) > 0
    assert all("MD" in p["attributes"]["payment"] for p in body["results"])
    distances = [p["distance_miles"] for p in body["results"]]
    assert distances == sorted(distances) and distances[-1] <= 25


def test_a_program_has_the_contract_fields(seeded, client):
    program = client.get(PROGRAMS, query_string={"near": "40202", "per_page": 1}).json["results"][0]
    assert set(program) >= {
        "id",
        "slug",
        "name",
        "organization",
        "address",
        "location",
        "phone",
        "intake_phone",
        "website",
        "distance_miles",
        "accepting_new",
        "levels",
        "attributes",
        "verified_at",
        "url",
    }
    assert set(program["levels"][0]["capacity"]) >= {"available", "maximum", "unit", "updated_at"}
    assert program["url"].endswith(f"/programs/{program['slug']}")


def test_repeated_parameters_are_or(seeded, client):
    both = client.get(
        PROGRAMS, query_string=[("near", "40202"), ("radius", "250"), ("level", "detox"), ("level", "aftercare")]
    ).json
    levels = [{lvl["level"] for lvl in p["levels"]} for p in both["results"]]
    assert all(found & {"detox", "aftercare"} for found in levels)
    assert any("detox" not in found for found in levels) and any("aftercare" not in found for found in levels)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": "91", "lon": "0"}, "lat"),
        ({"lat": "nan", "lon": "0"}, "lat"),
        ({"lat": "40"}, "lon"),
        ({"radius": "-5"}, "radius"),
        ({"radius": str(10**9)}, "radius"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"per_page": "101"}, "per_page"),
        ({"level": "therapy"}, "level"),
        ({"payment": "GOLD"}, "payment"),
        ({"sort": "random"}, "sort"),
        ({"near": "Atlantis, OH"}, "near"),
        ({"near": "x" * 500}, "near"),
    ],
)
def test_bad_parameters_get_400_with_a_message_for_the_field(seeded, client, params, field):
    response = client.get(PROGRAMS, query_string=params)
    assert response.status_code == 400
    assert_matches(response, PROGRAMS)
    assert response.json["errors"][field]


def test_an_ambiguous_place_offers_choices(client):
    response = client.get(PROGRAMS, query_string={"near": "Springfield"})
    assert response.status_code == 400
    assert "Springfield, IL" in response.json["choices"]["near"]


def test_geojson_is_lon_lat(seeded, client):
    path = "/api/v1/programs.geojson"
    response = client.get(path, query_string={"near": "40202", "level": "detox"})
    assert response.mimetype == "application/geo+json"
    assert_matches(response, path, "application/geo+json")
    feature = response.json["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert -90 < lon < -80 and 36 < lat < 40
    assert feature["properties"]["slug"]


def test_one_program_by_slug(seeded, client):
    path = "/api/v1/programs/{slug}"
    response = client.get("/api/v1/programs/demo-louisville-detox")
    assert_matches(response, path)
    assert response.json["address"]["city"] == "Louisville"
    missing = client.get("/api/v1/programs/no-such-program")
    assert missing.status_code == 404
    assert_matches(missing, path)


def test_taxonomy_lists_levels_settings_and_codes(seeded, client):
    response = client.get("/api/v1/taxonomy")
    assert_matches(response, "/api/v1/taxonomy")
    levels = {level["code"]: level for level in response.json["levels"]}
    assert set(levels) == {"detox", "residential", "outpatient", "aftercare"}
    hospital = next(s for s in levels["detox"]["settings"] if s["code"] == "hospital_detox")
    assert hospital["samhsa"] == ["HID"]
    approaches = next(a for a in response.json["attributes"] if a["category"] == "approach")
    assert {"MIND", "REL"} <= {t["code"] for t in approaches["terms"]}


def test_reads_are_open_to_other_origins(client):
    assert client.get("/api/v1/taxonomy").headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "url", ["/api/v1/programs?near=40202", "/api/v1/programs.csv", "/api/v1/taxonomy", "/hsds/services"]
)
def test_answers_vary_by_language_only_so_shared_caches_can_keep_them(seeded, client, url):
    client.get("/?lang=es")  # a visitor with a session cookie: the pages remember their language in it
    response = client.get(url)
    assert response.status_code == 200
    assert {v.strip() for v in response.headers["Vary"].split(",")} == {"Accept-Language", "Accept-Encoding"}
    assert "Cookie" in client.get("/").headers["Vary"]  # the pages do depend on it


def test_csv_export_of_the_current_search(seeded, client):
    response = client.get("/api/v1/programs.csv", query_string={"near": "40202", "radius": 100})
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    api_total = client.get(PROGRAMS, query_string={"near": "40202", "radius": 100}).json["total"]
    assert rows[0][0] == "name" and len(rows) - 1 == api_total


def test_a_csv_past_its_row_limit_says_how_many_matched_and_where_the_rest_are(seeded, client, monkeypatch):
    monkeypatch.setattr("locator.api.views.CSV_MAX_ROWS", 2)
    search = {"near": "40202", "radius": 100}
    total = client.get(PROGRAMS, query_string=search).json["total"]
    assert total > 4
    first = client.get("/api/v1/programs.csv", query_string=search)
    assert first.headers["X-Total-Count"] == str(total)
    assert first.headers["Link"] == '</api/v1/programs.csv?near=40202&radius=100&page=2>; rel="next"'
    assert "Link" in first.headers["Access-Control-Expose-Headers"]
    names: list[str] = []
    url = "/api/v1/programs.csv?near=40202&radius=100"
    while url and len(names) <= total:  # following the links reaches every program once
        response = client.get(url)
        names += [row[0] for row in list(csv.reader(io.StringIO(response.get_data(as_text=True))))[1:]]
        link = response.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
    assert len(names) == len(set(names)) == total and url is None


def test_csv_neutralises_spreadsheet_formulas(client, session):
    factories.program(session, name='=HYPERLINK("http://evil")', phone="+1 502 555 0100")
    session.commit()
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/programs.csv").get_data(as_text=True))))
    assert rows[1][0].startswith("'=")
    assert rows[1][7].startswith("'+")


def test_api_errors_never_leak_a_stack_trace(client):
    response = client.post(PROGRAMS)
    assert response.status_code == 405
    assert response.json["errors"]


@pytest.mark.parametrize(
    ("value", "only_accepting"),
    [("1", True), ("y", True), ("true", True), ("0", False), ("no", False), ("off", False), ("", False)],
)
def test_yes_no_parameters_mean_what_they_say(seeded, client, value, only_accepting):
    body = client.get(PROGRAMS, query_string={"accepting": value, "per_page": 100}).json
    everyone = client.get(PROGRAMS, query_string={"per_page": 100}).json
    assert all(p["accepting_new"] for p in body["results"]) if only_accepting else body["total"] == everyone["total"]
    assert any(not p["accepting_new"] for p in everyone["results"])  # the seed has some that are not


def test_a_yes_no_parameter_with_another_value_is_a_400(seeded, client):
    response = client.get(PROGRAMS, query_string={"open_now": "maybe"})
    assert response.status_code == 400
    assert response.json == {"errors": {"open_now": ["Use 1 for yes or 0 for no."]}}
