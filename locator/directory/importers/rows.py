"""Cleaning one row's fields, shared by the CSV importers: ZIP codes, states, coordinates, NA."""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path

from locator.directory.records import ProgramRecord
from locator.geo import zip_place
from locator.geo.states import STATE_NAMES
from locator.models import Organization, Program

NULLS = {"", "na", "n/a", "null", "none"}


class RowError(ValueError):
    """Why a row cannot be used (reported with its line number)."""


def text(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value.lower() in NULLS else value


@cache
def _column_lengths() -> dict[str, int]:
    """A record's text fields and the length of the column each goes into."""
    lengths = {c.name: c.type.length for c in Program.__table__.columns if getattr(c.type, "length", None)}
    lengths = {name: length for name, length in lengths.items() if name in ProgramRecord.__dataclass_fields__}
    return lengths | {
        "organization": Organization.__table__.c.name.type.length,
        "organization_website": Organization.__table__.c.website.type.length,
    }


def within_columns(record: ProgramRecord) -> ProgramRecord:
    """The record, if every field fits its column: PostgreSQL refuses a longer value (and with it the
    whole import), SQLite would keep it against the schema; either way the row is refused here."""
    for name, length in _column_lengths().items():
        value = getattr(record, name)
        if isinstance(value, str) and len(value) > length:
            raise RowError(f"{name.replace('_', ' ')} is longer than {length} characters")
    return record


def zip5(value: str | None) -> str:
    """'2139' -> '02139', '02139-1234' -> '02139'; '' when there is no usable ZIP."""
    digits = text(value).split("-")[0].split(".")[0]
    if not digits.isdigit() or not 3 <= len(digits) <= 5:
        return ""
    return digits.zfill(5)


def state(value: str | None) -> str:
    code = text(value).upper()
    if code not in STATE_NAMES:
        raise RowError(f"state {code or '(empty)'!r} is not a US state or territory code")
    return code


def coordinates(lat: str | None, lon: str | None, zip_code: str) -> tuple[float, float]:
    """The row's coordinates, or its ZIP code's centre; a row with neither cannot be placed."""
    try:
        point = float(text(lat)), float(text(lon))
    except ValueError:
        point = None
    if point and _plausible(*point):
        return point
    if zip_code and (place := zip_place(zip_code)):
        return place.lat, place.lon
    raise RowError("no coordinates, and no ZIP code we can place on the map")


def _plausible(lat: float, lon: float) -> bool:
    """Finite, in range, and not the (0, 0) a failed geocode leaves behind."""
    finite = math.isfinite(lat) and math.isfinite(lon)
    return finite and -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0)


def open_text(path: Path) -> io.StringIO:
    """The file as text: UTF-8 (with or without a BOM), or else Windows-1252, as older exports are."""
    raw = path.read_bytes()
    try:
        text_ = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text_ = raw.decode("cp1252", errors="replace")
    return io.StringIO(text_, newline="")
