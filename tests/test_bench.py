"""The benchmarks' data is the app's own: what they time is what staff would read."""

from __future__ import annotations

from sqlalchemy import select

from bench.queue import fill
from locator.extensions import db
from locator.models import IntakeRequest
from tests.conftest import TEST_FIELD_KEY


def test_the_queue_benchmark_writes_requests_the_app_can_read(app, seeded):
    with app.app_context():
        fill(db.session, TEST_FIELD_KEY, 20)
        db.session.commit()
        requests = db.session.scalars(select(IntakeRequest)).all()
        assert len(requests) == 20
        assert [(r.name, r.phone, r.answers) for r in requests] == [("Bench Person", "+16145550100", {})] * 20
        assert {r.priority for r in requests} <= {0, 1, 2}
