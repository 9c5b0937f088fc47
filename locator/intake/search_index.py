"""A blind index of names and phone numbers: staff find a request without decrypting every row.

Each word of a name (folded: case, accents) and the phone number (E.164) is stored as a keyed hash
(HMAC-SHA-256 with `LOCATOR_INDEX_KEY`, truncated to 128 bits) in `intake_search_token`. A search
hashes its words the same way and looks them up on an index; without the key the hashes reveal
nothing, and equal names in two databases with different keys do not match.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

import phonenumbers

from locator.models import IntakeRequest, IntakeSearchToken

_WORD = re.compile(r"\w+")


def _token(key: str, kind: str, value: str) -> str:
    return hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def name_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return list(dict.fromkeys(_WORD.findall(plain)))


def phone_e164(text: str) -> str | None:
    try:
        parsed = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def tokens_for(key: str, name: str, phone: str | None) -> set[str]:
    """The tokens stored for a request."""
    tokens = {_token(key, "name", word) for word in name_words(name)}
    if phone:
        tokens.add(_token(key, "phone", phone))
    return tokens


def index_rows(key: str, request: IntakeRequest) -> list[IntakeSearchToken]:
    """The rows that index a stored request (`tokens_for` its name and phone)."""
    return [
        IntakeSearchToken(intake_request_id=request.id, token=t) for t in tokens_for(key, request.name, request.phone)
    ]


def query_tokens(key: str, text: str) -> list[str]:
    """The tokens a search must all match: a phone number's, or each word of a name."""
    if sum(ch.isdigit() for ch in text) >= 7 and (phone := phone_e164(text)):
        return [_token(key, "phone", phone)]
    return [_token(key, "name", word) for word in name_words(text)]
