"""Open Referral HSDS 3.1: our programs as HSDS tables (export, API) and back (import).

Each program is one HSDS `service` at one `location` (with its `address`), run by an
`organization`; phones, weekly `schedule`s and `language`s hang off the service. Levels of care
and our attributes are `attribute` rows pointing at `taxonomy_term`s of two taxonomies of ours
(`locator-levels`: `detox/hospital_detox`...; `locator-attributes`: SAMHSA-style codes under
their category); capacity is `service_capacity` (one per level with figures, `description` naming
the level) in `unit`s `bed` or `slot`. What HSDS has no column for (time zone, accepting new
clients, demo data, slug, the source's service codes) travels as attribute `value`s of
`locator-fields` terms (and a level's attribute value is its capacity unit), so an export imported
again keeps everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from locator.hours import format_minute
from locator.models import Attribute, Program
from locator.taxonomy import ATTRIBUTE_CATEGORIES, CAPACITY_UNITS, LEVELS

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TAXONOMIES = {
    "locator-levels": "Levels of care and settings (DESIGN.md section 4)",
    "locator-attributes": "Payment, population, language, medication, approach and other program attributes",
    "locator-fields": "Program fields HSDS has no column for; the value is in the attribute",
}
FIELD_TERMS = ("timezone", "accepting_new", "is_demo", "slug", "service_codes")
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
NUMBERS = {
    ("location", "latitude"),
    ("location", "longitude"),
    ("service_capacity", "available"),
    ("service_capacity", "maximum"),
}


def term_id(kind: str, code: str) -> str:
    return f"{kind}:{code}"


def taxonomy_rows(attributes: Iterable[Attribute]) -> dict[str, list[dict]]:
    """The taxonomies, their terms and the units: the same for every export."""
    terms = [
        {
            "id": term_id("category", c),
            "code": c,
            "name": str(label),
            "description": f"Attribute category {c}",
            "parent_id": "",
            "taxonomy_id": "locator-attributes",
        }
        for c, label in ATTRIBUTE_CATEGORIES.items()
    ]
    terms += [
        {
            "id": term_id("attribute", f"{a.category}/{a.code}"),
            "code": a.code,
            "name": a.label,
            "description": f"{a.category}: {a.label}",
            "parent_id": term_id("category", a.category),
            "taxonomy_id": "locator-attributes",
        }
        for a in attributes
    ]
    terms += [
        {
            "id": term_id("level", f"{level.code}/{s.code}"),
            "code": f"{level.code}/{s.code}",
            "name": str(s.label),
            "description": f"{level.label}: {s.label}",
            "parent_id": "",
            "taxonomy_id": "locator-levels",
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
            "taxonomy_id": "locator-fields",
        }
        for f in FIELD_TERMS
    ]
    return {
        "taxonomy": [{"id": k, "name": k, "description": v} for k, v in TAXONOMIES.items()],
        "taxonomy_term": terms,
        "unit": [{"id": u, "name": u, "scheme": "locator", "identifier": u} for u in CAPACITY_UNITS],
    }


def program_rows(program: Program) -> dict[str, list[dict]]:
    """One program as rows of each HSDS table (organization included)."""
    sid, lid = f"service:{program.slug}", f"location:{program.slug}"
    org = program.organization
    oid = f"organization:{org.id}" if org else f"organization:program:{program.slug}"
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
            "assured_date": program.verified_at.isoformat() if program.verified_at else "",
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
            "id": f"address:{program.slug}",
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
        {"id": f"service_at_location:{program.slug}", "service_id": sid, "location_id": lid}
    )
    for kind, number in (("main", program.phone), ("intake", program.intake_phone)):
        if number:
            rows["phone"].append(
                {
                    "id": f"phone:{program.slug}:{kind}",
                    "service_id": sid,
                    "number": number,
                    "type": "voice",
                    "description": kind,
                }
            )
    for n, h in enumerate(program.hours):
        rows["schedule"].append(
            {
                "id": f"schedule:{program.slug}:{n}",
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": DAYS[h.weekday],
                "opens_at": format_minute(h.opens_minute),
                "closes_at": format_minute(h.closes_minute),
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
    }
    links += [(term_id("field", name), value) for name, value in fields.items()]
    rows["attribute"] = [
        {
            "id": f"attribute:{program.slug}:{n}",
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
            "id": f"language:{program.slug}:{a.code}",
            "service_id": sid,
            "name": a.label,
            "code": ISO_LANGUAGES.get(a.code, ""),
        }
        for a in program.attributes
        if a.category == "language"
    ]
    rows["service_capacity"] = [
        {
            "id": f"service_capacity:{program.slug}:{lvl.level}/{lvl.setting}",
            "service_id": sid,
            "unit_id": lvl.capacity_unit,
            "available": lvl.capacity_available,
            "maximum": lvl.capacity_maximum,
            "description": f"{lvl.level}/{lvl.setting}",
            "updated": lvl.capacity_updated_at.isoformat(),
        }
        for lvl in program.levels
        if lvl.capacity_updated_at is not None and lvl.capacity_available is not None
    ]
    return rows
