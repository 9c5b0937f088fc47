from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def allow_cross_origin_reads(response):
    """Partner sites may embed results: reads are open to every origin (no credentials)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Expose-Headers"] = "Link, X-Total-Count"  # the CSV's paging
    response.headers["Vary"] = "Accept-Language"
    return response


bp.after_request(allow_cross_origin_reads)

from locator.api import views  # noqa: E402,F401  (registers the routes)
