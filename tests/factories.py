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


PASSWORD = "correct horse battery staple"
_password_hash: list[str] = []


def staff(session: Session, role: str = "coordinator", programs=(), **fields):
    """A staff account whose password is PASSWORD (hashed once per test run: argon2 is slow on purpose)."""
    from locator.models import StaffUser
    from locator.staff.passwords import hash_password

    if not _password_hash:
        _password_hash.append(hash_password(PASSWORD))
    n = next(_numbers)
    values = {"email": f"{role}{n}@example.org", "name": f"{role.title()} {n}", "role": role} | fields
    user = StaffUser(password_hash=_password_hash[0], programs=list(programs), **values)
    session.add(user)
    session.flush()
    return user


def intake_request(session: Session, program=None, **fields):
    """A stored intake request (as the form would make it), with its search tokens."""
    from locator.config import current_settings
    from locator.intake.reference import new_reference
    from locator.intake.search_index import tokens_for
    from locator.intake.targets import due_at
    from locator.models import IntakeRequest, IntakeSearchToken, utcnow

    values = {
        "reference": new_reference(),
        "idempotency_key": f"key-{next(_numbers)}",
        "urgency": "routine",
        "routed_by": "chosen" if program is not None else "network",
        "program": program,
        "name": "Dana Lee",
        "phone": "+16145550123",
        "email": None,
        "answers": {"for_whom": "self", "contact_method": "phone", "contact_time": "any", "language": "en"},
    } | fields
    request = IntakeRequest(**values)
    if request.contact_due_at is None:  # as the form sets it
        request.created_at = request.created_at or utcnow()
        target = current_settings().contact_target(request.urgency)
        request.contact_due_at = due_at(request.created_at, target, request.timezone)
    session.add(request)
    session.flush()
    session.add_all(
        IntakeSearchToken(intake_request_id=request.id, token=t)
        for t in tokens_for("test-index-key", request.name, request.phone)
    )
    session.flush()
    return request
