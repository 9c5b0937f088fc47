"""Who may see what: roles for pages, programs for requests.

- admin: everything, including the network-wide queue and staff accounts;
- coordinator: the requests of the programs they cover (another program's request is a 404);
- manager: availability of the programs they cover; no intake requests.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session

from locator.models import IntakeRequest, Program, StaffUser, staff_program

QUEUE_ROLES = ("admin", "coordinator")
EXPORT_ROLES = ("admin", "coordinator")


def roles(*allowed: str) -> Callable:
    """Refuse (403) a signed-in user whose role is not one of `allowed`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def program_ids(user: StaffUser) -> set[int]:
    return {program.id for program in user.programs}


def visible_requests(user: StaffUser) -> ColumnElement[bool]:
    """The SQL condition for the requests `user` may see."""
    if user.role == "admin":
        return true()
    if user.role == "coordinator" and (ids := program_ids(user)):
        return IntakeRequest.program_id.in_(ids)
    return false()


def network_programs() -> Select:
    """The network's own programs, which staff work: added by hand or seeded (not directory imports),
    or covered by someone. A national import of thousands of listings does not fill staff menus."""
    covered = select(staff_program.c.program_id)
    return (
        select(Program)
        .where(or_(Program.import_hash.is_(None), Program.id.in_(covered)))
        .order_by(Program.name, Program.city)
    )


def queue_programs(session: Session, user: StaffUser) -> list[Program]:
    """The programs whose queues `user` works: an admin's are the network's own."""
    if user.role == "admin":
        return list(session.scalars(network_programs()))
    return list(user.programs)


def can_manage_program(user: StaffUser, program_id: int) -> bool:
    return user.role == "admin" or (user.role == "manager" and program_id in program_ids(user))
