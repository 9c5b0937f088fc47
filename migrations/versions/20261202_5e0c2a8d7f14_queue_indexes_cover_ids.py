"""The queue indexes carry the request's id on PostgreSQL, so that a queue page's ids are read from the index
alone: without it, every open request of the queue was fetched from the table to learn its id before the
fifty were chosen. SQLite's indexes hold the id (the rowid) already.

Revision ID: 5e0c2a8d7f14
Revises: 9b2d4e7f1a36
Create Date: 2026-12-02 07:30:00.000000

"""

from alembic import op

revision = "5e0c2a8d7f14"
down_revision = "9b2d4e7f1a36"
branch_labels = None
depends_on = None

QUEUE_INDEXES = {
    "ix_intake_request_program_queue": ["program_id", "status", "priority", "created_at"],
    "ix_intake_request_queue": ["status", "priority", "created_at"],
}


def _rebuild(include: list[str]) -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for name, columns in QUEUE_INDEXES.items():
        op.drop_index(name, table_name="intake_request")
        op.create_index(name, "intake_request", columns, unique=False, postgresql_include=include)


def upgrade() -> None:
    _rebuild(["id"])


def downgrade() -> None:
    _rebuild([])
