"""Weekly opening hours: read the seed notation and the program form's days, tell whether a program is open now."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

#: Programs are in it unless they say otherwise; so are the network queue and the times staff see.
NETWORK_TIMEZONE = "America/New_York"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAY = (0, 1440)

Period = tuple[int, int, int]  # weekday (0 = Monday), opens minute, closes minute
ALWAYS_OPEN: list[Period] = [(day, *ALL_DAY) for day in range(7)]  # "24/7"


def _minute(text: str) -> int:
    """'8', '08:30' or '24:00' to minutes from midnight."""
    hours, colon, minutes = text.strip().partition(":")
    minutes = minutes if colon else "00"
    digits = text.isascii() and hours.isdigit() and minutes.isdigit()
    if not (digits and len(hours) <= 2 and len(minutes) == 2 and int(minutes) < 60):
        raise ValueError(f"not a time: {text!r}")
    value = int(hours) * 60 + int(minutes)
    if value > 1440:
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
        spans = parse_day(str(times))
        periods.update((day, opens, closes) for day in _days(days) for opens, closes in spans)
    return sorted(periods)


def parse_day(text: str) -> list[tuple[int, int]]:
    """One day's hours, `"08:00-12:00, 13:00-17:30"`, to (opens, closes) minutes in order; empty is closed.
    An en or em dash (as word processors write ranges) is a hyphen."""
    spans = []
    for span in filter(None, (part.strip() for part in text.replace("–", "-").replace("—", "-").split(","))):
        opens, _, closes = span.partition("-")
        opens_minute, closes_minute = _minute(opens), _minute(closes)
        if opens_minute >= closes_minute:
            raise ValueError(f"closing time must be after opening time: {span!r}")
        spans.append((opens_minute, closes_minute))
    spans.sort()
    if any(opens < closed for (_, closed), (opens, _) in pairwise(spans)):
        raise ValueError(f"the times overlap: {text!r}")
    return spans


def by_day(periods: list[Period]) -> list[list[tuple[int, int]]]:
    """Monday to Sunday, each day's (opens, closes) spans in order; a day with none is closed."""
    week: list[list[tuple[int, int]]] = [[] for _ in DAYS]
    for weekday, opens, closes in sorted(periods):
        week[weekday].append((opens, closes))
    return week


def day_text(spans: list[tuple[int, int]]) -> str:
    """What `parse_day` reads: `"08:00-12:00, 13:00-17:30"`."""
    return ", ".join(f"{format_minute(opens)}-{format_minute(closes)}" for opens, closes in spans)


def is_open(periods: list[Period], timezone: str, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(timezone))
    minute = local.hour * 60 + local.minute
    return any(day == local.weekday() and opens <= minute < closes for day, opens, closes in periods)


def format_minute(minute: int) -> str:
    return "24:00" if minute == 1440 else f"{minute // 60:02d}:{minute % 60:02d}"
