"""The geo service: one geocoder per app (injectable in tests), and distance helpers."""

from __future__ import annotations

from typing import Protocol

from flask import Flask, current_app

from locator.geo.distance import Box, bounding_box, haversine_miles
from locator.geo.gazetteer import OfflineGeocoder
from locator.geo.places import GeocodeError, Place

EXTENSION_KEY = "locator.geocoder"


class Geocoder(Protocol):
    def geocode(self, query: str) -> Place: ...


_offline = OfflineGeocoder()  # shared: its index is read-only once built


def init_app(app: Flask) -> None:
    settings = app.config["LOCATOR"]
    if settings.geocoder == "nominatim":
        from locator.geo.network import NetworkGeocoder

        geocoder: Geocoder = NetworkGeocoder.nominatim(
            settings.geocoder_user_agent, settings.geocoder_timeout, _offline
        )
    else:
        geocoder = _offline
    app.extensions[EXTENSION_KEY] = geocoder


def geocoder() -> Geocoder:
    return current_app.extensions[EXTENSION_KEY]


def geocode(query: str) -> Place:
    return geocoder().geocode(query)


def zip_place(code: str) -> Place | None:
    """A ZIP code's centre from the bundled gazetteer, whatever geocoder is configured (never the network)."""
    return _offline.zip(code) if len(code) == 5 and code.isascii() and code.isdigit() else None


__all__ = [
    "Box",
    "GeocodeError",
    "Geocoder",
    "OfflineGeocoder",
    "Place",
    "bounding_box",
    "geocode",
    "geocoder",
    "haversine_miles",
    "zip_place",
]
