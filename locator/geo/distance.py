"""Great-circle distances in miles, and the bounding box that contains a search circle."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_MILES = 3958.7613
MILES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_MILES / 180


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, radius_miles: float) -> Box:
    """The latitude/longitude box that contains every point within `radius_miles` of (lat, lon).

    The box is a superset (exact distance filters the rest). Near the poles, or where the circle
    would cross the antimeridian, it widens to all longitudes rather than wrapping.
    """
    dlat = radius_miles / MILES_PER_DEGREE_LAT
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.9:
        return Box(min_lat, max_lat, -180.0, 180.0)
    dlon = radius_miles / (MILES_PER_DEGREE_LAT * math.cos(math.radians(widest)))
    if lon - dlon < -180 or lon + dlon > 180:
        return Box(min_lat, max_lat, -180.0, 180.0)
    return Box(min_lat, max_lat, lon - dlon, lon + dlon)
