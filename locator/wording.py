"""English wording for what is read untranslated: command output, audit details and staff notices."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 request', '2 requests', '14,034 rows' ('1 entry', '2 entries' with `plural` given)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
