from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from locator.models.base import Base
from locator.models.checks import one_of
from locator.taxonomy import ATTRIBUTE_CATEGORIES

program_attribute = Table(
    "program_attribute",
    Base.metadata,
    Column("program_id", ForeignKey("program.id", ondelete="CASCADE"), primary_key=True),
    Column("attribute_id", ForeignKey("attribute.id", ondelete="CASCADE"), primary_key=True),
    # Search filters ask "which programs carry attribute X": index it from that side too.
    Index("ix_program_attribute_attribute_program", "attribute_id", "program_id"),
)


class Attribute(Base):
    """One term of the taxonomy (payment, population, language, ...), attached to programs."""

    __tablename__ = "attribute"
    __table_args__ = (
        UniqueConstraint("category", "code"),
        CheckConstraint(one_of("category", ATTRIBUTE_CATEGORIES), name="category"),
        CheckConstraint("length(code) > 0", name="code_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Attribute {self.category}:{self.code}>"
