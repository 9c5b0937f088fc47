"""Intake requests: what a person asked for, how it was triaged and where it was routed.

Who the person is and everything they told us about their health is encrypted at rest (`name`,
`phone`, `email`, `answers`). Only what the queues sort and filter on stays readable: urgency,
status, the program it is routed to and the level of care asked for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from locator.models.base import Base, UTCDateTime, utcnow
from locator.models.checks import one_of
from locator.models.encrypted import EncryptedJSON, EncryptedText
from locator.models.program import Program
from locator.taxonomy import LEVELS

URGENCIES = ("urgent", "high", "routine")
STATUSES = ("new", "contacted", "screening", "scheduled", "admitted", "referred", "declined", "closed")
CLOSED_STATUSES = ("admitted", "referred", "declined", "closed")
#: How the request found its queue: the program the person chose, the nearest suitable one, or the
#: network-wide queue when neither applied.
ROUTES = ("chosen", "nearest", "network")


class IntakeRequest(Base):
    __tablename__ = "intake_request"
    __table_args__ = (
        CheckConstraint(one_of("urgency", URGENCIES), name="urgency"),
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint(one_of("routed_by", ROUTES), name="routed_by"),
        CheckConstraint(f"level IS NULL OR {one_of('level', LEVELS)}", name="level"),
        CheckConstraint("length(reference) = 8", name="reference_shape"),
        CheckConstraint("routed_by <> 'network' OR program_id IS NULL", name="network_has_no_program"),
        Index("ix_intake_request_program_status_created", "program_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    urgency: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="new")
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"))
    level: Mapped[str | None] = mapped_column(String(20))
    routed_by: Mapped[str] = mapped_column(String(10))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    #: Set by the honeypot or a too-fast submission: a person checks it; it is never dropped.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reason: Mapped[str] = mapped_column(String(100), default="")
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    name: Mapped[str] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)  # E.164
    email: Mapped[str | None] = mapped_column(EncryptedText)
    answers: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)

    program: Mapped[Program | None] = relationship()
