from datetime import UTC, datetime

import pytest

from locator.hours import day_text, format_minute, is_open, parse_day, parse_weekly


def test_round_the_clock_is_seven_whole_days():
    assert parse_weekly("24/7") == [(day, 0, 1440) for day in range(7)]


def test_day_ranges_and_split_periods():
    periods = parse_weekly({"mon-wed": "08:00-12:00, 13:00-17:30", "sat": "09:00-13:00"})
    assert (0, 480, 720) in periods and (2, 780, 1050) in periods
    assert (5, 540, 780) in periods
    assert not any(day in (3, 4, 6) for day, _, _ in periods)


@pytest.mark.parametrize(
    "spec",
    ["always", {"mon": "17:00-09:00"}, {"fri-mon": "08:00-09:00"}, {"funday": "08:00-09:00"}, {"mon": "08:00-25:00"}],
)
def test_impossible_hours_are_refused(spec):
    with pytest.raises(ValueError):
        parse_weekly(spec)


def test_open_now_uses_the_programs_own_time_zone():
    periods = parse_weekly({"mon-fri": "08:00-17:00"})
    # Monday 2026-11-23 13:30 UTC is 08:30 in New York and 07:30 in Chicago.
    now = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    assert is_open(periods, "America/New_York", now)
    assert not is_open(periods, "America/Chicago", now)


def test_closing_minute_is_not_open():
    periods = parse_weekly({"mon": "08:00-17:00"})
    assert not is_open(periods, "UTC", datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    assert is_open(periods, "UTC", datetime(2026, 11, 23, 16, 59, tzinfo=UTC))


def test_minutes_are_shown_as_clock_times():
    assert format_minute(0) == "00:00"
    assert format_minute(330) == "05:30"
    assert format_minute(1440) == "24:00"


def test_a_days_hours_read_as_written_and_back():
    assert parse_day("13:00-17:30, 8-12:00") == [(480, 720), (780, 1050)]
    assert parse_day("09:00–17:00") == [(540, 1020)]  # an en dash, as a word processor writes it
    assert parse_day(" ") == [] and parse_day("00:00-24:00") == [(0, 1440)]
    assert day_text(parse_day("13:00-17:30, 8-12:00")) == "08:00-12:00, 13:00-17:30"


@pytest.mark.parametrize(
    "text", ["08:00-12:00, 11:00-14:00", "08:75-09:00", "08:-5-09:00", "8.30-17:00", "08:00", "17:00-09:00", "٨-٩"]
)
def test_a_day_that_cannot_be_is_refused(text):
    with pytest.raises(ValueError):
        parse_day(text)
