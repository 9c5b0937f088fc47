"""HSDS 3.1: an export imports back whole; the API answers in the HSDS envelope; both follow the official schemas."""

import csv
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import delete, select

from locator.geo import haversine_miles, zip_place
from locator.models import Attribute, Organization, Program
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


def edit_table(path: Path, change) -> list[dict]:
    """Rewrite one CSV table, `change` editing its rows (a list of dicts) in place."""
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    change(rows)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def import_again(runner, session, directory: Path) -> list[Program]:
    session.execute(delete(Program))
    session.execute(delete(Organization))
    session.commit()
    result = runner.invoke(args=["programs", "import", str(directory), "--format", "hsds"])
    assert result.exit_code == 0, result.output
    return list(session.scalars(select(Program)))


def test_a_time_zone_that_does_not_exist_is_replaced_by_the_zip_codes(runner, session, seeded, tmp_path):
    from locator.geo.timezones import is_timezone, local_timezone

    runner.invoke(args=["programs", "export-hsds", str(tmp_path)])
    replaced = []

    def misname(rows):
        for row in rows:
            if is_timezone(row["value"]):
                row["value"] = "Eastern"
                replaced.append(row)

    edit_table(tmp_path / "attribute.csv", misname)
    programs = import_again(runner, session, tmp_path)
    assert len(replaced) == len(programs) == 46
    assert all(p.timezone == local_timezone(p.zip, p.state) for p in programs)


def test_another_publishers_slug_is_made_a_url_segment(runner, session, seeded, tmp_path):
    from locator.directory.hsds import term_id

    runner.invoke(args=["programs", "export-hsds", str(tmp_path)])
    slug_term = term_id("field", "slug")

    def rename(rows):
        next(row for row in rows if row["taxonomy_term_id"] == slug_term)["value"] = "Über Hilfe/Columbus"

    edit_table(tmp_path / "attribute.csv", rename)
    programs = import_again(runner, session, tmp_path)
    assert "uber-hilfe-columbus" in {p.slug for p in programs}


def test_another_publishers_dates_and_times_are_read(runner, session, seeded, tmp_path):
    """A date-only `assured_date` (no time of day of ours beside it) and HH:MM times, 24:00 included."""
    from locator.directory.hsds import term_id

    before = {
        p.slug: (p.verified_at, [(h.weekday, h.opens_minute, h.closes_minute) for h in p.hours])
        for p in session.scalars(select(Program))
    }
    runner.invoke(args=["programs", "export-hsds", str(tmp_path)])
    ours = term_id("field", "verified_at")

    def without_our_time_of_day(rows):
        rows[:] = [row for row in rows if row["taxonomy_term_id"] != ours]

    edit_table(tmp_path / "attribute.csv", without_our_time_of_day)

    def short_times(rows):
        for row in rows:
            row["opens_at"], row["closes_at"] = row["opens_at"][:5], row["closes_at"][:5].replace("23:59", "24:00")

    schedules = edit_table(tmp_path / "schedule.csv", short_times)
    assert any(row["closes_at"] == "24:00" for row in schedules)
    programs = import_again(runner, session, tmp_path)
    for program in programs:
        verified, hours = before[program.slug]
        assert program.verified_at == (verified and verified.replace(hour=0, minute=0, second=0, microsecond=0))
        assert [(h.weekday, h.opens_minute, h.closes_minute) for h in program.hours] == hours


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


def official_package(directory: Path) -> dict:
    """The official HSDS 3.1 tabular descriptor (`compiled/tabular.json`; `service_capacity` and `unit`,
    new in 3.1, from their JSON schemas) as a datapackage over the tables and columns in `directory`:
    each column's type and format (uuid, email, uri, date, time, datetime), uniqueness, enums, and
    required (`required` and `tabular_required`)."""
    tables = {
        name: t["items"]
        for name, t in json.loads((hsds_dir() / "compiled" / "tabular.json").read_text())["properties"].items()
    }
    for name in ("service_capacity", "unit"):
        tables[name] = json.loads((hsds_dir() / f"{name}.json").read_text())

    def field(spec: dict, required: set[str]) -> dict:
        kind = spec.get("datapackage_type") or {"date-time": "datetime"}.get(spec.get("format"), spec["type"])
        found = {"name": spec["name"], "type": kind}
        if kind == "string" and spec.get("format") in ("email", "uri", "uuid"):
            found["format"] = spec["format"]
        constraints = {"unique": spec.get("constraints", {}).get("unique"), "required": spec["name"] in required}
        constraints |= {"enum": spec["enum"]} if spec.get("enum") else {}
        return found | {"constraints": {k: v for k, v in constraints.items() if v}}

    ours = json.loads((directory / "datapackage.json").read_text())
    resources = []
    for resource in ours["resources"]:
        table = tables[resource["name"]]
        required = set(table.get("required", [])) | set(table.get("tabular_required", []))
        header = [f["name"] for f in resource["schema"]["fields"]]
        fields = [field(table["properties"][column], required) for column in header]
        resources.append({"name": resource["name"], "path": resource["path"], "schema": {"fields": fields}})
    return {"resources": resources}


def validation_errors(descriptor: dict | str, directory: Path) -> list[tuple[str, str]]:
    from frictionless import Package

    report = Package(descriptor, basepath=str(directory)).validate()
    return [(task.name, error.type) for task in report.tasks for error in task.errors]


def test_the_export_is_valid_by_its_own_datapackage_descriptor(runner, seeded, tmp_path):
    """Types, UUID ids, primary and foreign keys, checked by a datapackage validator (frictionless)."""
    runner.invoke(args=["programs", "export-hsds", str(tmp_path)])
    assert validation_errors(str(tmp_path / "datapackage.json"), tmp_path) == []

    def break_three(rows):
        rows[0]["organization_id"], rows[1]["id"], rows[2]["assured_date"] = str(uuid.uuid4()), "service:2", "today"

    edit_table(tmp_path / "service.csv", break_three)
    errors = validation_errors(str(tmp_path / "datapackage.json"), tmp_path)
    assert {("service", "foreign-key"), ("service", "type-error")} <= set(errors)
    assert errors.count(("service", "type-error")) == 2


def test_an_export_of_real_data_validates_against_the_official_tabular_schema(runner, session, ma_directory, tmp_path):
    from locator.directory import seed

    seed.load(session)  # the demo network too: hours, capacities, organizations of several programs
    session.commit()
    runner.invoke(args=["programs", "export-hsds", str(tmp_path)])
    official = official_package(tmp_path)
    assert validation_errors(official, tmp_path) == []
    fields = {f["name"]: f for f in official["resources"][1]["schema"]["fields"]}
    assert fields["id"]["format"] == "uuid" and fields["id"]["constraints"] == {"unique": True, "required": True}


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
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())  # uuid, date-time...
    contents = client.get("/hsds/services", query_string={"per_page": 100}).json["contents"]
    assert len(contents) == 46
    for service in contents:
        assert list(validator.iter_errors(service)) == [], service["id"]
    for broken in (contents[0] | {"status": 7}, contents[0] | {"id": "service:1"}):
        assert list(validator.iter_errors(broken)), f"the schema check would not catch {broken['id']}"


def test_one_service_by_its_uuid_and_the_taxonomies(client, session, seeded):
    program = session.scalar(select(Program).where(Program.slug == "demo-columbus-detox"))
    service = client.get(f"/hsds/services/{program.uuid}").json
    assert service["id"] == str(program.uuid) and service["name"].startswith("Harbor Light Detox")
    assert {c["unit"]["name"] for c in service["capacities"]} <= {"bed", "slot"}
    taxonomies = {t["name"]: t["id"] for t in client.get("/hsds/taxonomies").json["contents"]}
    assert set(taxonomies) == {"locator-levels", "locator-attributes", "locator-fields"}
    assert any(a["taxonomy_term"]["taxonomy_id"] == taxonomies["locator-levels"] for a in service["attributes"])
    for missing in (uuid.uuid4(), "demo-columbus-detox", "service:demo-columbus-detox"):
        assert client.get(f"/hsds/services/{missing}").status_code == 404


def test_terms_are_named_in_the_language_asked_for(client, session, seeded):
    program = session.scalar(
        select(Program).where(Program.attributes.any(Attribute.code == "INTERP")).order_by(Program.id)
    )
    names = {}
    for lang in ("en", "es"):
        service = client.get(f"/hsds/services/{program.uuid}", query_string={"lang": lang}).json
        names[lang] = {a["taxonomy_term"]["code"]: a["taxonomy_term"]["name"] for a in service["attributes"]}
    assert (names["en"]["INTERP"], names["es"]["INTERP"]) == ("Interpreter services", "Servicios de intérprete")
    assert names["en"].keys() == names["es"].keys()  # the same terms, by the same codes


@pytest.mark.parametrize("query", ["postcode=00000", "proximity=-5", "page=0", "per_page=500", "postcode=abcde"])
def test_bad_parameters_get_a_400_with_field_messages(client, query):
    response = client.get(f"/hsds/services?{query}")
    assert response.status_code == 400 and response.json["errors"]


def test_another_publishers_times_without_an_offset_are_utc_and_impossible_ones_reject_their_row(
    runner, session, seeded, tmp_path
):
    """A capacity time with no UTC offset is read as UTC, as a date-only `assured_date` is; one that is not a
    time there can be (year 1 east of Greenwich) rejects its listing with a message, not the whole import."""
    listed = len(session.scalars(select(Program)).all())
    runner.invoke(args=["programs", "export-hsds", str(tmp_path)])

    def odd_times(rows):
        for n, row in enumerate(rows):
            row["updated"] = "0001-01-01T00:00:00+05:00" if n == 0 else row["updated"][:19]

    edit_table(tmp_path / "service_capacity.csv", odd_times)
    session.execute(delete(Program))
    session.execute(delete(Organization))
    session.commit()
    result = runner.invoke(args=["programs", "import", str(tmp_path), "--format", "hsds"])
    assert result.exit_code == 0, result.output
    assert "out of range" in result.output
    programs = list(session.scalars(select(Program)))
    assert len(programs) == listed - 1
    updated = [level.capacity_updated_at for program in programs for level in program.levels]
    assert all(moment.tzinfo is not None for moment in updated if moment) and any(updated)
