"""`bench/RESULTS.md`: each benchmark replaces only its own `## ` section."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def write_section(heading: str, lines: list[str]) -> None:
    """Replace (or append) the section whose first line is `## {heading}`."""
    title = f"## {heading}"
    existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    head, found, rest = existing.partition(title)
    tail = rest[rest.find("\n## ") :] if found and "\n## " in rest else ""
    RESULTS.write_text(head.rstrip() + "\n\n" + "\n".join([title, *lines]).rstrip() + "\n" + tail)
