import math

import pytest
from geopy.exc import GeocoderTimedOut
from geopy.location import Location
from hypothesis import given, settings
from hypothesis import strategies as st

from locator.geo import GeocodeError, OfflineGeocoder, bounding_box, haversine_miles
from locator.geo.network import NetworkGeocoder

offline = OfflineGeocoder()


def resolve(query: str):
    return offline.geocode(query)


def failure(query: str) -> GeocodeError:
    with pytest.raises(GeocodeError) as info:
        offline.geocode(query)
    return info.value


@pytest.mark.parametrize("query", ["40202", "40202-1234", "  40202 "])
def test_a_zip_resolves_to_its_centroid(query):
    place = resolve(query)
    assert place.label == "Louisville, KY 40202"
    assert place.state == "KY"
    assert math.isclose(place.lat, 38.25, abs_tol=0.05)


def test_a_zip_keeps_its_leading_zero():
    assert resolve("02139").label == "Cambridge, MA 02139"


@pytest.mark.parametrize("query", ["Columbus, OH", "columbus, ohio", "Columbus OH", "COLUMBUS,OH"])
def test_city_and_state_in_any_usual_form(query):
    place = resolve(query)
    assert place.label == "Columbus, OH"
    assert math.isclose(place.lat, 39.98, abs_tol=0.1)
    assert math.isclose(place.lon, -82.99, abs_tol=0.1)


@pytest.mark.parametrize("query", ["Washington, IN", "Washington, Indiana", "Washington IN"])
def test_washington_indiana_is_in_indiana(query):
    place = resolve(query)
    assert place.state == "IN"
    assert math.isclose(place.lat, 38.65, abs_tol=0.1)


def test_saint_and_fort_are_understood():
    assert resolve("St. Louis, MO").state == "MO"
    assert resolve("Ft Wayne, IN").label == "Fort Wayne, IN"


def test_a_city_name_alone_in_one_state_resolves():
    assert resolve("Bowling Green, KY").state == "KY"
    assert resolve("Indianapolis").label == "Indianapolis, IN"


def test_a_city_in_many_states_asks_which():
    error = failure("Springfield")
    assert error.reason == "ambiguous"
    assert "Springfield, IL" in error.choices
    assert "Springfield, OH" in error.choices
    assert len(error.choices) <= 8


def test_a_misspelt_city_suggests_the_real_one():
    error = failure("Colombus, OH")
    assert error.reason == "unknown"
    assert error.choices[0] == "Columbus, OH"


@pytest.mark.parametrize("query", ["00000", "99999", "Atlantis, OH", "xyzzy"])
def test_unknown_places_are_reported(query):
    assert failure(query).reason == "unknown"


@pytest.mark.parametrize("query", ["", "   ", "\x00\x01", "\n\t"])
def test_empty_input_is_reported(query):
    assert failure(query).reason == "empty"


def test_a_full_address_uses_its_zip_offline():
    assert resolve("123 Main St, Dayton, OH 45402").label == "Dayton, OH 45402"


def test_a_full_address_without_zip_uses_its_city():
    assert resolve("500 W Jefferson St, Louisville, KY").label == "Louisville, KY"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_resolves_or_says_why(text):
    try:
        place = offline.geocode(text)
    except GeocodeError as error:
        assert error.reason in {"empty", "unknown", "ambiguous"}
    else:
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


def test_distances_in_miles():
    louisville, lexington = (38.2527, -85.7585), (38.0406, -84.5037)
    assert math.isclose(haversine_miles(*louisville, *lexington), 70.0, abs_tol=2)
    assert haversine_miles(*louisville, *louisville) == 0


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(-80, 80),
    lon=st.floats(-179, 179),
    radius=st.floats(1, 250),
    bearing=st.floats(0, 2 * math.pi),
    fraction=st.floats(0, 0.999),
)
def test_the_bounding_box_contains_the_whole_circle(lat, lon, radius, bearing, fraction):
    # A point at `fraction` of the radius in any direction (spherical destination formula).
    d = radius * fraction / 3958.7613
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(bearing))
    y = math.sin(bearing) * math.sin(d) * math.cos(phi1)
    lmb2 = lmb1 + math.atan2(y, math.cos(d) - math.sin(phi1) * math.sin(phi2))
    plat, plon = math.degrees(phi2), (math.degrees(lmb2) + 540) % 360 - 180
    box = bounding_box(lat, lon, radius)
    assert box.min_lat <= plat <= box.max_lat
    assert box.min_lon <= plon <= box.max_lon


class FakeGeopy:
    def __init__(self, answer=None, error=None):
        self.calls: list[str] = []
        self.answer, self.error = answer, error

    def geocode(self, query, **kwargs):
        self.calls.append(query)
        if self.error:
            raise self.error
        return self.answer


def _network(fake: FakeGeopy) -> NetworkGeocoder:
    return NetworkGeocoder(fake, offline, min_delay_seconds=0)


def test_network_geocoder_answers_zips_and_cities_offline():
    fake = FakeGeopy()
    geocoder = _network(fake)
    assert geocoder.geocode("40202").state == "KY"
    assert geocoder.geocode("Dayton, OH").label == "Dayton, OH"
    assert fake.calls == []


def test_network_geocoder_looks_up_street_addresses_once():
    fake = FakeGeopy(answer=Location("somewhere", (39.1, -84.5), {}))
    geocoder = _network(fake)
    first = geocoder.geocode("1 Nowhere Rd, Atlantis, OH")
    second = geocoder.geocode("1 nowhere rd, atlantis, oh")
    assert (first.lat, first.lon) == (39.1, -84.5)
    assert second == first
    assert len(fake.calls) == 1


def test_network_failure_is_reported_as_unavailable():
    geocoder = _network(FakeGeopy(error=GeocoderTimedOut("slow")))
    with pytest.raises(GeocodeError) as info:
        geocoder.geocode("1 Nowhere Rd, Atlantis, OH")
    assert info.value.reason == "unavailable"


def test_ambiguous_places_never_go_to_the_network():
    fake = FakeGeopy()
    with pytest.raises(GeocodeError):
        _network(fake).geocode("Springfield")
    assert fake.calls == []


def test_nominatim_is_selected_by_configuration(app_factory, database_url):
    from tests.conftest import make_settings

    settings = make_settings(database_url, geocoder="nominatim", geocoder_user_agent="locator-tests")
    app = app_factory(LOCATOR=settings)
    with app.app_context():
        from locator import geo

        assert isinstance(geo.geocoder(), NetworkGeocoder)


@pytest.mark.parametrize(
    ("zip_code", "state", "expected"),
    [
        ("94103", "CA", "America/Los_Angeles"),
        ("40202", "KY", "America/Kentucky/Louisville"),
        ("85004", "AZ", "America/Phoenix"),  # no daylight saving time
        ("96813", "HI", "Pacific/Honolulu"),
        ("00000", "TX", "America/Chicago"),  # no such ZIP: most of the state's
        ("", "ZZ", "America/New_York"),  # neither: the network's
    ],
)
def test_a_places_time_zone_follows_its_zip_code_else_its_state(zip_code, state, expected):
    from locator.geo.timezones import local_timezone

    assert local_timezone(zip_code, state) == expected


@pytest.mark.parametrize("name", ["", "Central", "CST", "EST", "Napakiak", "America/Nowhere", "../etc/passwd", "/"])
def test_only_real_time_zones_are_accepted(name):
    from locator.geo.timezones import is_timezone, us_timezones

    assert not is_timezone(name)
    assert name not in us_timezones()
