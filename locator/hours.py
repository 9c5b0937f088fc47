"""Weekly opening hours: parse the seed/import notation, tell whether a program is open now."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

#: Programs are in it unless they say otherwise; so are the network queue and the times staff see.
NETWORK_TIMEZONE = "America/New_York"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAY = (0, 1440)

Period = tuple[int, int, int]  # weekday (0 = Monday), opens minute, closes minute
ALWAYS_OPEN: list[Period] = [(day, *ALL_DAY) for day in range(7)]  # "24/7"


def _minute(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    value = int(hours) * 60 + int(minutes or 0)
    if not 0 <= value <= 1440:
        raise ValueError(f"time out of range: {text!r}")
    return value


def _days(text: str) -> list[int]:
    first, _, last = text.strip().lower().partition("-")
    start = DAYS.index(first)
    end = DAYS.index(last) if last else start
    if end < start:
        raise ValueError(f"day range runs backwards: {text!r}")
    return list(range(start, end + 1))


def parse_weekly(spec: str | dict[str, str] | None) -> list[Period]:
    """`"24/7"`, or `{"mon-fri": "08:00-17:00", "sat": "09:00-12:00, 13:00-16:00"}`, to periods."""
    if not spec:
        return []
    if isinstance(spec, str):
        if spec.strip() == "24/7":
            return list(ALWAYS_OPEN)
        raise ValueError(f"hours must be '24/7' or a day -> times mapping, not {spec!r}")
    periods: set[Period] = set()
    for days, times in spec.items():
        for span in str(times).split(","):
            opens, _, closes = span.partition("-")
            opens_minute, closes_minute = _minute(opens), _minute(closes)
            if opens_minute >= closes_minute:
                raise ValueError(f"closing time must be after opening time: {span!r}")
            periods.update((day, opens_minute, closes_minute) for day in _days(days))
    return sorted(periods)


def is_open(periods: list[Period], timezone: str, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(timezone))
    minute = local.hour * 60 + local.minute
    return any(day == local.weekday() and opens <= minute < closes for day, opens, closes in periods)


def format_minute(minute: int) -> str:
    return "24:00" if minute == 1440 else f"{minute // 60:02d}:{minute % 60:02d}"
