"""The search service: distance, radius, filters (OR within a group, AND across), availability, paging."""

from datetime import timedelta

import pytest

from locator.geo import Place, haversine_miles
from locator.models import utcnow
from locator.search import Filters, SearchQuery, search
from tests import factories

LOUISVILLE = Place(38.2527, -85.7585, "Louisville, KY")


def run(session, **kwargs):
    return search(session, SearchQuery(**({"origin": LOUISVILLE} | kwargs)), utcnow(), 72)


def names(result) -> list[str]:
    return [hit.program.name for hit in result.hits]


def at(session, name, miles_north: float, **fields):
    """A program `miles_north` miles due north of Louisville."""
    return factories.program(session, name=name, lat=LOUISVILLE.lat + miles_north / 69.05, lon=LOUISVILLE.lon, **fields)


def test_results_are_ordered_by_distance_and_limited_by_radius(session):
    at(session, "Far", 20)
    at(session, "Near", 2)
    at(session, "Outside", 40)
    result = run(session, radius=25)
    assert names(result) == ["Near", "Far"]
    assert result.total == 2
    assert result.hits[0].distance == pytest.approx(2, abs=0.05)


def test_the_corners_of_the_box_are_not_within_the_radius(session):
    # 20 miles north and 20 east: inside the 25-mile box, but 28 miles away.
    factories.program(
        session, name="Corner", lat=LOUISVILLE.lat + 20 / 69.05, lon=LOUISVILLE.lon + 20 / (69.17 * 0.785)
    )
    assert (
        haversine_miles(
            LOUISVILLE.lat, LOUISVILLE.lon, LOUISVILLE.lat + 20 / 69.05, LOUISVILLE.lon + 20 / (69.17 * 0.785)
        )
        > 25
    )
    assert run(session, radius=25).total == 0


def test_levels_are_or_within_the_group(session):
    at(session, "Detox", 1, levels=[{"level": "detox", "setting": "general"}])
    at(session, "Residential", 2, levels=[{"level": "residential", "setting": "general"}])
    at(session, "Outpatient", 3, levels=[{"level": "outpatient", "setting": "general"}])
    result = run(session, filters=Filters(levels=("detox", "residential")))
    assert names(result) == ["Detox", "Residential"]


def test_groups_are_and_across(session):
    medicaid = factories.attribute(session, "payment", "MD")
    spanish = factories.attribute(session, "language", "SP")
    detox = [{"level": "detox", "setting": "general"}]
    at(session, "Detox Medicaid Spanish", 1, levels=detox, attributes=[medicaid, spanish])
    at(session, "Detox Medicaid", 2, levels=detox, attributes=[medicaid])
    at(
        session,
        "Outpatient Medicaid Spanish",
        3,
        levels=[{"level": "outpatient", "setting": "general"}],
        attributes=[medicaid, spanish],
    )
    filters = Filters(levels=("detox",), attributes=(("payment", ("MD",)), ("language", ("SP",))))
    assert names(run(session, filters=filters)) == ["Detox Medicaid Spanish"]


def test_attribute_codes_are_or_within_their_group(session):
    medicaid = factories.attribute(session, "payment", "MD")
    sliding = factories.attribute(session, "payment", "SS")
    at(session, "Medicaid", 1, attributes=[medicaid])
    at(session, "Sliding", 2, attributes=[sliding])
    at(session, "Neither", 3)
    assert names(run(session, filters=Filters(attributes=(("payment", ("MD", "SS")),)))) == ["Medicaid", "Sliding"]


def test_settings_filter_the_finer_code(session):
    at(session, "Hospital", 1, levels=[{"level": "detox", "setting": "hospital_detox"}])
    at(session, "Residential", 2, levels=[{"level": "detox", "setting": "residential_detox"}])
    assert names(run(session, filters=Filters(settings=("hospital_detox",)))) == ["Hospital"]


def test_accepting_keeps_programs_taking_new_clients(session):
    at(session, "Open", 1, accepting_new=True)
    at(session, "Closed", 2, accepting_new=False)
    assert names(run(session, filters=Filters(accepting=True))) == ["Open"]


def test_open_now_needs_capacity_confirmed_within_the_window(session):
    now = utcnow()
    bed = {"level": "detox", "setting": "general", "capacity_maximum": 10}
    at(session, "Fresh", 1, levels=[bed | {"capacity_available": 2, "capacity_updated_at": now - timedelta(hours=3)}])
    at(session, "Stale", 2, levels=[bed | {"capacity_available": 2, "capacity_updated_at": now - timedelta(hours=80)}])
    at(session, "Full", 3, levels=[bed | {"capacity_available": 0, "capacity_updated_at": now}])
    at(session, "Unknown", 4, levels=[{"level": "detox", "setting": "general"}])
    assert names(run(session, filters=Filters(open_now=True))) == ["Fresh"]


def test_open_now_with_a_level_needs_that_level_open(session):
    now = utcnow()
    at(
        session,
        "Open outpatient only",
        1,
        levels=[
            {
                "level": "outpatient",
                "setting": "general",
                "capacity_available": 5,
                "capacity_maximum": 9,
                "capacity_updated_at": now,
            },
            {
                "level": "detox",
                "setting": "general",
                "capacity_available": 0,
                "capacity_maximum": 9,
                "capacity_updated_at": now,
            },
        ],
    )
    assert run(session, filters=Filters(levels=("detox",), open_now=True)).total == 0
    assert run(session, filters=Filters(levels=("outpatient",), open_now=True)).total == 1


def test_name_keyword_is_literal(session):
    at(session, "100% Recovery", 1)
    at(session, "1000 Oaks", 2)
    assert names(run(session, filters=Filters(q="100%"))) == ["100% Recovery"]
    assert names(run(session, filters=Filters(q="oaks"))) == ["1000 Oaks"]


def test_sort_by_name(session):
    at(session, "Zeta", 1)
    at(session, "alpha", 2)
    assert names(run(session, sort="name")) == ["alpha", "Zeta"]


def test_pages_number_results_across_the_whole_list(session):
    for n in range(7):
        at(session, f"P{n}", n + 1)
    second = run(session, page=2, per_page=3)
    assert second.total == 7 and second.pages == 3
    assert names(second) == ["P3", "P4", "P5"]
    assert [hit.number for hit in second.hits] == [4, 5, 6]
    assert run(session, page=9, per_page=3).hits == []


def test_without_a_place_the_directory_is_listed_by_state_city_and_name(session):
    factories.program(session, name="B", state="OH", city="Akron", zip="44308")
    factories.program(session, name="A", state="OH", city="Akron", zip="44308")
    factories.program(session, name="C", state="IN", city="Gary", zip="46402")
    result = search(session, SearchQuery(), utcnow(), 72)
    assert names(result) == ["C", "A", "B"]
    assert all(hit.distance is None for hit in result.hits)


def test_a_search_crossing_the_antimeridian_does_not_fail(session):
    factories.program(session, name="Adak", state="AK", city="Adak", zip="99546", lat=51.88, lon=-176.65)
    result = search(session, SearchQuery(origin=Place(51.9, 179.9, "west"), radius=250), utcnow(), 72)
    assert names(result) == ["Adak"]
