"""Importers on small files of our own: every row imported, merged or rejected with a reason."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from locator.directory import importers
from locator.models import AuditEvent, Program

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def taxonomy(session):
    from locator.directory import seed

    seed.load_attributes(session, seed.SEED_DIR / "attributes.yaml")
    session.commit()


def test_findtreatment_csv_merges_the_su_and_mh_rows_of_a_site(session, taxonomy):
    parsed = importers.read(FIXTURES / "findtreatment_small.csv", "findtreatment-csv")
    assert (parsed.rows, parsed.merged, len(parsed.records)) == (5, 1, 2)
    harbor = next(r for r in parsed.records if r.name == "Harbor Recovery")
    assert {(lvl.level, lvl.setting) for lvl in harbor.levels} == {
        ("detox", "general"),
        ("residential", "general"),
        ("outpatient", "general"),
    }
    assert harbor.attributes == {"payment": ["MD"], "language": ["SP"]}
    assert harbor.service_codes == ["dt", "md", "op", "res", "sp", "zzz"]
    assert parsed.codes.rows["md"] == 2  # one per imported row carrying it
    assert parsed.codes.unmapped == {"zzz": 1}


def test_findtreatment_csv_cleans_fields_and_explains_rejected_rows(session, taxonomy):
    parsed = importers.read(FIXTURES / "findtreatment_small.csv", "findtreatment-csv")
    bay = next(r for r in parsed.records if r.name.startswith("Bay Clinic"))
    assert (bay.name, bay.zip, bay.website, bay.street2) == ("Bay Clinic – Outpatient", "02139", "", "Suite 2")
    reasons = {r.line: r.reason for r in parsed.rejected}
    assert reasons == {
        5: "no coordinates, and no ZIP code we can place on the map",
        6: "3 fields where the header has 23",
    }


def test_a_plain_csv_with_other_column_names_na_and_lost_zeros(session, taxonomy):
    parsed = importers.read(FIXTURES / "plain_small.csv", "csv", level="outpatient")
    names = {r.name: r for r in parsed.records}
    assert set(names) == {"Methadone Place", "NA Coordinates"}
    assert names["Methadone Place"].zip == "02451" and names["Methadone Place"].city == "Waltham"
    assert names["Methadone Place"].levels[0].level == "outpatient"
    placed = names["NA Coordinates"]
    assert placed.zip == "01742" and abs(placed.lat - 42.46) < 0.1  # placed at its ZIP code's centre
    assert parsed.merged == 1
    assert sorted((r.line, r.reason) for r in parsed.rejected) == [
        (4, "state 'ZZ' is not a US state or territory code"),
        (5, "no name"),
        (6, "9 fields where the header has 8"),
    ]


def test_a_field_longer_than_its_column_rejects_its_row_not_the_import(runner, session, taxonomy, tmp_path):
    """PostgreSQL refused the whole import with a traceback; SQLite kept the value against the schema."""
    path = tmp_path / "long.csv"
    long = "X" * 201
    path.write_text(
        "name,address,city,state,zip\n"
        f"{long},10 Pine St,Waltham,MA,02451\n"
        f"Fine Place,{long},Waltham,MA,02451\n"
        "Short Place,10 Elm St,Waltham,MA,02451\n"
    )
    result = runner.invoke(args=["programs", "import", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "name is longer than 200 characters (line 2)" in result.output
    assert "street1 is longer than 200 characters (line 3)" in result.output
    assert list(session.scalars(select(Program.name))) == ["Short Place"]


def test_findtreatment_json_maps_service_labels(session, taxonomy):
    parsed = importers.read(FIXTURES / "findtreatment_page.json", "findtreatment-json")
    river, bare = parsed.records
    assert river.source_id == "abc123"
    assert {(lvl.level, lvl.setting) for lvl in river.levels} == {
        ("outpatient", "general"),
        ("outpatient", "intensive_outpatient"),
        ("residential", "general"),
    }
    assert river.attributes == {"payment": ["MD", "SF"], "language": ["SP"]}
    assert parsed.codes.unmapped == {"PAY: Federal, or any government funding for substance abuse programs": 1}
    assert bare.levels == [] and bare.website == "http://www.example.org" and river.website == ""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "the file is empty"),
        ("nocity.csv", "name,state\nA,MA\n", "no column for city"),
        ("notjson.json", "{", "not JSON"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(session, taxonomy, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(importers.FileFormatError, match=message):
        importers.read(path, "findtreatment-json" if name.endswith(".json") else "csv")


def test_the_command_is_idempotent_and_reports(runner, session, taxonomy, tmp_path):
    args = ["programs", "import", str(FIXTURES / "findtreatment_small.csv"), "--format", "findtreatment-csv"]
    first = runner.invoke(args=[*args, "--rejects", str(tmp_path / "rejects.csv")])
    assert first.exit_code == 0, first.output
    assert "Read 5 rows: 3 imported into 2 programs (1 row merged into the program of the same site), 2 rejected." in (
        first.output
    )
    assert "Programs: 2 added, 0 updated, 0 unchanged." in first.output
    assert "Rejected 1: 3 fields where the header has 23 (line 6)." in first.output
    assert (tmp_path / "rejects.csv").read_text().splitlines()[0] == "line,reason"
    second = runner.invoke(args=args)
    assert "Programs: 0 added, 0 updated, 2 unchanged." in second.output
    assert session.scalar(select(func.count()).select_from(Program)) == 2
    program = session.scalars(select(Program).where(Program.name == "Harbor Recovery")).one()
    assert (program.source, program.is_demo, program.imported_at is not None) == ("findtreatment", False, True)
    imports = [e.detail for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "programs.import"))]
    assert imports == [
        "findtreatment-csv findtreatment_small.csv: 2 added, 0 updated, 0 unchanged",
        "findtreatment-csv findtreatment_small.csv: 0 added, 0 updated, 2 unchanged",
    ]


def test_a_changed_row_updates_its_program_and_keeps_its_capacity(runner, session, taxonomy, tmp_path):
    path = tmp_path / "listing.csv"
    original = (FIXTURES / "findtreatment_small.csv").read_text()
    path.write_text(original)
    runner.invoke(args=["programs", "import", str(path), "--format", "findtreatment-csv"])
    from locator.models import ProgramLevel, utcnow

    level = session.scalars(select(ProgramLevel).where(ProgramLevel.level == "detox")).one()
    level.capacity_available, level.capacity_maximum, level.capacity_updated_at = 2, 8, utcnow()
    session.commit()
    path.write_text(original.replace("617-555-0100", "617-555-0199"))
    result = runner.invoke(args=["programs", "import", str(path), "--format", "findtreatment-csv"])
    assert "Programs: 0 added, 1 updated, 1 unchanged." in result.output
    session.expire_all()
    program = session.scalars(select(Program).where(Program.name == "Harbor Recovery")).one()
    assert program.phone == "617-555-0199"
    detox = next(lvl for lvl in program.levels if lvl.level == "detox")
    assert (detox.capacity_available, detox.capacity_maximum) == (2, 8)


def test_imported_programs_keep_the_time_zone_of_their_zip_code(tmp_path, session, taxonomy):
    source = tmp_path / "sites.csv"
    source.write_text(
        "name,street,city,state,zip,lat,lon\n"
        "West Clinic,1 Market St,San Francisco,CA,94103,37.77,-122.41\n"
        "Desert Clinic,2 Central Ave,Phoenix,AZ,85004,33.45,-112.07\n"
        "Harbor Clinic,3 Main St,Boston,MA,02139,42.36,-71.10\n"
    )
    parsed = importers.read(source, "csv")
    zones = {r.name: r.timezone for r in parsed.records}
    assert zones == {
        "West Clinic": "America/Los_Angeles",
        "Desert Clinic": "America/Phoenix",
        "Harbor Clinic": "America/New_York",
    }
