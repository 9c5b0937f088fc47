"""Import provenance on programs: the source's service codes, a hash of the imported record, when.

Revision ID: 16941bfa4718
Revises: 11ff2f8313d9
Create Date: 2026-11-24 06:28:57.835685

"""
import sqlalchemy as sa
from alembic import op

revision = '16941bfa4718'
down_revision = '11ff2f8313d9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_codes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('import_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_column('imported_at')
        batch_op.drop_column('import_hash')
        batch_op.drop_column('service_codes')
