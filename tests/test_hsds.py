"""HSDS 3.1: an export imports back whole; the API answers in the HSDS envelope; both follow the official schemas."""

import csv
import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import delete, select

from locator.geo import haversine_miles, zip_place
from locator.models import Organization, Program
from tests.conftest import shared_data_dir


def hsds_dir() -> Path:
    """The official HSDS 3.1 schemas beside the shared data (`../shared/hsds-3.1`); the same rule: fail
    with REQUIRE_SHARED_DATA=1, skip otherwise."""
    found = shared_data_dir().parent / "hsds-3.1"
    if not found.is_dir():
        pytest.fail(f"{found} is missing")
    return found


def snapshot(client) -> dict:
    """Every program as the API shows it, without what an import may renumber."""
    slugs = [p["slug"] for p in client.get("/api/v1/programs", query_string={"per_page": 100}).json["results"]]
    found = {}
    for slug in slugs:
        data = client.get(f"/api/v1/programs/{slug}").json
        for volatile in ("id", "url"):
            data.pop(volatile, None)
        found[slug] = data
    return found


def test_export_then_import_keeps_every_program_level_attribute_and_capacity(runner, client, session, seeded, tmp_path):
    before = snapshot(client)
    hours_before = {
        p.slug: sorted((h.weekday, h.opens_minute, h.closes_minute) for h in p.hours)
        for p in session.scalars(select(Program))
    }
    result = runner.invoke(args=["programs", "export-hsds", str(tmp_path / "hsds")])
    assert result.exit_code == 0 and "Wrote 46 programs" in result.output
    session.execute(delete(Program))
    session.execute(delete(Organization))
    session.commit()

    result = runner.invoke(args=["programs", "import", str(tmp_path / "hsds"), "--format", "hsds"])
    assert result.exit_code == 0, result.output
    assert "Programs: 46 added, 0 updated, 0 unchanged." in result.output
    session.expire_all()
    assert snapshot(client) == before
    hours_after = {
        p.slug: sorted((h.weekday, h.opens_minute, h.closes_minute) for h in p.hours)
        for p in session.scalars(select(Program))
    }
    assert hours_after == hours_before
    again = runner.invoke(args=["programs", "import", str(tmp_path / "hsds"), "--format", "hsds"])
    assert "Programs: 0 added, 0 updated, 46 unchanged." in again.output


def test_a_time_zone_that_does_not_exist_is_replaced_by_the_zip_codes(runner, session, seeded, tmp_path):
    from locator.geo.timezones import is_timezone, local_timezone

    runner.invoke(args=["programs", "export-hsds", str(tmp_path / "hsds")])
    attributes = tmp_path / "hsds" / "attribute.csv"
    with attributes.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    replaced = 0
    for row in rows:
        if is_timezone(row["value"]):
            row["value"], replaced = "Eastern", replaced + 1
    with attributes.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    session.execute(delete(Program))
    session.execute(delete(Organization))
    session.commit()

    result = runner.invoke(args=["programs", "import", str(tmp_path / "hsds"), "--format", "hsds"])
    assert result.exit_code == 0, result.output
    programs = list(session.scalars(select(Program)))
    assert replaced == len(programs) == 46
    assert all(p.timezone == local_timezone(p.zip, p.state) for p in programs)


def test_the_datapackage_uses_hsds_tables_and_columns(runner, seeded, tmp_path):
    official: dict[str, set[str]] = {}
    required: dict[str, set[str]] = {}
    with (hsds_dir() / "simple" / "schema.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            official.setdefault(row["table_name"], set()).add(row["name"])
            if row["constraints_required"] == "true":
                required.setdefault(row["table_name"], set()).add(row["name"])
    for table in ("service_capacity", "unit"):  # new in 3.1: only in the JSON schemas
        schema = json.loads((hsds_dir() / f"{table}.json").read_text())
        official[table] = set(schema["properties"])
        required[table] = {f for f in schema.get("required", []) if f != "unit"}  # `unit` is the unit_id row
    runner.invoke(args=["programs", "export-hsds", str(tmp_path)])
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["profile"] == "tabular-data-package"
    for resource in descriptor["resources"]:
        with (tmp_path / resource["path"]).open(newline="") as handle:
            header = next(csv.reader(handle))
        table = resource["name"]
        assert set(header) <= official[table], (table, set(header) - official[table])
        assert required.get(table, set()) <= set(header), table
        assert [f["name"] for f in resource["schema"]["fields"]] == header


@pytest.fixture
def ma_directory(runner, session, data_ready):
    from locator.directory import seed

    seed.load_attributes(session, seed.SEED_DIR / "attributes.yaml")
    session.commit()
    path = data_ready / "loudstudy_findtreatment_export_MA_2025-08-19.csv"
    assert runner.invoke(args=["programs", "import", str(path), "--format", "findtreatment-csv"]).exit_code == 0


@pytest.fixture
def data_ready():
    return shared_data_dir()


def test_services_near_a_postcode_in_the_hsds_envelope(client, ma_directory):
    body = client.get("/hsds/services", query_string={"postcode": "02139", "proximity": 16000}).json
    assert set(body) == {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    assert body["total_items"] > 25 and body["size"] == 25 and body["first_page"] and not body["last_page"]
    origin = zip_place("02139")
    distances = [
        haversine_miles(
            origin.lat,
            origin.lon,
            s["service_at_locations"][0]["location"]["latitude"],
            s["service_at_locations"][0]["location"]["longitude"],
        )
        for s in body["contents"]
    ]
    assert distances == sorted(distances) and distances[-1] <= 16000 / 1609.344
    last = client.get(
        "/hsds/services", query_string={"postcode": "02139", "proximity": 16000, "page": body["total_pages"]}
    ).json
    assert last["last_page"] and last["page_number"] == body["total_pages"]


def test_services_validate_against_the_official_schema(client, seeded):
    schema = json.loads((hsds_dir() / "compiled" / "service_with_definitions.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    contents = client.get("/hsds/services", query_string={"per_page": 100}).json["contents"]
    assert len(contents) == 46
    for service in contents:
        assert list(validator.iter_errors(service)) == [], service["id"]
    broken = contents[0] | {"status": 7}
    assert list(validator.iter_errors(broken)), "the schema check would not catch a wrong type"


def test_one_service_and_the_taxonomies(client, seeded):
    service = client.get("/hsds/services/service:demo-columbus-detox").json
    assert service["name"].startswith("Harbor Light Detox")
    assert {c["unit"]["id"] for c in service["capacities"]} <= {"bed", "slot"}
    assert any(a["taxonomy_term"]["taxonomy_id"] == "locator-levels" for a in service["attributes"])
    assert client.get("/hsds/services/service:nope").status_code == 404
    taxonomies = client.get("/hsds/taxonomies").json
    assert {t["id"] for t in taxonomies["contents"]} == {"locator-levels", "locator-attributes", "locator-fields"}


@pytest.mark.parametrize("query", ["postcode=00000", "proximity=-5", "page=0", "per_page=500", "postcode=abcde"])
def test_bad_parameters_get_a_400_with_field_messages(client, query):
    response = client.get(f"/hsds/services?{query}")
    assert response.status_code == 400 and response.json["errors"]
