"""A plain facility list (`--format csv`): names, addresses, coordinates under the usual column names.

Survives what real files do: a BOM, CRLF, an unnamed row-number column, R's `NA`, ZIP codes that lost
their leading zeros, column names in any case (`ADDRESS`, `POSTAL`, `Latitude`). A row with the wrong
number of fields, no name, an unknown state, or neither coordinates nor a ZIP code to place it is
rejected with its line number and the reason; the rest of the file still imports.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from locator.directory.importers import FileFormatError, Parsed, Rejected, site_key
from locator.directory.importers.rows import RowError, coordinates, open_text, state, text, within_columns, zip5
from locator.directory.records import LevelRecord, ProgramRecord
from locator.geo.timezones import local_timezone
from locator.taxonomy import GENERAL, LEVELS

#: Our field <- the column names files use for it (compared in lower case).
COLUMNS = {
    "name": ("name1", "name", "id", "facility", "facility_name"),
    "name2": ("name2",),
    "street1": ("street1", "address", "street", "address1"),
    "street2": ("street2", "address2"),
    "city": ("city",),
    "state": ("state",),
    "zip": ("zip", "postal", "zipcode", "zip_code", "postcode"),
    "county": ("county", "countyname"),
    "lat": ("latitude", "lat"),
    "lon": ("longitude", "lon", "lng"),
    "phone": ("phone",),
    "intake_phone": ("intake1",),
    "website": ("website",),
}
REQUIRED = ("name", "city", "state")


def header_positions(header: list[str]) -> dict[str, int]:
    lowered = [h.strip().lower() for h in header]
    found = {}
    for field_name, names in COLUMNS.items():
        for name in names:
            if name in lowered:
                found[field_name] = lowered.index(name)
                break
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        raise FileFormatError(f"no column for {', '.join(missing)} in the header: {', '.join(header[:20])}")
    return found


def record_from(values: dict[str, str], source: str, level: str | None) -> ProgramRecord:
    name = text(values.get("name"))
    if not name:
        raise RowError("no name")
    name2 = text(values.get("name2"))
    zip_code = zip5(values.get("zip"))
    lat, lon = coordinates(values.get("lat"), values.get("lon"), zip_code)
    if not zip_code:
        raise RowError("no ZIP code")
    state_code = state(values.get("state"))
    record = ProgramRecord(
        source=source,
        source_id="",
        name=f"{name} – {name2}" if name2 and name2.lower() != name.lower() else name,
        street1=text(values.get("street1")),
        street2=text(values.get("street2")),
        city=text(values.get("city")).title() if text(values.get("city")).isupper() else text(values.get("city")),
        state=state_code,
        zip=zip_code,
        county=text(values.get("county")),
        lat=lat,
        lon=lon,
        phone=text(values.get("phone")),
        intake_phone=text(values.get("intake_phone")),
        website="" if text(values.get("website")) in ("http://", "https://") else text(values.get("website")),
        timezone=local_timezone(zip_code, state_code),
        levels=[LevelRecord(level, GENERAL)] if level else [],
    )
    if not record.city:
        raise RowError("no city")
    record.source_id = site_key(name, record.street1, record.city, record.state, record.zip)
    return within_columns(record)


def usable_rows(
    reader, header: list[str], positions: dict[str, int], parsed: Parsed, source: str, level: str | None
) -> Iterator[tuple[list[str], ProgramRecord]]:
    """Each data row that makes a record. Blank rows are skipped; the rest are counted, bad ones rejected."""
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        parsed.rows += 1
        if len(row) != len(header):
            parsed.rejected.append(Rejected(reader.line_num, f"{len(row)} fields where the header has {len(header)}"))
            continue
        try:
            yield row, record_from({f: row[i] for f, i in positions.items()}, source, level)
        except RowError as exc:
            parsed.rejected.append(Rejected(reader.line_num, str(exc)))


def read(path: Path, source: str | None = None, level: str | None = None, **_options) -> Parsed:
    if level is not None and level not in LEVELS:
        raise FileFormatError(f"--level must be one of {', '.join(LEVELS)}")
    source = source or path.stem
    parsed = Parsed()
    by_key: dict[str, ProgramRecord] = {}
    with open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise FileFormatError("the file is empty") from None
        positions = header_positions(header)
        for _row, record in usable_rows(reader, header, positions, parsed, source, level):
            if record.source_id in by_key:
                parsed.merged += 1
                continue
            by_key[record.source_id] = record
    parsed.records = list(by_key.values())
    return parsed
