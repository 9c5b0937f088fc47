"""Staff accounts: who may sign in, with which role, for which programs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from locator.models.base import Base, UTCDateTime, utcnow
from locator.models.checks import one_of
from locator.models.encrypted import EncryptedText
from locator.models.program import Program

ROLES = ("admin", "coordinator", "manager")

staff_program = Table(
    "staff_program",
    Base.metadata,
    Column("staff_user_id", ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True),
    Column("program_id", ForeignKey("program.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_staff_program_program_id", "program_id"),
)


class StaffUser(Base):
    __tablename__ = "staff_user"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role"),
        CheckConstraint("email = lower(email) AND length(email) > 2", name="email_lower"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: argon2id; None until an invited person sets a password.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    mfa_secret: Mapped[str | None] = mapped_column(EncryptedText)
    #: The last TOTP time step accepted, so a code cannot be used twice.
    mfa_last_step: Mapped[int | None] = mapped_column(Integer)
    #: SHA-256 of the invitation link's token (the token itself is only in the email).
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    programs: Mapped[list[Program]] = relationship(secondary=staff_program, order_by=Program.name)

    # Flask-Login (users are loaded from their server-side StaffSession, never from an id in the cookie)
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<StaffUser {self.id} {self.role}>"


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; the database holds its SHA-256.

    Signing out, changing a password or disabling an account ends sessions here, so a copied
    cookie stops working at once; idle and absolute timeouts are checked against these times too.
    """

    __tablename__ = "staff_session"
    __table_args__ = (
        Index("ix_staff_session_user", "staff_user_id", "ended_at"),
        # The sessions still going, by age: what `flask staff end-sessions` reads every minute.
        Index(
            "ix_staff_session_unended",
            "created_at",
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the password (and second factor) were last entered: exports need a recent one.
    authenticated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship()
