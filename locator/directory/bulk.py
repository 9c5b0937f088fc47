"""Bulk import: many ProgramRecords of one source upserted with a few statements, not one per row.

Keyed on (source, source_id). A record whose hash (`import_hash`) is unchanged is left alone; a new
one is inserted with its levels and attribute links in batches; a changed one is updated in place,
its attribute links replaced and its levels brought in line (kept levels keep their capacity).
Flushes; the caller commits once, so an import is all or nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from locator.directory.records import LevelRecord, ProgramRecord
from locator.directory.upsert import free_slug, slugify
from locator.models import Attribute, Organization, Program, ProgramHours, ProgramLevel, program_attribute

BATCH = 1000
FIELDS = (*ProgramRecord.SCALARS, "service_codes")


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def record_hash(record: ProgramRecord) -> str:
    data = asdict(record)
    data["levels"] = sorted((lvl["level"], lvl["setting"]) for lvl in data["levels"])
    data["attributes"] = {k: sorted(v) for k, v in sorted(data["attributes"].items())}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _row(record: ProgramRecord, digest: str, now: datetime, organizations: dict[str, int]) -> dict:
    row = {name: getattr(record, name) for name in ProgramRecord.SCALARS}
    row["organization_id"] = organizations.get(record.organization) if record.organization else None
    row |= {"service_codes": " ".join(record.service_codes) or None, "import_hash": digest, "imported_at": now}
    row |= {"source": record.source, "source_id": record.source_id, "updated_at": now}
    return row


def _organizations(session: Session, records: list[ProgramRecord]) -> dict[str, int]:
    """Organization name -> id, creating the ones not yet known."""
    names = {r.organization: r.organization_website for r in records if r.organization}
    query = select(Organization.name, Organization.id).where(Organization.name.in_(list(names)))
    known = dict(session.execute(query).all())
    for name, website in names.items():
        if name not in known:
            organization = Organization(name=name, website=website)
            session.add(organization)
            session.flush()
            known[name] = organization.id
    return known


def _slug(record: ProgramRecord, taken: set[str]) -> str:
    slug = free_slug(record.slug or slugify(f"{record.name} {record.city} {record.state}"), taken)
    taken.add(slug)
    return slug


def _batches(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_records(
    session: Session,
    records: list[ProgramRecord],
    now: datetime,
    progress: Callable[[int], None] = lambda _n: None,
) -> Counts:
    counts = Counts()
    attribute_ids = {(a.category, a.code): a.id for a in session.scalars(select(Attribute))}
    sources = {r.source for r in records}
    known = select(Program.id, Program.source, Program.source_id, Program.import_hash)
    existing = {
        (source, source_id): (program_id, digest)
        for program_id, source, source_id, digest in session.execute(known.where(Program.source.in_(sources)))
    }
    new, changed = [], []
    for record in records:
        digest = record_hash(record)
        found = existing.get((record.source, record.source_id))
        if found is None:
            new.append((record, digest))
        elif found[1] != digest:
            changed.append((found[0], record, digest))
        else:
            counts.unchanged += 1
    progress(counts.unchanged)

    organizations = _organizations(session, [r for r, _d in new] + [r for _p, r, _d in changed])
    taken = set(session.scalars(select(Program.slug)))
    for batch in _batches(new):
        rows = [_row(r, d, now, organizations) | {"slug": _slug(r, taken), "created_at": now} for r, d in batch]
        returning = insert(Program).returning(Program.source_id, Program.id, sort_by_parameter_order=True)
        ids = dict(session.execute(returning, rows).all())
        _insert_details(session, [(ids[r.source_id], r) for r, _d in batch], attribute_ids, now)
        counts.added += len(batch)
        progress(len(batch))

    for batch in _batches(changed):
        session.execute(update(Program), [{"id": pid} | _row(r, d, now, organizations) for pid, r, d in batch])
        ids = [pid for pid, _r, _d in batch]
        session.execute(delete(program_attribute).where(program_attribute.c.program_id.in_(ids)))
        session.execute(delete(ProgramHours).where(ProgramHours.program_id.in_(ids)))
        _sync_levels(session, [(pid, r) for pid, r, _d in batch], now)
        _insert_details(session, [(pid, r) for pid, r, _d in batch], attribute_ids, now, levels=False)
        counts.updated += len(batch)
        progress(len(batch))
    session.flush()
    return counts


def _level_row(program_id: int, record: ProgramRecord, level: LevelRecord, now: datetime) -> dict:
    figures = level.available is not None or level.maximum is not None
    return {
        "program_id": program_id,
        "level": level.level,
        "setting": level.setting,
        "capacity_available": level.available,
        "capacity_maximum": level.maximum,
        "capacity_unit": level.unit,
        "capacity_updated_at": (level.updated_at or now) if figures else None,
        "capacity_updated_by": record.source if figures else "",
    }


def _insert_details(
    session: Session,
    pairs: list[tuple[int, ProgramRecord]],
    attribute_ids: dict,
    now: datetime,
    levels: bool = True,
) -> None:
    level_rows = [_level_row(pid, record, lvl, now) for pid, record in pairs for lvl in record.levels]
    links = [
        {"program_id": pid, "attribute_id": attribute_ids[(category, code)]}
        for pid, record in pairs
        for category, codes in record.attributes.items()
        for code in codes
        if (category, code) in attribute_ids
    ]
    hours = [
        {"program_id": pid, "weekday": day, "opens_minute": opens, "closes_minute": closes}
        for pid, record in pairs
        for day, opens, closes in record.hours
    ]
    if hours:
        session.execute(insert(ProgramHours), hours)
    if levels and level_rows:
        session.execute(insert(ProgramLevel), level_rows)
    if links:
        session.execute(insert(program_attribute), links)


def _sync_levels(session: Session, pairs: list[tuple[int, ProgramRecord]], now: datetime) -> None:
    """Drop levels no longer listed, add new ones; a kept level keeps its capacity unless the record has figures."""
    wanted = {pid: {(lvl.level, lvl.setting): lvl for lvl in record.levels} for pid, record in pairs}
    records = dict(pairs)
    have: dict[int, set[tuple[str, str]]] = {pid: set() for pid in wanted}
    existing = select(ProgramLevel.id, ProgramLevel.program_id, ProgramLevel.level, ProgramLevel.setting)
    for level_id, pid, level, setting in session.execute(existing.where(ProgramLevel.program_id.in_(list(wanted)))):
        record_level = wanted[pid].get((level, setting))
        if record_level is None:
            session.execute(delete(ProgramLevel).where(ProgramLevel.id == level_id))
            continue
        have[pid].add((level, setting))
        if record_level.available is not None or record_level.maximum is not None:
            row = _level_row(pid, records[pid], record_level, now)
            session.execute(update(ProgramLevel).where(ProgramLevel.id == level_id).values(**row))
    rows = [
        _level_row(pid, records[pid], lvl, now)
        for pid, levels in wanted.items()
        for key, lvl in levels.items()
        if key not in have[pid]
    ]
    if rows:
        session.execute(insert(ProgramLevel), rows)
