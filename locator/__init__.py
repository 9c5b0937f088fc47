"""Treatment-centre locator and intake system."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, commands and error pages. Nothing else."""
    from locator import (
        assets,
        cli,
        crypto,
        errors,
        geo,
        i18n,
        logs,
        notify,
        security,
        templating,
        urls,
        vendor,
        views_meta,
    )
    from locator.api import bp as api_bp
    from locator.api.hsds import bp as hsds_bp
    from locator.config import Settings
    from locator.extensions import compress, csrf, db, limiter, migrate
    from locator.intake import bp as intake_bp
    from locator.public import bp as public_bp
    from locator.staff import bp as staff_bp
    from locator.staff import init_app as staff_init_app

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    settings = (config or {}).get("LOCATOR") or Settings.from_env(Path(app.instance_path))
    app.config.from_mapping(settings.flask_config())
    app.config.from_mapping(config or {})
    if settings.proxy_hops:
        # Trust X-Forwarded-For/-Proto from that many proxies, so rate limits see the real client.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    crypto.init_app(app)
    i18n.init_app(app)
    geo.init_app(app)
    notify.init_app(app)
    logs.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    urls.init_app(app)
    assets.init_app(app)

    app.register_blueprint(public_bp)
    app.register_blueprint(intake_bp)
    app.register_blueprint(staff_bp)
    staff_init_app(app)
    app.register_blueprint(api_bp)
    app.register_blueprint(hsds_bp)
    app.register_blueprint(vendor.bp)
    app.register_blueprint(views_meta.bp)
    errors.init_app(app)
    cli.init_app(app)
    return app
