"""Real Chromium (the system's, never a downloaded one) driven by Playwright against a live server."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.path.exists(configured) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no Chromium found (install Debian's chromium or set CHROMIUM_PATH)")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _context(browser, **options):
    context = browser.new_context(**options)
    # The closed network has no tile server: refuse tiles at once, as a failing tile host would.
    context.route("**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url else route.continue_())
    return context


@pytest.fixture
def page(browser):
    """A page in a fresh context; a Content-Security-Policy violation on any page fails the test."""
    context = _context(browser)
    new_page = context.new_page()
    violations: list[str] = []
    new_page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield new_page
    context.close()
    assert violations == [], violations


@pytest.fixture
def phone(browser):
    """A page on the smallest phone screen a page must fit: 320 CSS pixels wide (WCAG 2.1 reflow)."""
    context = _context(browser, viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser):
    context = _context(browser, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    def serious_violations(page) -> list[str]:
        results = Axe().run(page)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return serious_violations
