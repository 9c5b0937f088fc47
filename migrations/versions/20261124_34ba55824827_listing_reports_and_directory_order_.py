"""Listing problem reports from the public program page; an index for the directory's name order.

Revision ID: 34ba55824827
Revises: 7184a2914a98
Create Date: 2026-11-24 04:58:37.106895

"""
import sqlalchemy as sa
from alembic import op

revision = '34ba55824827'
down_revision = '7184a2914a98'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('listing_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('phone', 'address', 'closed', 'services', 'availability', 'other')", name=op.f('ck_listing_report_kind')),
    sa.CheckConstraint("status IN ('open', 'resolved', 'dismissed')", name=op.f('ck_listing_report_status')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_listing_report_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_report'))
    )
    with op.batch_alter_table('listing_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_report_program_id'), ['program_id'], unique=False)
        batch_op.create_index('ix_listing_report_status_created', ['status', 'created_at'], unique=False)

    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index('ix_program_state_city_name', ['state', 'city', 'name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index('ix_program_state_city_name')

    with op.batch_alter_table('listing_report', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_report_status_created')
        batch_op.drop_index(batch_op.f('ix_listing_report_program_id'))

    op.drop_table('listing_report')
