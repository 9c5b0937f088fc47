from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from locator.models.base import Base

if TYPE_CHECKING:
    from locator.models.program import Program


class Organization(Base):
    """The provider that runs one or more program sites."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Its id in open data (the HSDS `organization` id): random, so no two networks' ids collide.
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), index=True)
    website: Mapped[str] = mapped_column(String(300), default="")

    programs: Mapped[list[Program]] = relationship(back_populates="organization")

    def __repr__(self) -> str:
        return f"<Organization {self.name!r}>"
