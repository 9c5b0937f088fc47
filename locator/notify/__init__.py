"""Notifications: an outbox in the database, delivered by SMTP (or to the log when no server is set).

A request that writes to the outbox delivers what is due once its response has gone, so that a notice
does not wait for `flask outbox send`; that command (every minute, from cron) retries whatever fails.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, has_request_context
from sqlalchemy import event

from locator.extensions import db
from locator.models import OutboxMessage
from locator.notify.mail import LogTransport, SMTPTransport, Transport
from locator.notify.outbox import deliver

EXTENSION_KEY = "locator.mail"


def init_app(app: Flask) -> None:
    mail = app.config["LOCATOR"].mail
    app.extensions[EXTENSION_KEY] = SMTPTransport(mail) if mail.server else LogTransport()
    app.after_request(_send_when_closed)


def transport() -> Transport:
    return current_app.extensions[EXTENSION_KEY]


def deliver_after_response() -> None:
    """Send what is due once this request's response has gone, as for a message the request wrote."""
    g.outbox_written = True


@event.listens_for(OutboxMessage, "after_insert")
def _written(_mapper, _connection, _message) -> None:
    if has_request_context():
        deliver_after_response()


def _send_when_closed(response: Response) -> Response:
    if g.pop("outbox_written", False):
        app = current_app._get_current_object()

        def send() -> None:
            with app.app_context():
                try:
                    deliver(db.session, transport(), limit=20)
                except Exception:  # the messages stay in the outbox for the next run
                    app.logger.warning("outbox delivery after a response failed; `flask outbox send` will retry")

        response.call_on_close(send)
    return response
