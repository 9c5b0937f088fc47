"""Time-based one-time passwords (pyotp): enrolment with a QR code, and codes that work once only."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
import segno

ISSUER = "Treatment Locator"
WINDOW = 1  # accept the previous and next 30-second step as well, for clock drift


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """An inline SVG of the QR code (made here: the secret never leaves the server)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff", omitsize=False)


def matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step `code` belongs to, if valid now and later than `after` (the last step used)."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
