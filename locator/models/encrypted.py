"""Column types whose values are encrypted with the app's field cipher before they reach the database."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Column, Table, Text, select, type_coerce, update
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from locator import crypto


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token. Needs an app context (the keys are the app's)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else crypto.cipher().encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else crypto.cipher().decrypt(value)


class EncryptedJSON(TypeDecorator[dict[str, Any]]):
    """A JSON object stored as one Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect) -> str | None:
        if value is None:
            return None
        return crypto.cipher().encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def process_result_value(self, value: str | None, dialect) -> dict[str, Any] | None:
        return None if value is None else json.loads(crypto.cipher().decrypt(value))


ENCRYPTED_TYPES = (EncryptedText, EncryptedJSON)


def encrypted_columns(metadata) -> list[tuple[Table, Column]]:
    return [
        (table, column)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, ENCRYPTED_TYPES)
    ]


def reencrypt_all(session: Session, metadata, cipher: crypto.FieldCipher) -> int:
    """Encrypt every stored value again with the newest key (`flask keys rotate`). Returns values changed.

    Works on the tokens themselves (read and written as plain text), so no value is ever decrypted
    into a Python object for longer than `MultiFernet.rotate` takes.
    """
    changed = 0
    for table, column in encrypted_columns(metadata):
        (key,) = table.primary_key.columns
        raw = type_coerce(column, Text)
        rows = session.execute(select(key, raw).where(column.is_not(None)).order_by(key)).all()
        for row_id, token in rows:
            session.execute(
                update(table).where(key == row_id).values({column.name: type_coerce(cipher.rotate(token), Text)})
            )
            changed += 1
    session.flush()
    return changed
