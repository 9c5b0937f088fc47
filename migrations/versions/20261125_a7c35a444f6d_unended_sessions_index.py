"""Staff sessions still going, by age: the index `flask staff end-sessions` reads every minute.

Revision ID: a7c35a444f6d
Revises: afefff3e8e55
Create Date: 2026-11-25 04:36:18.434290

"""

import sqlalchemy as sa
from alembic import op

revision = 'a7c35a444f6d'
down_revision = 'afefff3e8e55'
branch_labels = None
depends_on = None

UNENDED = sa.text('ended_at IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index(
            'ix_staff_session_unended', ['created_at'], unique=False, sqlite_where=UNENDED, postgresql_where=UNENDED
        )


def downgrade() -> None:
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_session_unended')
