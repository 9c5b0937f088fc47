"""Create or update programs from records: one code path for the seed, imports and HSDS.

Functions here change the session and flush; the caller commits once.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.directory.records import LevelRecord, ProgramRecord
from locator.hours import Period
from locator.models import Attribute, Organization, Program, ProgramHours, ProgramLevel

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


class UnknownAttribute(ValueError):
    pass


def slugify(text: str, max_length: int = 100) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].rstrip("-") or "program"


def free_slug(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... whichever is not taken."""
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


def unique_slug(session: Session, wanted: str) -> str:
    return free_slug(wanted, set(session.scalars(select(Program.slug).where(Program.slug.startswith(wanted)))))


def attribute_index(session: Session) -> dict[tuple[str, str], Attribute]:
    return {(a.category, a.code): a for a in session.scalars(select(Attribute))}


def upsert_attribute(session: Session, category: str, code: str, label: str) -> str:
    attribute = session.scalar(select(Attribute).filter_by(category=category, code=code))
    if attribute is None:
        session.add(Attribute(category=category, code=code, label=label))
        return ADDED
    if attribute.label != label:
        attribute.label = label
        return UPDATED
    return UNCHANGED


def _organization(session: Session, name: str, website: str) -> Organization | None:
    if not name:
        return None
    organization = session.scalar(select(Organization).filter_by(name=name).limit(1))
    if organization is None:
        organization = Organization(name=name, website=website)
        session.add(organization)
    elif website and organization.website != website:
        organization.website = website
    return organization


def _sync_levels(program: Program, wanted: list[LevelRecord], now: datetime, who: str) -> bool:
    changed = False
    existing = {(lvl.level, lvl.setting): lvl for lvl in program.levels}
    wanted_by_key = {(w.level, w.setting): w for w in wanted}
    for key, level in existing.items():
        if key not in wanted_by_key:
            program.levels.remove(level)
            changed = True
    for key, record in wanted_by_key.items():
        level = existing.get(key)
        if level is None:
            level = ProgramLevel(level=record.level, setting=record.setting)
            program.levels.append(level)
            changed = True
        capacity = (record.available, record.maximum, record.unit)
        if (level.capacity_available, level.capacity_maximum, level.capacity_unit) != capacity:
            level.capacity_available, level.capacity_maximum, level.capacity_unit = capacity
            has_figures = record.available is not None or record.maximum is not None
            level.capacity_updated_at = (record.updated_at or now) if has_figures else None
            level.capacity_updated_by = who if has_figures else ""
            changed = True
    return changed


def sync_hours(program: Program, wanted: list[Period]) -> bool:
    """Replace the program's weekly hours with `wanted` if they differ; whether they did."""
    current = sorted((h.weekday, h.opens_minute, h.closes_minute) for h in program.hours)
    if current == sorted(wanted):
        return False
    program.hours.clear()
    program.hours.extend(ProgramHours(weekday=d, opens_minute=o, closes_minute=c) for d, o, c in wanted)
    return True


def _sync_attributes(program: Program, wanted: dict[str, list[str]], index: dict[tuple[str, str], Attribute]) -> bool:
    keys = {(category, code) for category, codes in wanted.items() for code in codes}
    missing = keys - index.keys()
    if missing:
        raise UnknownAttribute(", ".join(f"{c}:{k}" for c, k in sorted(missing)))
    if {(a.category, a.code) for a in program.attributes} == keys:
        return False
    program.attributes = [index[key] for key in sorted(keys)]
    return True


def upsert_program(
    session: Session,
    record: ProgramRecord,
    attributes: dict[tuple[str, str], Attribute],
    now: datetime,
) -> str:
    """Bring the program identified by (source, source_id) in line with `record`."""
    program = session.scalar(select(Program).filter_by(source=record.source, source_id=record.source_id))
    status = UNCHANGED
    if program is None:
        slug = record.slug or slugify(f"{record.name} {record.city} {record.state}")
        program = Program(source=record.source, source_id=record.source_id, slug=unique_slug(session, slug))
        session.add(program)
        status = ADDED
    for name in ProgramRecord.SCALARS:
        value = getattr(record, name)
        if getattr(program, name) != value:
            setattr(program, name, value)
            status = status if status == ADDED else UPDATED
    organization = _organization(session, record.organization, record.organization_website)
    if program.organization is not organization:
        program.organization = organization
        status = status if status == ADDED else UPDATED
    changed = _sync_levels(program, record.levels, now, record.source)
    changed |= sync_hours(program, record.hours)
    changed |= _sync_attributes(program, record.attributes, attributes)
    if changed and status == UNCHANGED:
        status = UPDATED
    session.flush()
    return status
