from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError, StatementError

from locator.models import Program, ProgramHours, ProgramLevel
from tests import factories

# A CHECK or key violation (IntegrityError), or on PostgreSQL a value too long for its column (DataError).
REFUSED = (IntegrityError, DataError)


def _refused(session, **fields) -> None:
    with pytest.raises(REFUSED):
        factories.program(session, **fields)
    session.rollback()


def test_a_valid_program_is_stored(session):
    factories.program(session, name="Valid")
    session.commit()
    assert session.scalar(select(Program.name)) == "Valid"


@pytest.mark.parametrize("lat", [90.5, -91, 1000])
def test_latitude_out_of_range_is_refused_by_the_database(session, lat):
    _refused(session, lat=lat)


@pytest.mark.parametrize("lon", [180.01, -200])
def test_longitude_out_of_range_is_refused_by_the_database(session, lon):
    _refused(session, lon=lon)


@pytest.mark.parametrize("state", ["oh", "O1", "OHI", "K", "1A", "k!"])
def test_state_must_be_two_capital_letters(session, state):
    _refused(session, state=state)


@pytest.mark.parametrize("zip_code", ["4020", "402021", "4020a", "40-02", " 4020"])
def test_zip_must_be_five_digits(session, zip_code):
    _refused(session, zip=zip_code)


def test_zip_keeps_leading_zeros(session):
    factories.program(session, zip="02139", state="MA")
    session.commit()
    assert session.scalar(select(Program.zip)) == "02139"


@pytest.mark.parametrize("slug", ["Upper", "two words", "a/b", "caf\u00e9", "a_b"])
def test_slug_is_a_url_segment_of_lower_case_letters_digits_and_hyphens(session, slug):
    _refused(session, slug=slug)


def test_slug_is_unique(session):
    factories.program(session, slug="same")
    _refused(session, slug="same")


def test_source_and_source_id_are_unique_together(session):
    factories.program(session, source="import", source_id="A1")
    _refused(session, source="import", source_id="A1")


@pytest.mark.parametrize(
    ("level", "setting"),
    [("detox", "long_term_residential"), ("therapy", "general"), ("aftercare", "hospital_detox")],
)
def test_a_setting_must_belong_to_its_level(session, level, setting):
    _refused(session, levels=[{"level": level, "setting": setting}])


@pytest.mark.parametrize(
    "capacity",
    [
        {"capacity_available": 5, "capacity_maximum": 3},
        {"capacity_available": -1},
        {"capacity_maximum": -2},
        {"capacity_unit": "room"},
    ],
)
def test_capacity_must_make_sense(session, capacity):
    _refused(session, levels=[{"level": "detox", "setting": "residential_detox", **capacity}])


def test_capacity_may_be_unknown(session):
    program = factories.program(session, levels=[{"level": "outpatient", "setting": "general"}])
    session.commit()
    assert program.levels[0].capacity_available is None


@pytest.mark.parametrize(("weekday", "opens", "closes"), [(7, 0, 60), (0, 600, 600), (0, 600, 500), (0, 0, 1441)])
def test_opening_hours_must_be_a_real_period(session, weekday, opens, closes):
    program = factories.program(session)
    session.add(ProgramHours(program=program, weekday=weekday, opens_minute=opens, closes_minute=closes))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_attribute_category_is_constrained(session):
    with pytest.raises(IntegrityError):
        factories.attribute(session, "colour", "RED")
    session.rollback()


def test_deleting_a_program_removes_its_levels(session):
    program = factories.program(session, levels=[{"level": "detox", "setting": "general"}])
    session.commit()
    session.delete(program)
    session.commit()
    assert session.scalar(select(ProgramLevel)) is None


def test_foreign_keys_are_enforced(session):
    session.add(ProgramLevel(program_id=999_999, level="detox", setting="general"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_datetimes_come_back_in_utc(session):
    when = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    factories.program(session, verified_at=when)
    session.commit()
    session.expire_all()
    stored = session.scalar(select(Program.verified_at))
    assert stored == when
    assert stored.utcoffset().total_seconds() == 0


def test_naive_datetimes_are_refused(session):
    with pytest.raises(StatementError, match="naive"):
        factories.program(session, verified_at=datetime(2026, 5, 1, 12, 30))
    session.rollback()


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(session):
    from sqlalchemy import text

    if session.get_bind().dialect.name != "sqlite":
        assert session.execute(text("SELECT 1")).scalar() == 1  # PostgreSQL needs none of these
        return
    assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
