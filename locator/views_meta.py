"""Service endpoints: the health check, and what search engines read: robots.txt and the sitemap of the
program pages (people find treatment through search engines as much as through our own search)."""

from flask import Blueprint, Response, abort, jsonify, render_template
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from locator.config import current_settings
from locator.extensions import db
from locator.models import Program, utcnow
from locator.notify import outbox
from locator.pagination import page_count

bp = Blueprint("meta", __name__)

#: Program pages per sitemap file: the protocol allows 50,000 URLs (and 50 MB) in one.
SITEMAP_SIZE = 40_000
#: Sitemap files there can be: forty million listings, far past any network's, and a bound on the page number.
SITEMAP_FILES = 1000


@bp.get("/healthz")
def healthz():
    """Up while the database answers; "outbox" tells a monitor that notices wait for a person ("delayed": nothing
    is sending them; "failed": given up), without saying to whom or about what."""
    try:
        backlog = outbox.backlog(db.session, utcnow())
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    state = "failed" if backlog.failed else "delayed" if backlog.delayed else "ok"
    return jsonify(status="ok", database="ok", outbox=state)


@bp.get("/robots.txt")
def robots():
    """Crawl the search page and the program pages; not search results (endless), intake forms or staff pages."""
    lines = ["User-agent: *", "Disallow: /?", "Disallow: /intake", "Disallow: /staff/"]
    lines.append(f"Sitemap: {current_settings().base_url}/sitemap.xml")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


def _listed():
    """The listings to offer search engines: real ones, not the demonstration network's."""
    return select(Program.slug, Program.updated_at).where(Program.is_demo.is_(False))


@bp.get("/sitemap.xml")
def sitemap_index():
    listed = db.session.scalar(select(func.count()).select_from(_listed().subquery()))
    files = page_count(listed, SITEMAP_SIZE)
    base_url = current_settings().base_url
    return _xml(render_template("meta/sitemap_index.xml", base_url=base_url, files=range(1, files + 1)))


@bp.get(f"/sitemaps/<int(min=1, max={SITEMAP_FILES}):number>.xml")
def sitemap(number: int):
    query = _listed().order_by(Program.id).offset((number - 1) * SITEMAP_SIZE).limit(SITEMAP_SIZE)
    programs = db.session.execute(query).all()
    if not programs and number != 1:
        abort(404)
    xml = render_template(
        "meta/sitemap.xml", base_url=current_settings().base_url, programs=programs, first=number == 1
    )
    return _xml(xml)


def _xml(body: str) -> Response:
    response = Response(body, mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
