"""Read-only Open Referral HSDS 3.1 API: `/hsds/services`, `/hsds/services/<id>`, `/hsds/taxonomies`.

Services are our programs, nested as HSDS 3.1 `service` objects (organization, phones, schedules,
service_at_locations with location and address, capacities with units, attributes with taxonomy
terms, languages), in the HSDS page envelope. `postcode` and `proximity` (metres) search around a
ZIP code through the same search service as the rest of the site.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import Blueprint, abort, request
from wtforms import IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from locator.api import allow_cross_origin_reads
from locator.config import current_settings
from locator.directory.hsds import TAXONOMIES, attribute_term, program_rows, taxonomy_id, taxonomy_rows
from locator.extensions import db
from locator.forms import BaseForm
from locator.geo import zip_place
from locator.i18n import lazy_gettext as _l
from locator.models import Program, utcnow
from locator.pagination import page_count
from locator.search.service import MAX_RADIUS, SearchQuery, program_by_uuid, search

bp = Blueprint("hsds", __name__, url_prefix="/hsds")
bp.after_request(allow_cross_origin_reads)

METRES_PER_MILE = 1609.344


class ServicesQuery(BaseForm):
    class Meta:
        csrf = False

    page = IntegerField(_l("Page"), [Optional(), NumberRange(1, 100_000)], default=1)
    per_page = IntegerField(_l("Results per page"), [Optional(), NumberRange(1, 100)], default=25)
    postcode = StringField(_l("Postcode"), [Optional(), Length(min=5, max=10)])
    proximity = IntegerField(
        _l("Proximity (metres)"), [Optional(), NumberRange(1, int(MAX_RADIUS * METRES_PER_MILE))], default=40_000
    )

    def validate_postcode(self, field) -> None:
        if field.data and zip_place(field.data[:5]) is None:
            raise ValidationError(_l("Unknown US postcode."))


def page_envelope(contents: list, total: int, page: int, per_page: int) -> dict:
    pages = page_count(total, per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def _given(row: dict) -> dict:
    """A table row as an HSDS object: an empty cell is a property left out (an empty `email` is no email)."""
    return {key: value for key, value in row.items() if value not in ("", None)}


@dataclass(frozen=True)
class Vocabulary:
    """The fixed terms and units by id, as HSDS objects: made once per request (labels follow its locale)."""

    terms: dict[str, dict]
    units: dict[str, dict]

    @classmethod
    def now(cls) -> Vocabulary:
        fixed = taxonomy_rows([])
        return cls({t["id"]: _given(t) for t in fixed["taxonomy_term"]}, {u["id"]: u for u in fixed["unit"]})


def service_object(program: Program, vocabulary: Vocabulary) -> dict:
    """One program as a nested HSDS 3.1 service."""
    rows = {table: [_given(row) for row in found] for table, found in program_rows(program).items()}
    terms = vocabulary.terms | {t["id"]: _given(t) for t in map(attribute_term, program.attributes)}
    units = vocabulary.units
    service = rows["service"][0] | {"organization": rows["organization"][0]}
    location = rows["location"][0] | {"addresses": rows["address"]}
    service["service_at_locations"] = [rows["service_at_location"][0] | {"location": location}]
    service["phones"] = rows["phone"]
    service["schedules"] = rows["schedule"]
    service["languages"] = rows["language"]
    service["capacities"] = [c | {"unit": units[c["unit_id"]]} for c in rows["service_capacity"]]
    service["attributes"] = [a | {"taxonomy_term": terms.get(a["taxonomy_term_id"])} for a in rows["attribute"]]
    return service


@bp.get("/services")
def services():
    form = ServicesQuery(request.args)
    if not form.validate():
        return {"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, 400
    origin = zip_place(form.postcode.data[:5]) if form.postcode.data else None
    radius = min(MAX_RADIUS, (form.proximity.data or 40_000) / METRES_PER_MILE)
    query = SearchQuery(origin=origin, radius=radius, page=form.page.data or 1, per_page=form.per_page.data or 25)
    result = search(db.session, query, utcnow(), current_settings().availability_fresh_hours)
    vocabulary = Vocabulary.now()
    contents = [service_object(hit.program, vocabulary) for hit in result.hits]
    return page_envelope(contents, result.total, query.page, query.per_page)


@bp.get("/services/<service_id>")
def service(service_id: str):
    try:
        found = uuid.UUID(service_id)
    except ValueError:
        abort(404)
    program = program_by_uuid(db.session, found)
    if program is None:
        abort(404)
    return service_object(program, Vocabulary.now())


@bp.get("/taxonomies")
def taxonomies():
    contents = [{"id": taxonomy_id(k), "name": k, "description": v} for k, v in TAXONOMIES.items()]
    return page_envelope(contents, len(contents), 1, max(1, len(contents)))
