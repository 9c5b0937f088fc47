from __future__ import annotations

import string
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from locator.hours import NETWORK_TIMEZONE
from locator.models.base import Base, UTCDateTime, utcnow
from locator.models.checks import digits, one_of, quoted, upper_letters
from locator.models.taxonomy import Attribute, program_attribute
from locator.taxonomy import CAPACITY_UNITS, LEVELS

if TYPE_CHECKING:
    from locator.models.organization import Organization


#: What a slug is made of: it is a URL path segment, the same on every page, API and export.
SLUG_CHARACTERS = string.ascii_lowercase + string.digits + "-"


def is_slug(text: str) -> bool:
    return bool(text) and not text.strip(SLUG_CHARACTERS)


class Program(Base):
    """One site where care is given."""

    __tablename__ = "program"
    __table_args__ = (
        CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
        CheckConstraint(upper_letters("state", 2), name="state_shape"),
        CheckConstraint(digits("zip", 5), name="zip_shape"),
        CheckConstraint("length(slug) > 0", name="slug_not_empty"),
        CheckConstraint(f"ltrim(slug, '{SLUG_CHARACTERS}') = ''", name="slug_shape"),
        UniqueConstraint("source", "source_id"),
        # The search narrows candidates with a latitude band, then longitude, on this index.
        Index("ix_program_lat_lon", "lat", "lon"),
        # A search without a place lists the directory in this order.
        Index("ix_program_state_city_name", "state", "city", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Its id in open data (the HSDS `service` id, which HSDS requires to be a UUID): random, so no
    #: two networks' ids collide, and kept when the slug or the name changes.
    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"), index=True)
    street1: Mapped[str] = mapped_column(String(200), default="")
    street2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(5))
    county: Mapped[str] = mapped_column(String(100), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(32), default="")
    intake_phone: Mapped[str] = mapped_column(String(32), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default=NETWORK_TIMEZONE)
    accepting_new: Mapped[bool] = mapped_column(Boolean, default=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(40), default="manual")
    source_id: Mapped[str | None] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    #: The source's own service codes (SAMHSA's, lower case, space-separated), mapped or not: kept so
    #: nothing an import read is lost, and so a richer taxonomy can map them later.
    service_codes: Mapped[str | None] = mapped_column(Text)
    #: SHA-256 of the imported record: an unchanged row is recognised without comparing every field.
    import_hash: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization | None] = relationship(back_populates="programs")
    levels: Mapped[list[ProgramLevel]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="ProgramLevel.id"
    )
    hours: Mapped[list[ProgramHours]] = relationship(
        back_populates="program",
        cascade="all, delete-orphan",
        order_by="(ProgramHours.weekday, ProgramHours.opens_minute)",
    )
    attributes: Mapped[list[Attribute]] = relationship(
        secondary=program_attribute, order_by="(Attribute.category, Attribute.code)"
    )

    def __repr__(self) -> str:
        return f"<Program {self.slug}>"


def _level_setting_pairs() -> str:
    return " OR ".join(
        f"(level = '{level.code}' AND setting IN ({quoted(s.code for s in level.settings)}))"
        for level in LEVELS.values()
    )


class ProgramLevel(Base):
    """A level of care a program offers, with its capacity in the HSDS 3.1 `service_capacity` shape."""

    __tablename__ = "program_level"
    __table_args__ = (
        UniqueConstraint("program_id", "level", "setting"),
        CheckConstraint(one_of("level", LEVELS), name="level"),
        CheckConstraint(_level_setting_pairs(), name="setting_matches_level"),
        CheckConstraint(one_of("capacity_unit", CAPACITY_UNITS), name="capacity_unit"),
        CheckConstraint("capacity_available >= 0", name="available_not_negative"),
        CheckConstraint("capacity_maximum >= 0", name="maximum_not_negative"),
        CheckConstraint("capacity_available <= capacity_maximum", name="available_within_maximum"),
        Index("ix_program_level_level_program", "level", "program_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    setting: Mapped[str] = mapped_column(String(40))
    capacity_available: Mapped[int | None] = mapped_column(Integer)
    capacity_maximum: Mapped[int | None] = mapped_column(Integer)
    capacity_unit: Mapped[str] = mapped_column(String(10), default="bed")
    capacity_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    capacity_updated_by: Mapped[str] = mapped_column(String(200), default="")

    program: Mapped[Program] = relationship(back_populates="levels")

    def __repr__(self) -> str:
        return f"<ProgramLevel {self.level}/{self.setting}>"


class ProgramHours(Base):
    """One opening period of a program's weekly schedule, in the program's own time zone.

    Minutes from midnight; `closes_minute` 1440 means "until midnight". Open all day every day is
    seven rows of 0-1440.
    """

    __tablename__ = "program_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens_minute >= 0 AND closes_minute <= 1440", name="minute_range"),
        CheckConstraint("opens_minute < closes_minute", name="opens_before_closes"),
    )

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), primary_key=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    opens_minute: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    closes_minute: Mapped[int] = mapped_column(SmallInteger)

    program: Mapped[Program] = relationship(back_populates="hours")
