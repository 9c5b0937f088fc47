"""Programs as API JSON, GeoJSON and CSV rows: one shape (DESIGN.md section 7) for every output."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from locator.availability import availability
from locator.models import Program
from locator.spreadsheet import spreadsheet_safe
from locator.taxonomy import ATTRIBUTE_CATEGORIES


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def program_json(program: Program, distance: float | None, now: datetime, fresh_hours: int) -> dict:
    attributes: dict[str, list[str]] = {category: [] for category in ATTRIBUTE_CATEGORIES}
    for attribute in program.attributes:
        attributes[attribute.category].append(attribute.code)
    return {
        "id": program.id,
        "slug": program.slug,
        "name": program.name,
        "organization": program.organization.name if program.organization else None,
        "address": {
            "street1": program.street1,
            "street2": program.street2,
            "city": program.city,
            "state": program.state,
            "zip": program.zip,
        },
        "location": {"lat": program.lat, "lon": program.lon},
        "phone": program.phone,
        "intake_phone": program.intake_phone,
        "website": program.website,
        "distance_miles": round(distance, 2) if distance is not None else None,
        "accepting_new": program.accepting_new,
        "levels": [
            {
                "level": level.level,
                "setting": level.setting,
                "capacity": {
                    "available": level.capacity_available,
                    "maximum": level.capacity_maximum,
                    "unit": level.capacity_unit,
                    "updated_at": _iso(level.capacity_updated_at),
                    "status": availability(level, now, fresh_hours).status,
                },
            }
            for level in program.levels
        ],
        "attributes": attributes,
        "verified_at": _iso(program.verified_at),
        "is_demo": program.is_demo,
        "url": url_for("public.program", slug=program.slug, _external=True),
    }


def geojson_feature(data: dict) -> dict:
    """A program's JSON as a GeoJSON Feature (RFC 7946: coordinates are [lon, lat])."""
    properties = {k: v for k, v in data.items() if k != "location"}
    return {
        "type": "Feature",
        "id": data["id"],
        "geometry": {"type": "Point", "coordinates": [data["location"]["lon"], data["location"]["lat"]]},
        "properties": properties,
    }


CSV_COLUMNS = (
    "name",
    "organization",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "phone",
    "intake_phone",
    "website",
    "distance_miles",
    "accepting_new",
    "levels",
    "payment",
    "language",
    "medication",
    "verified_at",
    "url",
)


def csv_row(data: dict) -> list[str]:
    flat = {
        **data,
        **data["address"],
        "levels": "; ".join(f"{lvl['level']}/{lvl['setting']}" for lvl in data["levels"]),
        "payment": " ".join(data["attributes"]["payment"]),
        "language": " ".join(data["attributes"]["language"]),
        "medication": " ".join(data["attributes"]["medication"]),
        "accepting_new": "yes" if data["accepting_new"] else "no",
    }
    return [spreadsheet_safe(flat[column]) for column in CSV_COLUMNS]
