"""A request whose last contact attempt found the number or address wrong is flagged, for the queue's lines.

Revision ID: 3f9a6c0e2b71
Revises: e8b1f03c5d27
Create Date: 2026-11-25 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = '3f9a6c0e2b71'
down_revision = 'e8b1f03c5d27'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_found_wrong', sa.Boolean(), server_default=sa.false(), nullable=False))
    # As the request pages showed it: the last contact attempt or correction is an attempt that found it wrong.
    request = sa.table('intake_request', sa.column('id'), sa.column('contact_found_wrong'))
    event = sa.table(
        'intake_event', sa.column('id'), sa.column('intake_request_id'), sa.column('kind'), sa.column('contact_outcome')
    )
    last = (
        sa.select(event.c.contact_outcome)
        .where(event.c.intake_request_id == request.c.id, event.c.kind.in_(('contact', 'details')))
        .order_by(event.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    op.execute(request.update().where(last == 'wrong_number').values(contact_found_wrong=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.drop_column('contact_found_wrong')
