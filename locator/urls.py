"""URL converters. `<id:name>` is a row id: 1 to 2**31 - 1, an INTEGER on PostgreSQL. A larger number
is no page (404) instead of a query the database refuses."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    def __init__(self, url_map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = RowIdConverter
