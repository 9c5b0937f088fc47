"""Locale choice: `?lang=` (remembered in the session), else the browser's Accept-Language, on the public
pages (the staff pages are in English); and the request's translations, looked up once.
"""

from __future__ import annotations

import flask_babel
from babel.support import NullTranslations
from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_babel import Babel
from flask_babel.speaklater import LazyString

from locator.config import current_settings

babel = Babel()


STAFF_LANGUAGE = "en"  # the staff pages are written in English and not translated


def select_locale() -> str:
    languages = current_settings().languages
    if not has_request_context():  # commands (exports, imports) write in the default language
        return languages[0]
    if request.blueprint == "staff":  # one language on the page (and in its `lang`), whatever the public site uses
        return STAFF_LANGUAGE
    chosen = request.args.get("lang", "")
    remembered = request.blueprint not in ("api", "hsds")  # the APIs keep no state: no cookie, cacheable answers
    if chosen in languages:
        if remembered:
            session["lang"] = chosen
        return chosen
    if remembered and session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def translations() -> NullTranslations:
    """This request's translations. Flask-Babel finds them again on every call, through a dozen context
    look-ups, and a page of fifty queue rows makes hundreds of calls; a request keeps one locale."""
    if not has_app_context():
        return flask_babel.get_translations()
    found = g.get("translations")
    if found is None:
        found = g.translations = flask_babel.get_translations()
    return found


def gettext(message: str, **variables) -> str:
    text = translations().ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(message: str, **variables) -> LazyString:
    """Translated when used: for labels defined at import time."""
    return LazyString(gettext, message, **variables)


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path) + "/translations",
    )
    app.jinja_env.install_gettext_callables(  # as Flask-Babel's, with the translations looked up once
        gettext=lambda message: translations().ugettext(message),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        pgettext=lambda context, message: translations().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
