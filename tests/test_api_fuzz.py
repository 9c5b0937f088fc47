"""The API under a schema-driven fuzzer: schemathesis makes requests from the OpenAPI document the app
serves, valid and invalid, and checks every answer against it: never a 500, the documented status
codes, content types and bodies, undeclared methods answered properly, invalid input refused.

One check is left out for the searches: that every schema-valid request is accepted. A search can be
refused for what a schema cannot say: a place that does not exist (`near`), or `lat` without `lon`.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

SEARCHES = ["GET /api/v1/programs", "GET /api/v1/programs.geojson", "GET /api/v1/programs.csv"]
LOOKUPS = ["GET /api/v1/programs/{slug}", "GET /api/v1/taxonomy", "GET /api/v1/openapi.json"]
#: The same examples on every run (CI must not turn red by luck); FUZZ_RANDOM=1 explores further.
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"
POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE


@pytest.fixture
def served_schema(app, seeded, client):
    return schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").json)


def fuzz(schema, app, label: str, mode, excluded=()) -> None:
    @given(schema.find_operation_by_label(label).as_strategy(generation_mode=mode))
    @settings(
        max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=DERANDOMIZE
    )
    def check(case):
        # Called straight through WSGI, the body comes back as sent, undecoded: ask for it uncompressed.
        case.call_and_validate(app=app, headers={"Accept-Encoding": "identity"}, excluded_checks=list(excluded))

    check()


def test_the_fuzzed_operations_are_all_the_documented_ones(served_schema):
    assert sorted(op.ok().label for op in served_schema.get_all_operations()) == sorted(SEARCHES + LOOKUPS)


@pytest.mark.parametrize("mode", [POSITIVE, NEGATIVE], ids=str)
@pytest.mark.parametrize("label", SEARCHES)
def test_searches_keep_to_the_document(served_schema, app, label, mode):
    fuzz(served_schema, app, label, mode, excluded=[positive_data_acceptance])


@pytest.mark.parametrize("label", LOOKUPS)
def test_lookups_keep_to_the_document(served_schema, app, label):
    """(They take no query parameters, and any slug is a valid one: there is no invalid request to make.)"""
    fuzz(served_schema, app, label, POSITIVE)
