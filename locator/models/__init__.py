"""The data model. Importing this package registers every table on `Base.metadata`."""

from locator.models.audit import AuditEvent
from locator.models.base import Base, UTCDateTime, utcnow
from locator.models.intake import IntakeEvent, IntakeRequest, IntakeSearchToken
from locator.models.organization import Organization
from locator.models.outbox import OutboxMessage
from locator.models.program import Program, ProgramHours, ProgramLevel
from locator.models.report import ListingReport
from locator.models.staff import StaffSession, StaffUser, staff_program
from locator.models.taxonomy import Attribute, program_attribute

__all__ = [
    "Attribute",
    "AuditEvent",
    "Base",
    "IntakeEvent",
    "IntakeRequest",
    "IntakeSearchToken",
    "ListingReport",
    "Organization",
    "OutboxMessage",
    "Program",
    "ProgramHours",
    "ProgramLevel",
    "StaffSession",
    "StaffUser",
    "UTCDateTime",
    "program_attribute",
    "staff_program",
    "utcnow",
]
