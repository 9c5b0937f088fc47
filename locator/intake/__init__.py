"""The public intake form: a person asks to be contacted about treatment."""

from flask import Blueprint

bp = Blueprint("intake", __name__)

from locator.intake import views  # noqa: E402, F401  (registers the routes)
