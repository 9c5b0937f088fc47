"""Portable SQL for CHECK constraints (the same text works on SQLite and PostgreSQL)."""

from collections.abc import Iterable


def quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def one_of(column: str, values: Iterable[str]) -> str:
    return f"{column} IN ({quoted(values)})"


def upper_letters(column: str, length: int) -> str:
    """Exactly `length` characters, each an upper-case letter (a character whose lower case differs)."""
    chars = [f"substr({column}, {i}, 1) <> lower(substr({column}, {i}, 1))" for i in range(1, length + 1)]
    return " AND ".join([f"length({column}) = {length}", *chars])


def digits(column: str, length: int) -> str:
    """Exactly `length` characters, all decimal digits."""
    return f"length({column}) = {length} AND ltrim({column}, '0123456789') = ''"
