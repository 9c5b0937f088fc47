"""Load the demonstration network and the attribute taxonomy from `seed/`."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from locator.directory.records import LevelRecord, ProgramRecord
from locator.directory.upsert import attribute_index, upsert_attribute, upsert_program
from locator.hours import NETWORK_TIMEZONE, parse_weekly
from locator.models import utcnow

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"
SOURCE = "seed"


class SeedError(ValueError):
    pass


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~20x faster


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader) or {}  # noqa: S506 (a safe loader)


def extract_attribute_labels(fileobj, keywords, comment_tags, options):  # the arguments Babel passes, by name
    """Babel extractor (`babel.cfg`) for `attributes.yaml`: each label, with its category and code as a note for
    the translator, so the catalogue can show the taxonomy in every language."""
    categories = yaml.compose(fileobj.read().decode("utf-8"))
    for category, codes in categories.value if categories else ():
        for code, label in codes.value:
            yield label.start_mark.line + 1, None, label.value, [f"Attribute {category.value}: {code.value}"]


def program_record(row: dict) -> ProgramRecord:
    """One `programs.yaml` entry as a record (the seed's own slug is its stable id)."""
    try:
        verified = row.get("verified_on")
        if isinstance(verified, str):
            verified = date.fromisoformat(verified)
        return ProgramRecord(
            source=SOURCE,
            source_id=row["slug"],
            slug=row["slug"],
            name=row["name"],
            organization=row.get("organization", ""),
            street1=row.get("street1", ""),
            street2=row.get("street2", ""),
            city=row["city"],
            state=row["state"],
            zip=str(row["zip"]),
            county=row.get("county", ""),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            phone=row.get("phone", ""),
            intake_phone=row.get("intake_phone", ""),
            website=row.get("website", ""),
            email=row.get("email", ""),
            description=row.get("description", ""),
            timezone=row.get("timezone", NETWORK_TIMEZONE),
            accepting_new=bool(row.get("accepting_new", True)),
            verified_at=datetime(verified.year, verified.month, verified.day, 12, tzinfo=UTC) if verified else None,
            is_demo=True,
            hours=parse_weekly(row.get("hours")),
            levels=[
                LevelRecord(
                    lvl["level"],
                    lvl.get("setting", "general"),
                    lvl.get("available"),
                    lvl.get("maximum"),
                    lvl.get("unit", "bed"),
                )
                for lvl in row.get("levels", [])
            ],
            attributes={category: [str(c) for c in codes] for category, codes in row.get("attributes", {}).items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SeedError(f"seed program {row.get('slug', '?')!r}: {exc!r}") from exc


def load_attributes(session: Session, path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for category, codes in _read(path).items():
        for code, label in codes.items():
            counts[upsert_attribute(session, category, str(code), str(label))] += 1
    session.flush()
    return counts


def load_programs(session: Session, path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    index = attribute_index(session)
    now = utcnow()
    for row in _read(path).get("programs", []):
        counts[upsert_program(session, program_record(row), index, now)] += 1
    return counts


def load(session: Session, seed_dir: Path = SEED_DIR) -> dict[str, Counter[str]]:
    """Upsert the taxonomy, then the programs. Flushes; the caller commits."""
    return {
        "attributes": load_attributes(session, seed_dir / "attributes.yaml"),
        "programs": load_programs(session, seed_dir / "programs.yaml"),
    }
