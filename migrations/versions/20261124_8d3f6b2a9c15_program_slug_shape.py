"""Program slugs are URL path segments: lower-case letters, digits and hyphens only (a CHECK).

A slug an older HSDS import took as given is made into one first (taking `-2`, `-3`... if taken).

Revision ID: 8d3f6b2a9c15
Revises: 5c2e9a7d1b40
Create Date: 2026-11-24 11:20:00.000000

"""
import re
import string
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '8d3f6b2a9c15'
down_revision = '5c2e9a7d1b40'
branch_labels = None
depends_on = None

CHARACTERS = string.ascii_lowercase + string.digits + '-'


def _slugify(text: str) -> str:
    text = unicodedata.normalize('NFKD', text).encode('ascii', 'ignore').decode().lower()
    return re.sub(r'[^a-z0-9]+', '-', text).strip('-')[:100].rstrip('-') or 'program'


def _reshape_slugs() -> None:
    bind = op.get_bind()
    program = sa.table('program', sa.column('id', sa.Integer), sa.column('slug', sa.String))
    rows = bind.execute(sa.select(program.c.id, program.c.slug)).all()
    taken = {slug for _id, slug in rows}
    for row_id, slug in rows:
        if slug and not slug.strip(CHARACTERS):
            continue
        wanted = new = _slugify(slug)
        n = 2
        while new in taken:
            new, n = f'{wanted}-{n}', n + 1
        taken.add(new)
        bind.execute(sa.update(program).where(program.c.id == row_id).values(slug=new))


def upgrade() -> None:
    _reshape_slugs()
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_program_slug_shape'), f"ltrim(slug, '{CHARACTERS}') = ''")


def downgrade() -> None:
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_program_slug_shape'), type_='check')
