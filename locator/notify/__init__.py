"""Notifications: an outbox in the database, delivered by SMTP (or to the log when no server is set)."""

from __future__ import annotations

from flask import Flask, after_this_request, current_app

from locator.extensions import db
from locator.notify.mail import LogTransport, SMTPTransport, Transport
from locator.notify.outbox import deliver

EXTENSION_KEY = "locator.mail"


def init_app(app: Flask) -> None:
    mail = app.config["LOCATOR"].mail
    app.extensions[EXTENSION_KEY] = SMTPTransport(mail) if mail.server else LogTransport()


def transport() -> Transport:
    return current_app.extensions[EXTENSION_KEY]


def send_after_response() -> None:
    """Deliver what this request put in the outbox once its response has gone; `flask outbox send` retries
    whatever fails."""
    app = current_app._get_current_object()

    def send() -> None:
        with app.app_context():
            try:
                deliver(db.session, transport(), limit=20)
            except Exception:  # the messages stay in the outbox for the next run
                app.logger.warning("outbox delivery after a response failed; `flask outbox send` will retry")

    @after_this_request
    def send_when_closed(response):
        response.call_on_close(send)
        return response
