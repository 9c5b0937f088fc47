"""Importers: each reads one kind of file into ProgramRecords, with every rejected row explained.

| format | reads |
|---|---|
| `findtreatment-csv` | FindTreatment.gov's "Facility listing" export (17 columns, then a column per service code) |
| `findtreatment-json` | pages of the FindTreatment.gov locator's JSON (`rows[]` with `services`) |
| `csv` | a plain facility list: name, address and coordinates under any of the usual column names |
| `hsds` | an Open Referral HSDS 3.1 tabular datapackage (a folder), as `programs export-hsds` writes |
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from locator.directory.codes import CodeTally
from locator.directory.records import ProgramRecord


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass
class Parsed:
    records: list[ProgramRecord] = field(default_factory=list)
    rows: int = 0  # data rows read
    merged: int = 0  # rows folded into the program of an earlier row (the same site)
    rejected: list[Rejected] = field(default_factory=list)
    codes: CodeTally = field(default_factory=CodeTally)


def site_key(*parts: str) -> str:
    """A stable id for a source without one: its normalised name and address."""
    normal = "|".join(" ".join(p.lower().split()) for p in parts)
    return hashlib.sha256(normal.encode()).hexdigest()[:24]


class FileFormatError(ValueError):
    """The file as a whole cannot be read (not one bad row: those are rejected and reported)."""


FORMATS = ("findtreatment-csv", "findtreatment-json", "csv", "hsds")


def formats() -> dict[str, Callable[..., Parsed]]:
    from locator.directory.importers import findtreatment, hsds, plain_csv

    return {
        "findtreatment-csv": findtreatment.read_csv,
        "findtreatment-json": findtreatment.read_json,
        "csv": plain_csv.read,
        "hsds": hsds.read,
    }


def read(path: Path, fmt: str, **options) -> Parsed:
    return formats()[fmt](path, **options)
