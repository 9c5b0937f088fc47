"""What staff do to a request, as operations that add to its history and flush (never commit).

Statuses move forward one step at a time, `new` -> `contacted` -> `screening` -> `scheduled` ->
`admitted`, and any open request may end as `referred` (sent to care outside the network),
`declined` or `closed`. Referring to another program *of the network* is not a status: the request
moves to that program's queue, keeps its status and history, and waits to be claimed again.

Staff may also triage a request again (its urgency, and with it its place in the queue and, before the
first contact, when that contact is due), clear the flag on one that looked automated once a person
has checked it, and correct how to reach the person (the history keeps what it was).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from locator.intake.search_index import index_rows
from locator.intake.targets import due_at
from locator.models import IntakeEvent, IntakeRequest, IntakeSearchToken, Program, StaffUser
from locator.models.intake import CLOSED_STATUSES, URGENCIES

FORWARD = {"new": "contacted", "contacted": "screening", "screening": "scheduled", "scheduled": "admitted"}
EXITS = ("referred", "declined", "closed")
#: How to reach the person, as staff may correct it: the request's own columns, then answers.
CONTACT_COLUMNS = ("name", "phone", "email")
CONTACT_ANSWERS = ("contact_method", "contact_time", "voicemail_ok", "text_ok")


class WorkflowError(ValueError):
    """The change is not allowed from the request's current state (the message is shown to staff)."""


def allowed_statuses(status: str) -> tuple[str, ...]:
    if status in CLOSED_STATUSES:
        return ()
    return (FORWARD[status], *EXITS)


def _event(request: IntakeRequest, actor: StaffUser, kind: str, now: datetime, **fields) -> IntakeEvent:
    event = IntakeEvent(kind=kind, actor_id=actor.id, created_at=now, **fields)
    request.events.append(event)
    request.updated_at = now
    return event


def change_status(
    session: Session, request: IntakeRequest, actor: StaffUser, to_status: str, now: datetime, note: str = ""
) -> IntakeEvent:
    if to_status not in allowed_statuses(request.status):
        raise WorkflowError(f"A request that is {request.status} cannot become {to_status}.")
    event = _event(request, actor, "status", now, from_status=request.status, to_status=to_status, note=note or None)
    request.status = to_status
    if to_status in CLOSED_STATUSES:
        request.closed_at = now
    session.flush()
    return event


def add_note(session: Session, request: IntakeRequest, actor: StaffUser, text: str, now: datetime) -> IntakeEvent:
    event = _event(request, actor, "note", now, note=text)
    session.flush()
    return event


def log_contact(
    session: Session,
    request: IntakeRequest,
    actor: StaffUser,
    method: str,
    outcome: str,
    now: datetime,
    note: str = "",
) -> IntakeEvent:
    """A contact attempt; the first one sets the time to first contact. Reaching the person moves a new
    request on to `contacted`, a status change in its history as if made by hand. One that finds the number or
    address wrong flags the request until a later attempt, or a correction, says otherwise."""
    event = _event(request, actor, "contact", now, contact_method=method, contact_outcome=outcome, note=note or None)
    request.contact_found_wrong = outcome == "wrong_number"
    if request.first_contact_at is None:
        request.first_contact_at = now
    if outcome == "reached" and request.status == "new":
        change_status(session, request, actor, "contacted", now)
    session.flush()
    return event


def assign(
    session: Session, request: IntakeRequest, actor: StaffUser, assignee: StaffUser | None, now: datetime
) -> IntakeEvent:
    if not request.is_open:
        raise WorkflowError("A closed request cannot be assigned.")
    if request.assigned_to_id == (assignee.id if assignee else None):
        raise WorkflowError("It is assigned to that person already." if assignee else "It is unassigned already.")
    event = _event(request, actor, "assignment", now, assigned_to_id=assignee.id if assignee else None)
    request.assigned_to = assignee
    session.flush()
    return event


def refer(
    session: Session, request: IntakeRequest, actor: StaffUser, program: Program, now: datetime, note: str = ""
) -> IntakeEvent:
    if not request.is_open:
        raise WorkflowError("A closed request cannot be referred.")
    if request.program_id == program.id:
        raise WorkflowError("The request is in that program's queue already.")
    event = _event(
        request, actor, "referral", now, from_program_id=request.program_id, to_program_id=program.id, note=note or None
    )
    request.program = program
    request.assigned_to = None
    session.flush()
    return event


def change_urgency(
    session: Session, request: IntakeRequest, actor: StaffUser, to_urgency: str, minutes: int, now: datetime, note: str
) -> IntakeEvent:
    """Triage again, for a reason the history keeps. Before the first contact, when it is due moves with the
    urgency's target (`minutes`): raised, it is due no later than that target from now; lowered, no earlier
    than that target from when the request came in. Neither ever moves it the other way."""
    if not request.is_open:
        raise WorkflowError("A closed request cannot be triaged again.")
    if to_urgency == request.urgency:
        raise WorkflowError("It has that urgency already.")
    raised = URGENCIES.index(to_urgency) < URGENCIES.index(request.urgency)
    if request.first_contact_at is None:
        if raised:
            request.contact_due_at = min(request.contact_due_at, due_at(now, minutes, request.timezone))
        else:
            request.contact_due_at = max(request.contact_due_at, due_at(request.created_at, minutes, request.timezone))
    event = _event(request, actor, "urgency", now, from_urgency=request.urgency, to_urgency=to_urgency, note=note)
    request.urgency = to_urgency
    session.flush()
    return event


def clear_review(
    session: Session, request: IntakeRequest, actor: StaffUser, now: datetime, note: str = ""
) -> IntakeEvent:
    """A person checked a request flagged as perhaps automated and found it real: the flag goes, the reason
    it was flagged stays on record."""
    if not request.needs_review:
        raise WorkflowError("It is not flagged for review.")
    event = _event(request, actor, "review", now, note=note or None)
    request.needs_review = False
    session.flush()
    return event


def contact_details(request: IntakeRequest) -> dict[str, str | None]:
    """How to reach the person now (`None`: not given)."""
    answers = request.answers
    return {f: getattr(request, f) for f in CONTACT_COLUMNS} | {a: answers.get(a) for a in CONTACT_ANSWERS}


def correct_details(
    session: Session,
    request: IntakeRequest,
    actor: StaffUser,
    details: dict[str, str | None],
    now: datetime,
    note: str,
    index_key: str,
) -> IntakeEvent:
    """Correct how to reach the person (every key of `contact_details`; `None` or "": not given). The event
    keeps what the changed ones were, encrypted; the search index follows a new name or phone number."""
    if not request.is_open:
        raise WorkflowError("A closed request cannot be changed.")
    held = contact_details(request)
    given = {f: details[f] or None for f in held}
    previous = {f: value for f, value in held.items() if given[f] != value}
    if not previous:
        raise WorkflowError("Nothing is different from what the request holds.")
    for f in CONTACT_COLUMNS:
        setattr(request, f, given[f])
    kept = {k: v for k, v in request.answers.items() if k not in CONTACT_ANSWERS}
    request.answers = kept | {a: given[a] for a in CONTACT_ANSWERS if given[a]}
    request.contact_found_wrong = False
    event = _event(request, actor, "details", now, previous=previous, note=note or None)
    session.flush()  # the request in one UPDATE (one new version), before its search tokens are replaced
    if {"name", "phone"} & previous.keys():
        session.execute(delete(IntakeSearchToken).where(IntakeSearchToken.intake_request_id == request.id))
        session.add_all(index_rows(index_key, request))
        session.flush()
    return event
