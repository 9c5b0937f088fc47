"""Synthetic programs for benchmarks and load tests: `flask programs synth --count N`.

Sites are spread over real US ZIP centroids (jittered by up to ~2 miles), with level and attribute
frequencies close to the national SAMHSA directory (outpatient common, detox rarer; Medicaid and
self-pay common; methadone rare). Every row is marked: source "synthetic", name "Synthetic program
...", is_demo true. Rows go in through bulk Core inserts, in batches, so a million is practical.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import zipcodes
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from locator.directory.upsert import attribute_index
from locator.models import Program, ProgramLevel, program_attribute, utcnow
from locator.taxonomy import LEVELS

SOURCE = "synthetic"
BATCH = 10_000
LEVEL_ODDS = {"outpatient": 0.80, "residential": 0.25, "aftercare": 0.30, "detox": 0.20}
ATTRIBUTE_ODDS = {
    ("payment", "MD"): 0.70,
    ("payment", "SF"): 0.80,
    ("payment", "PI"): 0.65,
    ("payment", "MC"): 0.40,
    ("payment", "SS"): 0.35,
    ("payment", "NP"): 0.10,
    ("language", "SP"): 0.40,
    ("language", "AH"): 0.25,
    ("medication", "BU"): 0.45,
    ("medication", "NU"): 0.40,
    ("medication", "MU"): 0.08,
    ("approach", "CBT"): 0.80,
    ("approach", "MOTI"): 0.60,
    ("approach", "MIND"): 0.20,
    ("approach", "REL"): 0.10,
    ("population", "VET"): 0.20,
    ("population", "WN"): 0.25,
    ("population", "AD"): 0.15,
}


def zip_centroids() -> list[tuple[float, float, str, str, str]]:
    return [
        (float(z["lat"]), float(z["long"]), z["city"].title(), z["state"], z["zip_code"])
        for z in zipcodes.list_all()
        if z["lat"] and z["long"] and z["zip_code_type"] == "STANDARD" and len(z["state"]) == 2
    ]


def _batches(count: int, size: int) -> Iterator[int]:
    while count > 0:
        yield min(size, count)
        count -= size


def synthesize(session: Session, count: int, seed: int = 1) -> int:
    """Add `count` synthetic programs (on top of any already there). Flushes through Core; caller commits."""
    rng = random.Random(seed + (session.scalar(select(func.count()).select_from(Program)) or 0))  # noqa: S311
    centroids = zip_centroids()
    attributes = attribute_index(session)
    wanted = [(attributes[key].id, odds) for key, odds in ATTRIBUTE_ODDS.items() if key in attributes]
    next_id = (session.scalar(select(func.max(Program.id))) or 0) + 1
    now = utcnow()
    for size in _batches(count, BATCH):
        programs, levels, links = [], [], []
        for program_id in range(next_id, next_id + size):
            lat, lon, city, state, zip_code = rng.choice(centroids)
            programs.append(
                {
                    "id": program_id,
                    "slug": f"synthetic-{program_id}",
                    "name": f"Synthetic program {program_id}",
                    "city": city,
                    "state": state,
                    "zip": zip_code,
                    "lat": max(-90.0, min(90.0, lat + rng.uniform(-0.03, 0.03))),
                    "lon": max(-180.0, min(180.0, lon + rng.uniform(-0.03, 0.03))),
                    "source": SOURCE,
                    "source_id": str(program_id),
                    "is_demo": True,
                    "accepting_new": rng.random() < 0.85,
                }
            )
            chosen = [level for level, odds in LEVEL_ODDS.items() if rng.random() < odds] or ["outpatient"]
            for level in chosen:
                setting = rng.choice(LEVELS[level].settings).code
                maximum = rng.randint(5, 60) if rng.random() < 0.6 else None
                levels.append(
                    {
                        "program_id": program_id,
                        "level": level,
                        "setting": setting,
                        "capacity_maximum": maximum,
                        "capacity_available": rng.randint(0, maximum) if maximum else None,
                        "capacity_updated_at": now - timedelta(hours=rng.uniform(0, 120)) if maximum else None,
                        "capacity_unit": "bed" if level in ("detox", "residential") else "slot",
                        "capacity_updated_by": SOURCE if maximum else "",
                    }
                )
            links.extend(
                {"program_id": program_id, "attribute_id": attribute_id}
                for attribute_id, odds in wanted
                if rng.random() < odds
            )
        session.execute(insert(Program.__table__), programs)
        session.execute(insert(ProgramLevel.__table__), levels)
        if links:
            session.execute(insert(program_attribute), links)
        next_id += size
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT setval(pg_get_serial_sequence('program', 'id'), (SELECT max(id) FROM program))"))
    return count
