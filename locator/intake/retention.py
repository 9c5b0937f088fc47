"""Retention: closed requests are deleted once their retention period is over (`flask intakes purge`).

Its history and search tokens go with it. The audit trail keeps its rows, and gains one for each request
deleted: they name the reference, never the person.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from locator.models import IntakeEvent, IntakeRequest, IntakeSearchToken
from locator.models.intake import CLOSED_STATUSES
from locator.staff import audit


def purge(session: Session, closed_before: datetime, dry_run: bool = False) -> int:
    """How many closed requests are past retention; unless `dry_run`, they are deleted, each with its audit event."""
    expired = session.execute(
        select(IntakeRequest.id, IntakeRequest.reference).where(
            IntakeRequest.status.in_(CLOSED_STATUSES), IntakeRequest.closed_at < closed_before
        )
    ).all()
    if not dry_run and expired:
        ids = [id_ for id_, _ in expired]
        for table, column in (
            (IntakeEvent, IntakeEvent.intake_request_id),
            (IntakeSearchToken, IntakeSearchToken.intake_request_id),
        ):
            session.execute(delete(table).where(column.in_(ids)))
        session.execute(delete(IntakeRequest).where(IntakeRequest.id.in_(ids)))
        for _, reference in expired:
            audit.record(
                session, "intake.purge", "intake_request", reference, f"closed before {closed_before:%Y-%m-%d}"
            )
    return len(expired)
