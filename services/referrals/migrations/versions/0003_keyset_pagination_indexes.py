"""keyset pagination indexes for the practitioner and partner referral lists

The practitioner list pages each scope (own, team, region) newest first by (created_at, id); the
composite indexes replace the single-column ones on created_by and team_code, which they cover.
The partner list pages sent referrals by (sent_at, id).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 08:53:09.528199
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

SENT = sa.text('sent_at IS NOT NULL')


def upgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrals_created_by'))
        batch_op.drop_index(batch_op.f('ix_referrals_team_code'))
        batch_op.create_index('ix_referrals_created_by_keyset', ['created_by', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_referrals_team_keyset', ['team_code', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_referrals_practitioner_region_keyset', ['practitioner_region', 'created_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_referrals_sent_keyset', ['sent_at', 'id'], unique=False,
                              postgresql_where=SENT, sqlite_where=SENT)


def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_sent_keyset')
        batch_op.drop_index('ix_referrals_practitioner_region_keyset')
        batch_op.drop_index('ix_referrals_team_keyset')
        batch_op.drop_index('ix_referrals_created_by_keyset')
        batch_op.create_index(batch_op.f('ix_referrals_team_code'), ['team_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_created_by'), ['created_by'], unique=False)
