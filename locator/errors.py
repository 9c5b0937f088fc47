"""Error pages: calm, translated, with the crisis lines, and never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from locator.extensions import db
from locator.i18n import lazy_gettext as _l

MESSAGES = {
    400: (_l("Something in that request was not right"), _l("Please go back and try again.")),
    404: (_l("We could not find that page"), _l("The link may be old, or the listing may have been removed.")),
    405: (_l("That action is not available here"), _l("Please go back and try again.")),
    413: (_l("That was more than we can accept"), _l("Please shorten what you entered and try again.")),
    429: (_l("Too many requests"), _l("Please wait a minute and try again. If you need help now, call us.")),
    500: (_l("Something went wrong on our side"), _l("It is not your fault. Please try again in a moment.")),
}


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/hsds/")) or request.accept_mimetypes.best == "application/json"


def render_error(error: HTTPException):
    if error.response is not None:  # a view prepared its own page (the intake form's rate limit does)
        return error.response
    code = error.code or 500
    title, detail = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    # The error's own headers (a 405's Allow; Retry-After when a 429 sets one), not its content type.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if _wants_json():
        return {"errors": {"_": [str(title)]}}, code, headers
    return render_template("errors/error.html", code=code, title=str(title), detail=str(detail)), code, headers


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, render_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return render_error(error)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(InternalServerError())
