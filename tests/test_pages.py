import pytest
from flask import abort, request

from tests import factories


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


def test_pages_load_no_third_party_resources(client):
    page = client.get("/").get_data(as_text=True)
    for tag in ('src="http', "src='http", 'href="//', '<link rel="stylesheet" href="http'):
        assert tag not in page


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


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
