"""Intake requests: what a person asked for, how it was triaged and where it was routed.

Who the person is and everything they told us about their health is encrypted at rest (`name`,
`phone`, `email`, `answers`). Only what the queues sort and filter on stays readable: urgency,
status, the program it is routed to and the level of care asked for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from locator.hours import NETWORK_TIMEZONE
from locator.models.base import Base, UTCDateTime, utcnow
from locator.models.checks import one_of
from locator.models.encrypted import EncryptedJSON, EncryptedText
from locator.models.program import Program
from locator.models.staff import StaffUser
from locator.taxonomy import LEVELS

URGENCIES = ("urgent", "high", "routine")  # in order: `priority` is the position
STATUSES = ("new", "contacted", "screening", "scheduled", "admitted", "referred", "declined", "closed")
CLOSED_STATUSES = ("admitted", "referred", "declined", "closed")
#: How the request found its queue: the program the person chose, the nearest suitable one, or the
#: network-wide queue when neither applied; or staff, who took it on a call, put it in a queue.
ROUTES = ("chosen", "nearest", "network", "staff")
#: `urgency`: staff triaged the request again; `review`: staff checked a request flagged as perhaps automated;
#: `details`: staff corrected how to reach the person.
EVENT_KINDS = ("status", "note", "contact", "assignment", "referral", "urgency", "review", "details")
CONTACT_METHODS = ("phone", "text", "email", "in_person")
CONTACT_OUTCOMES = ("reached", "voicemail", "no_answer", "message_sent", "wrong_number")

_PRIORITY_MATCHES_URGENCY = " OR ".join(f"(urgency = '{u}' AND priority = {i})" for i, u in enumerate(URGENCIES))


class IntakeRequest(Base):
    __tablename__ = "intake_request"
    __table_args__ = (
        CheckConstraint(one_of("urgency", URGENCIES), name="urgency"),
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint(one_of("routed_by", ROUTES), name="routed_by"),
        CheckConstraint(f"level IS NULL OR {one_of('level', LEVELS)}", name="level"),
        CheckConstraint("length(reference) = 8", name="reference_shape"),
        CheckConstraint("routed_by <> 'network' OR program_id IS NULL", name="network_has_no_program"),
        CheckConstraint(_PRIORITY_MATCHES_URGENCY, name="priority_matches_urgency"),
        CheckConstraint("contact_due_at > created_at", name="contact_due_after_created"),
        # The queue: a program's (or every) request by status, most urgent first, oldest first; a page's ids read
        # from the index alone (SQLite's indexes hold the id, the rowid, already).
        Index(
            "ix_intake_request_program_queue",
            *("program_id", "status", "priority", "created_at"),
            postgresql_include=["id"],
        ),
        Index("ix_intake_request_queue", "status", "priority", "created_at", postgresql_include=["id"]),
        Index("ix_intake_request_assigned_to_id", "assigned_to_id"),
        # Reports: a program's (or every) request over a period, with all the reports count, read from the
        # index alone.
        Index(
            "ix_intake_request_report",
            *("program_id", "created_at", "urgency", "level", "status", "first_contact_at", "contact_due_at"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    urgency: Mapped[str] = mapped_column(String(10))
    priority: Mapped[int] = mapped_column(SmallInteger)  # 0 urgent, 1 high, 2 routine: the queue's order
    status: Mapped[str] = mapped_column(String(20), default="new")
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"))
    level: Mapped[str | None] = mapped_column(String(20))
    routed_by: Mapped[str] = mapped_column(String(10))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    #: Set by the honeypot or a too-fast submission: a person checks it; it is never dropped.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reason: Mapped[str] = mapped_column(String(100), default="")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    #: When the first contact is due: the target for its urgency when it came in, business days counted
    #: in its program's time zone. Kept, so a changed target or a referral does not move it; only staff
    #: changing the urgency before the first contact does (see `workflow.change_urgency`).
    contact_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last attempt to reach them found the number or address wrong, and nobody has corrected it since:
    #: set by every contact attempt and cleared by a correction (`workflow`), read on the queue's lines.
    contact_found_wrong: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Bumped by every change: two people saving the same request at once cannot overwrite each other.
    version: Mapped[int] = mapped_column(Integer)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read once by SQLAlchemy)

    name: Mapped[str] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)  # E.164
    email: Mapped[str | None] = mapped_column(EncryptedText)
    answers: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)

    program: Mapped[Program | None] = relationship()
    assigned_to: Mapped[StaffUser | None] = relationship()
    events: Mapped[list[IntakeEvent]] = relationship(
        back_populates="intake_request", cascade="all, delete-orphan", order_by="IntakeEvent.id"
    )

    @validates("urgency")
    def _set_priority(self, _key: str, urgency: str) -> str:
        self.priority = URGENCIES.index(urgency)
        return urgency

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def urgency_received(self) -> str:
        """The urgency the answers gave it, before any staff triage (in `events`)."""
        return next((e.from_urgency for e in self.events if e.kind == "urgency"), self.urgency)

    @property
    def timezone(self) -> str:
        """Where business days are counted: the program's time zone, or the network's."""
        return self.program.timezone if self.program else NETWORK_TIMEZONE


class IntakeEvent(Base):
    """The history of a request: append-only, one row per status change, note, contact, assignment, referral."""

    __tablename__ = "intake_event"
    __table_args__ = (
        CheckConstraint(one_of("kind", EVENT_KINDS), name="kind"),
        CheckConstraint(f"from_status IS NULL OR {one_of('from_status', STATUSES)}", name="from_status"),
        CheckConstraint(f"to_status IS NULL OR {one_of('to_status', STATUSES)}", name="to_status"),
        CheckConstraint(f"contact_method IS NULL OR {one_of('contact_method', CONTACT_METHODS)}", name="method"),
        CheckConstraint(f"contact_outcome IS NULL OR {one_of('contact_outcome', CONTACT_OUTCOMES)}", name="outcome"),
        CheckConstraint(
            "kind <> 'contact' OR (contact_method IS NOT NULL AND contact_outcome IS NOT NULL)", name="contact"
        ),
        CheckConstraint("kind <> 'status' OR to_status IS NOT NULL", name="status_change"),
        CheckConstraint(f"from_urgency IS NULL OR {one_of('from_urgency', URGENCIES)}", name="from_urgency"),
        CheckConstraint(f"to_urgency IS NULL OR {one_of('to_urgency', URGENCIES)}", name="to_urgency"),
        CheckConstraint("kind <> 'urgency' OR (from_urgency IS NOT NULL AND to_urgency IS NOT NULL)", name="triage"),
        CheckConstraint("kind <> 'details' OR previous IS NOT NULL", name="details"),
        Index("ix_intake_event_request", "intake_request_id", "id"),
        Index("ix_intake_event_kind_created", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_request_id: Mapped[int] = mapped_column(ForeignKey("intake_request.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    contact_method: Mapped[str | None] = mapped_column(String(20))
    contact_outcome: Mapped[str | None] = mapped_column(String(20))
    from_urgency: Mapped[str | None] = mapped_column(String(10))
    to_urgency: Mapped[str | None] = mapped_column(String(10))
    #: Assignment: who it went to. Referral: the program it left (the request holds the new one).
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    from_program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"))
    to_program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    #: Details: what the corrected fields held before (`None`: nothing), encrypted as the request's own are.
    previous: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)

    intake_request: Mapped[IntakeRequest] = relationship(back_populates="events")
    actor: Mapped[StaffUser | None] = relationship(foreign_keys=[actor_id])
    assigned_to: Mapped[StaffUser | None] = relationship(foreign_keys=[assigned_to_id])
    from_program: Mapped[Program | None] = relationship(foreign_keys=[from_program_id])
    to_program: Mapped[Program | None] = relationship(foreign_keys=[to_program_id])


class IntakeSearchToken(Base):
    """Keyed hashes of a request's name words and phone number: staff search without decrypting every row."""

    __tablename__ = "intake_search_token"
    __table_args__ = (Index("ix_intake_search_token_token", "token"),)

    intake_request_id: Mapped[int] = mapped_column(
        ForeignKey("intake_request.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
