"""What every geocoder returns or raises."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    label: str
    state: str = ""


@dataclass
class GeocodeError(Exception):
    """The place could not be resolved to one location.

    `reason` is `empty`, `unknown`, `ambiguous` or `unavailable`; `choices` are place names the
    person can pick instead (for an ambiguous or misspelt place).
    """

    reason: str
    query: str
    choices: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.reason}: {self.query!r}"
