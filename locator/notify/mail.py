"""Mail transports for the outbox: SMTP when `MAIL_SERVER` is set, otherwise the application log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from locator.config import MailSettings
from locator.models import OutboxMessage

log = logging.getLogger("locator.notify")


class Transport(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Deliver the message or raise."""


class LogTransport:
    """Development and test delivery: the message goes to the log (outbox bodies carry no personal data)."""

    def send(self, message: OutboxMessage) -> None:
        log.info("mail to %s: %s\n%s", message.recipient, message.subject, message.body)


class SMTPTransport:
    def __init__(self, settings: MailSettings, smtp=smtplib.SMTP, smtp_ssl=smtplib.SMTP_SSL) -> None:
        self.settings = settings
        self._connect = smtp_ssl if settings.use_ssl else smtp

    def send(self, message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"] = self.settings.default_sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = make_msgid(domain=self.settings.default_sender.rpartition("@")[2] or None)
        email.set_content(message.body)
        with self._connect(self.settings.server, self.settings.port, timeout=self.settings.timeout) as smtp:
            if self.settings.use_tls:
                smtp.starttls()
            if self.settings.username:
                smtp.login(self.settings.username, self.settings.password)
            smtp.send_message(email)
