"""A request can be taken by staff on a call, who put it in a queue: a fourth way it found its queue.

Revision ID: e8b1f03c5d27
Revises: c41e7d2b9a03
Create Date: 2026-11-25 10:00:00.000000

"""

from alembic import op

revision = 'e8b1f03c5d27'
down_revision = 'c41e7d2b9a03'
branch_labels = None
depends_on = None

ROUTES = "'chosen', 'nearest', 'network'"


def upgrade() -> None:
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_intake_request_routed_by'), type_='check')
        batch_op.create_check_constraint(op.f('ck_intake_request_routed_by'), f"routed_by IN ({ROUTES}, 'staff')")


def downgrade() -> None:
    # The older schema has no word for it: such a request reads as one the person sent to that queue.
    op.execute(
        "UPDATE intake_request SET routed_by = CASE WHEN program_id IS NULL THEN 'network' ELSE 'chosen' END "
        "WHERE routed_by = 'staff'"
    )
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_intake_request_routed_by'), type_='check')
        batch_op.create_check_constraint(op.f('ck_intake_request_routed_by'), f"routed_by IN ({ROUTES})")
