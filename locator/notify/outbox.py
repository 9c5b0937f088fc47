"""The outbox: `enqueue` writes a message in the caller's transaction; `deliver` sends what is due.

Delivery is at least once and never loses a message. Each message is claimed with a conditional
UPDATE (so two senders, such as `flask outbox send` from cron and the send-after-commit hook, do not
both send it), sent, and marked sent, each step committed. A failure is retried with exponential
backoff (1 minute, 2, 4... up to 6 hours) and, after the last attempt, kept as `failed`. A claim
older than `STALE_CLAIM` (a sender that died mid-send) is taken up again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from locator.models import OutboxMessage, utcnow
from locator.notify.mail import Transport

log = logging.getLogger("locator.notify")

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=10)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def enqueue(session: Session, *, kind: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    message = OutboxMessage(kind=kind, recipient=recipient, subject=subject, body=body)
    session.add(message)
    session.flush()
    return message


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def _claimable(now: datetime):
    return or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM),
    )


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(status="sending", claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return claimed.rowcount == 1


def deliver(
    session: Session,
    transport: Transport,
    *,
    ids: Iterable[int] | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> DeliveryReport:
    """Send the messages that are due (or only `ids`, if given). Commits after every message."""
    now = now or utcnow()
    due = select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(limit)
    if ids is not None:
        due = due.where(OutboxMessage.id.in_(list(ids)))
    report = DeliveryReport()
    for message_id in session.scalars(due).all():
        if not _claim(session, message_id, now):
            continue  # another sender has it
        message = session.get(OutboxMessage, message_id, populate_existing=True)
        try:
            transport.send(message)
        except Exception as exc:  # any failure is retried, and the reason kept
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
                report.failed += 1
            else:
                message.status = "pending"
                message.next_attempt_at = now + retry_delay(message.attempts)
                report.retrying += 1
            log.warning("outbox message %s not sent (attempt %s): %s", message.id, message.attempts, type(exc).__name__)
        else:
            message.attempts += 1
            message.status = "sent"
            message.sent_at = utcnow()
            report.sent += 1
        session.commit()
    return report
