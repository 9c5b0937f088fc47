"""Server-side staff sessions: started at sign-in, ended at sign-out, timed out when idle or old.

The browser's (signed) cookie carries only a random token; `staff_session` holds its SHA-256 and
the times that count. The cookie is cleared and a new token issued at every sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g
from flask import session as cookie
from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, joinedload

from locator.models import StaffSession, StaffUser, utcnow
from locator.staff import audit

COOKIE_KEY = "staff_session"
#: Writing last_seen_at on every request is not needed for a 30-minute idle timeout.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    lifetime: timedelta


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Session, user: StaffUser, now: datetime) -> StaffSession:
    """A new session for `user`; the cookie is emptied first, so nothing from before survives."""
    token = secrets.token_urlsafe(32)
    record = StaffSession(
        staff_user_id=user.id, token_hash=_hash(token), created_at=now, authenticated_at=now, last_seen_at=now
    )
    db.add(record)
    db.flush()
    cookie.clear()
    cookie[COOKIE_KEY] = token
    return record


def current(db: Session) -> StaffSession | None:
    token = cookie.get(COOKIE_KEY)
    if not isinstance(token, str):
        return None
    return db.scalar(
        select(StaffSession).where(StaffSession.token_hash == _hash(token)).options(joinedload(StaffSession.user))
    )


def _ends(record: StaffSession, limits: Limits) -> tuple[datetime, datetime]:
    """When the session times out if nothing more happens, and when it must end however busy."""
    return record.last_seen_at + limits.idle, record.created_at + limits.lifetime


def ending(record: StaffSession, limits: Limits, now: datetime) -> str | None:
    """Why the session must end now, for the audit trail; None while it may go on."""
    idle_end, lifetime_end = _ends(record, limits)
    if not record.user.is_active:
        return "account disabled"
    if lifetime_end < now:
        return "time limit reached"
    if idle_end < now:
        return "idle too long"
    return None


def time_left(record: StaffSession, limits: Limits, now: datetime) -> tuple[timedelta, bool]:
    """How long until the session times out, and whether activity can put that off (the idle limit comes
    before the absolute one)."""
    idle_end, lifetime_end = _ends(record, limits)
    return min(idle_end, lifetime_end) - now, idle_end < lifetime_end


def load(db: Session, limits: Limits, *, active: bool = True) -> StaffUser | None:
    """The signed-in user, or None (no session, ended, timed out, or the account disabled). An `active`
    request restarts the idle clock; the page's own check of the time left is not activity."""
    record = current(db)
    if record is None:
        return None
    if record.ended_at is not None:  # ended while this browser was away (timed out, or from elsewhere)
        g.session_expired = True
        return None
    now = utcnow()
    if reason := ending(record, limits, now):
        _end(db, record, reason, now)
        db.commit()
        g.session_expired = True
        return None
    if active and now - record.last_seen_at > TOUCH_EVERY:
        record.last_seen_at = now
        db.commit()
    g.staff_session = record
    return record.user


def _end(db: Session, record: StaffSession, reason: str, now: datetime) -> bool:
    """End `record` once, with one audit event, though its browser and `end-sessions` may both find it over."""
    ended = db.execute(
        update(StaffSession).where(StaffSession.id == record.id, StaffSession.ended_at.is_(None)).values(ended_at=now)
    ).rowcount
    if ended:
        audit.record(db, "auth.session_ended", "staff_user", record.user.id, reason, actor=record.user)
    return bool(ended)


def timed_out_select(limits: Limits, now: datetime) -> Select:
    """The sessions that may have timed out: unended and begun longer ago than the shorter limit (one begun
    since cannot have run out of either), a range of the index of unended sessions; `ending` decides."""
    return (
        select(StaffSession)
        .where(StaffSession.ended_at.is_(None), StaffSession.created_at < now - min(limits.idle, limits.lifetime))
        .options(joinedload(StaffSession.user))
    )


def end_timed_out(db: Session, limits: Limits, now: datetime) -> int:
    """End the sessions that timed out with no page open to notice (a laptop closed, a tab shut), each with
    its audit event, as `load` ends one when its browser asks again. Run every minute (`flask staff
    end-sessions`), so the audit trail says when every session ended."""
    ended = 0
    for record in db.scalars(timed_out_select(limits, now)).all():
        if (reason := ending(record, limits, now)) and _end(db, record, reason, now):
            ended += 1
    return ended


def end_current(db: Session, now: datetime) -> None:
    record = current(db)
    if record is not None and record.ended_at is None:
        record.ended_at = now
    cookie.clear()


def running(db: Session, user: StaffUser, limits: Limits, now: datetime) -> list[StaffSession]:
    """`user`'s sessions still going (not ended, not timed out), the most recently active first."""
    unended = db.scalars(
        select(StaffSession)
        .where(StaffSession.staff_user_id == user.id, StaffSession.ended_at.is_(None))
        .order_by(StaffSession.last_seen_at.desc(), StaffSession.id.desc())
    )
    return [record for record in unended if ending(record, limits, now) is None]


def end_all(db: Session, user: StaffUser, now: datetime, keep: StaffSession | None = None) -> int:
    """End every open session of `user` (but `keep`): password change, disabling, 'sign out everywhere'."""
    statement = update(StaffSession).where(StaffSession.staff_user_id == user.id, StaffSession.ended_at.is_(None))
    if keep is not None:
        statement = statement.where(StaffSession.id != keep.id)
    return db.execute(statement.values(ended_at=now).execution_options(synchronize_session=False)).rowcount
