"""The normalised form of a program, whatever it came from (seed file, import, HSDS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from locator.hours import NETWORK_TIMEZONE, Period


@dataclass(frozen=True)
class LevelRecord:
    level: str
    setting: str
    available: int | None = None
    maximum: int | None = None
    unit: str = "bed"
    updated_at: datetime | None = None  # when the figures were last confirmed (None: now, if there are any)


@dataclass
class ProgramRecord:
    source: str
    source_id: str
    name: str
    city: str
    state: str
    zip: str
    lat: float
    lon: float
    slug: str | None = None
    organization: str = ""
    organization_website: str = ""
    street1: str = ""
    street2: str = ""
    county: str = ""
    phone: str = ""
    intake_phone: str = ""
    website: str = ""
    email: str = ""
    description: str = ""
    timezone: str = NETWORK_TIMEZONE
    accepting_new: bool = True
    verified_at: datetime | None = None
    is_demo: bool = False
    hours: list[Period] = field(default_factory=list)
    levels: list[LevelRecord] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    service_codes: list[str] = field(default_factory=list)

    SCALARS = (
        "name",
        "street1",
        "street2",
        "city",
        "state",
        "zip",
        "county",
        "lat",
        "lon",
        "phone",
        "intake_phone",
        "website",
        "email",
        "description",
        "timezone",
        "accepting_new",
        "verified_at",
        "is_demo",
    )
