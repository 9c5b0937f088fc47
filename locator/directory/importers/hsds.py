"""`--format hsds`: a tabular datapackage folder, as `programs export-hsds` writes it, back into programs.

Services are programs; their location, address, phones, schedules, attributes (levels, our
attribute codes, and the field values) and capacities come back with them. Attribute terms of
other taxonomies are counted as unmapped, not dropped silently.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from locator.directory.hsds import DAYS
from locator.directory.hsds_files import read_tables
from locator.directory.importers import FileFormatError, Parsed, Rejected
from locator.directory.importers.rows import RowError, coordinates, state, text, zip5
from locator.directory.records import LevelRecord, ProgramRecord
from locator.geo.timezones import is_timezone, local_timezone


def _minute(value: str) -> int:
    hours, _, minutes = value.partition(":")
    return int(hours) * 60 + int(minutes[:2] or 0)


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
    own_organization = organization.get("id", "").startswith("organization:program:")
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
        verified_at=datetime.fromisoformat(service["assured_date"]) if text(service.get("assured_date")) else None,
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
        _attribute(record, term, link.get("value") or "", capacity, parsed)
    if not record.name:
        raise RowError("no name")
    return record


def _attribute(record: ProgramRecord, term: dict, value: str, capacity: dict[str, dict], parsed: Parsed) -> None:
    taxonomy, code = term.get("taxonomy_id"), term.get("code", "")
    if taxonomy == "locator-levels":
        level, _, setting = code.partition("/")
        figures = capacity.get(code, {})
        record.levels.append(
            LevelRecord(
                level,
                setting,
                int(figures["available"]) if text(figures.get("available")) else None,
                int(float(figures["maximum"])) if text(figures.get("maximum")) else None,
                figures.get("unit_id") or value or "bed",
                datetime.fromisoformat(figures["updated"]) if text(figures.get("updated")) else None,
            )
        )
    elif taxonomy == "locator-attributes" and term.get("parent_id", "").startswith("category:"):
        record.attributes.setdefault(term["parent_id"].removeprefix("category:"), []).append(code)
    elif taxonomy == "locator-fields":
        _field(record, code, value)
    else:
        parsed.codes.unmapped[f"{taxonomy}: {code}"] += 1


def _field(record: ProgramRecord, name: str, value: str) -> None:
    if name == "timezone" and is_timezone(value):
        record.timezone = value
    elif name == "accepting_new":
        record.accepting_new = value != "false"
    elif name == "is_demo":
        record.is_demo = value == "true"
    elif name == "slug" and value:
        record.slug = value
    elif name == "service_codes":
        record.service_codes = value.split()
