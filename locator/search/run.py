"""Run a search from request parameters: the one entry point for the page, the API and the exports."""

from __future__ import annotations

from dataclasses import dataclass, replace

from werkzeug.datastructures import MultiDict

from locator import geo
from locator.config import current_settings
from locator.extensions import db
from locator.models import utcnow
from locator.search.form import SearchForm
from locator.search.service import SearchResult, search


@dataclass
class SearchRun:
    form: SearchForm
    result: SearchResult | None  # None when the parameters were not valid (see form.errors)


def run_search(args: MultiDict, *, per_page: int | None = None) -> SearchRun:
    form = SearchForm(args, db.session)
    if not form.resolve(geo.geocoder()):
        return SearchRun(form, None)
    query = form.to_query()
    if per_page is not None:
        query = replace(query, per_page=per_page)
    fresh_hours = current_settings().availability_fresh_hours
    return SearchRun(form, search(db.session, query, utcnow(), fresh_hours))


def field_errors(form: SearchForm) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}
