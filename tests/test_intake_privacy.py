"""Privacy and abuse: nothing personal in any log record, rate limits that keep the answers."""

import logging
import os
import re
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import func, select

from locator.extensions import limiter
from locator.models import IntakeRequest
from tests.conftest import make_settings
from tests.intake_forms import VALID, form_data, hidden_fields, reference_in

CANARY = "Zq9canary"


def test_no_log_record_holds_what_a_person_typed(live_server, session, caplog):
    """Through the real server: every answer carries the canary, and no log record may."""
    caplog.set_level(logging.DEBUG)  # every logger, SQLAlchemy's statements included
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with pytest.raises(urllib.error.HTTPError):  # an unknown place: 400, with the place in the query string
        opener.open(f"{live_server}/?near={CANARY}+City")
    page = opener.open(f"{live_server}/intake").read().decode()
    answers = (
        hidden_fields(page)
        | VALID
        | {
            "name": f"{CANARY} Name",
            "email": f"{CANARY.lower()}@example.org",
            "relation": "friend",
            "substances_other": f"{CANARY} pills",
            "support": f"{CANARY} sponsor",
            "notes": f"{CANARY} notes",
            "language_other": f"{CANARY}ish",
            "self_harm": "yes",
        }
    )
    body = urllib.parse.urlencode(answers).encode()
    confirmation = opener.open(f"{live_server}/intake", data=body).read().decode()
    assert reference_in(confirmation)
    bad = urllib.parse.urlencode(answers | {"phone": f"{CANARY}-phone", "consent": ""}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(f"{live_server}/intake", data=bad)
    assert refused.value.code == 400
    refused.value.close()

    assert session.scalar(select(func.count()).select_from(IntakeRequest)) == 1
    logged = [record for record in caplog.records if record.name in ("werkzeug", "sqlalchemy.engine.Engine")]
    assert logged, "the server and the database logged nothing: the test would prove nothing"
    for record in caplog.records:
        text = record.getMessage() + (caplog.text if record.exc_info else "")
        assert CANARY.lower() not in text.lower(), f"{record.name}: {text[:200]}"


def rate_limited_app(app_factory, database_url, storage_uri: str = "memory://"):
    app = app_factory(
        LOCATOR=make_settings(database_url, intake_rate_limit="2 per minute", ratelimit_storage_uri=storage_uri)
    )
    limiter.reset()
    return app


def test_too_many_submissions_get_a_friendly_page_with_phone_numbers_and_the_answers_kept(
    app_factory, database_url, session
):
    client = rate_limited_app(app_factory, database_url).test_client()
    for _ in range(2):
        assert client.post("/intake", data=form_data(client)).status_code == 200
    response = client.post("/intake", data=form_data(client, name="Dana Third", notes="Still here"))
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "We could not send this yet" in page
    assert 'href="tel:+18006624357"' in page and 'href="tel:988"' in page
    assert 'value="Dana Third"' in page and "Still here</textarea>" in page
    assert session.scalar(select(func.count()).select_from(IntakeRequest)) == 2


def test_showing_the_form_is_not_limited(app_factory, database_url):
    client = rate_limited_app(app_factory, database_url).test_client()
    assert all(client.get("/intake").status_code == 200 for _ in range(5))


def test_limits_count_per_client(app_factory, database_url):
    client = rate_limited_app(app_factory, database_url).test_client()
    for _ in range(2):
        client.post("/intake", data=form_data(client))
    other = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.post("/intake", data=form_data(client), environ_base=other).status_code == 200


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but Redis is not reachable at {url}")
        pytest.skip(f"Redis not reachable at {url}")
    return url


def test_limits_are_shared_through_redis(app_factory, database_url):
    url = redis_url()
    first = rate_limited_app(app_factory, database_url, url).test_client()
    for _ in range(2):
        assert first.post("/intake", data=form_data(first)).status_code == 200
    # A second worker process would have its own app: the count is in Redis, not in the process.
    second = app_factory(
        LOCATOR=make_settings(database_url, intake_rate_limit="2 per minute", ratelimit_storage_uri=url)
    ).test_client()
    assert second.post("/intake", data=form_data(second)).status_code == 429
    limiter.reset()


def test_a_werkzeug_request_line_loses_its_query_string():
    from locator.logs import DropQueryStrings

    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '"%s" %s %s', ("GET /?near=43215 HTTP/1.1", 200, 5), None
    )
    DropQueryStrings().filter(record)
    assert record.getMessage() == '"GET / HTTP/1.1" 200 5'
    assert re.search(r"43215", record.getMessage()) is None
