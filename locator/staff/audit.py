"""Writing the audit trail: one call per view, change, export or sign-in, committed with the change."""

from __future__ import annotations

from collections.abc import Iterable

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import insert
from sqlalchemy.orm import Session

from locator.models import AuditEvent, StaffUser, utcnow

#: Where an event written by a `flask` command came from, in place of a client address.
COMMAND_LINE = "command line"


def record(
    db: Session,
    action: str,
    target_type: str = "",
    target_id: object = "",
    detail: str = "",
    actor: StaffUser | None = None,
    actor_email: str = "",
) -> AuditEvent:
    """Add an audit event for the current request, or a command's (flushed with the caller's transaction)."""
    event = AuditEvent(**_columns(action, target_type, target_id, detail, actor, actor_email))
    db.add(event)
    db.flush()
    return event


def record_each(db: Session, action: str, target_type: str, target_ids: Iterable[object], detail: str = "") -> None:
    """Add the same event for each of many records (a command acting on a batch), in one INSERT."""
    columns = _columns(action, target_type, "", detail)
    rows = [columns | {"target_id": str(target_id)[:64]} for target_id in target_ids]
    if rows:  # an INSERT given no rows would write one of defaults
        db.execute(insert(AuditEvent), rows)


def _columns(
    action: str,
    target_type: str,
    target_id: object,
    detail: str,
    actor: StaffUser | None = None,
    actor_email: str = "",
) -> dict[str, object]:
    in_request = has_request_context()
    if actor is None and in_request and current_user.is_authenticated:
        actor = current_user
    return {
        "at": utcnow(),
        "actor_id": actor.id if actor is not None else None,
        "actor_email": (actor.email if actor is not None else actor_email)[:254],
        "action": action,
        "target_type": target_type,
        "target_id": str(target_id)[:64],
        "client_address": (request.remote_addr or "")[:64] if in_request else COMMAND_LINE,
        "detail": detail[:300],
    }
