"""Each intake request keeps when its first contact is due; an index the reports count from.

Requests from before are given the deadline their urgency's target sets now, counted as the queue counted
it: business days in their program's time zone.

Revision ID: afefff3e8e55
Revises: 8d3f6b2a9c15
Create Date: 2026-11-24 15:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from locator.config import current_settings
from locator.hours import NETWORK_TIMEZONE
from locator.intake.targets import due_at
from locator.models.base import UTCDateTime

revision = 'afefff3e8e55'
down_revision = '8d3f6b2a9c15'
branch_labels = None
depends_on = None


def _set_deadlines() -> None:
    bind = op.get_bind()
    target = current_settings().contact_target
    request = sa.table(
        'intake_request',
        sa.column('id', sa.Integer),
        sa.column('created_at', UTCDateTime),
        sa.column('urgency', sa.String),
        sa.column('program_id', sa.Integer),
        sa.column('contact_due_at', UTCDateTime),
    )
    program = sa.table('program', sa.column('id', sa.Integer), sa.column('timezone', sa.String))
    rows = bind.execute(
        sa.select(request.c.id, request.c.created_at, request.c.urgency, program.c.timezone).outerjoin(
            program, program.c.id == request.c.program_id
        )
    ).all()
    update = sa.update(request).where(request.c.id == sa.bindparam('row_id')).values(contact_due_at=sa.bindparam('due'))
    deadlines = [
        {'row_id': row_id, 'due': due_at(created_at, target(urgency), timezone or NETWORK_TIMEZONE)}
        for row_id, created_at, urgency, timezone in rows
    ]
    for start in range(0, len(deadlines), 5000):
        bind.execute(update, deadlines[start : start + 5000])


def upgrade() -> None:
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_due_at', sa.DateTime(timezone=True), nullable=True))
    _set_deadlines()
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.alter_column('contact_due_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_check_constraint(
            op.f('ck_intake_request_contact_due_after_created'), 'contact_due_at > created_at'
        )
        batch_op.create_index(
            'ix_intake_request_report',
            ['program_id', 'created_at', 'urgency', 'level', 'status', 'first_contact_at', 'contact_due_at'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_request_report')
        batch_op.drop_constraint(op.f('ck_intake_request_contact_due_after_created'), type_='check')
        batch_op.drop_column('contact_due_at')
