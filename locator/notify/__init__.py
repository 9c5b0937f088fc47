"""Notifications: an outbox in the database, delivered by SMTP (or to the log when no server is set)."""

from __future__ import annotations

from flask import Flask, current_app

from locator.notify.mail import LogTransport, SMTPTransport, Transport

EXTENSION_KEY = "locator.mail"


def init_app(app: Flask) -> None:
    mail = app.config["LOCATOR"].mail
    app.extensions[EXTENSION_KEY] = SMTPTransport(mail) if mail.server else LogTransport()


def transport() -> Transport:
    return current_app.extensions[EXTENSION_KEY]
