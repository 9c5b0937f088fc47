"""Request references: short, unguessable, and easy to read aloud over a bad phone line.

Seven symbols from an alphabet without look-alikes (no 0/O, 1/I/L, and no U), shown as `K7Q-4MZP`:
30^7, about 2 x 10^10 possibilities, drawn with `secrets`.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 7


def new_reference() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{symbols[:3]}-{symbols[3:]}"


def normalise_reference(text: str) -> str | None:
    """What a person typed or said ('k7q 4mzp') as a stored reference, or None if it cannot be one."""
    symbols = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(symbols) != LENGTH or any(ch not in ALPHABET for ch in symbols):
        return None
    return f"{symbols[:3]}-{symbols[3:]}"
