"""Offline geocoding from the US ZIP gazetteer in the `zipcodes` package.

Understands a 5-digit ZIP (or ZIP+4), "City, ST", "City, State", "City ST", a bare city name, and
the ZIP or "City, ST" at the end of a full address. A city's point is the centroid of its ZIPs.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import zipcodes

from locator.geo.places import GeocodeError, Place
from locator.geo.states import STATE_NAMES, state_code

MAX_QUERY_LENGTH = 200
MAX_CHOICES = 8
_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")
_TRAILING_ZIP = re.compile(r"(?:^|[\s,])(\d{5})(?:-\d{4})?$")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}


def normalise_city(text: str) -> str:
    """Lower case, no accents or dots, 'St.' -> 'saint', single spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[.\-']", " ", text.lower()).split()
    if words and words[0] in _ABBREVIATIONS:
        words[0] = _ABBREVIATIONS[words[0]]
    return " ".join(words)


def clean_query(text: str) -> str:
    """Drop control characters, fold white space, cap the length."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


@dataclass
class _City:
    name: str
    state: str
    lat_sum: float = 0.0
    lon_sum: float = 0.0
    zips: int = 0

    @property
    def place(self) -> Place:
        return Place(self.lat_sum / self.zips, self.lon_sum / self.zips, self.label, self.state)

    @property
    def label(self) -> str:
        return f"{self.name}, {self.state}"


class OfflineGeocoder:
    """Resolves places from the bundled gazetteer; builds its indexes on first use."""

    @cached_property
    def _index(self) -> tuple[dict[str, Place], dict[tuple[str, str], _City], dict[str, list[_City]]]:
        by_zip: dict[str, Place] = {}
        cities: dict[tuple[str, str], _City] = {}
        for row in zipcodes.list_all():
            if not row["lat"] or not row["long"]:
                continue
            lat, lon, state = float(row["lat"]), float(row["long"]), row["state"]
            city_name = row["city"].title()
            by_zip[row["zip_code"]] = Place(lat, lon, f"{city_name}, {state} {row['zip_code']}", state)
            if row["zip_code_type"] == "MILITARY":
                continue
            for name in [row["city"], *row.get("acceptable_cities", [])]:
                key = (normalise_city(name), state)
                city = cities.setdefault(key, _City(name.title(), state))
                city.lat_sum += lat
                city.lon_sum += lon
                city.zips += 1
        by_name: dict[str, list[_City]] = defaultdict(list)
        for (name, _state), city in cities.items():
            by_name[name].append(city)
        for same_name in by_name.values():
            same_name.sort(key=lambda c: -c.zips)
        return by_zip, cities, dict(by_name)

    def geocode(self, query: str) -> Place:
        text = clean_query(query)
        if not text:
            raise GeocodeError("empty", text)
        if zip_match := _ZIP.match(text):
            return self._zip(zip_match.group(1), text)
        if zip_match := _TRAILING_ZIP.search(text):
            return self._zip(zip_match.group(1), text)
        return self._city(text)

    def zip(self, code: str) -> Place | None:
        """The centre of a 5-digit ZIP code, or None when there is no such ZIP."""
        return self._index[0].get(code)

    def _zip(self, code: str, text: str) -> Place:
        if (place := self.zip(code)) is None:
            raise GeocodeError("unknown", text)
        return place

    def _city(self, text: str) -> Place:
        city_part, state = _split_state(text)
        _, cities, by_name = self._index
        name = normalise_city(city_part)
        if state:
            if city := cities.get((name, state)):
                return city.place
            in_state = [key[0] for key in cities if key[1] == state]
            close = difflib.get_close_matches(name, in_state, n=MAX_CHOICES, cutoff=0.75)
            raise GeocodeError("unknown", text, [cities[(c, state)].label for c in close])
        matches = by_name.get(name, [])
        if len(matches) == 1:
            return matches[0].place
        if matches:
            raise GeocodeError("ambiguous", text, [c.label for c in matches[:MAX_CHOICES]])
        if whole_state := state_code(text):
            biggest = sorted((c for c in cities.values() if c.state == whole_state), key=lambda c: -c.zips)
            raise GeocodeError("ambiguous", text, [c.label for c in biggest[:MAX_CHOICES]])
        same_start = [n for n in by_name if n[:1] == name[:1]]
        close = difflib.get_close_matches(name, same_start, n=MAX_CHOICES, cutoff=0.8)
        raise GeocodeError("unknown", text, [c.label for n in close for c in by_name[n][:2]][:MAX_CHOICES])


def _split_state(text: str) -> tuple[str, str | None]:
    """'Dayton, OH' / 'Dayton, Ohio' / 'Dayton OH' / '1 Main St, Dayton, OH' -> ('Dayton', 'OH')."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) >= 2 and (code := state_code(parts[-1])):
        return parts[-2], code
    words = text.replace(",", " ").split()
    for take in (2, 1):  # "New York" before "York"; the last words may name the state
        if len(words) > take and (code := state_code(" ".join(words[-take:]))):
            return " ".join(words[:-take]), code
    return text, None


__all__ = ["STATE_NAMES", "OfflineGeocoder", "clean_query", "normalise_city"]
