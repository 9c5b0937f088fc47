"""The queue as CSV for staff: spreadsheet formulas neutralised, the 42 CFR Part 2 notice on top."""

from __future__ import annotations

import csv
import io

from flask import Response

from locator.models import IntakeRequest
from locator.spreadsheet import spreadsheet_safe

#: 42 CFR 2.32: the notice that must go with any disclosure of substance use disorder records.
REDISCLOSURE_NOTICE = (
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records. "
    "This information has been disclosed to you from records protected by federal confidentiality rules "
    "(42 CFR part 2). The federal rules prohibit you from making any further disclosure of information in "
    "this record that identifies a patient as having or having had a substance use disorder either directly, "
    "by reference to publicly available information, or through verification of such identification by another "
    "person unless further disclosure is expressly permitted by the written consent of the individual whose "
    "information is being disclosed or as otherwise permitted by 42 CFR part 2."
)

#: At most this many requests in one file, most urgent and oldest first: a file of names and phone numbers is
#: a disclosure, so a larger one is a choice made with narrower filters, and the file and the page say so.
LIMIT = 10_000

COLUMNS = (
    "reference",
    "created_at",
    "urgency",
    "status",
    "program",
    "level",
    "assigned_to",
    "first_contact_at",
    "due_at",
    "name",
    "phone",
    "email",
    "contact_method",
    "contact_time",
    "voicemail_ok",
    "text_ok",
    "needs_review",
)


def rows(requests: list[IntakeRequest]) -> list[list[str]]:
    out = []
    for r in requests:
        answers = r.answers
        values = {
            "reference": r.reference,
            "created_at": r.created_at.isoformat(timespec="minutes"),
            "urgency": r.urgency,
            "status": r.status,
            "program": r.program.name if r.program else "",
            "level": r.level or "",
            "assigned_to": r.assigned_to.email if r.assigned_to else "",
            "first_contact_at": r.first_contact_at.isoformat(timespec="minutes") if r.first_contact_at else "",
            "due_at": r.contact_due_at.isoformat(timespec="minutes"),
            "name": r.name,
            "phone": r.phone or "",
            "email": r.email or "",
            "contact_method": answers.get("contact_method", ""),
            "contact_time": answers.get("contact_time", ""),
            "voicemail_ok": answers.get("voicemail_ok", ""),
            "text_ok": answers.get("text_ok", ""),
            "needs_review": "yes" if r.needs_review else "",
        }
        out.append([spreadsheet_safe(values[column]) for column in COLUMNS])
    return out


def csv_response(requests: list[IntakeRequest], matching: int) -> Response:
    """`requests` are the first of `matching` requests that match the filters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([REDISCLOSURE_NOTICE])
    if matching > len(requests):
        writer.writerow(
            [
                f"This file holds the first {len(requests):,} of the {matching:,} matching requests, most urgent "
                "and oldest first. Narrow the filters (for example by date) to export the rest."
            ]
        )
    writer.writerow([])
    writer.writerow(COLUMNS)
    writer.writerows(rows(requests))
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="intake-requests.csv"'
    return response
