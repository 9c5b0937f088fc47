"""Figures for the reports page: requests per week by urgency and level, time to first contact, outcomes.

Counted over the chosen period and the requests the viewer may see; nothing is decrypted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from locator.config import Settings
from locator.models import IntakeRequest, Program, StaffUser
from locator.models.intake import URGENCIES
from locator.staff.access import visible_requests


@dataclass
class ContactTimes:
    count: int
    median_minutes: float | None
    p90_minutes: float | None
    within_target: int


@dataclass
class Summary:
    weeks: list[date]
    by_urgency: dict[date, Counter]
    by_level: dict[date, Counter]
    first_contact: dict[str, ContactTimes]
    outcomes: list[tuple[str, Counter]]
    total: int

    @property
    def busiest_week(self) -> int:
        return max((sum(c.values()) for c in self.by_urgency.values()), default=0)


def _week(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def summarise(db: Session, user: StaffUser, start: datetime, end: datetime, settings: Settings) -> Summary:
    scope = [visible_requests(user), IntakeRequest.created_at >= start, IntakeRequest.created_at < end]
    rows = db.execute(
        select(
            IntakeRequest.created_at, IntakeRequest.urgency, IntakeRequest.level, IntakeRequest.first_contact_at
        ).where(*scope)
    ).all()
    weeks = []
    week = _week(start)
    while week < end.date():
        weeks.append(week)
        week += timedelta(days=7)
    by_urgency: dict[date, Counter] = {w: Counter() for w in weeks}
    by_level: dict[date, Counter] = {w: Counter() for w in weeks}
    waits: dict[str, list[float]] = defaultdict(list)
    targets = dict(settings.contact_targets)
    for created_at, urgency, level, first_contact_at in rows:
        by_urgency.setdefault(_week(created_at), Counter())[urgency] += 1
        by_level.setdefault(_week(created_at), Counter())[level or "not_sure"] += 1
        if first_contact_at is not None:
            waits[urgency].append((first_contact_at - created_at).total_seconds() / 60)
    first_contact = {
        u: ContactTimes(
            len(waits[u]),
            median(waits[u]) if waits[u] else None,
            _p90(waits[u]) if waits[u] else None,
            sum(1 for m in waits[u] if m <= targets[u]),
        )
        for u in URGENCIES
    }
    outcomes_rows = db.execute(
        select(Program.name, IntakeRequest.status, func.count())
        .select_from(IntakeRequest)
        .outerjoin(Program, Program.id == IntakeRequest.program_id)
        .where(*scope)
        .group_by(Program.name, IntakeRequest.status)
    ).all()
    outcomes: dict[str, Counter] = defaultdict(Counter)
    for name, status, count in outcomes_rows:
        outcomes[name or "Network-wide queue"][status] = count
    return Summary(
        weeks=sorted(by_urgency),
        by_urgency=by_urgency,
        by_level=by_level,
        first_contact=first_contact,
        outcomes=sorted(outcomes.items()),
        total=len(rows),
    )
