"""Staff passwords: argon2id (argon2-cffi), 12 to 128 characters; longer input is refused unhashed."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
#: Verified against when the account does not exist, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class PasswordPolicyError(ValueError):
    pass


def check_policy(password: str) -> None:
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"A password can have at most {MAX_LENGTH} characters.")
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"A password needs at least {MIN_LENGTH} characters.")


def hash_password(password: str) -> str:
    check_policy(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. A missing hash or an over-long password costs the same and fails."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
