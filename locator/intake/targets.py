"""When a request should have had its first contact: minutes for urgent and high, business days for routine."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from locator.hours import NETWORK_TIMEZONE

DAY = 24 * 60


def due_at(created_at: datetime, minutes: int, timezone: str = NETWORK_TIMEZONE) -> datetime:
    """`minutes` after `created_at`; whole days count Monday to Friday only, in the program's time zone."""
    if minutes < DAY:
        return created_at + timedelta(minutes=minutes)
    moment = created_at.astimezone(ZoneInfo(timezone))
    days = minutes // DAY
    while days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment.astimezone(created_at.tzinfo) + timedelta(minutes=minutes % DAY)
