"""Directory: organizations, programs, levels of care with capacity, weekly hours, taxonomy.

Revision ID: 7184a2914a98
Revises:
Create Date: 2026-11-24 04:47:29.301146

"""
import sqlalchemy as sa
from alembic import op

revision = '7184a2914a98'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attribute',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.CheckConstraint("category IN ('payment', 'population', 'age', 'language', 'medication', 'approach', 'service', 'accessibility', 'accreditation')", name=op.f('ck_attribute_category')),
    sa.CheckConstraint('length(code) > 0', name=op.f('ck_attribute_code_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attribute')),
    sa.UniqueConstraint('category', 'code', name=op.f('uq_attribute_category_code'))
    )
    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization'))
    )
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_name'), ['name'], unique=False)

    op.create_table('program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('street1', sa.String(length=200), nullable=False),
    sa.Column('street2', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('zip', sa.String(length=5), nullable=False),
    sa.Column('county', sa.String(length=100), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('intake_phone', sa.String(length=32), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('accepting_new', sa.Boolean(), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("length(zip) = 5 AND ltrim(zip, '0123456789') = ''", name=op.f('ck_program_zip_shape')),
    sa.CheckConstraint('lat BETWEEN -90 AND 90', name=op.f('ck_program_lat_range')),
    sa.CheckConstraint('length(slug) > 0', name=op.f('ck_program_slug_not_empty')),
    sa.CheckConstraint('length(state) = 2 AND substr(state, 1, 1) <> lower(substr(state, 1, 1)) AND substr(state, 2, 1) <> lower(substr(state, 2, 1))', name=op.f('ck_program_state_shape')),
    sa.CheckConstraint('lon BETWEEN -180 AND 180', name=op.f('ck_program_lon_range')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_program_organization_id_organization'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program')),
    sa.UniqueConstraint('slug', name=op.f('uq_program_slug')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_program_source_source_id'))
    )
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_is_demo'), ['is_demo'], unique=False)
        batch_op.create_index('ix_program_lat_lon', ['lat', 'lon'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_organization_id'), ['organization_id'], unique=False)

    op.create_table('program_attribute',
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('attribute_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['attribute_id'], ['attribute.id'], name=op.f('fk_program_attribute_attribute_id_attribute'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_program_attribute_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('program_id', 'attribute_id', name=op.f('pk_program_attribute'))
    )
    with op.batch_alter_table('program_attribute', schema=None) as batch_op:
        batch_op.create_index('ix_program_attribute_attribute_program', ['attribute_id', 'program_id'], unique=False)

    op.create_table('program_hours',
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('opens_minute', sa.SmallInteger(), nullable=False),
    sa.Column('closes_minute', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('opens_minute < closes_minute', name=op.f('ck_program_hours_opens_before_closes')),
    sa.CheckConstraint('opens_minute >= 0 AND closes_minute <= 1440', name=op.f('ck_program_hours_minute_range')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_program_hours_weekday_range')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_program_hours_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('program_id', 'weekday', 'opens_minute', name=op.f('pk_program_hours'))
    )
    op.create_table('program_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('setting', sa.String(length=40), nullable=False),
    sa.Column('capacity_available', sa.Integer(), nullable=True),
    sa.Column('capacity_maximum', sa.Integer(), nullable=True),
    sa.Column('capacity_unit', sa.String(length=10), nullable=False),
    sa.Column('capacity_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('capacity_updated_by', sa.String(length=200), nullable=False),
    sa.CheckConstraint("(level = 'detox' AND setting IN ('hospital_detox', 'residential_detox', 'outpatient_detox', 'general')) OR (level = 'residential' AND setting IN ('hospital_inpatient', 'short_term_residential', 'long_term_residential', 'general')) OR (level = 'outpatient' AND setting IN ('partial_hospitalization', 'intensive_outpatient', 'regular_outpatient', 'medication_outpatient', 'general')) OR (level = 'aftercare' AND setting IN ('continuing_care', 'discharge_planning', 'follow_up', 'recovery_housing', 'peer_recovery_support', 'self_help', 'general'))", name=op.f('ck_program_level_setting_matches_level')),
    sa.CheckConstraint("capacity_unit IN ('bed', 'slot')", name=op.f('ck_program_level_capacity_unit')),
    sa.CheckConstraint("level IN ('detox', 'residential', 'outpatient', 'aftercare')", name=op.f('ck_program_level_level')),
    sa.CheckConstraint('capacity_available <= capacity_maximum', name=op.f('ck_program_level_available_within_maximum')),
    sa.CheckConstraint('capacity_available >= 0', name=op.f('ck_program_level_available_not_negative')),
    sa.CheckConstraint('capacity_maximum >= 0', name=op.f('ck_program_level_maximum_not_negative')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_program_level_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_level')),
    sa.UniqueConstraint('program_id', 'level', 'setting', name=op.f('uq_program_level_program_id_level_setting'))
    )
    with op.batch_alter_table('program_level', schema=None) as batch_op:
        batch_op.create_index('ix_program_level_level_program', ['level', 'program_id'], unique=False)

def downgrade() -> None:
    with op.batch_alter_table('program_level', schema=None) as batch_op:
        batch_op.drop_index('ix_program_level_level_program')

    op.drop_table('program_level')
    op.drop_table('program_hours')
    with op.batch_alter_table('program_attribute', schema=None) as batch_op:
        batch_op.drop_index('ix_program_attribute_attribute_program')

    op.drop_table('program_attribute')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_organization_id'))
        batch_op.drop_index('ix_program_lat_lon')
        batch_op.drop_index(batch_op.f('ix_program_is_demo'))

    op.drop_table('program')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_name'))

    op.drop_table('organization')
    op.drop_table('attribute')
