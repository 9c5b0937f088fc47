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

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from locator.models import OutboxMessage, Program, utcnow
from locator.notify.mail import Transport

log = logging.getLogger("locator.notify")

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=10)
#: A message due this long ago and still not sent: nothing is sending (is `flask outbox send` running?).
DELAYED_AFTER = timedelta(minutes=5)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def enqueue(
    session: Session, *, kind: str, recipient: str, subject: str, body: str, program: Program | None = None
) -> OutboxMessage:
    """A message to write now and send once committed; `program`: the program whose inbox `recipient` is."""
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        subject=subject,
        body=body,
        program_id=program.id if program is not None else None,
    )
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


@dataclass(frozen=True)
class Backlog:
    """What has not gone out: `delayed` (due over DELAYED_AFTER ago: nothing is sending), `retrying` (an attempt
    failed; the next is to come), `failed` (given up, kept for a person to send again)."""

    delayed: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def needs_attention(self) -> bool:
        """A person must act: start the sender, or correct an address and send again."""
        return bool(self.delayed or self.failed)


def _delayed(now: datetime):
    return and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at < now - DELAYED_AFTER)


def _unsent(now: datetime):
    """Messages a person may need to look at: delayed, retrying or failed (not those just written), read from
    the status index, never from the sent ones the outbox keeps for ever."""
    m = OutboxMessage
    return and_(m.status.in_(("pending", "failed")), or_(m.status == "failed", m.attempts > 0, _delayed(now)))


def backlog(session: Session, now: datetime) -> Backlog:
    """Counted on the status index: only the unsent are read."""
    m = OutboxMessage
    retrying = and_(m.status == "pending", m.attempts > 0, m.next_attempt_at >= now - DELAYED_AFTER)
    counts = select(
        func.count().filter(_delayed(now)), func.count().filter(retrying), func.count().filter(m.status == "failed")
    ).where(m.status.in_(("pending", "failed")))
    return Backlog(*session.execute(counts).one())


def unsent_select(now: datetime, limit: int = 100) -> Select:
    """The messages not sent (`_unsent`): those given up first, then the rest, each newest first. That is the
    status index's order (`failed` sorts before `pending`), so SQLite does not walk every sent message by id."""
    order = (OutboxMessage.status, OutboxMessage.id.desc())
    return select(OutboxMessage).where(_unsent(now)).order_by(*order).limit(limit)


def unsent(session: Session, now: datetime, limit: int = 100) -> list[OutboxMessage]:
    return list(session.scalars(unsent_select(now, limit)))


def failed_to(session: Session, program_id: int) -> int:
    """How many notices to a program's inbox were given up (on the program index)."""
    failed = (OutboxMessage.program_id == program_id, OutboxMessage.status == "failed")
    return session.scalar(select(func.count()).select_from(OutboxMessage).where(*failed)) or 0


def send_again(session: Session, now: datetime, message_id: int | None = None) -> int:
    """Put failed messages (one, or every one) back to be sent now, with their attempts counted afresh and their
    last error kept. A notice to a program goes to the inbox the program has now, corrected perhaps since it
    failed. Returns how many."""
    inbox = select(Program.email).where(Program.id == OutboxMessage.program_id, Program.email != "")
    again = update(OutboxMessage).where(OutboxMessage.status == "failed")
    if message_id is not None:
        again = again.where(OutboxMessage.id == message_id)
    values = {
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "recipient": func.coalesce(inbox.scalar_subquery(), OutboxMessage.recipient),
    }
    return session.execute(again.values(values).execution_options(synchronize_session=False)).rowcount
