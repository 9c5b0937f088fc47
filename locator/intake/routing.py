"""Routing: which queue a new request lands in (DESIGN.md section 6).

1. The program the person chose on the locator ("Request intake" on its card or page).
2. Otherwise, with a ZIP code: the nearest program accepting new clients that offers the level of
   care asked for (the most intensive one, when several were ticked), within 100 miles.
3. Otherwise the network-wide queue, which the network's intake team works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from locator.geo import Place
from locator.models import Program
from locator.search.service import Filters, box_query, filter_clauses, rank_by_distance

NEAREST_WITHIN_MILES = 100.0


@dataclass(frozen=True)
class Route:
    program: Program | None
    routed_by: str  # one of locator.models.intake.ROUTES
    distance_miles: float | None = None


def nearest_accepting(session: Session, origin: Place, level: str | None, now: datetime) -> Route | None:
    filters = Filters(levels=(level,) if level else (), accepting=True)
    clauses = filter_clauses(session, filters, now, fresh_hours=0)
    ranked = rank_by_distance(
        session.execute(box_query(origin, NEAREST_WITHIN_MILES, clauses)), origin, NEAREST_WITHIN_MILES, "distance"
    )
    if not ranked:
        return None
    program_id, miles = ranked[0]
    return Route(session.get(Program, program_id), "nearest", miles)


def route(session: Session, chosen: Program | None, origin: Place | None, level: str | None, now: datetime) -> Route:
    if chosen is not None:
        return Route(chosen, "chosen")
    if origin is not None and (nearest := nearest_accepting(session, origin, level, now)):
        return nearest
    return Route(None, "network")
