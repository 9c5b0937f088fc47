"""A notice to a program's inbox names the program, so that sent again it goes to the inbox the program has then.

Revision ID: 9b2d4e7f1a36
Revises: 3f9a6c0e2b71
Create Date: 2026-11-25 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = '9b2d4e7f1a36'
down_revision = '3f9a6c0e2b71'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_program_id'), ['program_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_program_id_program'), 'program', ['program_id'], ['id'], ondelete='SET NULL'
        )


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_program_id_program'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_program_id'))
        batch_op.drop_column('program_id')
