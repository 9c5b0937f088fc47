"""The importers on SAMHSA's real files in ../shared/data (fails, never skips, with REQUIRE_SHARED_DATA=1)."""

import csv
from collections import Counter

import pytest
from sqlalchemy import func, select

from locator.directory import importers
from locator.models import Program, ProgramLevel
from tests.conftest import shared_data_dir

MA_EXPORT = "loudstudy_findtreatment_export_MA_2025-08-19.csv"


@pytest.fixture
def data():
    return shared_data_dir()


@pytest.fixture
def taxonomy(session):
    from locator.directory import seed

    seed.load_attributes(session, seed.SEED_DIR / "attributes.yaml")
    session.commit()


def ones_per_column(path) -> tuple[Counter, Counter]:
    """Counted independently of the importer: `1`s per code column, and sites (name+address) per code."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header = [h.strip() for h in rows[0]]
    per_row, sites = Counter(), {}
    for row in rows[1:]:
        values = dict(zip(header, row, strict=True))
        codes = {code for code in header[17:] if values[code] == "1"}
        per_row.update(codes)
        key = tuple(" ".join(values[k].lower().split()) for k in ("name1", "street1", "city", "state"))
        sites.setdefault((*key, values["zip"].zfill(5)[:5]), set()).update(codes)
    return per_row, Counter(code for codes in sites.values() for code in codes)


def run(runner, path, fmt, *options):
    result = runner.invoke(args=["programs", "import", str(path), "--format", fmt, *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_ma_export_keeps_every_code(runner, session, taxonomy, data):
    path = data / MA_EXPORT
    per_row, per_site = ones_per_column(path)
    assert {c: per_row[c] for c in ("res", "op", "dt", "otp")} == {"res": 170, "op": 490, "dt": 59, "otp": 64}

    parsed = importers.read(path, "findtreatment-csv")
    assert parsed.codes.rows == per_row  # every imported row's every code, counted

    output = run(runner, path, "findtreatment-csv")
    assert "Read 662 rows: 662 imported into 453 programs (209 rows merged into the program of the same site)" in output
    assert "Programs: 453 added, 0 updated, 0 unchanged." in output
    stored = Counter(code for codes in session.scalars(select(Program.service_codes)) for code in codes.split())
    assert stored == per_site  # and every code is on the programs of the sites that had it
    residential = select(func.count(func.distinct(ProgramLevel.program_id))).where(ProgramLevel.level == "residential")
    assert session.scalar(residential) > 0

    again = run(runner, path, "findtreatment-csv")
    assert "Programs: 0 added, 0 updated, 453 unchanged." in again


def test_the_json_sample_imports_with_levels_from_its_settings(runner, session, taxonomy, data):
    output = run(runner, data / "findtreatment_api_sample_2019_CBHSQ.json", "findtreatment-json")
    assert "Programs: 30 added" in output
    with_levels = session.scalar(select(func.count(func.distinct(ProgramLevel.program_id))))
    outpatient = select(func.count(func.distinct(ProgramLevel.program_id))).where(ProgramLevel.level == "outpatient")
    assert with_levels == 30 and session.scalar(outpatient) >= 25


@pytest.mark.parametrize(
    ("name", "options", "programs", "rejected"),
    [
        ("geoda_SubstanceUseTreatment_Geocoded.csv", ["--level", "outpatient"], 13766, 0),
        ("geoda_MentalHealthProviders_Geocoded.csv", [], 10859, 0),
        ("geoda_OpioidTreatmentProgram_Geocoded.csv", ["--level", "outpatient"], 1830, 0),
        ("geoda_us-wide-moudsCleaned.csv", [], 0, 14773),
    ],
)
def test_the_geoda_files_import_and_every_rejected_row_is_explained(
    runner, session, taxonomy, data, tmp_path, name, options, programs, rejected
):
    output = run(runner, data / name, "csv", *options, "--rejects", str(tmp_path / "rejects.csv"))
    assert f"Programs: {programs} added" in output
    lines = (tmp_path / "rejects.csv").read_text().splitlines()
    assert len(lines) - 1 == rejected
    if rejected:
        assert "Rejected 14773: 17 fields where the header has 16 (line 2, 3, 4" in output
        assert lines[1] == "2,17 fields where the header has 16"
    assert session.scalar(select(func.count()).select_from(Program)) == programs


def test_a_national_directory_answers_a_search_from_any_zip(runner, client, session, taxonomy, data):
    run(runner, data / "geoda_SubstanceUseTreatment_Geocoded.csv", "csv", "--level", "outpatient")
    for zip_code, radius in (("43215", 10), ("40202", 10), ("59801", 50), ("99701", 100)):
        body = client.get("/api/v1/programs", query_string={"near": zip_code, "radius": radius, "per_page": 100}).json
        distances = [p["distance_miles"] for p in body["results"]]
        assert body["total"] > 0, zip_code
        assert distances == sorted(distances) and distances[-1] <= radius
        assert all(not p["is_demo"] for p in body["results"])
