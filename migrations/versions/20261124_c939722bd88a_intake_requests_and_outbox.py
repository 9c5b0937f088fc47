"""Intake requests (personal fields as Fernet tokens in text columns) and the notification outbox.

Revision ID: c939722bd88a
Revises: 34ba55824827
Create Date: 2026-11-24 05:52:42.871006

"""
import sqlalchemy as sa
from alembic import op

revision = 'c939722bd88a'
down_revision = '34ba55824827'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name=op.f('ck_outbox_message_status')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_message_attempts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_message_status_next_attempt', ['status', 'next_attempt_at'], unique=False)

    op.create_table('intake_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=8), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.Column('routed_by', sa.String(length=10), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('review_reason', sa.String(length=100), nullable=False),
    sa.Column('first_contact_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.CheckConstraint("level IS NULL OR level IN ('detox', 'residential', 'outpatient', 'aftercare')", name=op.f('ck_intake_request_level')),
    sa.CheckConstraint("routed_by <> 'network' OR program_id IS NULL", name=op.f('ck_intake_request_network_has_no_program')),
    sa.CheckConstraint("routed_by IN ('chosen', 'nearest', 'network')", name=op.f('ck_intake_request_routed_by')),
    sa.CheckConstraint("status IN ('new', 'contacted', 'screening', 'scheduled', 'admitted', 'referred', 'declined', 'closed')", name=op.f('ck_intake_request_status')),
    sa.CheckConstraint("urgency IN ('urgent', 'high', 'routine')", name=op.f('ck_intake_request_urgency')),
    sa.CheckConstraint('length(reference) = 8', name=op.f('ck_intake_request_reference_shape')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_intake_request_program_id_program'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_request')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_intake_request_idempotency_key')),
    sa.UniqueConstraint('reference', name=op.f('uq_intake_request_reference'))
    )
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.create_index('ix_intake_request_program_status_created', ['program_id', 'status', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_request_program_status_created')

    op.drop_table('intake_request')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_status_next_attempt')

    op.drop_table('outbox_message')
