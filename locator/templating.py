"""Template globals and filters shared by every page."""

from __future__ import annotations

from urllib.parse import urlencode

import phonenumbers
from flask import Flask, current_app, request
from flask_babel import get_locale
from sqlalchemy import exists, select

from locator.extensions import db
from locator.models import Program
from locator.taxonomy import LEVELS


def _level_label(level: str, setting: str | None = None) -> str:
    found = LEVELS.get(level)
    if found is None:
        return level
    if setting:
        return str(found.setting(setting).label)
    return str(found.label)


def tel_uri(number: str) -> str:
    """A `tel:` link in E.164 form, which every phone dials correctly; the digits as given otherwise."""
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.RFC3966)


def _url_with_lang(code: str) -> str:
    """This page's URL, every query parameter kept, in another language."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["level_label"] = _level_label
    app.jinja_env.filters["tel_uri"] = tel_uri

    @app.context_processor
    def site_globals() -> dict[str, object]:
        return {
            "current_locale": str(get_locale() or "en"),
            "languages": current_app.config["LOCATOR"].languages,
            "url_with_lang": _url_with_lang,
            "demo_data": db.session.scalar(select(exists().where(Program.is_demo))),
        }
