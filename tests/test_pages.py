import re
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from flask import abort, request

from locator import views_meta
from tests import factories
from tests.conftest import make_settings

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(client, path: str) -> list[tuple[str | None, str | None]]:
    """(loc, lastmod) of each URL in one of our sitemap files."""
    urls = ElementTree.fromstring(client.get(path).data)  # noqa: S314 (our own response)
    return [(u.findtext(f"{SITEMAP}loc"), u.findtext(f"{SITEMAP}lastmod")) for u in urls]


def test_home_without_a_place_lists_the_directory_by_state(app, client, session):
    factories.program(session, name="Ohio Place", state="OH", city="Dayton", zip="45402", phone="(937) 555-0100")
    factories.program(session, name="Kentucky Place", levels=[{"level": "detox", "setting": "general"}])
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert page.index("Kentucky Place") < page.index("Ohio Place")
    assert 'href="tel:+1-937-555-0100"' in page
    assert "Detox" in page
    assert "Enter a ZIP code or a town" in page


def test_every_page_shows_the_crisis_lines_and_a_quick_exit(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="tel:988"' in page
    assert "1-800-662-4357" in page
    assert "data-quick-exit" in page


@pytest.mark.parametrize("path", ["/", "/?near=40202", "/programs/demo-louisville-detox", "/intake", "/nowhere"])
def test_every_public_page_links_to_how_to_keep_a_visit_private(seeded, client, path):
    assert '<a href="/safety">Keep your visit private</a>' in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "heading", "advice"),
    [
        ("en", "Keep your visit private", "Use a private window"),
        ("es", "Mantenga su visita en privado", "Use una ventana privada"),
    ],
)
def test_the_privacy_page_explains_the_quick_exit_private_windows_and_history(client, language, heading, advice):
    response = client.get(f"/safety?lang={language}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in page and advice in page
    assert "data-quick-exit" in page and 'href="tel:988"' in page


def test_pages_load_no_third_party_resources(client):
    page = client.get("/").get_data(as_text=True)
    for tag in ('src="http', "src='http", 'href="//', '<link rel="stylesheet" href="http'):
        assert tag not in page


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "outbox": "ok"}


def test_healthz_reports_an_unreachable_database(app_factory, tmp_path):
    app = app_factory(database_url=f"sqlite:///{tmp_path / 'missing-dir' / 'no.db'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


@pytest.mark.parametrize(("method", "path", "status"), [("get", "/no-such-page", 404), ("post", "/", 405)])
def test_error_pages_are_friendly(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "<h1>" in page and 'href="tel:988"' in page
    assert "Traceback" not in page


@pytest.mark.parametrize("path", ["/", "/api/v1/programs"])
def test_a_method_not_allowed_says_which_are(client, path):
    response = client.delete(path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert response.mimetype in ("text/html", "application/json")


def test_an_oversized_request_gets_413(app_factory):
    app = app_factory()

    @app.post("/echo")
    def echo():
        return str(len(request.form["x"]))

    response = app.test_client().post("/echo", data={"x": "a" * 200_000})
    assert response.status_code == 413
    assert "more than we can accept" in response.get_data(as_text=True)


def test_an_unexpected_error_gets_the_500_page_and_is_logged(app_factory, caplog):
    app = app_factory()

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/limited")
    def limited():
        abort(429)

    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "kaboom" not in response.get_data(as_text=True)
    assert any("unhandled error" in r.message for r in caplog.records)
    assert client.get("/limited").status_code == 429


@pytest.mark.parametrize("slug", ["a%00b", "Demo-Columbus-Detox", "%C3%BCber"])
def test_what_is_no_slug_finds_no_program(seeded, client, slug):
    """A NUL byte among them: PostgreSQL refuses one in any text, so it must never reach a query."""
    assert client.get(f"/programs/{slug}").status_code == 404
    assert client.get(f"/api/v1/programs/{slug}").status_code == 404
    assert client.post(f"/programs/{slug}/report", data={"kind": "closed"}).status_code == 404
    intake = client.get(f"/intake?program={slug}")
    assert intake.status_code == 200 and "We could not find that program" in intake.get_data(as_text=True)


def test_json_clients_get_json_errors(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert "errors" in response.json


def test_html_lang_follows_accept_language(client):
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="es">' in page


def test_a_chosen_language_is_remembered(client):
    assert '<html lang="es">' in client.get("/?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)


def test_an_unknown_language_falls_back_to_english(client):
    assert '<html lang="en">' in client.get("/?lang=xx").get_data(as_text=True)


def test_the_language_switch_keeps_the_query(client):
    page = client.get("/?near=40202&level=detox&level=outpatient").get_data(as_text=True)
    assert 'href="/?near=40202&amp;level=detox&amp;level=outpatient&amp;lang=es"' in page


def test_robots_keep_crawlers_to_the_search_page_and_the_program_pages(app_factory, database_url):
    client = app_factory(LOCATOR=make_settings(database_url, base_url="https://find.example.org")).test_client()
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    lines = robots.get_data(as_text=True).splitlines()
    assert {"Disallow: /?", "Disallow: /intake", "Disallow: /staff/"} <= set(lines)
    assert "Sitemap: https://find.example.org/sitemap.xml" in lines


def test_the_sitemap_lists_every_real_program_page_and_no_demonstration_listing(seeded, client, session):
    factories.program(session, slug="real-place", updated_at=datetime(2026, 3, 4, 12, tzinfo=UTC))
    session.commit()
    index = client.get("/sitemap.xml")
    assert index.mimetype == "application/xml" and "public" in index.headers["Cache-Control"]
    assert re.findall(r"<loc>([^<]+)</loc>", index.get_data(as_text=True)) == ["http://127.0.0.1:5000/sitemaps/1.xml"]
    assert sitemap_entries(client, "/sitemaps/1.xml") == [
        ("http://127.0.0.1:5000/", None),
        ("http://127.0.0.1:5000/safety", None),
        ("http://127.0.0.1:5000/programs/real-place", "2026-03-04"),
    ]
    assert client.get("/sitemaps/2.xml").status_code == 404


def test_a_large_directory_has_a_sitemap_file_per_share(client, session, monkeypatch):
    monkeypatch.setattr(views_meta, "SITEMAP_SIZE", 2)
    for n in range(3):
        factories.program(session, slug=f"place-{n}")
    session.commit()
    assert client.get("/sitemap.xml").get_data(as_text=True).count("<sitemap>") == 2
    assert [loc for loc, _ in sitemap_entries(client, "/sitemaps/2.xml")] == ["http://127.0.0.1:5000/programs/place-2"]
    for past in (3, 0, views_meta.SITEMAP_FILES + 1):
        assert client.get(f"/sitemaps/{past}.xml").status_code == 404


def test_a_demonstration_listing_asks_not_to_be_indexed(seeded, client, session):
    factories.program(session, slug="real-place")
    session.commit()
    demo = client.get("/programs/demo-louisville-detox").get_data(as_text=True)
    assert '<meta name="robots" content="noindex">' in demo
    assert 'name="robots"' not in client.get("/programs/real-place").get_data(as_text=True)


def test_pages_name_our_own_icon(client):
    page = client.get("/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    with client.get(icon) as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
