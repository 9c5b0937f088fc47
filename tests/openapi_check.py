"""Validate API responses against our own OpenAPI document (OpenAPI 3.1 schemas are JSON Schema 2020-12)."""

from __future__ import annotations

from functools import cache

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from locator.api.openapi import openapi_document


@cache
def document() -> dict:
    spec = openapi_document("http://localhost", {})  # attribute codes live in the database
    validate_spec(spec)
    return spec


def response_schema(path: str, status: int, media: str = "application/json") -> dict:
    spec = document()
    response = spec["paths"][path]["get"]["responses"][str(status)]
    return {**response["content"][media]["schema"], "components": spec["components"]}


def assert_matches(response, path: str, media: str = "application/json") -> None:
    """The response's status is documented for `path` and its body fits the documented schema."""
    schema = response_schema(path, response.status_code, media)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(response.get_json(force=True)), key=lambda e: e.path)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
