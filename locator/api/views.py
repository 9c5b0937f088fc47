"""JSON, GeoJSON and CSV over the one search (DESIGN.md section 7)."""

from __future__ import annotations

import csv
import io

from flask import Response, current_app, jsonify, request
from sqlalchemy import select

from locator.api import bp
from locator.api.openapi import openapi_document
from locator.config import current_settings
from locator.extensions import db
from locator.models import Attribute, utcnow
from locator.pagination import page_count
from locator.search.run import SearchRun, field_errors, run_search
from locator.search.serialize import CSV_COLUMNS, csv_row, geojson_feature, program_json
from locator.search.service import program_by_slug
from locator.taxonomy import ATTRIBUTE_CATEGORIES, LEVELS, attribute_label
from locator.templating import query_url

CSV_MAX_ROWS = 5000


def _fresh_hours() -> int:
    return current_settings().availability_fresh_hours


def _invalid(run: SearchRun):
    body: dict = {"errors": field_errors(run.form)}
    if run.form.place_choices:
        body["choices"] = {"near": run.form.place_choices}
    return jsonify(body), 400


def _results(run: SearchRun) -> list[dict]:
    now = utcnow()
    return [program_json(hit.program, hit.distance, now, _fresh_hours()) for hit in run.result.hits]


def _origin(run: SearchRun) -> dict | None:
    origin = run.result.query.origin
    return {"lat": origin.lat, "lon": origin.lon, "label": origin.label} if origin else None


@bp.get("/programs")
def programs():
    run = run_search(request.args)
    if run.result is None:
        return _invalid(run)
    return jsonify(
        total=run.result.total,
        page=run.result.query.page,
        per_page=run.result.query.per_page,
        origin=_origin(run),
        results=_results(run),
    )


@bp.get("/programs.geojson")
def programs_geojson():
    run = run_search(request.args)
    if run.result is None:
        return _invalid(run)
    body = {
        "type": "FeatureCollection",
        "total": run.result.total,
        "page": run.result.query.page,
        "per_page": run.result.query.per_page,
        "origin": _origin(run),
        "features": [geojson_feature(item) for item in _results(run)],
    }
    return current_app.response_class(current_app.json.dumps(body), mimetype="application/geo+json")


@bp.get("/programs.csv")
def programs_csv():
    run = run_search(request.args, per_page=CSV_MAX_ROWS)
    if run.result is None:
        return _invalid(run)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(item) for item in _results(run))
    # A file of one page: the headers say how many matched and where the next page is (RFC 8288).
    headers = {"Content-Disposition": 'attachment; filename="programs.csv"', "X-Total-Count": str(run.result.total)}
    page = run.result.query.page
    if page < page_count(run.result.total, CSV_MAX_ROWS):
        headers["Link"] = f'<{query_url(page=str(page + 1))}>; rel="next"'
    return Response(out.getvalue(), mimetype="text/csv", headers=headers)


@bp.get("/programs/<slug>")
def program(slug: str):
    found = program_by_slug(db.session, slug)
    if found is None:
        return jsonify(errors={"slug": ["No program has that slug."]}), 404
    return jsonify(program_json(found, None, utcnow(), _fresh_hours()))


@bp.get("/taxonomy")
def taxonomy():
    attributes: dict[str, list[dict]] = {category: [] for category in ATTRIBUTE_CATEGORIES}
    for attribute in db.session.scalars(select(Attribute).order_by(Attribute.category, Attribute.code)):
        attributes[attribute.category].append({"code": attribute.code, "label": attribute_label(attribute.label)})
    return jsonify(
        levels=[
            {
                "code": level.code,
                "label": str(level.label),
                "settings": [{"code": s.code, "label": str(s.label), "samhsa": list(s.samhsa)} for s in level.settings],
            }
            for level in LEVELS.values()
        ],
        attributes=[
            {"category": category, "label": str(label), "terms": attributes[category]}
            for category, label in ATTRIBUTE_CATEGORIES.items()
        ],
    )


@bp.get("/openapi.json")
def openapi():
    codes: dict[str, list[str]] = {}
    for category, code in db.session.execute(select(Attribute.category, Attribute.code).order_by(Attribute.code)):
        codes.setdefault(category, []).append(code)
    return jsonify(openapi_document(request.url_root.rstrip("/"), codes))
