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


def purge(session: Session, closed_before: datetime, dry_run: bool = False) -> list[str]:
    """The references of the closed requests past retention, deleted unless `dry_run`."""
    expired = list(
        session.execute(
            select(IntakeRequest.id, IntakeRequest.reference).where(
                IntakeRequest.status.in_(CLOSED_STATUSES), IntakeRequest.closed_at < closed_before
            )
        )
    )
    if not dry_run and expired:
        ids = [id_ for id_, _ in expired]
        for table, column in (
            (IntakeEvent, IntakeEvent.intake_request_id),
            (IntakeSearchToken, IntakeSearchToken.intake_request_id),
        ):
            session.execute(delete(table).where(column.in_(ids)))
        session.execute(delete(IntakeRequest).where(IntakeRequest.id.in_(ids)))
    return [reference for _, reference in expired]
