"""A request's history records staff changing its urgency (from and to), checking a review flag, and
correcting the person's contact details (what they were, encrypted).

Revision ID: c41e7d2b9a03
Revises: a7c35a444f6d
Create Date: 2026-11-25 09:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = 'c41e7d2b9a03'
down_revision = 'a7c35a444f6d'
branch_labels = None
depends_on = None

KINDS = "'status', 'note', 'contact', 'assignment', 'referral'"
URGENCIES = "'urgent', 'high', 'routine'"


def upgrade() -> None:
    with op.batch_alter_table('intake_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_urgency', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('to_urgency', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('previous', sa.Text(), nullable=True))
        batch_op.drop_constraint(op.f('ck_intake_event_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_intake_event_kind'), f"kind IN ({KINDS}, 'urgency', 'review', 'details')"
        )
        batch_op.create_check_constraint(
            op.f('ck_intake_event_from_urgency'), f"from_urgency IS NULL OR from_urgency IN ({URGENCIES})"
        )
        batch_op.create_check_constraint(
            op.f('ck_intake_event_to_urgency'), f"to_urgency IS NULL OR to_urgency IN ({URGENCIES})"
        )
        batch_op.create_check_constraint(
            op.f('ck_intake_event_triage'),
            "kind <> 'urgency' OR (from_urgency IS NOT NULL AND to_urgency IS NOT NULL)",
        )
        batch_op.create_check_constraint(op.f('ck_intake_event_details'), "kind <> 'details' OR previous IS NOT NULL")


def downgrade() -> None:
    intake_event = sa.table('intake_event', sa.column('kind', sa.String))
    # The older schema has no words for these events: they go, as the columns that hold them do.
    op.execute(sa.delete(intake_event).where(intake_event.c.kind.in_(('urgency', 'review', 'details'))))
    with op.batch_alter_table('intake_event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_intake_event_details'), type_='check')
        batch_op.drop_constraint(op.f('ck_intake_event_triage'), type_='check')
        batch_op.drop_constraint(op.f('ck_intake_event_to_urgency'), type_='check')
        batch_op.drop_constraint(op.f('ck_intake_event_from_urgency'), type_='check')
        batch_op.drop_constraint(op.f('ck_intake_event_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_intake_event_kind'), f"kind IN ({KINDS})")
        batch_op.drop_column('previous')
        batch_op.drop_column('to_urgency')
        batch_op.drop_column('from_urgency')
