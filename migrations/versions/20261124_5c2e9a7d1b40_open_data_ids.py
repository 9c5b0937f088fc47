"""Open-data ids: a random UUID for each program and organization (HSDS 3.1 requires UUID ids).

Revision ID: 5c2e9a7d1b40
Revises: 16941bfa4718
Create Date: 2026-11-24 10:05:00.000000

"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = '5c2e9a7d1b40'
down_revision = '16941bfa4718'
branch_labels = None
depends_on = None

TABLES = ('program', 'organization')
BATCH = 5000


def _fill(table_name: str) -> None:
    """A new random UUID for every existing row: PostgreSQL makes them itself; SQLite, batch by batch."""
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute(f'UPDATE {table_name} SET uuid = gen_random_uuid()')
        return
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('uuid', sa.Uuid))
    ids = list(bind.scalars(sa.select(table.c.id)))
    statement = sa.update(table).where(table.c.id == sa.bindparam('row')).values(uuid=sa.bindparam('new'))
    for start in range(0, len(ids), BATCH):
        bind.execute(statement, [{'row': i, 'new': uuid.uuid4()} for i in ids[start:start + BATCH]])


def upgrade() -> None:
    for table_name in TABLES:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('uuid', sa.Uuid(), nullable=True))
        _fill(table_name)
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column('uuid', existing_type=sa.Uuid(), nullable=False)
            batch_op.create_unique_constraint(op.f(f'uq_{table_name}_uuid'), ['uuid'])


def downgrade() -> None:
    for table_name in TABLES:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'uq_{table_name}_uuid'), type_='unique')
            batch_op.drop_column('uuid')
