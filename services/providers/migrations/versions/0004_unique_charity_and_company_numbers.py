"""unique charity and company numbers: one provider each

Refuses to run (naming the numbers) if providers already share one: merge or correct those first.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 08:57:24.336660
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

NUMBERS = ('charity_number', 'company_number')


def upgrade() -> None:
    bind = op.get_bind()
    for column in NUMBERS:
        shared = bind.execute(sa.text(
            f"SELECT {column} FROM providers WHERE {column} IS NOT NULL GROUP BY {column} HAVING COUNT(*) > 1"
        )).scalars().all()
        if shared:
            raise RuntimeError(f"providers share these {column} values, fix them first: {', '.join(shared)}")
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.create_index('ux_providers_charity_number', ['charity_number'], unique=True)
        batch_op.create_index('ux_providers_company_number', ['company_number'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.drop_index('ux_providers_company_number')
        batch_op.drop_index('ux_providers_charity_number')
