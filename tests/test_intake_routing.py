"""Routing: the chosen program; else the nearest accepting program with the level within 100 miles; else the network."""

from sqlalchemy import select

from locator.geo import zip_place
from locator.intake.routing import route
from locator.models import IntakeRequest, utcnow
from tests import factories
from tests.intake_forms import form_data

LOUISVILLE = zip_place("40202")
DETOX = [{"level": "detox", "setting": "general"}]
OUTPATIENT = [{"level": "outpatient", "setting": "general"}]


def near_louisville(session, miles_north: float, **fields):
    """A program about `miles_north` miles north of downtown Louisville."""
    return factories.program(session, lat=LOUISVILLE.lat + miles_north / 69.0, lon=LOUISVILLE.lon, **fields)


def test_the_chosen_program_wins(session):
    chosen = near_louisville(session, 80, accepting_new=False, levels=OUTPATIENT)
    near_louisville(session, 1, levels=DETOX)
    result = route(session, chosen, LOUISVILLE, "detox", utcnow())
    assert (result.program, result.routed_by) == (chosen, "chosen")


def test_the_nearest_accepting_program_with_the_level(session):
    near_louisville(session, 2, levels=OUTPATIENT)  # nearer, but not detox
    near_louisville(session, 3, levels=DETOX, accepting_new=False)  # detox, but not accepting
    expected = near_louisville(session, 20, levels=DETOX)
    near_louisville(session, 40, levels=DETOX)
    result = route(session, None, LOUISVILLE, "detox", utcnow())
    assert (result.program, result.routed_by) == (expected, "nearest")
    assert 19 < result.distance_miles < 21


def test_not_sure_of_the_level_takes_the_nearest_accepting_program(session):
    expected = near_louisville(session, 5, levels=OUTPATIENT)
    near_louisville(session, 10, levels=DETOX)
    assert route(session, None, LOUISVILLE, None, utcnow()).program == expected


def test_beyond_100_miles_goes_to_the_network_queue(session):
    near_louisville(session, 101, levels=DETOX)
    result = route(session, None, LOUISVILLE, "detox", utcnow())
    assert (result.program, result.routed_by) == (None, "network")


def test_without_a_zip_or_program_goes_to_the_network_queue(session):
    near_louisville(session, 1, levels=DETOX)
    assert route(session, None, None, "detox", utcnow()).routed_by == "network"


def test_the_form_routes_on_the_most_intensive_level_asked_for(client, session):
    near_louisville(session, 1, levels=OUTPATIENT)
    detox = near_louisville(session, 30, levels=DETOX)
    session.commit()
    client.post("/intake", data=form_data(client, zip="40202", levels=["outpatient", "detox"]))
    request = session.scalars(select(IntakeRequest)).one()
    assert (request.program_id, request.routed_by, request.level) == (detox.id, "nearest", "detox")
