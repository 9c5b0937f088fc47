"""Programs edited by staff: fields, levels, attributes, hours, capacity, verification (flush, never commit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.directory.upsert import slugify, sync_hours, unique_slug
from locator.geo import GeocodeError, Geocoder
from locator.geo.timezones import local_timezone
from locator.hours import Period
from locator.models import Attribute, Program, ProgramLevel

FIELDS = (
    "name",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "phone",
    "intake_phone",
    "website",
    "email",
    "description",
    "timezone",
    "accepting_new",
)
ADDRESS = ("street1", "city", "state", "zip")


class EditError(ValueError):
    pass


def save_program(
    session: Session,
    program: Program | None,
    data: dict,
    level_codes: list[str],
    attribute_ids: list[int],
    hours: list[Period],
    geocoder: Geocoder,
) -> Program:
    """Create or update a program. The address is geocoded only when it changes (or is new)."""
    if program is None:
        program = Program(slug=unique_slug(session, slugify(f"{data['name']} {data['city']}")), source="manual")
        session.add(program)
    moved = program.id is None or any(getattr(program, key) != data[key] for key in ADDRESS)
    for key in FIELDS:
        setattr(program, key, data[key])
    program.timezone = data["timezone"] or local_timezone(data["zip"], data["state"])
    if moved:
        query = f"{data['street1']}, {data['city']}, {data['state']} {data['zip']}".lstrip(", ")
        try:
            place = geocoder.geocode(query)
        except GeocodeError as exc:
            raise EditError(f"The address could not be placed on the map ({exc.reason}).") from exc
        program.lat, program.lon = place.lat, place.lon
    _set_levels(program, level_codes)
    sync_hours(program, hours)
    program.attributes = list(session.scalars(select(Attribute).where(Attribute.id.in_(attribute_ids))))
    session.flush()
    return program


def _set_levels(program: Program, codes: list[str]) -> None:
    wanted = [tuple(code.split("/", 1)) for code in codes]
    kept = [lvl for lvl in program.levels if (lvl.level, lvl.setting) in wanted]
    have = {(lvl.level, lvl.setting) for lvl in kept}
    program.levels = kept + [ProgramLevel(level=lvl, setting=s) for lvl, s in wanted if (lvl, s) not in have]


def set_capacity(
    session: Session, level: ProgramLevel, available: int, maximum: int | None, who: str, now: datetime
) -> None:
    """Open places now (and the total, if given; otherwise the total stays as it was)."""
    maximum = maximum if maximum is not None else level.capacity_maximum
    if maximum is not None and available > maximum:
        raise EditError("Open places cannot be more than the total.")
    level.capacity_available = available
    level.capacity_maximum = maximum
    level.capacity_updated_at = now
    level.capacity_updated_by = who
    session.flush()


def verify(session: Session, program: Program, now: datetime) -> None:
    program.verified_at = now
    session.flush()
