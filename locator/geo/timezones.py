"""The time zone a US program keeps its hours in: its ZIP code's, from the bundled gazetteer, else the one
most of its state keeps, else the network's.

Opening hours ("open now") and business-day targets are counted in it, so a program imported in
California must not be left on New York time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import zipcodes

from locator.hours import NETWORK_TIMEZONE


def is_timezone(name: str) -> bool:
    """An IANA time zone this machine knows ("America/Chicago"; not "Central" or "CST")."""
    if not name or "/" not in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    rows = [(row["zip_code"], row["state"], row["timezone"]) for row in zipcodes.list_all()]
    valid = {zone for zone in {zone for _, _, zone in rows} if is_timezone(zone)}  # a few are blank or misspelt
    by_zip = {zip_code: zone for zip_code, _, zone in rows if zone in valid}
    per_state: dict[str, Counter[str]] = defaultdict(Counter)
    for _, state, zone in rows:
        if zone in valid:
            per_state[state][zone] += 1
    return by_zip, {state: zones.most_common(1)[0][0] for state, zones in per_state.items()}


def local_timezone(zip_code: str, state: str) -> str:
    by_zip, by_state = _tables()
    return by_zip.get(zip_code) or by_state.get(state) or NETWORK_TIMEZONE


@cache
def us_timezones() -> tuple[str, ...]:
    """Every time zone a US ZIP code keeps, for a staff menu."""
    return tuple(sorted(set(_tables()[0].values())))
