"""Writing the audit trail: one call per view, change, export or sign-in, committed with the change."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy.orm import Session

from locator.models import AuditEvent, StaffUser, utcnow


def record(
    db: Session,
    action: str,
    target_type: str = "",
    target_id: object = "",
    detail: str = "",
    actor: StaffUser | None = None,
    actor_email: str = "",
) -> AuditEvent:
    """Add an audit event for the current request (flushed with the caller's transaction)."""
    who = actor if actor is not None else (current_user if current_user.is_authenticated else None)
    event = AuditEvent(
        at=utcnow(),
        actor_id=who.id if who is not None else None,
        actor_email=(who.email if who is not None else actor_email)[:254],
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:64],
        client_address=(request.remote_addr or "")[:64],
        detail=detail[:300],
    )
    db.add(event)
    db.flush()
    return event
