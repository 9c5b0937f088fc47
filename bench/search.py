"""Search benchmark (`make bench`): the API against the raw indexed query, at 10k / 100k / 1M programs.

For each size, in one run on one SQLite database grown by `programs synth`:
- API: GET /api/v1/programs?near=<ZIP>&radius=50&level=outpatient&payment=MD&per_page=25 through the
  in-process client (form parsing, geocoding, search, serialisation, JSON);
- raw: the hand-written SQL box query with the same EXISTS filters on the same index, plus Python
  great-circle ranking of the candidates and the top 25, for the same origins.
Writes the table into bench/RESULTS.md.
"""

from __future__ import annotations

import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
from cryptography.fernet import Fernet
from sqlalchemy import text

from bench.results import percentile, write_section
from locator import create_app
from locator.config import Settings
from locator.directory import seed, synth
from locator.extensions import db
from locator.geo import OfflineGeocoder, bounding_box, haversine_miles

SIZES = (10_000, 100_000, 1_000_000)
ORIGINS = 60
REPEATS = 3
RADIUS = 50
RAW_SQL = text("""
SELECT p.id, p.lat, p.lon FROM program p
WHERE p.lat BETWEEN :min_lat AND :max_lat AND p.lon BETWEEN :min_lon AND :max_lon
  AND EXISTS (SELECT 1 FROM program_level l WHERE l.program_id = p.id AND l.level = 'outpatient')
  AND EXISTS (SELECT 1 FROM program_attribute pa WHERE pa.program_id = p.id AND pa.attribute_id = :md)
""")


def raw_search(session, lat: float, lon: float, md_id: int) -> list[int]:
    box = bounding_box(lat, lon, RADIUS)
    rows = session.execute(
        RAW_SQL,
        {"min_lat": box.min_lat, "max_lat": box.max_lat, "min_lon": box.min_lon, "max_lon": box.max_lon, "md": md_id},
    )
    ranked = sorted((haversine_miles(lat, lon, r[1], r[2]), r[0]) for r in rows)
    return [pid for miles, pid in ranked if miles <= RADIUS][:25]


def measure(app, zips: list[str]) -> tuple[list[float], list[float]]:
    client = app.test_client()
    geocoder = OfflineGeocoder()
    api_ms, raw_ms = [], []
    with app.app_context():
        md_id = db.session.execute(text("SELECT id FROM attribute WHERE category='payment' AND code='MD'")).scalar()
        points = [geocoder.geocode(z) for z in zips]
        for _ in range(REPEATS):
            for zip_code, place in zip(zips, points, strict=True):
                start = time.perf_counter()
                response = client.get(
                    "/api/v1/programs",
                    query_string={
                        "near": zip_code,
                        "radius": RADIUS,
                        "level": "outpatient",
                        "payment": "MD",
                        "per_page": 25,
                    },
                )
                api_ms.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.data[:200]
                start = time.perf_counter()
                raw_search(db.session, place.lat, place.lon, md_id)
                raw_ms.append((time.perf_counter() - start) * 1000)
    return api_ms, raw_ms


def main() -> int:
    sizes = tuple(int(s) for s in sys.argv[1:]) or SIZES
    workdir = Path(tempfile.mkdtemp(prefix="locator-bench-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    settings = Settings(
        env="testing", secret_key="bench", database_url=url, field_keys=(Fernet.generate_key().decode(),)
    )
    app = create_app({"LOCATOR": settings})
    rng = random.Random(7)
    zips = rng.sample([z for z in synth.zip_centroids() if z[3] not in ("AK", "HI", "PR")], ORIGINS)
    zip_codes = [z[4] for z in zips]
    OfflineGeocoder().geocode(zip_codes[0])  # build the gazetteer once, outside the timings
    rows = []
    with app.app_context():
        flask_migrate.upgrade()
        seed.load_attributes(db.session, seed.SEED_DIR / "attributes.yaml")
        db.session.commit()
    have = 0
    for size in sizes:
        with app.app_context():
            start = time.perf_counter()
            synth.synthesize(db.session, size - have)
            db.session.commit()
            db.session.execute(text("ANALYZE"))
            build_s = time.perf_counter() - start
        have = size
        api_ms, raw_ms = measure(app, zip_codes)
        rows.append((size, build_s, api_ms, raw_ms))
        print(
            f"{size:>9,}  api p50 {percentile(api_ms, 0.5):6.1f} ms  p95 {percentile(api_ms, 0.95):6.1f} ms   "
            f"raw p50 {percentile(raw_ms, 0.5):6.1f} ms  p95 {percentile(raw_ms, 0.95):6.1f} ms",
            flush=True,
        )
    write_results(rows)
    return 0


def write_results(rows) -> None:
    lines = [
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({platform.machine()}, "
        f"Python {platform.python_version()}, SQLite, {ORIGINS} random US ZIP origins x {REPEATS}).",
        f"API: `GET /api/v1/programs?near=ZIP&radius={RADIUS}&level=outpatient&payment=MD&per_page=25` in-process. "
        "Raw: the same box + EXISTS filters as hand-written SQL on the same index, great-circle ranking, top 25.",
        "",
        "| programs | synth + ANALYZE (s) | API p50 (ms) | API p95 (ms) | raw p50 (ms) | raw p95 (ms) | p50 ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, build_s, api_ms, raw_ms in rows:
        api50, raw50 = percentile(api_ms, 0.5), percentile(raw_ms, 0.5)
        lines.append(
            f"| {size:,} | {build_s:.0f} | {api50:.1f} | {percentile(api_ms, 0.95):.1f} | {raw50:.1f} | "
            f"{percentile(raw_ms, 0.95):.1f} | {api50 / raw50:.2f}x |"
        )
    lines += ["", "Targets (issue 3): API p50 within 3x of raw at 100k and 1M; API p95 under 50 ms at 100k.", ""]
    write_section("Search (`bench/search.py`)", lines)


if __name__ == "__main__":
    raise SystemExit(main())
