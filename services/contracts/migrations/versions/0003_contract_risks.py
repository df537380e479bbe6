"""contract risks: at-risk alerts already raised

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:00:00
"""
from alembic import op
import sqlalchemy as sa
import crs_shared.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'contract_risks',
        sa.Column('contract_id', sa.String(length=36), nullable=False),
        sa.Column('year_number', sa.Integer(), nullable=False),
        sa.Column('risk', sa.String(length=40), nullable=False),
        sa.Column('projected_volume', sa.Integer(), nullable=False),
        sa.Column('raised_at', crs_shared.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'],
                                name=op.f('fk_contract_risks_contract_id_contracts')),
        sa.PrimaryKeyConstraint('contract_id', 'year_number', 'risk', name=op.f('pk_contract_risks')),
    )


def downgrade() -> None:
    op.drop_table('contract_risks')
