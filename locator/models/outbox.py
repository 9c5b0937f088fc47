"""Notifications, written in the same transaction as the change that causes them.

A message is `pending` until a sender claims it (`sending`), then `sent`; a failed attempt puts it
back to `pending` with a later `next_attempt_at`; after the last attempt it stays as `failed`, kept
for a person to look at. Nothing is ever deleted by delivery.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from locator.models.base import Base, UTCDateTime, utcnow
from locator.models.checks import one_of

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(one_of("status", OUTBOX_STATUSES), name="status"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_outbox_message_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    #: The program whose inbox `recipient` is, for a notice to a program: sent again, it goes to the inbox the
    #: program has then, corrected perhaps since it failed.
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")
