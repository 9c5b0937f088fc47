"""The reports' figures, counted and ranked in the database, are the ones counting each request gives."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from statistics import median

import pytest

from locator.models.intake import STATUSES, URGENCIES
from locator.staff import reports
from tests import factories

START = datetime(2026, 9, 14, tzinfo=UTC)  # a Monday
END = datetime(2026, 11, 5, tzinfo=UTC)  # a Thursday: the last week is cut short
LEVELS = ("detox", "residential", "outpatient", "aftercare", None)


def _moments(rng: random.Random, count: int) -> list[datetime]:
    """Times over the period and a few days either side, with each edge a week or the period has."""
    span = END - START + timedelta(days=6)
    edges = [START, END, END - timedelta(microseconds=1), START - timedelta(microseconds=1)]
    edges += [START + timedelta(weeks=2), START + timedelta(weeks=2) - timedelta(microseconds=1)]  # Sunday night
    spread = [START - timedelta(days=3) + span * rng.random() for _ in range(count - len(edges))]
    return edges + spread


@pytest.fixture
def requests(session):
    """Three hundred requests in two programs and the network queue, each as stored and as the test knows it."""
    rng = random.Random(7)
    programs = [factories.program(session, name="Alder"), factories.program(session, name="Birch"), None]
    made = []
    for created in _moments(rng, 300):
        urgency, program = rng.choice(URGENCIES), rng.choice(programs)
        due = created + timedelta(minutes=(15, 120, 1440)[URGENCIES.index(urgency)])
        contacted = rng.choice(
            [None, due, created + timedelta(minutes=rng.expovariate(1 / 90), microseconds=rng.randrange(10**6))]
        )
        made.append(
            factories.intake_request(
                session,
                program,
                urgency=urgency,
                level=rng.choice(LEVELS),
                status=rng.choice(STATUSES),
                created_at=created,
                contact_due_at=due,
                first_contact_at=contacted,
            )
        )
    session.commit()
    return made


def _expected(requests) -> reports.Summary:
    """The figures, the plain way: every request of the period, in Python."""
    inside = [r for r in requests if START <= r.created_at < END]
    monday = {r.id: r.created_at.date() - timedelta(days=r.created_at.weekday()) for r in inside}
    weeks = [START.date() + timedelta(weeks=n) for n in range(8)]
    by_urgency = {w: Counter(r.urgency for r in inside if monday[r.id] == w) for w in weeks}
    by_level = {w: Counter(r.level or "not_sure" for r in inside if monday[r.id] == w) for w in weeks}
    first_contact = {}
    for urgency in URGENCIES:
        contacted = [r for r in inside if r.urgency == urgency and r.first_contact_at]
        waits = sorted((r.first_contact_at - r.created_at).total_seconds() / 60 for r in contacted)
        first_contact[urgency] = reports.ContactTimes(
            len(waits),
            median(waits) if waits else None,
            waits[len(waits) * 9 // 10] if waits else None,
            sum(r.first_contact_at <= r.contact_due_at for r in contacted),
        )
    outcomes: dict[str, Counter] = {}
    for r in inside:
        outcomes.setdefault(r.program.name if r.program else "Network-wide queue", Counter())[r.status] += 1
    return reports.Summary(weeks, by_urgency, by_level, first_contact, sorted(outcomes.items()), len(inside))


def _same(found: reports.Summary, expected: reports.Summary) -> None:
    assert found.weeks == expected.weeks
    assert found.by_urgency == expected.by_urgency and found.by_level == expected.by_level
    assert found.outcomes == expected.outcomes and found.total == expected.total
    for urgency, times in expected.first_contact.items():
        got = found.first_contact[urgency]
        assert (got.count, got.within_target) == (times.count, times.within_target), urgency
        # SQLite keeps timestamps to the millisecond when it subtracts them
        assert got.median_minutes == pytest.approx(times.median_minutes, abs=1e-4), urgency
        assert got.p90_minutes == pytest.approx(times.p90_minutes, abs=1e-4), urgency


def test_an_admin_s_figures_are_those_of_every_request(session, requests):
    admin = factories.staff(session, "admin")
    found = reports.summarise(session, admin, START, END)
    assert found.total > 200 and all(t.count > 10 for t in found.first_contact.values())  # a real sample
    _same(found, _expected(requests))


def test_a_coordinator_s_figures_are_those_of_their_programs(session, requests):
    alder = next(r.program for r in requests if r.program and r.program.name == "Alder")
    coordinator = factories.staff(session, "coordinator", programs=[alder])
    found = reports.summarise(session, coordinator, START, END)
    _same(found, _expected([r for r in requests if r.program is alder]))
    assert {name for name, _ in found.outcomes} == {alder.name}


def test_no_contacts_give_no_times(session):
    admin = factories.staff(session, "admin")
    factories.intake_request(session, created_at=START + timedelta(days=1))
    session.commit()
    found = reports.summarise(session, admin, START, END)
    assert found.total == 1 and found.by_urgency[date(2026, 9, 14)]["routine"] == 1
    assert all(t == reports.ContactTimes(0, None, None, 0) for t in found.first_contact.values())
