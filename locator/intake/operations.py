"""Creating an intake request (triage, routing, encryption by the column types), and the staff notices: of a new
request, of one referred to another program, of one assigned to a colleague.

`submit` flushes and never commits. `submit_once` commits it, once: it looks the key up again when the
commit meets the unique idempotency key (a double click or a retry racing the first request).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from locator.config import Settings
from locator.geo import Place
from locator.intake.reference import new_reference
from locator.intake.routing import Route, route
from locator.intake.search_index import index_rows
from locator.intake.targets import DAY, due_at
from locator.intake.triage import URGENT, triage
from locator.models import IntakeRequest, Program, StaffUser
from locator.notify import outbox
from locator.wording import counted

log = logging.getLogger("locator.intake")


@dataclass(frozen=True)
class Submission:
    key: str  # the idempotency key from the form's ticket
    name: str
    phone: str | None
    email: str | None
    answers: dict[str, Any]
    chosen: Program | None = None
    origin: Place | None = None  # the ZIP code's centre, for routing
    level: str | None = None
    locale: str = "en"
    review_reasons: tuple[str, ...] = field(default=())
    #: Taken by staff on a call, who put it in `chosen`'s queue (None: the network's), with no routing.
    by_staff: bool = False


def by_key(session: Session, key: str) -> IntakeRequest | None:
    return session.scalar(select(IntakeRequest).where(IntakeRequest.idempotency_key == key))


def submit(session: Session, submission: Submission, now: datetime, settings: Settings) -> IntakeRequest:
    triaged = triage(submission.answers)
    if submission.by_staff:
        routed = Route(submission.chosen, "staff")
    else:
        routed = route(session, submission.chosen, submission.origin, submission.level, now)
    request = IntakeRequest(
        reference=new_reference(),
        idempotency_key=submission.key,
        created_at=now,
        urgency=triaged.urgency,
        program=routed.program,
        level=submission.level,
        routed_by=routed.routed_by,
        locale=submission.locale,
        needs_review=bool(submission.review_reasons),
        review_reason=",".join(submission.review_reasons),
        name=submission.name,
        phone=submission.phone,
        email=submission.email,
        answers={**submission.answers, "triage": list(triaged.reasons)},
    )
    request.contact_due_at = due_at(now, settings.contact_target(request.urgency), request.timezone)
    session.add(request)
    session.flush()
    session.add_all(index_rows(settings.index_key, request))
    notify_staff(session, request, settings)
    return request


def submit_once(
    session: Session, submission: Submission, now: datetime, settings: Settings
) -> tuple[IntakeRequest, bool]:
    """Commit the request, or find the one already stored under the same key. (request, created)."""
    for _attempt in range(3):
        if (existing := by_key(session, submission.key)) is not None:
            return existing, False
        try:
            request = submit(session, submission, now, settings)
            session.commit()
            return request, True
        except IntegrityError:
            # The same key committed by a concurrent request (found on the next turn), or, once in
            # billions, a reference already taken (a new one is drawn).
            session.rollback()
    raise RuntimeError("could not store the intake request")


def recipients(request: IntakeRequest, network_email: str) -> list[str]:
    """Who hears about a new request: its program's inbox, and the network's for urgent or unrouted ones."""
    found = [request.program.email] if request.program is not None and request.program.email else []
    if network_email and (request.program is None or request.urgency == URGENT or not found):
        found.append(network_email)
    return list(dict.fromkeys(found))


def _queue_name(request: IntakeRequest) -> str:
    return request.program.name if request.program is not None else "the network-wide queue"


def _notice(request: IntakeRequest, settings: Settings, opening: str, urgency: str) -> str:
    """A staff notice's body: the reference, urgency and a staff link, nothing about the person."""
    return (
        f"{opening}\n\n"
        f"Reference: {request.reference}\n"
        f"Urgency: {urgency}\n\n"
        f"Open it: {settings.base_url}/staff/intakes/{request.reference}\n\n"
        "By design this message holds no personal or health information. Sign in to see the request.\n"
    )


def _notify_queue(
    session: Session, request: IntakeRequest, settings: Settings, kind: str, subject: str, body: str
) -> list[int]:
    """Queue a notice to each of `request`'s recipients (`recipients`)."""
    targets = recipients(request, settings.intake_email)
    if not targets:
        log.warning("intake request %s: no one to notify (set LOCATOR_INTAKE_EMAIL)", request.reference)
    program = request.program
    return [
        outbox.enqueue(
            session,
            kind=kind,
            recipient=to,
            subject=subject,
            body=body,
            program=program if program is not None and to == program.email else None,
        ).id
        for to in targets
    ]


def notify_staff(session: Session, request: IntakeRequest, settings: Settings) -> list[int]:
    """Queue a notice of a new request per recipient, with the target for first contact."""
    target = _duration(settings.contact_target(request.urgency))
    opening = f"A new intake request is waiting in {_queue_name(request)}."
    body = _notice(request, settings, opening, f"{request.urgency} (first contact within {target})")
    subject = f"New intake request {request.reference} ({request.urgency})"
    return _notify_queue(session, request, settings, "intake.created", subject, body)


def notify_referral(session: Session, request: IntakeRequest, settings: Settings) -> list[int]:
    """Queue a notice per recipient of a request just referred to its program from another queue."""
    body = _notice(request, settings, f"An intake request was referred to {_queue_name(request)}.", request.urgency)
    subject = f"Intake request {request.reference} referred to you ({request.urgency})"
    return _notify_queue(session, request, settings, "intake.referred", subject, body)


def notify_assignee(session: Session, request: IntakeRequest, assignee: StaffUser, settings: Settings) -> int:
    """Tell a staff member that a colleague assigned `request` to them."""
    opening = f"An intake request in {_queue_name(request)} was assigned to you."
    return outbox.enqueue(
        session,
        kind="intake.assigned",
        recipient=assignee.email,
        subject=f"Intake request {request.reference} assigned to you ({request.urgency})",
        body=_notice(request, settings, opening, request.urgency),
    ).id


def notify_raised(
    session: Session, request: IntakeRequest, actor: StaffUser, now: datetime, settings: Settings
) -> list[int]:
    """Tell who must act that a colleague raised `request` to urgent: its assignee, or with none (or a disabled
    one) its queue's recipients (`recipients`). Nobody when the one who raised it has it: they are working it."""
    if request.assigned_to_id == actor.id:
        return []
    urgency = request.urgency
    if request.first_contact_at is None:
        left = int((request.contact_due_at - now).total_seconds() // 60)
        urgency += f" (first contact due in {counted(left, 'minute')})" if left > 0 else " (first contact overdue)"
    opening = f"An intake request in {_queue_name(request)} was raised to urgent by a colleague."
    body = _notice(request, settings, opening, urgency)
    subject = f"Intake request {request.reference} raised to urgent"
    assignee = request.assigned_to
    if assignee is not None and assignee.is_active:
        return [outbox.enqueue(session, kind="intake.raised", recipient=assignee.email, subject=subject, body=body).id]
    return _notify_queue(session, request, settings, "intake.raised", subject, body)


def _duration(minutes: int) -> str:
    """A target as its deadline counts it (`targets.due_at`): '15 minutes', '2 hours', '1 business day 4 hours'."""
    days, rest = divmod(minutes, DAY)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "business day"), (hours, "hour"), (minutes, "minute")]
    return " ".join(counted(count, unit) for count, unit in parts if count)
