"""Where a request can be referred: the network's programs, those with places open for the level of care it
asks for first, then those offering the level (full, or not confirmed), then the rest; nearest the person first
when their ZIP code is known."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, selectinload
from wtforms import SelectChoice

from locator.availability import OPEN, availability
from locator.geo import haversine_miles, zip_place
from locator.i18n import gettext as _
from locator.models import IntakeRequest, Program
from locator.staff.access import network_programs
from locator.taxonomy import LEVELS


def open_places(program: Program, level: str, now: datetime, fresh_hours: int) -> int | None:
    """Places open at `level` by figures confirmed recently; None when the program does not offer it."""
    rows = [row for row in program.levels if row.level == level]
    if not rows:
        return None
    found = (availability(row, now, fresh_hours) for row in rows)
    return sum(a.available or 0 for a in found if a.status == OPEN)


def choices(session: Session, intake: IntakeRequest, now: datetime, fresh_hours: int) -> list[SelectChoice]:
    """The programs `intake` can go to, as the referral menu's options (grouped when it asks for a level)."""
    origin = zip_place(intake.answers.get("zip") or "")
    level = LEVELS.get(intake.level or "")
    if level:
        groups = (
            _("Places open for %(level)s", level=level.label),
            _("%(level)s: full or not confirmed", level=level.label),
            _("Other programs"),
        )
    else:
        groups = (None,)
    options = []
    for program in session.scalars(network_programs().options(selectinload(Program.levels))):
        if program.id == intake.program_id:
            continue
        miles = haversine_miles(origin.lat, origin.lon, program.lat, program.lon) if origin else None
        places = open_places(program, level.code, now, fresh_hours) if level else None
        label = f"{program.name} ({program.city}, {program.state})"
        if places:
            label += " · " + _("%(num)d open", num=places)
        if miles is not None:
            label += f" · {miles:.0f} mi"
        group = 0 if not level or places else 1 if places == 0 else 2
        options.append((group, miles or 0.0, SelectChoice(str(program.id), label, optgroup=groups[group])))
    options.sort(key=lambda option: option[:2])  # stable: the programs' own order (by name) within a distance
    return [choice for *_key, choice in options]
