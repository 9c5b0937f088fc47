"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import phonenumbers
from babel import Locale
from flask import Flask, request, url_for
from flask_babel import format_date, format_time, format_timedelta, get_locale
from markupsafe import Markup
from sqlalchemy import exists, select

from locator.availability import FULL, NOT_CONFIRMED, OPEN, availability
from locator.config import current_settings
from locator.extensions import db
from locator.hours import ALL_DAY, NETWORK_TIMEZONE, Period, by_day, format_minute
from locator.i18n import gettext as _
from locator.i18n import ngettext
from locator.intake.forms import answer_text
from locator.intake.triage import RULES_BY_CODE
from locator.models import Program, ProgramLevel, utcnow
from locator.search.form import RADII
from locator.taxonomy import ATTRIBUTE_CATEGORIES, LEVELS, by_category

NETWORK_ZONE = ZoneInfo(NETWORK_TIMEZONE)
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _level_label(level: str, setting: str | None = None) -> str:
    found = LEVELS.get(level)
    if found is None:
        return level
    if setting:
        return str(found.setting(setting).label)
    return str(found.label)


def availability_text(level: ProgramLevel) -> tuple[str, str]:
    """(status, words) for a level: '3 beds open · updated 2 hours ago', 'Not confirmed', ..."""
    now = utcnow()
    found = availability(level, now, current_settings().availability_fresh_hours)
    if found.status not in (OPEN, FULL, NOT_CONFIRMED):
        return found.status, ""
    if found.status == NOT_CONFIRMED:
        return found.status, _("Availability not confirmed recently")
    ago = format_timedelta(found.updated_at - now, add_direction=True)
    if found.status == FULL:
        return found.status, _("Full · updated %(ago)s", ago=ago)
    if found.unit == "bed":
        words = ngettext("%(num)d bed open", "%(num)d beds open", found.available)
    else:
        words = ngettext("%(num)d place open", "%(num)d places open", found.available)
    return found.status, _("%(open)s · updated %(ago)s", open=words, ago=ago)


def program_json_ld(program: Program) -> dict:
    """schema.org description of a program page, for search engines and assistive tools."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": program.name,
        "url": url_for("public.program", slug=program.slug, _external=True),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(filter(None, [program.street1, program.street2])),
            "addressLocality": program.city,
            "addressRegion": program.state,
            "postalCode": program.zip,
            "addressCountry": "US",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": program.lat, "longitude": program.lon},
        "isAcceptingNewPatients": program.accepting_new,
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": SCHEMA_DAYS[h.weekday],
                "opens": format_minute(h.opens_minute),
                "closes": "23:59" if h.closes_minute == 1440 else format_minute(h.closes_minute),
            }
            for h in program.hours
        ],
    }
    if program.phone:
        data["telephone"] = program.phone
    if program.description:
        data["description"] = program.description
    return data


def _time_of_day(minute: int) -> str:
    """'9:00 AM' (English), '9:00' (Spanish): the locale's short time; the end of the day is midnight."""
    return format_time(time(minute // 60 % 24, minute % 60), "short")


def week_hours(periods: list[Period]) -> list[tuple[str, str]]:
    """Monday to Sunday, each day's name and its hours in words: 'Open 24 hours', 'Closed', or the
    opening times in the locale's clock ('8:00 AM', '20:00'). A day left out is a closed day, and says so."""
    week = []
    for weekday, spans in enumerate(by_day(periods)):
        if not spans:
            words = _("Closed")
        elif spans == [ALL_DAY]:
            words = _("Open 24 hours")
        else:
            words = ", ".join(f"{_time_of_day(opens)} – {_time_of_day(closes)}" for opens, closes in spans)
        week.append((format_date(date(2024, 1, 1) + timedelta(days=weekday), "EEEE"), words))  # 2024-01-01: a Monday
    return week


def query_url(endpoint: str | None = None, **changes) -> str:
    """The current page's URL with some query parameters changed (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value if isinstance(value, list) else [value]
    path = request.path if endpoint is None else url_for(endpoint)
    return f"{path}?{urlencode(args, doseq=True)}" if args else path


def tel_uri(number: str) -> str:
    """A `tel:` link in E.164 form, which every phone dials correctly; the digits as given otherwise."""
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.RFC3966)


@cache
def _short_names(locale: Locale) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Babel's abbreviated weekday (Monday first) and month names for a locale: what `EEE` and `MMM` write."""
    days, months = locale.days["format"]["abbreviated"], locale.months["format"]["abbreviated"]
    return tuple(days[d] for d in range(7)), tuple(months[m] for m in range(1, 13))


def staff_time(moment: datetime) -> str:
    """A moment in the network's time zone, short: 'Tue 24 Nov 09:05', and 'Wed 17 Sep 2025 08:00' outside this
    year (Babel's `EEE d MMM [y] HH:mm`, from its names directly: formatting through Babel costs four times as
    much, fifty times on a queue page)."""
    local = moment.astimezone(NETWORK_ZONE)
    days, months = _short_names(get_locale())
    year = "" if local.year == datetime.now(NETWORK_ZONE).year else f" {local.year}"
    return f"{days[local.weekday()]} {local.day} {months[local.month - 1]}{year} {local.hour:02}:{local.minute:02}"


def duration(span: timedelta) -> str:
    """'12 min', '1 h 5 min', '2 d 3 h' (always positive)."""
    minutes = int(abs(span.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h", d=days, h=hours)
    if hours:
        return _("%(h)d h %(m)d min", h=hours, m=minutes)
    return _("%(m)d min", m=minutes)


def unbroken(text: str) -> Markup:
    """Text kept on one line, such as a phone number inside a longer label: '(502) 555-' above '0184' misdials."""
    return Markup('<span class="unbroken">{}</span>').format(text)


def phone_display(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return number
    national = parsed.country_code == 1
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, style)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["staff_time"] = staff_time
    app.jinja_env.globals["answer"] = answer_text
    app.jinja_env.globals["triage_reasons"] = lambda codes: "; ".join(
        str(RULES_BY_CODE[c].description) if c in RULES_BY_CODE else c for c in codes
    )
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["phone_display"] = phone_display
    app.jinja_env.filters["unbroken"] = unbroken
    app.jinja_env.globals["minutes_duration"] = lambda minutes: duration(timedelta(minutes=minutes))
    app.jinja_env.filters["level_label"] = _level_label
    app.jinja_env.filters["tel_uri"] = tel_uri
    app.jinja_env.filters["availability_text"] = availability_text
    app.jinja_env.globals["query_url"] = query_url
    app.jinja_env.globals["radii"] = RADII
    app.jinja_env.globals["week_hours"] = week_hours
    app.jinja_env.filters["by_category"] = by_category
    app.jinja_env.globals["category_label"] = lambda category: str(ATTRIBUTE_CATEGORIES.get(category, category))
    app.jinja_env.filters["program_json_ld"] = program_json_ld
    app.jinja_env.filters["format_date"] = format_date  # a date in the page's language: `| format_date("MMM d")`

    @app.context_processor
    def site_globals() -> dict[str, object]:
        return {
            "current_locale": str(get_locale() or "en"),
            "languages": current_settings().languages,
            "demo_data": db.session.scalar(select(exists().where(Program.is_demo))),
        }
