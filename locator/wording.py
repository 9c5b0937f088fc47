"""English wording for what is read untranslated: command output, audit details and staff notices."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """'1 request', '2 requests', '14,034 rows' (nouns that take an s)."""
    return f"{count:,} {noun if count == 1 else noun + 's'}"
