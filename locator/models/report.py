from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from locator.models.base import Base, UTCDateTime, utcnow
from locator.models.checks import one_of
from locator.models.program import Program

REPORT_KINDS = ("phone", "address", "closed", "services", "availability", "other")
REPORT_STATUSES = ("open", "resolved", "dismissed")


class ListingReport(Base):
    """'Report a problem with this listing', from the public program page; staff work them."""

    __tablename__ = "listing_report"
    __table_args__ = (
        CheckConstraint(one_of("kind", REPORT_KINDS), name="kind"),
        CheckConstraint(one_of("status", REPORT_STATUSES), name="status"),
        Index("ix_listing_report_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    program: Mapped[Program] = relationship()
