"""The data model. Importing this package registers every table on `Base.metadata`."""

from locator.models.base import Base, UTCDateTime, utcnow
from locator.models.intake import IntakeRequest
from locator.models.organization import Organization
from locator.models.outbox import OutboxMessage
from locator.models.program import Program, ProgramHours, ProgramLevel
from locator.models.report import ListingReport
from locator.models.taxonomy import Attribute, program_attribute

__all__ = [
    "Attribute",
    "Base",
    "IntakeRequest",
    "ListingReport",
    "Organization",
    "OutboxMessage",
    "Program",
    "ProgramHours",
    "ProgramLevel",
    "UTCDateTime",
    "program_attribute",
    "utcnow",
]
