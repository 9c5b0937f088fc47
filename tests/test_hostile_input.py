"""Hostile input anywhere gets an answer, never a 500: every route, every method, with extreme values in
every parameter the app's forms read (all at once), and in every part of the path.

The values are the ones that have broken pages before on one database or the other: a NUL byte
(PostgreSQL refuses it in text), numbers too big for an INTEGER, dates that overflow when a day is
added, text longer than its column, bytes that are not UTF-8.
"""

import re
from urllib.parse import quote, urlencode

import pytest
import wtforms
from wtforms.fields.core import UnboundField

from locator.intake import forms as intake_forms
from locator.models import ListingReport
from locator.search import form as search_form
from locator.staff import forms as staff_forms
from locator.staff.views_queue import ACTION_FORMS
from tests import factories
from tests.conftest import sign_in

NOT_UTF8 = "%ff%fe"  # sent as it is: the percent-encoding of two bytes that are not UTF-8
HOSTILE = [
    "\x00",
    "9" * 40,
    "-1",
    "1e309",
    "a" * 1000,
    NOT_UTF8,
    "2026-02-30",
    "9999-12-31",
    "<script>",
    " ",
    "NaN",
    "１２",  # full-width digits: str.isdigit() says yes
    "\u202e",
]
#: Parameters read outside the forms.
OTHER_PARAMETERS = {"per_page", "lang", "next", "expired", "program", "level", "format"}


def parameter_names() -> list[str]:
    names = set(OTHER_PARAMETERS)
    for module in (search_form, intake_forms, staff_forms):
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, wtforms.Form):
                names |= {name for name in dir(form) if isinstance(getattr(form, name), UnboundField)}
    return sorted(names | {f"{prefix}-{name}" for prefix in ACTION_FORMS for name in names})


def encoded(names: list[str], value: str) -> str:
    if value == NOT_UTF8:
        return "&".join(f"{name}={NOT_UTF8}" for name in names)
    return urlencode({name: value for name in names})


@pytest.fixture
def world(session):
    program = factories.program(session, slug="program-a", levels=[{"level": "detox", "setting": "general"}])
    admin = factories.staff(session, "admin")
    request = factories.intake_request(session, program)
    report = ListingReport(program=program, kind="phone", details="")
    session.add(report)
    session.commit()
    return {
        "email": admin.email,
        "slug": program.slug,
        "service_id": str(program.uuid),
        "reference": request.reference,
        "action": "note",
        "level_id": str(program.levels[0].id),
        "report_id": str(report.id),
        "user_id": str(admin.id),
        "program_id": str(program.id),
        "token": "no-such-invitation",
        "number": "1",
    }


def routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint not in ("static", "vendor.asset"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def path_of(rule, values: dict[str, str]) -> str:
    path = re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda match: values[match[1]], rule.rule)
    assert "<" not in path, path
    return path


def call(client, method: str, path: str, payload: str = ""):
    if method == "GET":
        return client.get(f"{path}?{payload}" if payload else path)
    return client.open(path, method=method, data=payload, content_type="application/x-www-form-urlencoded")


def test_every_route_answers_hostile_parameters(app, world):
    names = parameter_names()
    failures = []
    for rule, method in routes(app):
        client = app.test_client()
        sign_in(client, world["email"])  # anew for each route: one of them signs out
        path = path_of(rule, world)
        for value in HOSTILE:
            status = call(client, method, path, encoded(names, value)).status_code
            if status >= 500:
                failures.append((method, path, value[:12], status))
    assert not failures


def test_every_route_answers_a_hostile_path(app, world):
    failures = []
    for rule, method in routes(app):
        if not rule.arguments:
            continue
        client = app.test_client()
        sign_in(client, world["email"])
        for value in HOSTILE:
            segment = value if value == NOT_UTF8 else quote(value, safe="")
            path = path_of(rule, dict.fromkeys(rule.arguments, segment))
            status = call(client, method, path).status_code
            if status >= 500:
                failures.append((method, path[:60], status))
    assert not failures
