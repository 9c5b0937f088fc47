"""Locale choice: `?lang=` (remembered in the session), else the browser's Accept-Language."""

from __future__ import annotations

from flask import Flask, has_request_context, request, session

from locator.config import current_settings
from locator.extensions import babel


def select_locale() -> str:
    languages = current_settings().languages
    if not has_request_context():  # commands (exports, imports) write in the default language
        return languages[0]
    chosen = request.args.get("lang", "")
    if chosen in languages:
        session["lang"] = chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path) + "/translations",
    )
