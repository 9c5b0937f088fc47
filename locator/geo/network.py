"""Network geocoding through geopy (Nominatim), used for street addresses when configured.

ZIPs and city names still resolve offline first: faster, and the query never leaves the server.
Network calls are rate limited (Nominatim's usage policy allows one a second), time out without a
retry (a person is waiting on the answer), and are cached in memory, so a repeated search does not
repeat the request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from locator.geo.gazetteer import OfflineGeocoder, clean_query
from locator.geo.places import GeocodeError, Place

CACHE_SIZE = 1024


class NetworkGeocoder:
    def __init__(self, geocoder, offline: OfflineGeocoder, min_delay_seconds: float = 1.0) -> None:
        self._offline = offline
        self._geocode = RateLimiter(
            geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=0, swallow_exceptions=False
        )
        self._cache: OrderedDict[str, Place] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def nominatim(cls, user_agent: str, timeout: float, offline: OfflineGeocoder) -> NetworkGeocoder:
        return cls(Nominatim(user_agent=user_agent, timeout=timeout), offline)

    def geocode(self, query: str) -> Place:
        text = clean_query(query)
        try:
            return self._offline.geocode(text)
        except GeocodeError as offline_error:
            if offline_error.reason != "unknown" or not any(ch.isdigit() for ch in text):
                raise  # not an address: the gazetteer's answer (with its choices) stands
        key = text.lower()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        try:
            found = self._geocode(text, exactly_one=True, country_codes="us")
        except GeopyError:
            raise GeocodeError("unavailable", text) from None
        if found is None:
            raise GeocodeError("unknown", text)
        place = Place(found.latitude, found.longitude, text)
        with self._lock:
            self._cache[key] = place
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return place
