"""The OpenAPI 3.1 description of /api/v1. Tests validate every API response against it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from locator.forms import FlagField
from locator.search.form import FILTER_CATEGORIES
from locator.search.service import MAX_PER_PAGE, MAX_RADIUS
from locator.taxonomy import ATTRIBUTE_CATEGORIES, LEVEL_CODES, SETTING_CODES

NULLABLE_STRING = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _codes(name: str, description: str, enum: tuple[str, ...] | None = None) -> dict:
    items: dict = {"type": "string"}
    if enum:
        items["enum"] = list(enum)
    return {
        "name": name,
        "in": "query",
        "required": False,
        "explode": True,
        "style": "form",
        "description": description + " Repeat the parameter for several values (OR within the group).",
        "schema": {"type": "array", "items": items},
    }


def _flag(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "enum": [*FlagField.YES, *FlagField.false_values]},
    }


def _number(schema: dict) -> dict:
    """A number, or blank: a blank value counts as not given, as a form's empty field sends it."""
    return {"anyOf": [schema, {"type": "string", "pattern": r"^\s*$"}]}


_PLACE_AND_LEVEL = [
    {
        "name": "near",
        "in": "query",
        "description": "A 5-digit ZIP, or 'City, ST'.",
        "schema": {"type": "string", "maxLength": 200},
    },
    {
        "name": "lat",
        "in": "query",
        "description": "Latitude of the origin (with lon).",
        "schema": _number({"type": "number", "minimum": -90, "maximum": 90}),
    },
    {
        "name": "lon",
        "in": "query",
        "description": "Longitude of the origin (with lat).",
        "schema": _number({"type": "number", "minimum": -180, "maximum": 180}),
    },
    {
        "name": "radius",
        "in": "query",
        "description": "Miles from the origin.",
        "schema": _number({"type": "integer", "minimum": 1, "maximum": MAX_RADIUS, "default": 25}),
    },
    _codes("level", "Level of care.", LEVEL_CODES),
    _codes("setting", "Setting within a level.", SETTING_CODES),
]
_FLAGS_AND_PAGES = [
    _flag("accepting", "Only programs accepting new clients."),
    _flag("open_now", "Only programs with a level whose capacity is open and recently confirmed."),
    {
        "name": "q",
        "in": "query",
        "description": "Words in the program name.",
        "schema": {"type": "string", "maxLength": 100},
    },
    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["distance", "name"]}},
    {
        "name": "page",
        "in": "query",
        "schema": _number({"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}),
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": _number({"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 25}),
    },
]

SCHEMAS: dict = {
    "Capacity": {
        "type": "object",
        "required": ["available", "maximum", "unit", "updated_at", "status"],
        "properties": {
            "available": {"type": ["integer", "null"], "minimum": 0},
            "maximum": {"type": ["integer", "null"], "minimum": 0},
            "unit": {"type": "string", "enum": ["bed", "slot"]},
            "updated_at": {"type": ["string", "null"], "format": "date-time"},
            "status": {"type": "string", "enum": ["open", "full", "not_confirmed", "unknown"]},
        },
    },
    "Level": {
        "type": "object",
        "required": ["level", "setting", "capacity"],
        "properties": {
            "level": {"type": "string", "enum": list(LEVEL_CODES)},
            "setting": {"type": "string", "enum": list(SETTING_CODES)},
            "capacity": _ref("Capacity"),
        },
    },
    "Program": {
        "type": "object",
        "required": [
            "id",
            "slug",
            "name",
            "organization",
            "address",
            "location",
            "phone",
            "intake_phone",
            "website",
            "distance_miles",
            "accepting_new",
            "levels",
            "attributes",
            "verified_at",
            "url",
        ],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "organization": NULLABLE_STRING,
            "address": {
                "type": "object",
                "required": ["street1", "street2", "city", "state", "zip"],
                "properties": {
                    "street1": {"type": "string"},
                    "street2": {"type": "string"},
                    "city": {"type": "string"},
                    "state": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
                },
            },
            "location": {
                "type": "object",
                "required": ["lat", "lon"],
                "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
            },
            "phone": {"type": "string"},
            "intake_phone": {"type": "string"},
            "website": {"type": "string"},
            "distance_miles": {"type": ["number", "null"], "minimum": 0},
            "accepting_new": {"type": "boolean"},
            "levels": {"type": "array", "items": _ref("Level")},
            "attributes": {
                "type": "object",
                "required": list(ATTRIBUTE_CATEGORIES),
                "properties": {c: {"type": "array", "items": {"type": "string"}} for c in ATTRIBUTE_CATEGORIES},
            },
            "verified_at": {"type": ["string", "null"], "format": "date-time"},
            "is_demo": {"type": "boolean"},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "Origin": {
        "type": ["object", "null"],
        "required": ["lat", "lon", "label"],
        "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}, "label": {"type": "string"}},
    },
    "ProgramList": {
        "type": "object",
        "required": ["total", "page", "per_page", "origin", "results"],
        "properties": {
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "origin": _ref("Origin"),
            "results": {"type": "array", "items": _ref("Program")},
        },
    },
    "FeatureCollection": {
        "type": "object",
        "required": ["type", "features", "total", "page", "per_page", "origin"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "origin": _ref("Origin"),
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "id", "geometry", "properties"],
                    "properties": {
                        "type": {"const": "Feature"},
                        "id": {"type": "integer"},
                        "geometry": {
                            "type": "object",
                            "required": ["type", "coordinates"],
                            "properties": {
                                "type": {"const": "Point"},
                                "coordinates": {
                                    "type": "array",
                                    "items": {"type": "number"},
                                    "minItems": 2,
                                    "maxItems": 2,
                                },
                            },
                        },
                        "properties": {"type": "object"},
                    },
                },
            },
        },
    },
    "Taxonomy": {
        "type": "object",
        "required": ["levels", "attributes"],
        "properties": {
            "levels": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "label", "settings"],
                    "properties": {
                        "code": {"type": "string"},
                        "label": {"type": "string"},
                        "settings": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["code", "label", "samhsa"],
                                "properties": {
                                    "code": {"type": "string"},
                                    "label": {"type": "string"},
                                    "samhsa": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                        },
                    },
                },
            },
            "attributes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["category", "label", "terms"],
                    "properties": {
                        "category": {"type": "string"},
                        "label": {"type": "string"},
                        "terms": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["code", "label"],
                                "properties": {"code": {"type": "string"}, "label": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
    },
    "Errors": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "choices": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
    },
}


def _json(schema: str, description: str, media: str = "application/json") -> dict:
    return {"description": description, "content": {media: {"schema": _ref(schema)}}}


def search_parameters(attribute_codes: Mapping[str, Sequence[str]]) -> list[dict]:
    """The search's query parameters. The attribute codes are the taxonomy's, read from the database;
    a group without codes is left out."""
    attributes = [
        _codes(category, f"Attribute codes of the {category} group (see /api/v1/taxonomy).", tuple(codes))
        for category in FILTER_CATEGORIES
        if (codes := attribute_codes.get(category))
    ]
    return [*_PLACE_AND_LEVEL, *attributes, *_FLAGS_AND_PAGES]


def _searching(summary: str, ok: dict, parameters: list[dict]) -> dict:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {"200": ok, "400": _json("Errors", "Invalid parameters, with a message per field.")},
        }
    }


def openapi_document(server: str, attribute_codes: Mapping[str, Sequence[str]]) -> dict:
    parameters = search_parameters(attribute_codes)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Treatment Locator API",
            "version": "1.0.0",
            "description": "Addiction-treatment programs near a place, with levels of care and availability.",
        },
        "servers": [{"url": server}],
        "paths": {
            "/api/v1/programs": _searching(
                "Search programs", _json("ProgramList", "Programs, nearest first."), parameters
            ),
            "/api/v1/programs.geojson": _searching(
                "Search programs as GeoJSON",
                _json("FeatureCollection", "A GeoJSON FeatureCollection.", "application/geo+json"),
                parameters,
            ),
            "/api/v1/programs.csv": _searching(
                "Search programs as CSV (up to 5000 rows a page)",
                {
                    "description": "CSV with a header row: one page of up to 5000 programs (`page` for the rest).",
                    "headers": {
                        "X-Total-Count": {
                            "description": "How many programs match, on every page.",
                            "schema": {"type": "integer", "minimum": 0},
                        },
                        "Link": {
                            "description": 'The next page, as `<url>; rel="next"` (RFC 8288); absent on the last.',
                            "schema": {"type": "string"},
                        },
                    },
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                parameters,
            ),
            "/api/v1/programs/{slug}": {
                "get": {
                    "summary": "One program",
                    "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": _json("Program", "The program."), "404": _json("Errors", "No such program.")},
                }
            },
            "/api/v1/taxonomy": {
                "get": {
                    "summary": "Levels of care, settings and attribute codes",
                    "responses": {"200": _json("Taxonomy", "The taxonomy.")},
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
