"""Encryption of personal and health fields at rest (Fernet, from `cryptography`).

`LOCATOR_FIELD_KEYS` holds one or more Fernet keys, newest first. New values are encrypted with the
first key; any of them decrypts, so a key is rotated by putting a new key in front, running
`flask keys rotate` (which re-encrypts every stored value with the new key), then dropping the old
one. Columns declared with `EncryptedText` / `EncryptedJSON` (locator.models.encrypted) go through
the app's cipher, so the database, its backups and its logs only ever hold ciphertext.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app

EXTENSION_KEY = "locator.cipher"


class DecryptionError(RuntimeError):
    """A stored value could not be decrypted with any configured key."""


class FieldCipher:
    def __init__(self, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("at least one field key is needed")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode()
        except InvalidToken:
            raise DecryptionError("a stored value does not decrypt with LOCATOR_FIELD_KEYS") from None

    def rotate(self, token: str) -> str:
        """The same value, encrypted again with the newest key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise DecryptionError("a stored value does not decrypt with LOCATOR_FIELD_KEYS") from None


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = FieldCipher(app.config["LOCATOR"].field_keys)


def cipher() -> FieldCipher:
    return current_app.extensions[EXTENSION_KEY]
