"""Staff accounts: create (command line), invite (web), accept an invitation, change, disable, and reset a
forgotten password or a lost second factor."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.config import Settings
from locator.models import Program, StaffUser
from locator.notify import outbox
from locator.staff import sessions
from locator.staff.passwords import hash_password

INVITE_VALID_FOR = timedelta(hours=72)
#: Asked for by the person ("Forgot your password?"): at most one link this often, whoever asks how often.
OWN_LINK_EVERY = timedelta(minutes=5)


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def by_email(db: Session, email: str) -> StaffUser | None:
    return db.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def create(
    db: Session, email: str, role: str, programs: Iterable[Program] = (), name: str = "", password: str | None = None
) -> StaffUser:
    if by_email(db, email) is not None:
        raise AccountError(f"{normalise_email(email)} already has an account")
    user = StaffUser(email=normalise_email(email), role=role, name=name, programs=list(programs))
    if password is not None:
        user.password_hash = hash_password(password)
    db.add(user)
    db.flush()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    db: Session, email: str, role: str, programs: Iterable[Program], name: str, now: datetime, settings: Settings
) -> StaffUser:
    """Create the account without a password and email a link (valid 72 hours) to set one."""
    user = create(db, email, role, programs, name)
    _email_password_link(
        db,
        user,
        now,
        settings,
        kind="staff.invite",
        subject="Your Treatment Locator staff account",
        opening="An account has been made for you on the Treatment Locator staff site.",
    )
    return user


def reset_password(db: Session, user: StaffUser, now: datetime, settings: Settings) -> None:
    """For someone who forgot their password, or whose password may be known to others: it stops working and
    every session of theirs ends at once; they choose a new one from an emailed link (valid 72 hours). For
    someone whose invitation expired unused: a new link."""
    opening = (
        "Here is a new link to choose the password for your Treatment Locator staff account."
        if user.password_hash is None
        else "An administrator has reset your Treatment Locator staff password: the old one no longer works."
    )
    user.password_hash = None
    sessions.end_all(db, user, now)
    _email_password_link(
        db,
        user,
        now,
        settings,
        kind="staff.password_reset",
        subject="Choose a new password for the Treatment Locator staff site",
        opening=opening,
    )


def send_forgotten_password_link(
    db: Session, email: str, now: datetime, settings: Settings
) -> tuple[StaffUser | None, str]:
    """For someone who forgot their password, at their own request: a link to choose a new one (valid 72 hours),
    sent to the address the account has. Only to an active account with a second factor, so that the mailbox
    alone never opens health records (the others ask an admin); never a second link within five minutes. The
    password keeps working meanwhile, so asking in someone else's name locks nobody out. Returns the account
    asked for, if there is one, and what was done, for the audit trail (never for the person asking)."""
    user = by_email(db, email)
    if user is None:
        return None, "no such account"
    if not user.is_active:
        return user, "account disabled"
    if user.mfa_secret is None:
        return user, "no second factor: only an admin sends the link"
    if user.invite_expires_at is not None and user.invite_expires_at - INVITE_VALID_FOR > now - OWN_LINK_EVERY:
        return user, "a link went out less than five minutes ago"
    _email_password_link(
        db,
        user,
        now,
        settings,
        kind="staff.password_link",
        subject="Choose a new password for the Treatment Locator staff site",
        opening=(
            "Someone asked for a link to choose a new password for your Treatment Locator staff account. If it was"
            " not you, ignore this email: your password has not changed. Signing in will still need the code from"
            " your authenticator app."
        ),
    )
    return user, "link sent"


def reset_second_factor(db: Session, user: StaffUser, now: datetime) -> None:
    """For a lost or replaced phone: the authenticator app is forgotten and every session ends; the person signs
    in with their password and sets the second factor up again (at once, when it is required)."""
    user.mfa_secret = None
    user.mfa_last_step = None
    sessions.end_all(db, user, now)
    db.flush()


def _email_password_link(
    db: Session, user: StaffUser, now: datetime, settings: Settings, kind: str, subject: str, opening: str
) -> None:
    token = secrets.token_urlsafe(32)
    user.invite_token_hash = _token_hash(token)
    user.invite_expires_at = now + INVITE_VALID_FOR
    outbox.enqueue(
        db,
        kind=kind,
        recipient=user.email,
        subject=subject,
        body=(
            f"{opening}\n\n"
            "Choose your password here (the link works once, for 72 hours):\n"
            f"{settings.base_url}/staff/invite/{token}\n"
        ),
    )
    db.flush()


def invited(db: Session, token: str, now: datetime) -> StaffUser | None:
    user = db.scalar(select(StaffUser).where(StaffUser.invite_token_hash == _token_hash(token)))
    if user is None or not user.is_active or user.invite_expires_at is None or user.invite_expires_at < now:
        return None
    return user


def set_password(db: Session, user: StaffUser, password: str, now: datetime) -> None:
    """A new password ends every session of the account, except the one that changed it (if any). One that
    replaces a working password is told to the account's address, so that a change the owner did not make
    (from a stolen session, or a link from a mailbox someone else reads) does not go unnoticed."""
    if user.password_hash is not None:
        outbox.enqueue(
            db,
            kind="staff.password_changed",
            recipient=user.email,
            subject="Your Treatment Locator staff password was changed",
            body=(
                "The password of your Treatment Locator staff account has just been changed, and every other"
                " browser signed in to it has been signed out.\n\n"
                "If you did not change it, tell an administrator at once: they can send you a link to choose a new"
                " one, and see in the audit trail what the account did.\n"
            ),
        )
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    user.invite_token_hash = None
    user.invite_expires_at = None
    sessions.end_all(db, user, now, keep=sessions.current(db))
    db.flush()


def update(db: Session, user: StaffUser, role: str, programs: Iterable[Program], active: bool, now: datetime) -> None:
    user.role = role
    user.programs = list(programs)
    if user.is_active and not active:
        sessions.end_all(db, user, now)
    user.is_active = active
    db.flush()
