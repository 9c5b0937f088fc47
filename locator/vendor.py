"""Third-party browser libraries served from our own origin, out of their xstatic packages (no CDN)."""

from flask import Blueprint, abort, send_from_directory
from xstatic.pkg import leaflet, leaflet_markercluster

bp = Blueprint("vendor", __name__, url_prefix="/static/vendor")

PACKAGES = {"leaflet": leaflet.BASE_DIR, "markercluster": leaflet_markercluster.BASE_DIR}
VERSIONS = {"leaflet": leaflet.VERSION, "markercluster": leaflet_markercluster.VERSION}  # their URLs' `v` (assets)


@bp.get("/<package>/<path:filename>")
def asset(package: str, filename: str):
    directory = PACKAGES.get(package)
    if directory is None:
        abort(404)
    return send_from_directory(directory, filename)
