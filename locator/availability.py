"""What a level's capacity figures mean to a person: open, full, or not confirmed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from locator.models import ProgramLevel

OPEN, FULL, NOT_CONFIRMED, UNKNOWN = "open", "full", "not_confirmed", "unknown"


@dataclass(frozen=True)
class Availability:
    status: str
    available: int | None
    unit: str
    updated_at: datetime | None


def fresh_since(now: datetime, fresh_hours: int) -> datetime:
    return now - timedelta(hours=fresh_hours)


def availability(level: ProgramLevel, now: datetime, fresh_hours: int) -> Availability:
    """Figures older than the freshness window are never shown as open."""
    if level.capacity_available is None or level.capacity_updated_at is None:
        status = UNKNOWN
    elif level.capacity_updated_at < fresh_since(now, fresh_hours):
        status = NOT_CONFIRMED
    else:
        status = OPEN if level.capacity_available > 0 else FULL
    return Availability(status, level.capacity_available, level.capacity_unit, level.capacity_updated_at)
