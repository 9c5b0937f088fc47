"""Security headers on every response, and `no-store` on every staff page.

The Content-Security-Policy allows our own origin only, plus the map tile host for images: no
third-party script, style, font or frame can load, and no site may frame ours.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request


def content_security_policy(tile_url: str) -> str:
    tiles = urlsplit(tile_url.replace("{s}", "subdomain"))  # Leaflet's {s}: any subdomain
    tile_host = f"{tiles.scheme}://{tiles.netloc.replace('subdomain', '*')}"
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src 'self' data: {tile_host}",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def init_app(app: Flask) -> None:
    settings = app.config["LOCATOR"]
    policy = content_security_policy(settings.map_tile_url)
    https_only = settings.env == "production"

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self), interest-cohort=()"
        if request.path.startswith("/staff"):
            response.headers["Cache-Control"] = "no-store"
        if https_only:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
