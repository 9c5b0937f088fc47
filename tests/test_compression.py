"""Compressed responses: stylesheets, scripts and the API's JSON, for a slow phone connection; never HTML or CSV."""

import gzip

import brotli
import pytest

from tests import factories

ACCEPT_ALL = {"Accept-Encoding": "gzip, deflate, br, zstd"}


@pytest.mark.parametrize(
    "url",
    ["/static/css/site.css", "/static/js/search.js", "/static/vendor/leaflet/leaflet.js"],
)
def test_stylesheets_and_scripts_are_sent_compressed_and_still_revalidate(client, url):
    with client.get(url) as plain:
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers  # nothing asked, nothing done
        original = plain.data
    with client.get(url, headers={"Accept-Encoding": "br"}) as packed:
        assert packed.headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert brotli.decompress(packed.data) == original
        assert len(packed.data) < len(original) / 2
    with client.get(url, headers={"Accept-Encoding": "gzip"}) as older:  # a phone's older browser
        assert older.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(older.data) == original
    with client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": packed.headers["ETag"]}) as again:
        assert again.status_code == 304 and again.data == b""


def test_the_api_answers_in_gzip_when_that_is_all_a_client_takes(client, session):
    for n in range(10):
        factories.program(session, name=f"Compressed Place {n}")
    session.commit()
    plain = client.get("/api/v1/programs?near=40202&radius=25")
    packed = client.get("/api/v1/programs?near=40202&radius=25", headers={"Accept-Encoding": "gzip"})
    assert plain.json["total"] == 10
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data


@pytest.mark.parametrize("url", ["/", "/intake", "/staff/login", "/api/v1/programs.csv?near=43215"])
def test_pages_and_csv_are_never_compressed(client, seeded, url):
    """They can hold a form token or personal answers next to what a visitor typed: what BREACH needs."""
    response = client.get(url, headers=ACCEPT_ALL)
    assert response.status_code == 200
    assert len(response.data) > 500  # large enough that it would have been compressed
    assert "Content-Encoding" not in response.headers
