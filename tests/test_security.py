"""Security headers and cookie flags on real responses."""

import pytest

from tests import factories
from tests.conftest import make_settings, sign_in


@pytest.mark.parametrize("path", ["/", "/intake", "/staff/login", "/api/v1/taxonomy", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "img-src 'self' data: https://tile.openstreetmap.org" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_tile_host_of_a_subdomain_template_is_allowed():
    from locator.security import content_security_policy

    assert "img-src 'self' data: https://*.tiles.example.org;" in content_security_policy(
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    )


def test_staff_pages_are_never_stored(app, client, session):
    user = factories.staff(session, "admin")
    session.commit()
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"
    sign_in(client, user.email)
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"


def test_session_cookies_are_http_only_and_same_site(client, session):
    user = factories.staff(session, "admin")
    session.commit()
    cookie = sign_in(client, user.email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_https_is_required(app_factory, database_url, session):
    user = factories.staff(session, "admin")
    session.commit()
    client = app_factory(LOCATOR=make_settings(database_url, env="production")).test_client()
    response = sign_in(client, user.email)
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_staff_forms_need_a_csrf_token(app_factory, session):
    user = factories.staff(session, "admin")
    session.commit()
    client = app_factory(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/staff/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 400
