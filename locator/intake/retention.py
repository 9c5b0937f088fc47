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

#: Requests deleted per transaction. Each statement then names at most this many ids, far below the drivers'
#: limits on parameters (65,535 for PostgreSQL's protocol), and no transaction holds its locks for long.
BATCH = 1000


def purge(session: Session, closed_before: datetime, dry_run: bool = False) -> int:
    """How many closed requests are past retention; unless `dry_run`, they are deleted, each with its audit event.

    Deleted a batch to a transaction, committed here: a purge cut short keeps the batches it finished,
    and the next one carries on from there."""
    expired = session.execute(
        select(IntakeRequest.id, IntakeRequest.reference)
        .where(IntakeRequest.status.in_(CLOSED_STATUSES), IntakeRequest.closed_at < closed_before)
        .order_by(IntakeRequest.id)
    ).all()
    if dry_run:
        return len(expired)
    detail = f"closed before {closed_before:%Y-%m-%d}"
    for start in range(0, len(expired), BATCH):
        batch = expired[start : start + BATCH]
        ids = [id_ for id_, _ in batch]
        for table, column in (
            (IntakeEvent, IntakeEvent.intake_request_id),
            (IntakeSearchToken, IntakeSearchToken.intake_request_id),
            (IntakeRequest, IntakeRequest.id),
        ):
            session.execute(delete(table).where(column.in_(ids)))
        audit.record_each(session, "intake.purge", "intake_request", [reference for _, reference in batch], detail)
        session.commit()
    return len(expired)
