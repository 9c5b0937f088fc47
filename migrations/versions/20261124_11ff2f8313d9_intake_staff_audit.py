"""Intake requests and their history, staff accounts and sessions, the audit trail, and the outbox.

Personal fields are Fernet tokens in text columns. The audit trail refuses UPDATE (a trigger).

Revision ID: 11ff2f8313d9
Revises: 34ba55824827
Create Date: 2026-11-24 06:14:06.130383

"""
import sqlalchemy as sa
from alembic import op

revision = '11ff2f8313d9'
down_revision = '34ba55824827'
branch_labels = None
depends_on = None


APPEND_ONLY = {
    "sqlite": [
        """CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_event
           BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$""",
        """CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_event
           FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    ],
}
DROP_APPEND_ONLY = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_append_only"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
        "DROP FUNCTION IF EXISTS audit_event_append_only()",
    ],
}


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

    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('mfa_secret', sa.Text(), nullable=True),
    sa.Column('mfa_last_step', sa.Integer(), nullable=True),
    sa.Column('invite_token_hash', sa.String(length=64), nullable=True),
    sa.Column('invite_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'coordinator', 'manager')", name=op.f('ck_staff_user_role')),
    sa.CheckConstraint('email = lower(email) AND length(email) > 2', name=op.f('ck_staff_user_email_lower')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_user_email')),
    sa.UniqueConstraint('invite_token_hash', name=op.f('uq_staff_user_invite_token_hash'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.String(length=64), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_audit_event_actor_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_actor_at', ['actor_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_event_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_event_target', ['target_type', 'target_id'], unique=False)
    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)

    op.create_table('staff_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('authenticated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_session_staff_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_session_token_hash'))
    )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index('ix_staff_session_user', ['staff_user_id', 'ended_at'], unique=False)

    op.create_table('intake_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=8), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('priority', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.Column('routed_by', sa.String(length=10), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('review_reason', sa.String(length=100), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('first_contact_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.CheckConstraint("(urgency = 'urgent' AND priority = 0) OR (urgency = 'high' AND priority = 1) OR (urgency = 'routine' AND priority = 2)", name=op.f('ck_intake_request_priority_matches_urgency')),
    sa.CheckConstraint("level IS NULL OR level IN ('detox', 'residential', 'outpatient', 'aftercare')", name=op.f('ck_intake_request_level')),
    sa.CheckConstraint("routed_by <> 'network' OR program_id IS NULL", name=op.f('ck_intake_request_network_has_no_program')),
    sa.CheckConstraint("routed_by IN ('chosen', 'nearest', 'network')", name=op.f('ck_intake_request_routed_by')),
    sa.CheckConstraint("status IN ('new', 'contacted', 'screening', 'scheduled', 'admitted', 'referred', 'declined', 'closed')", name=op.f('ck_intake_request_status')),
    sa.CheckConstraint("urgency IN ('urgent', 'high', 'routine')", name=op.f('ck_intake_request_urgency')),
    sa.CheckConstraint('length(reference) = 8', name=op.f('ck_intake_request_reference_shape')),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['staff_user.id'], name=op.f('fk_intake_request_assigned_to_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_intake_request_program_id_program'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_request')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_intake_request_idempotency_key')),
    sa.UniqueConstraint('reference', name=op.f('uq_intake_request_reference'))
    )
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.create_index('ix_intake_request_assigned_to_id', ['assigned_to_id'], unique=False)
        batch_op.create_index('ix_intake_request_program_queue', ['program_id', 'status', 'priority', 'created_at'], unique=False)
        batch_op.create_index('ix_intake_request_queue', ['status', 'priority', 'created_at'], unique=False)

    op.create_table('staff_program',
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_staff_program_program_id_program'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_program_staff_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_user_id', 'program_id', name=op.f('pk_staff_program'))
    )
    with op.batch_alter_table('staff_program', schema=None) as batch_op:
        batch_op.create_index('ix_staff_program_program_id', ['program_id'], unique=False)

    op.create_table('intake_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('contact_method', sa.String(length=20), nullable=True),
    sa.Column('contact_outcome', sa.String(length=20), nullable=True),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('from_program_id', sa.Integer(), nullable=True),
    sa.Column('to_program_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("contact_method IS NULL OR contact_method IN ('phone', 'text', 'email', 'in_person')", name=op.f('ck_intake_event_method')),
    sa.CheckConstraint("contact_outcome IS NULL OR contact_outcome IN ('reached', 'voicemail', 'no_answer', 'message_sent', 'wrong_number')", name=op.f('ck_intake_event_outcome')),
    sa.CheckConstraint("from_status IS NULL OR from_status IN ('new', 'contacted', 'screening', 'scheduled', 'admitted', 'referred', 'declined', 'closed')", name=op.f('ck_intake_event_from_status')),
    sa.CheckConstraint("kind <> 'contact' OR (contact_method IS NOT NULL AND contact_outcome IS NOT NULL)", name=op.f('ck_intake_event_contact')),
    sa.CheckConstraint("kind <> 'status' OR to_status IS NOT NULL", name=op.f('ck_intake_event_status_change')),
    sa.CheckConstraint("kind IN ('status', 'note', 'contact', 'assignment', 'referral')", name=op.f('ck_intake_event_kind')),
    sa.CheckConstraint("to_status IS NULL OR to_status IN ('new', 'contacted', 'screening', 'scheduled', 'admitted', 'referred', 'declined', 'closed')", name=op.f('ck_intake_event_to_status')),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_intake_event_actor_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['staff_user.id'], name=op.f('fk_intake_event_assigned_to_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_program_id'], ['program.id'], name=op.f('fk_intake_event_from_program_id_program'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intake_request_id'], ['intake_request.id'], name=op.f('fk_intake_event_intake_request_id_intake_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_program_id'], ['program.id'], name=op.f('fk_intake_event_to_program_id_program'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_event'))
    )
    with op.batch_alter_table('intake_event', schema=None) as batch_op:
        batch_op.create_index('ix_intake_event_kind_created', ['kind', 'created_at'], unique=False)
        batch_op.create_index('ix_intake_event_request', ['intake_request_id', 'id'], unique=False)

    op.create_table('intake_search_token',
    sa.Column('intake_request_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['intake_request_id'], ['intake_request.id'], name=op.f('fk_intake_search_token_intake_request_id_intake_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('intake_request_id', 'token', name=op.f('pk_intake_search_token'))
    )
    with op.batch_alter_table('intake_search_token', schema=None) as batch_op:
        batch_op.create_index('ix_intake_search_token_token', ['token'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('intake_search_token', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_search_token_token')

    op.drop_table('intake_search_token')
    with op.batch_alter_table('intake_event', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_event_request')
        batch_op.drop_index('ix_intake_event_kind_created')

    op.drop_table('intake_event')
    with op.batch_alter_table('staff_program', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_program_program_id')

    op.drop_table('staff_program')
    with op.batch_alter_table('intake_request', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_request_queue')
        batch_op.drop_index('ix_intake_request_program_queue')
        batch_op.drop_index('ix_intake_request_assigned_to_id')

    op.drop_table('intake_request')
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_session_user')

    op.drop_table('staff_session')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_target')
        batch_op.drop_index('ix_audit_event_at')
        batch_op.drop_index('ix_audit_event_actor_at')

    for statement in DROP_APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table('audit_event')
    op.drop_table('staff_user')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_status_next_attempt')

    op.drop_table('outbox_message')
