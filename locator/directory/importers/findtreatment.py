"""FindTreatment.gov (SAMHSA): the "Facility listing" CSV export, and the locator's JSON.

CSV: 17 descriptive columns, then one column per service code holding `1` or nothing. The SU and MH
rows of one site (same name and address) are merged into one program carrying the codes of both.
JSON: `rows[]` whose `services` are `{f1 label, f2 group code, f3 "; "-joined labels}`; the labels
are mapped to SAMHSA codes (`codes.JSON_LABELS`), then like the CSV's codes.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import select

from locator.directory.codes import JSON_LABELS, map_codes
from locator.directory.importers import FileFormatError, Parsed, Rejected
from locator.directory.importers.plain_csv import header_positions, record_from, usable_rows
from locator.directory.importers.rows import RowError, open_text, text
from locator.directory.records import ProgramRecord
from locator.extensions import db
from locator.models import Attribute

DESCRIPTIVE = (
    "name1",
    "name2",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "zip4",
    "county",
    "phone",
    "intake_prompt",
    "intake1",
    "intake2",
    "website",
    "latitude",
    "longitude",
    "type_facility",
)
SOURCE = "findtreatment"


def attribute_codes() -> dict[str, str]:
    """SAMHSA code -> our attribute category, from the taxonomy in the database."""
    return {code: category for category, code in db.session.execute(select(Attribute.category, Attribute.code))}


def _apply_codes(record: ProgramRecord, codes: list[str], categories: dict[str, str]) -> list[str]:
    mapped = map_codes(codes, categories)
    record.levels = mapped.levels
    record.attributes = mapped.attributes
    record.service_codes = sorted({c.lower() for c in codes})
    return mapped.unmapped


def read_csv(path: Path, source: str | None = None, **_options) -> Parsed:
    parsed = Parsed()
    categories = attribute_codes()
    sites: dict[str, tuple[ProgramRecord, set[str]]] = {}
    with open_text(path) as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        if header[: len(DESCRIPTIVE)] != list(DESCRIPTIVE):
            raise FileFormatError("this is not a FindTreatment.gov facility listing: the first 17 columns differ")
        positions = header_positions(header)
        code_columns = list(enumerate(header))[len(DESCRIPTIVE) :]
        for row, record in usable_rows(reader, header, positions, parsed, source or SOURCE, None):
            codes = {code for i, code in code_columns if row[i].strip() == "1"}
            parsed.codes.rows.update(codes)
            if record.source_id in sites:
                parsed.merged += 1
                first, merged_codes = sites[record.source_id]
                merged_codes |= codes
                first.phone = first.phone or record.phone
                first.intake_phone = first.intake_phone or record.intake_phone
                first.website = first.website or record.website
            else:
                sites[record.source_id] = (record, set(codes))
    for record, codes in sites.values():
        for code in _apply_codes(record, sorted(codes), categories):
            parsed.codes.unmapped[code] += 1
        parsed.records.append(record)
    return parsed


def _pages(data) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        return [data]
    if isinstance(data, list) and all(isinstance(p, dict) and isinstance(p.get("rows"), list) for p in data):
        return data
    raise FileFormatError("expected a locator JSON page ({rows: [...]}) or a list of pages")


def read_json(path: Path, source: str | None = None, **_options) -> Parsed:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"not JSON: {exc}") from exc
    parsed = Parsed()
    categories = attribute_codes()
    seen: set[str] = set()
    number = 0
    for page in _pages(data):
        for row in page["rows"]:
            number += 1
            parsed.rows += 1
            if not isinstance(row, dict):
                parsed.rejected.append(Rejected(number, "not an object"))
                continue
            values = {
                "name": row.get("name1"),
                "name2": row.get("name2"),
                "street1": row.get("street1"),
                "street2": row.get("street2"),
                "city": row.get("city"),
                "state": row.get("state"),
                "zip": row.get("zip"),
                "lat": str(row.get("latitude") or ""),
                "lon": str(row.get("longitude") or ""),
                "phone": row.get("phone"),
                "intake_phone": row.get("intake1"),
                "website": row.get("website"),
            }
            try:
                record = record_from(
                    {k: v if isinstance(v, str) else "" for k, v in values.items()}, source or SOURCE, None
                )
            except RowError as exc:
                parsed.rejected.append(Rejected(number, str(exc)))
                continue
            if text(row.get("frid")):
                record.source_id = text(row.get("frid"))[:200]
            if record.source_id in seen:
                parsed.merged += 1
                continue
            seen.add(record.source_id)
            codes, unmapped = [], []
            for service in row.get("services") or []:
                group = (service or {}).get("f2") or ""
                for label in ((service or {}).get("f3") or "").split(";"):
                    label = label.strip()
                    if not label:
                        continue
                    code = JSON_LABELS.get(group, {}).get(label)
                    if code:
                        codes.append(code)
                    else:
                        unmapped.append(f"{group}: {label}")
            parsed.codes.rows.update({c.lower() for c in codes})
            for code in _apply_codes(record, codes, categories):
                parsed.codes.unmapped[code] += 1
            for label in unmapped:
                parsed.codes.unmapped[label] += 1
            parsed.records.append(record)
    return parsed
