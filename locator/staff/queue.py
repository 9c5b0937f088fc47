"""The intake queue: what a staff member may see, filtered, most urgent and oldest first, a page at a time.

Everything is SQL on the queue indexes (`program_id, status, priority, created_at` and `status,
priority, created_at`): counted and paged in the database. A page reads only the columns it shows,
never the encrypted ones; whole requests are loaded for the CSV export alone.
Name and phone searches go through the blind index (`intake_search_token`), never by decrypting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, distinct, func, not_, or_, select
from sqlalchemy.orm import Session, selectinload

from locator.intake.reference import normalise_reference
from locator.intake.search_index import query_tokens
from locator.models import IntakeEvent, IntakeRequest, IntakeSearchToken, Program, StaffUser
from locator.models.intake import CLOSED_STATUSES, STATUSES, URGENCIES
from locator.pagination import page_count
from locator.staff.access import program_ids, visible_requests

OPEN_STATUSES = tuple(s for s in STATUSES if s not in CLOSED_STATUSES)
PER_PAGE = 50


@dataclass(frozen=True)
class QueueFilters:
    statuses: tuple[str, ...] = OPEN_STATUSES
    urgencies: tuple[str, ...] = ()
    program_id: int | None = None
    network_only: bool = False
    level: str | None = None
    assigned: str | None = None  # "me", "none" or None
    review: bool = False
    created_from: date | None = None
    created_to: date | None = None
    q: str = ""


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of the queue: only what the page shows, read without loading (or decrypting) the request."""

    reference: str
    urgency: str
    status: str
    created_at: datetime
    first_contact_at: datetime | None
    contact_due_at: datetime
    needs_review: bool
    contact_found_wrong: bool
    level: str | None
    program_name: str | None  # None: the network queue
    assignee_name: str | None
    assignee_email: str | None

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


@dataclass
class QueuePage:
    requests: list[QueueRow]
    total: int
    page: int
    per_page: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def conditions(user: StaffUser, filters: QueueFilters, index_key: str) -> list[ColumnElement[bool]]:
    """Every condition but the status one (the counts per status need the rest)."""
    found: list[ColumnElement[bool]] = [visible_requests(user)]
    if filters.urgencies:  # as priorities: the queue indexes hold those
        found.append(IntakeRequest.priority.in_([URGENCIES.index(u) for u in filters.urgencies]))
    if filters.network_only:
        found.append(IntakeRequest.program_id.is_(None))
    elif filters.program_id is not None:
        found.append(IntakeRequest.program_id == filters.program_id)
    if filters.level:
        found.append(IntakeRequest.level == filters.level)
    if filters.assigned == "me":
        found.append(IntakeRequest.assigned_to_id == user.id)
    elif filters.assigned == "none":
        found.append(IntakeRequest.assigned_to_id.is_(None))
    if filters.review:
        found.append(IntakeRequest.needs_review.is_(True))
    if filters.created_from:
        found.append(IntakeRequest.created_at >= _start_of(filters.created_from))
    if filters.created_to:
        found.append(IntakeRequest.created_at < _start_of(filters.created_to) + timedelta(days=1))
    if filters.q:
        found.append(_search(filters.q, index_key))
    return found


def _search(text: str, index_key: str) -> ColumnElement[bool]:
    if reference := normalise_reference(text):
        return IntakeRequest.reference == reference
    tokens = query_tokens(index_key, text)
    if not tokens:
        return IntakeRequest.id.is_(None)
    return and_(
        *(
            IntakeRequest.id.in_(select(IntakeSearchToken.intake_request_id).where(IntakeSearchToken.token == token))
            for token in tokens
        )
    )


def queue_select(user: StaffUser, filters: QueueFilters, index_key: str) -> Select:
    """The ids of the queue, in order (also what the CSV export reads)."""
    return (
        select(IntakeRequest.id)
        .where(*conditions(user, filters, index_key), IntakeRequest.status.in_(filters.statuses or STATUSES))
        .order_by(IntakeRequest.priority, IntakeRequest.created_at, IntakeRequest.id)
    )


def load(db: Session, ids: list[int]) -> list[IntakeRequest]:
    """Whole requests, personal data included (the CSV export), in the order of `ids`."""
    options = [selectinload(IntakeRequest.program), selectinload(IntakeRequest.assigned_to)]
    rows = db.scalars(select(IntakeRequest).where(IntakeRequest.id.in_(ids)).options(*options))
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in ids]


def _page(user: StaffUser, filters: QueueFilters, index_key: str, page: int) -> Select:
    """The page's lines in queue order, in one statement: its ids from the queue index (sorting
    narrow rows), then those requests with their program and assignee."""
    r = IntakeRequest
    ids = queue_select(user, filters, index_key).offset((page - 1) * PER_PAGE).limit(PER_PAGE).subquery()
    return (
        select(
            r.reference,
            r.urgency,
            r.status,
            r.created_at,
            r.first_contact_at,
            r.contact_due_at,
            r.needs_review,
            r.contact_found_wrong,
            r.level,
            Program.name,
            StaffUser.name,
            StaffUser.email,
        )
        .join(ids, ids.c.id == r.id)
        .outerjoin(Program, Program.id == r.program_id)
        .outerjoin(StaffUser, StaffUser.id == r.assigned_to_id)
        .order_by(r.priority, r.created_at, r.id)
    )


def queue(db: Session, user: StaffUser, filters: QueueFilters, page: int, index_key: str) -> QueuePage:
    rows = [QueueRow(*row) for row in db.execute(_page(user, filters, index_key, page))]
    counts = dict(
        db.execute(
            select(IntakeRequest.status, func.count())
            .where(*conditions(user, filters, index_key))
            .group_by(IntakeRequest.status)
        ).all()
    )
    total = sum(counts.get(status, 0) for status in set(filters.statuses or STATUSES))  # no second count
    return QueuePage(rows, total, page, PER_PAGE, counts)


def arrivals_select(user: StaffUser, since: datetime) -> Select:
    """The requests `user` may see that came in after `since` and are still new, counted per urgency.
    Each priority is named so that a queue index reads just the range after `since` in each."""
    return (
        select(IntakeRequest.urgency, func.count())
        .where(
            visible_requests(user),
            IntakeRequest.status == "new",
            IntakeRequest.priority.in_(range(len(URGENCIES))),
            IntakeRequest.created_at > since,
        )
        .group_by(IntakeRequest.urgency)
    )


def referred_in_select(user: StaffUser, since: datetime) -> Select | None:
    """The open requests referred since `since` from a queue `user` does not see into one they do, and still
    there, counted per urgency (read from the referrals after `since`). None for an admin, who sees every queue.
    A request that also came in since is left out: `arrivals_select` counts it."""
    if user.role == "admin":
        return None
    ids = program_ids(user)
    event, r = IntakeEvent, IntakeRequest
    return (
        select(r.urgency, func.count(distinct(r.id)))
        .join(event, event.intake_request_id == r.id)
        .where(
            event.kind == "referral",
            event.created_at > since,
            event.to_program_id == r.program_id,
            or_(event.from_program_id.is_(None), event.from_program_id.not_in(ids)),
            visible_requests(user),
            r.status.in_(OPEN_STATUSES),
            not_(and_(r.status == "new", r.created_at > since)),
        )
        .group_by(r.urgency)
    )


@dataclass(frozen=True)
class Arrivals:
    """What came into a staff member's queues since a moment, per urgency: new requests, and referrals."""

    new: dict[str, int]
    referred: dict[str, int]

    @property
    def count(self) -> int:
        return sum(self.new.values()) + sum(self.referred.values())

    @property
    def urgent(self) -> int:
        return self.new.get("urgent", 0) + self.referred.get("urgent", 0)


def arrivals(db: Session, user: StaffUser, since: datetime) -> Arrivals:
    referred = referred_in_select(user, since)
    return Arrivals(
        new=dict(db.execute(arrivals_select(user, since)).all()),
        referred={} if referred is None else dict(db.execute(referred).all()),
    )
