"""What an import says: rows read, merged, rejected (grouped by reason, with line numbers), codes kept."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from locator.directory.bulk import Counts
from locator.directory.importers import Parsed, Rejected
from locator.wording import counted

SHOW_LINES = 8
SHOW_CODES = 12


def report_lines(parsed: Parsed, counts: Counts) -> list[str]:
    imported = parsed.rows - len(parsed.rejected)
    lines = [
        f"Read {counted(parsed.rows, 'row')}: {imported:,} imported into {counted(len(parsed.records), 'program')} "
        f"({counted(parsed.merged, 'row')} merged into the program of the same site), "
        f"{len(parsed.rejected):,} rejected.",
        f"Programs: {counts.added} added, {counts.updated} updated, {counts.unchanged} unchanged.",
    ]
    if parsed.codes.rows:
        lines.append(
            f"Service codes: {len(parsed.codes.rows):,} different codes on imported rows "
            f"({sum(parsed.codes.rows.values())} in all); every one is kept on its program."
        )
    if parsed.codes.unmapped:
        top = ", ".join(f"{code} ({n})" for code, n in parsed.codes.unmapped.most_common(SHOW_CODES))
        lines.append(
            f"Not mapped to a level or attribute: {counted(len(parsed.codes.unmapped), 'code')}, "
            f"{counted(sum(parsed.codes.unmapped.values()), 'time')} on programs; most often {top}."
        )
    by_reason: dict[str, list[int]] = defaultdict(list)
    for rejected in parsed.rejected:
        by_reason[rejected.reason].append(rejected.line)
    for reason, numbers in sorted(by_reason.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(map(str, numbers[:SHOW_LINES])) + (", ..." if len(numbers) > SHOW_LINES else "")
        lines.append(f"Rejected {len(numbers)}: {reason} (line {shown}).")
    return lines


def write_rejects(path: Path, rejected: list[Rejected]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "reason"])
        writer.writerows((r.line, r.reason) for r in rejected)
