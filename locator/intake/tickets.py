"""The ticket each rendered intake form carries: its idempotency key and when it was shown.

Signed with the app's secret, so the time cannot be forged to look slow and a key cannot be
chosen by the client. Tickets do not expire: a person may take an hour to fill the form in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "locator.intake.ticket"


@dataclass(frozen=True)
class Ticket:
    key: str
    issued_at: datetime


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def new_key() -> str:
    return secrets.token_urlsafe(18)


def issue(secret_key: str) -> str:
    return _serializer(secret_key).dumps(new_key())


def read(secret_key: str, token: str | None) -> Ticket | None:
    """The ticket's key and issue time, or None when it is missing or was not signed by us."""
    if not token:
        return None
    try:
        key, issued_at = _serializer(secret_key).loads(token, return_timestamp=True)
    except BadData:
        return None
    if not isinstance(key, str) or not 16 <= len(key) <= 64:
        return None
    return Ticket(key, issued_at)
