"""Open Referral HSDS 3.1: our programs as HSDS tables (export, API) and back (import).

Each program is one HSDS `service` at one `location` (with its `address`), run by an
`organization`; phones, weekly `schedule`s and `language`s hang off the service. Levels of care
and our attributes are `attribute` rows pointing at `taxonomy_term`s of two taxonomies of ours
(`locator-levels`: `detox/hospital_detox`...; `locator-attributes`: SAMHSA-style codes under
their category); capacity is `service_capacity` (one per level with figures, `description` naming
the level) in `unit`s `bed` or `slot`. What HSDS has no column for (time zone, accepting new
clients, demo data, slug, the source's service codes, the time of day of the last verification)
travels as attribute `value`s of `locator-fields` terms (and a level's attribute value is its
capacity unit), so an export imported again keeps everything.

Ids are UUIDs, as HSDS requires: a service's is its program's `uuid` and an organization's its
own; the rows hanging off a program are named from the program's (`part_id`), so they stay the same
from one export to the next. The fixed vocabulary (taxonomies, terms, units) has the same ids on
every network, being the same terms.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from locator.hours import format_minute
from locator.models import Attribute, Program
from locator.taxonomy import ATTRIBUTE_CATEGORIES, CAPACITY_UNITS, LEVELS, attribute_label

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TAXONOMIES = {
    "locator-levels": "Levels of care and settings (DESIGN.md section 4)",
    "locator-attributes": "Payment, population, language, medication, approach and other program attributes",
    "locator-fields": "Program fields HSDS has no column for; the value is in the attribute",
}
FIELD_TERMS = ("timezone", "accepting_new", "is_demo", "slug", "service_codes", "verified_at")
ISO_LANGUAGES = {"SP": "es", "F4": "ar", "F17": "zh", "F28": "fr", "F70": "ru", "F92": "vi", "AH": "ase"}

#: Table -> columns, in the order written (a subset of each HSDS 3.1 table: the columns we fill).
TABLES: dict[str, tuple[str, ...]] = {
    "organization": ("id", "name", "description", "email", "website"),
    "service": ("id", "organization_id", "name", "description", "url", "email", "status", "assured_date"),
    "location": ("id", "location_type", "organization_id", "name", "latitude", "longitude"),
    "address": (
        "id",
        "location_id",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ),
    "service_at_location": ("id", "service_id", "location_id"),
    "phone": ("id", "service_id", "number", "type", "description"),
    "schedule": ("id", "service_id", "freq", "byday", "opens_at", "closes_at", "description"),
    "language": ("id", "service_id", "name", "code"),
    "service_capacity": ("id", "service_id", "unit_id", "available", "maximum", "description", "updated"),
    "unit": ("id", "name", "scheme", "identifier"),
    "taxonomy": ("id", "name", "description"),
    "taxonomy_term": ("id", "code", "name", "description", "parent_id", "taxonomy_id"),
    "attribute": ("id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"),
}
#: Columns that are not plain text, as Table Schema types (ids are UUIDs: `field_schema`).
TYPES = {
    ("location", "latitude"): "number",
    ("location", "longitude"): "number",
    ("service", "assured_date"): "date",
    ("schedule", "opens_at"): "time",
    ("schedule", "closes_at"): "time",
    ("service_capacity", "available"): "number",
    ("service_capacity", "maximum"): "number",
    ("service_capacity", "updated"): "datetime",
}


def field_schema(table: str, column: str) -> dict:
    """One column as a Table Schema field, as the datapackage describes it."""
    if column == "id" or column.endswith("_id"):
        return {"name": column, "type": "string", "format": "uuid"}
    return {"name": column, "type": TYPES.get((table, column), "string")}


#: The namespace of the fixed vocabulary's ids (UUID version 5). Any UUID would do; this one must never change.
VOCABULARY = uuid.UUID("1dbbc064-5850-4312-8ec0-966bb8fd460c")


def _vocabulary_id(name: str) -> str:
    return str(uuid.uuid5(VOCABULARY, name))


def term_id(kind: str, code: str) -> str:
    return _vocabulary_id(f"term/{kind}:{code}")


def taxonomy_id(name: str) -> str:
    return _vocabulary_id(f"taxonomy/{name}")


def unit_id(unit: str) -> str:
    return _vocabulary_id(f"unit/{unit}")


UNITS = {unit_id(u): u for u in CAPACITY_UNITS}


def part_id(service_id: uuid.UUID, part: str) -> str:
    """The id of one of a service's rows (`location`, `phone/intake`...), from the service's id."""
    return str(uuid.uuid5(service_id, part))


def hsds_time(minute: int) -> str:
    """A time of day as HSDS's `time` (HH:MM:SS); midnight at the end of the day is 23:59:59."""
    return "23:59:59" if minute == 1440 else f"{format_minute(minute)}:00"


def attribute_term(a: Attribute) -> dict:
    """One of our attribute codes as a term, under its category's term, named in the request's language as the
    categories and settings are (a file written by a command: the network's first language)."""
    label = attribute_label(a.label)
    return {
        "id": term_id("attribute", f"{a.category}/{a.code}"),
        "code": a.code,
        "name": label,
        "description": f"{a.category}: {label}",
        "parent_id": term_id("category", a.category),
        "taxonomy_id": taxonomy_id("locator-attributes"),
    }


def taxonomy_rows(attributes: Iterable[Attribute]) -> dict[str, list[dict]]:
    """The taxonomies, their terms and the units: the same for every export."""
    terms = [
        {
            "id": term_id("category", c),
            "code": c,
            "name": str(label),
            "description": f"Attribute category {c}",
            "parent_id": "",
            "taxonomy_id": taxonomy_id("locator-attributes"),
        }
        for c, label in ATTRIBUTE_CATEGORIES.items()
    ]
    terms += [attribute_term(a) for a in attributes]
    terms += [
        {
            "id": term_id("level", f"{level.code}/{s.code}"),
            "code": f"{level.code}/{s.code}",
            "name": str(s.label),
            "description": f"{level.label}: {s.label}",
            "parent_id": "",
            "taxonomy_id": taxonomy_id("locator-levels"),
        }
        for level in LEVELS.values()
        for s in level.settings
    ]
    terms += [
        {
            "id": term_id("field", f),
            "code": f,
            "name": f,
            "description": f"Program field {f}",
            "parent_id": "",
            "taxonomy_id": taxonomy_id("locator-fields"),
        }
        for f in FIELD_TERMS
    ]
    return {
        "taxonomy": [{"id": taxonomy_id(k), "name": k, "description": v} for k, v in TAXONOMIES.items()],
        "taxonomy_term": terms,
        "unit": [{"id": i, "name": u, "scheme": "locator", "identifier": u} for i, u in UNITS.items()],
    }


def program_rows(program: Program) -> dict[str, list[dict]]:
    """One program as rows of each HSDS table (organization included)."""
    service_uuid = program.uuid
    sid, lid = str(service_uuid), part_id(service_uuid, "location")
    org = program.organization
    oid = str(org.uuid) if org else part_id(service_uuid, "organization")  # a program run by no named provider
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["organization"].append(
        {
            "id": oid,
            "name": org.name if org else program.name,
            "description": org.name if org else program.name,
            "email": "",
            "website": org.website if org else "",
        }
    )
    rows["service"].append(
        {
            "id": sid,
            "organization_id": oid,
            "name": program.name,
            "description": program.description,
            "url": program.website,
            "email": program.email,
            "status": "active",
            "assured_date": program.verified_at.date().isoformat() if program.verified_at else "",
        }
    )
    rows["location"].append(
        {
            "id": lid,
            "location_type": "physical",
            "organization_id": oid,
            "name": program.name,
            "latitude": program.lat,
            "longitude": program.lon,
        }
    )
    rows["address"].append(
        {
            "id": part_id(service_uuid, "address"),
            "location_id": lid,
            "address_1": program.street1,
            "address_2": program.street2,
            "city": program.city,
            "region": program.county,
            "state_province": program.state,
            "postal_code": program.zip,
            "country": "US",
            "address_type": "physical",
        }
    )
    rows["service_at_location"].append(
        {"id": part_id(service_uuid, "service_at_location"), "service_id": sid, "location_id": lid}
    )
    for kind, number in (("main", program.phone), ("intake", program.intake_phone)):
        if number:
            rows["phone"].append(
                {
                    "id": part_id(service_uuid, f"phone/{kind}"),
                    "service_id": sid,
                    "number": number,
                    "type": "voice",
                    "description": kind,
                }
            )
    for n, h in enumerate(program.hours):
        rows["schedule"].append(
            {
                "id": part_id(service_uuid, f"schedule/{n}"),
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": DAYS[h.weekday],
                "opens_at": hsds_time(h.opens_minute),
                "closes_at": hsds_time(h.closes_minute),
                "description": program.timezone,
            }
        )
    links = [(term_id("attribute", f"{a.category}/{a.code}"), "") for a in program.attributes]
    links += [(term_id("level", f"{lvl.level}/{lvl.setting}"), lvl.capacity_unit) for lvl in program.levels]
    fields = {
        "timezone": program.timezone,
        "accepting_new": str(program.accepting_new).lower(),
        "is_demo": str(program.is_demo).lower(),
        "slug": program.slug,
        "service_codes": program.service_codes or "",
        "verified_at": program.verified_at.isoformat() if program.verified_at else "",  # `assured_date` is a date
    }
    links += [(term_id("field", name), value) for name, value in fields.items()]
    rows["attribute"] = [
        {
            "id": part_id(service_uuid, f"attribute/{n}"),
            "link_id": sid,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": term,
            "value": value,
        }
        for n, (term, value) in enumerate(links)
    ]
    rows["language"] = [
        {
            "id": part_id(service_uuid, f"language/{a.code}"),
            "service_id": sid,
            "name": a.label,
            "code": ISO_LANGUAGES.get(a.code, ""),
        }
        for a in program.attributes
        if a.category == "language"
    ]
    rows["service_capacity"] = [
        {
            "id": part_id(service_uuid, f"service_capacity/{lvl.level}/{lvl.setting}"),
            "service_id": sid,
            "unit_id": unit_id(lvl.capacity_unit),
            "available": lvl.capacity_available,
            "maximum": lvl.capacity_maximum,
            "description": f"{lvl.level}/{lvl.setting}",
            "updated": lvl.capacity_updated_at.isoformat(),
        }
        for lvl in program.levels
        if lvl.capacity_updated_at is not None and lvl.capacity_available is not None
    ]
    return rows
