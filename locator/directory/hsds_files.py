"""HSDS 3.1 tabular datapackage: `datapackage.json` and one CSV per table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from locator.directory.hsds import TABLES, field_schema, program_rows, taxonomy_rows
from locator.models import Attribute, Program

BATCH = 2000


def _foreign_keys(table: str, columns: tuple[str, ...]) -> list[dict]:
    """`<table>_id` refers to that table's rows, `parent_id` to the same table's, and `link_id` (every
    attribute we write is of a service) to a service."""
    found = []
    for column in columns:
        target = {"parent_id": table, "link_id": "service"}.get(column) or column.removesuffix("_id")
        if column.endswith("_id") and target in TABLES:
            resource = "" if target == table else target  # "": this table
            found.append({"fields": column, "reference": {"resource": resource, "fields": "id"}})
    return found


def _descriptor() -> dict:
    return {
        "name": "treatment-locator-directory",
        "title": "Treatment programs, as Open Referral HSDS 3.1",
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [field_schema(table, c) for c in columns],
                    "primaryKey": "id",
                    "foreignKeys": _foreign_keys(table, columns),
                },
            }
            for table, columns in TABLES.items()
        ],
    }


def export(session: Session, directory: Path) -> int:
    """Write every program; returns how many. Programs are read in batches, so memory stays flat."""
    directory.mkdir(parents=True, exist_ok=True)
    handles = {t: (directory / f"{t}.csv").open("w", newline="", encoding="utf-8") for t in TABLES}
    try:
        writers = {t: csv.DictWriter(h, fieldnames=TABLES[t]) for t, h in handles.items()}
        for writer in writers.values():
            writer.writeheader()
        for table, rows in taxonomy_rows(session.scalars(select(Attribute).order_by(Attribute.id))).items():
            writers[table].writerows(rows)
        seen_organizations: set[str] = set()
        count, last_id = 0, 0
        options = (
            selectinload(Program.levels),
            selectinload(Program.attributes),
            selectinload(Program.hours),
            selectinload(Program.organization),
        )
        while True:
            batch = list(
                session.scalars(
                    select(Program).where(Program.id > last_id).order_by(Program.id).limit(BATCH).options(*options)
                )
            )
            if not batch:
                break
            for program in batch:
                for table, rows in program_rows(program).items():
                    if table == "organization":
                        rows = [r for r in rows if r["id"] not in seen_organizations]
                        seen_organizations.update(r["id"] for r in rows)
                    writers[table].writerows(rows)
            count += len(batch)
            last_id = batch[-1].id
            session.expunge_all()
    finally:
        for handle in handles.values():
            handle.close()
    (directory / "datapackage.json").write_text(json.dumps(_descriptor(), indent=2) + "\n")
    return count


def read_tables(directory: Path) -> dict[str, list[dict[str, str]]]:
    """Every table the datapackage lists (a missing optional table reads as empty)."""
    descriptor = json.loads((directory / "datapackage.json").read_text())
    paths = {r["name"]: r["path"] for r in descriptor.get("resources", [])}
    tables = {}
    for table in TABLES:
        path = directory / paths.get(table, f"{table}.csv")
        if not path.exists():
            tables[table] = []
            continue
        with path.open(newline="", encoding="utf-8-sig") as handle:
            tables[table] = list(csv.DictReader(handle))
    return tables
