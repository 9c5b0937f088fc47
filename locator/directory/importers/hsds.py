"""`--format hsds`: a tabular datapackage folder, as `programs export-hsds` writes it, back into programs.

Services are programs; their location, address, phones, schedules, attributes (levels, our
attribute codes, and the field values) and capacities come back with them. Attribute terms of
other taxonomies are counted as unmapped, not dropped silently.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from locator.directory.hsds import DAYS, UNITS, part_id, taxonomy_id, term_id
from locator.directory.hsds_files import read_tables
from locator.directory.importers import FileFormatError, Parsed, Rejected
from locator.directory.importers.rows import RowError, coordinates, state, text, within_columns, zip5
from locator.directory.records import LevelRecord, ProgramRecord
from locator.directory.upsert import slugify
from locator.geo.timezones import is_timezone, local_timezone
from locator.taxonomy import ATTRIBUTE_CATEGORIES

LEVELS, ATTRIBUTES, FIELDS = (taxonomy_id(name) for name in ("locator-levels", "locator-attributes", "locator-fields"))
CATEGORIES = {term_id("category", c): c for c in ATTRIBUTE_CATEGORIES}


def _minute(value: str) -> int:
    """HH:MM or HH:MM:SS as minutes from midnight; 23:59:59 (and 24:00) is the end of the day."""
    hours, minutes, *seconds = (int(part) for part in value.split(":"))
    return 1440 if (hours, minutes, seconds) == (23, 59, [59]) else hours * 60 + minutes


def _own_organization(service_id: str, organization_id: str) -> bool:
    """Whether the organization is the one an export makes up for a program run by no named provider."""
    try:
        return organization_id == part_id(uuid.UUID(service_id), "organization")
    except ValueError:
        return False


def _moment(value: str) -> datetime:
    """A date and time (or a date: its midnight) in UTC; one written without an offset is UTC. A time that UTC
    cannot hold (year 1 east of Greenwich) is a `RowError`, which rejects its row alone."""
    found = datetime.fromisoformat(value) if "T" in value else datetime.combine(date.fromisoformat(value), time.min)
    try:
        return found.astimezone(UTC) if found.tzinfo else found.replace(tzinfo=UTC)
    except OverflowError:
        raise RowError(f"{value}: out of range") from None


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row.get(key, "")].append(row)
    return grouped


@dataclass
class _Tables:
    """The datapackage's rows, indexed the ways a service needs them."""

    organizations: dict[str, dict]
    locations: dict[str, dict]
    addresses: dict[str, list[dict]]
    service_at_location: dict[str, list[dict]]
    phones: dict[str, list[dict]]
    schedules: dict[str, list[dict]]
    attributes: dict[str, list[dict]]
    capacities: dict[str, list[dict]]
    terms: dict[str, dict]
    taxonomies: dict[str, str]  # id -> name

    @classmethod
    def of(cls, t: dict[str, list[dict]]) -> _Tables:
        return cls(
            organizations={row["id"]: row for row in t["organization"]},
            locations={row["id"]: row for row in t["location"]},
            addresses=_by(t["address"], "location_id"),
            service_at_location=_by(t["service_at_location"], "service_id"),
            phones=_by(t["phone"], "service_id"),
            schedules=_by(t["schedule"], "service_id"),
            attributes=_by(t["attribute"], "link_id"),
            capacities=_by(t["service_capacity"], "service_id"),
            terms={row["id"]: row for row in t["taxonomy_term"]},
            taxonomies={row["id"]: row.get("name") or row["id"] for row in t["taxonomy"]},
        )


def read(path: Path, source: str | None = None, **_options) -> Parsed:
    if not (path.is_dir() and (path / "datapackage.json").exists()):
        raise FileFormatError("an HSDS import reads a folder holding datapackage.json")
    try:
        raw = read_tables(path)
    except (json.JSONDecodeError, KeyError) as exc:
        raise FileFormatError(f"datapackage.json cannot be read: {exc}") from exc
    tables = _Tables.of(raw)
    parsed = Parsed()
    for number, service in enumerate(raw["service"], start=2):
        parsed.rows += 1
        try:
            parsed.records.append(_record(service, tables, source or "hsds", parsed))
        except (RowError, ValueError) as exc:
            parsed.rejected.append(Rejected(number, f"service {service.get('id', '?')}: {exc}"))
    return parsed


def _record(service: dict, t: _Tables, source: str, parsed: Parsed) -> ProgramRecord:
    links = t.service_at_location.get(service["id"]) or []
    location = t.locations.get(links[0]["location_id"]) if links else None
    if location is None:
        raise RowError("no location")
    address = (t.addresses.get(location["id"]) or [{}])[0]
    zip_code = zip5(address.get("postal_code"))
    lat, lon = coordinates(location.get("latitude"), location.get("longitude"), zip_code)
    organization = t.organizations.get(service.get("organization_id", ""), {})
    own_organization = _own_organization(service["id"], organization.get("id", ""))
    record = ProgramRecord(
        source=source,
        source_id=service["id"],
        name=text(service.get("name")),
        street1=text(address.get("address_1")),
        street2=text(address.get("address_2")),
        city=text(address.get("city")),
        state=state(address.get("state_province")),
        zip=zip_code,
        county=text(address.get("region")),
        lat=lat,
        lon=lon,
        website=text(service.get("url")),
        email=text(service.get("email")),
        description=service.get("description") or "",
        organization="" if own_organization else text(organization.get("name")),
        organization_website="" if own_organization else text(organization.get("website")),
        verified_at=_moment(service["assured_date"]) if text(service.get("assured_date")) else None,
    )
    record.timezone = local_timezone(record.zip, record.state)  # unless the file names a valid one
    for phone in t.phones.get(service["id"], []):
        if phone.get("description") == "intake":
            record.intake_phone = text(phone.get("number"))
        else:
            record.phone = record.phone or text(phone.get("number"))
    record.hours = [
        (DAYS.index(s["byday"]), _minute(s["opens_at"]), _minute(s["closes_at"]))
        for s in t.schedules.get(service["id"], [])
        if s.get("byday") in DAYS
    ]
    capacity = {c["description"]: c for c in t.capacities.get(service["id"], [])}
    for link in t.attributes.get(service["id"], []):
        term = t.terms.get(link.get("taxonomy_term_id", ""))
        if term is None:
            parsed.codes.unmapped[link.get("taxonomy_term_id", "")] += 1
            continue
        if not _attribute(record, term, link.get("value") or "", capacity):
            taxonomy = term.get("taxonomy_id", "")
            parsed.codes.unmapped[f"{t.taxonomies.get(taxonomy, taxonomy)}: {term.get('code', '')}"] += 1
    if not record.name:
        raise RowError("no name")
    return within_columns(record)


def _attribute(record: ProgramRecord, term: dict, value: str, capacity: dict[str, dict]) -> bool:
    """Apply one of our terms to the record; False for a term of another taxonomy."""
    taxonomy, code = term.get("taxonomy_id"), term.get("code", "")
    if taxonomy == LEVELS:
        level, _, setting = code.partition("/")
        figures = capacity.get(code, {})
        record.levels.append(
            LevelRecord(
                level,
                setting,
                int(figures["available"]) if text(figures.get("available")) else None,
                int(float(figures["maximum"])) if text(figures.get("maximum")) else None,
                UNITS.get(figures.get("unit_id", "")) or value or "bed",
                _moment(figures["updated"]) if text(figures.get("updated")) else None,
            )
        )
    elif taxonomy == ATTRIBUTES and term.get("parent_id") in CATEGORIES:
        record.attributes.setdefault(CATEGORIES[term["parent_id"]], []).append(code)
    elif taxonomy == FIELDS:
        _field(record, code, value)
    else:
        return False
    return True


def _field(record: ProgramRecord, name: str, value: str) -> None:
    if name == "timezone" and is_timezone(value):
        record.timezone = value
    elif name == "accepting_new":
        record.accepting_new = value != "false"
    elif name == "is_demo":
        record.is_demo = value == "true"
    elif name == "slug" and value:
        record.slug = slugify(value)  # another publisher's may be any text
    elif name == "service_codes":
        record.service_codes = value.split()
    elif name == "verified_at" and value:
        record.verified_at = _moment(value)
