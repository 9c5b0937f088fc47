"""Stylesheets and scripts: versioned URLs, kept a year by the browser, and a new URL the moment a file changes."""

import os
import re

from flask import url_for

from tests.conftest import ROOT


def test_every_stylesheet_and_script_on_a_page_is_versioned_and_kept_a_year(seeded, client):
    html = client.get("/?near=40202").get_data(as_text=True)
    assets = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert len(assets) >= 4  # ours and Leaflet's
    for url in assets:
        assert re.search(r"\?v=[\w.]+$", url), url
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        with client.get(url.split("?")[0]) as unversioned:  # asked for without it: checked again each time
            assert "immutable" not in unversioned.headers["Cache-Control"]


def test_a_changed_file_gets_a_new_url_and_an_old_url_is_not_kept(app_factory, tmp_path):
    app = app_factory()
    app.static_folder = str(tmp_path)
    style = tmp_path / "site.css"
    style.write_text("body { color: black }")
    with app.test_request_context():
        first = url_for("static", filename="site.css")
    style.write_text("body { color: navy }")
    os.utime(style, ns=(style.stat().st_atime_ns, style.stat().st_mtime_ns + 1_000_000_000))
    with app.test_request_context():
        second = url_for("static", filename="site.css")
    assert first != second

    client = app.test_client()
    with client.get(second) as current:
        assert "immutable" in current.headers["Cache-Control"] and current.data == b"body { color: navy }"
    with client.get(first) as old:  # a page cached before the change: served, but not to be kept
        assert "immutable" not in old.headers["Cache-Control"] and old.data == b"body { color: navy }"


def test_a_path_outside_the_static_folder_is_neither_read_nor_versioned(client):
    with client.get("/static/..%2f..%2fpyproject.toml?v=anything") as response:
        assert response.status_code == 404
        assert "immutable" not in response.headers.get("Cache-Control", "")


def test_the_stylesheet_uses_no_selector_an_older_phone_browser_would_drop_a_whole_rule_for():
    """:is(), :where() and :has() came late to phone browsers (Safari 14 and 15.4, Chrome 88 and 105); a browser
    that cannot parse one ignores the whole rule it is in, and the form fields or the layout with it."""
    css = (ROOT / "locator" / "static" / "css" / "site.css").read_text()
    without_comments = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert re.findall(r":(?:is|where|has)\(", without_comments) == []
