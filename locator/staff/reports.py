"""Figures for the reports page: requests per week by urgency and level, time to first contact, outcomes.

Counted in the database, over the chosen period and the requests the viewer may see: a year of a busy
network is a few grouped rows, not every request read into Python. Nothing is decrypted. Weeks start on
Monday, in UTC, as the period's days do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Date, Float, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from locator.models import IntakeRequest, Program, StaffUser
from locator.models.intake import URGENCIES
from locator.staff.access import visible_requests


class week_of(FunctionElement):
    """The Monday of a timestamp's week, in UTC."""

    type = Date()
    inherit_cache = True


@compiles(week_of, "sqlite")
def _week_of_sqlite(element, compiler, **kw):
    # The stored text's date: SQLite would round 23:59:59.9999 on a Sunday up into Monday
    return f"date(substr({compiler.process(element.clauses, **kw)}, 1, 10), 'weekday 0', '-6 days')"


@compiles(week_of, "postgresql")
def _week_of_postgresql(element, compiler, **kw):
    return f"CAST(date_trunc('week', {compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


class minutes_between(FunctionElement):
    """Minutes from the first timestamp to the second (to the millisecond on SQLite, which keeps no finer)."""

    type = Float()
    inherit_cache = True


@compiles(minutes_between, "sqlite")
def _minutes_between_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(round((julianday({end}) - julianday({start})) * 86400000) / 60000.0)"


@compiles(minutes_between, "postgresql")
def _minutes_between_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)"


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


def summarise(db: Session, user: StaffUser, start: datetime, end: datetime) -> Summary:
    scope = [visible_requests(user), IntakeRequest.created_at >= start, IntakeRequest.created_at < end]
    weeks = []
    week = _week(start)
    while week < end.date():
        weeks.append(week)
        week += timedelta(days=7)
    by_urgency, by_level = _per_week(db, scope, weeks)
    return Summary(
        weeks=sorted(by_urgency),
        by_urgency=by_urgency,
        by_level=by_level,
        first_contact=_contact_times(db, scope),
        outcomes=_outcomes(db, scope),
        total=sum(sum(counts.values()) for counts in by_urgency.values()),
    )


def _per_week(db: Session, scope: list[ColumnElement[bool]], weeks: list[date]) -> tuple[dict, dict]:
    """Requests per week by urgency, and by level of care ("not_sure" when none was chosen)."""
    by_urgency: dict[date, Counter] = {w: Counter() for w in weeks}
    by_level: dict[date, Counter] = {w: Counter() for w in weeks}
    r = IntakeRequest
    week = week_of(r.created_at)
    for monday, urgency, level, count in db.execute(
        select(week, r.urgency, r.level, func.count()).where(*scope).group_by(week, r.urgency, r.level)
    ):
        by_urgency.setdefault(monday, Counter())[urgency] += count
        by_level.setdefault(monday, Counter())[level or "not_sure"] += count
    return by_urgency, by_level


def _outcomes(db: Session, scope: list[ColumnElement[bool]]) -> list[tuple[str, Counter]]:
    """Requests per status for each program, by name; grouped on the index first, then named."""
    r = IntakeRequest
    counted = (
        select(r.program_id, r.status, func.count().label("n")).where(*scope).group_by(r.program_id, r.status)
    ).subquery()
    outcomes: dict[str, Counter] = defaultdict(Counter)
    for name, status, count in db.execute(
        select(Program.name, counted.c.status, counted.c.n).outerjoin(Program, Program.id == counted.c.program_id)
    ):
        outcomes[name or "Network-wide queue"][status] += count
    return sorted(outcomes.items())


def _contact_times(db: Session, scope: list[ColumnElement[bool]]) -> dict[str, ContactTimes]:
    """Per urgency: how many were contacted, the median and 90th-percentile wait, and how many by their deadline.

    The database ranks the waits and returns only the ones wanted: the middle one or two and the
    90th-percentile one (the wait at 0-based position ⌊0.9 n⌋).
    """
    r = IntakeRequest
    contacted = (
        select(
            r.urgency,
            minutes_between(r.created_at, r.first_contact_at).label("wait"),
            case((r.first_contact_at <= r.contact_due_at, 1), else_=0).label("in_time"),
        )
        .where(*scope, r.first_contact_at.is_not(None))
        .subquery()
    )
    per_urgency = {"partition_by": contacted.c.urgency}
    ranked = select(
        contacted.c.urgency,
        contacted.c.wait,
        func.row_number().over(order_by=contacted.c.wait, **per_urgency).label("position"),
        func.count().over(**per_urgency).label("n"),
        func.sum(contacted.c.in_time).over(**per_urgency).label("within"),
    ).subquery()
    found: dict[str, dict[int, float]] = defaultdict(dict)
    sizes: dict[str, tuple[int, int]] = {}
    for urgency, wait_minutes, position, count, within in db.execute(
        select(ranked).where(ranked.c.position.in_(_ranks(ranked.c.n)))
    ):
        found[urgency][position] = wait_minutes
        sizes[urgency] = (count, within)
    times = {}
    for urgency in URGENCIES:
        if urgency not in sizes:
            times[urgency] = ContactTimes(0, None, None, 0)
            continue
        count, within = sizes[urgency]
        at = found[urgency]
        lower, upper, p90 = _ranks(count)
        times[urgency] = ContactTimes(count, (at[lower] + at[upper]) / 2, at[p90], within)
    return times


def _ranks(n):
    """The 1-based positions, among `n` waits in order, of the middle one or two and of the 90th percentile: for
    the count in SQL (choosing the rows) and in Python (reading them)."""
    return (n + 1) // 2, n // 2 + 1, n * 9 // 10 + 1
