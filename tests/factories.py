"""Small builders for test data. Each test adds only what it needs."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from locator.models import Attribute, Program, ProgramLevel

_numbers = itertools.count(1)


def program(session: Session, **fields) -> Program:
    n = next(_numbers)
    values = {
        "slug": f"test-program-{n}",
        "name": f"Test Program {n}",
        "street1": f"{n} Test Street",
        "city": "Louisville",
        "state": "KY",
        "zip": "40202",
        "lat": 38.2507,
        "lon": -85.7476,
        "source": "test",
        "source_id": str(n),
    } | fields
    levels = values.pop("levels", [])
    attributes = values.pop("attributes", [])
    record = Program(**values)
    record.levels = [ProgramLevel(**lvl) for lvl in levels]
    record.attributes = attributes
    session.add(record)
    session.flush()
    return record


def attribute(session: Session, category: str, code: str, label: str | None = None) -> Attribute:
    record = Attribute(category=category, code=code, label=label or code)
    session.add(record)
    session.flush()
    return record
