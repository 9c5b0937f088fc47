"""The one search: the page, the API and the exports all call `search()`.

1. A latitude/longitude box around the origin narrows candidates on `ix_program_lat_lon`.
2. Filters run in SQL as EXISTS clauses on indexed link tables (OR within a group, AND across).
3. Only (id, lat, lon) of the candidates are read; exact great-circle distance ranks them and drops
   the corners of the box.
4. Full rows (levels, attributes, organization) are loaded for the requested page only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import Session, selectinload

from locator.availability import fresh_since
from locator.geo import Place, bounding_box, haversine_miles
from locator.models import Attribute, Program, ProgramLevel, program_attribute
from locator.models.program import is_slug
from locator.pagination import page_count

DEFAULT_RADIUS = 25
MAX_RADIUS = 250
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
SORTS = ("distance", "name")


@dataclass(frozen=True)
class Filters:
    levels: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (category, codes) pairs
    accepting: bool = False
    open_now: bool = False
    q: str = ""


@dataclass(frozen=True)
class SearchQuery:
    origin: Place | None = None
    radius: float = DEFAULT_RADIUS
    filters: Filters = field(default_factory=Filters)
    sort: str = "distance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


@dataclass(frozen=True)
class Hit:
    program: Program
    distance: float | None
    number: int  # 1-based position in the whole result, shown on the list and the map marker


@dataclass(frozen=True)
class SearchResult:
    query: SearchQuery
    total: int
    hits: list[Hit]

    @property
    def pages(self) -> int:
        return page_count(self.total, self.query.per_page)


def _level_clause(column, values: tuple[str, ...], open_since: datetime | None):
    conditions = [ProgramLevel.program_id == Program.id, column.in_(values)]
    if open_since is not None:
        conditions += [ProgramLevel.capacity_available > 0, ProgramLevel.capacity_updated_at >= open_since]
    return exists().where(*conditions)


def filter_clauses(session: Session, filters: Filters, now: datetime, fresh_hours: int) -> list:
    open_since = fresh_since(now, fresh_hours) if filters.open_now else None
    clauses = []
    if filters.levels:
        clauses.append(_level_clause(ProgramLevel.level, filters.levels, open_since))
    if filters.settings:
        clauses.append(_level_clause(ProgramLevel.setting, filters.settings, open_since))
    if open_since is not None and not (filters.levels or filters.settings):
        clauses.append(
            exists().where(
                ProgramLevel.program_id == Program.id,
                ProgramLevel.capacity_available > 0,
                ProgramLevel.capacity_updated_at >= open_since,
            )
        )
    if filters.attributes:
        wanted = {(category, code) for category, codes in filters.attributes for code in codes}
        rows = session.execute(
            select(Attribute.id, Attribute.category, Attribute.code).where(
                Attribute.category.in_({category for category, _ in wanted})
            )
        )
        ids_by_category: dict[str, list[int]] = {category: [] for category, _ in filters.attributes}
        for attribute_id, category, code in rows:
            if (category, code) in wanted:
                ids_by_category[category].append(attribute_id)
        for ids in ids_by_category.values():
            clauses.append(
                exists().where(program_attribute.c.program_id == Program.id, program_attribute.c.attribute_id.in_(ids))
            )
    if filters.accepting:
        clauses.append(Program.accepting_new.is_(True))
    if filters.q:
        escaped = filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(Program.name.ilike(f"%{escaped}%", escape="\\"))
    return clauses


def box_query(origin: Place, radius: float, clauses: list, sort: str = "distance") -> Select:
    """The indexed candidate query: ids and coordinates (and names, to sort by) inside the box."""
    box = bounding_box(origin.lat, origin.lon, radius)
    columns = [Program.id, Program.lat, Program.lon] + ([Program.name] if sort == "name" else [])
    return select(*columns).where(
        Program.lat.between(box.min_lat, box.max_lat),
        Program.lon.between(box.min_lon, box.max_lon),
        *clauses,
    )


def rank_by_distance(rows, origin: Place, radius: float, sort: str) -> list[tuple[int, float]]:
    """(id, miles) within the radius, nearest first (or by name), ties broken by id."""
    ranked = []
    for row in rows:
        miles = haversine_miles(origin.lat, origin.lon, row[1], row[2])
        if miles <= radius:
            ranked.append((row[3].lower() if sort == "name" else "", miles, row[0]))
    ranked.sort()
    return [(program_id, miles) for _, miles, program_id in ranked]


_DETAILS = (selectinload(Program.levels), selectinload(Program.attributes), selectinload(Program.organization))


def _load(session: Session, ids: list[int]) -> dict[int, Program]:
    return {p.id: p for p in session.scalars(select(Program).where(Program.id.in_(ids)).options(*_DETAILS))}


def program_by_slug(session: Session, slug: str) -> Program | None:
    """One program with everything its page and its API object show. Not a slug, not a program: no
    query (and no NUL byte sent to PostgreSQL, which refuses one in any text)."""
    return _program(session, Program.slug == slug) if is_slug(slug) else None


def program_by_uuid(session: Session, found: uuid.UUID) -> Program | None:
    """One program by its open-data id (the HSDS service id), loaded as `program_by_slug` loads it."""
    return _program(session, Program.uuid == found)


def _program(session: Session, condition: ColumnElement[bool]) -> Program | None:
    return session.scalar(select(Program).where(condition).options(*_DETAILS, selectinload(Program.hours)))


def search(session: Session, query: SearchQuery, now: datetime, fresh_hours: int) -> SearchResult:
    clauses = filter_clauses(session, query.filters, now, fresh_hours)
    offset = (query.page - 1) * query.per_page
    if query.origin is not None:
        candidates = session.execute(box_query(query.origin, query.radius, clauses, query.sort))
        ranked = rank_by_distance(candidates, query.origin, query.radius, query.sort)
        page = ranked[offset : offset + query.per_page]
        programs = _load(session, [program_id for program_id, _ in page])
        hits = [Hit(programs[pid], miles, offset + i + 1) for i, (pid, miles) in enumerate(page)]
        return SearchResult(query, len(ranked), hits)

    # No place: the directory in name order (state, city, name), counted and paged in SQL.
    condition = and_(*clauses) if clauses else True
    total = session.scalar(select(func.count()).select_from(Program).where(condition)) or 0
    ids = list(
        session.scalars(
            select(Program.id)
            .where(condition)
            .order_by(Program.state, Program.city, Program.name, Program.id)
            .offset(offset)
            .limit(query.per_page)
        )
    )
    programs = _load(session, ids)
    return SearchResult(query, total, [Hit(programs[pid], None, offset + i + 1) for i, pid in enumerate(ids)])
