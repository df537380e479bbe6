"""reference data: regions, PCC areas, contract types, categories, reasons

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 08:10:00

The data lives beside the migrations (migrations/data/*.json) and is loaded only here,
so the seeded reference data is exactly what this revision says, forever.
"""
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

DATA = Path(__file__).resolve().parents[1] / "data"


def _table(name: str, *columns: sa.Column) -> sa.Table:
    return sa.table(name, *columns)


def upgrade() -> None:
    areas = json.loads((DATA / "areas.json").read_text())
    services = json.loads((DATA / "services.json").read_text())
    col = sa.column
    op.bulk_insert(_table("regions", col("code"), col("name")), areas["regions"])
    op.bulk_insert(_table("pcc_areas", col("code"), col("name"), col("region_code")), areas["pcc_areas"])
    op.bulk_insert(_table("contract_types", col("code"), col("name")),
                   [{"code": c["code"], "name": c["name"]} for c in services["contract_types"]])
    cats = services["service_categories"]
    op.bulk_insert(_table("service_categories", col("code"), col("name")),
                   [{"code": c["code"], "name": c["name"]} for c in cats])
    op.bulk_insert(
        _table("contract_type_categories", col("contract_type_code"), col("category_code"), col("position")),
        [{"contract_type_code": ct["code"], "category_code": code, "position": i}
         for ct in services["contract_types"] for i, code in enumerate(ct["categories"])])
    op.bulk_insert(
        _table("complexity_levels", col("category_code"), col("level"), col("description")),
        [{"category_code": c["code"], "level": level, "description": text}
         for c in cats for level, text in c["complexity"].items()])
    op.bulk_insert(
        _table("desired_outcomes", col("code"), col("category_code"), col("description"), col("position")),
        [{"code": code, "category_code": c["code"], "description": text, "position": i}
         for c in cats for i, (code, text) in enumerate(c["outcomes"])])
    reasons = [(g, code, text) for g in services["withdrawal_reasons"] for code, text in g["reasons"]]
    op.bulk_insert(
        _table("withdrawal_reasons", col("code"), col("description"), col("group_code"), col("group_name"),
               col("position")),
        [{"code": code, "description": text, "group_code": g["group"], "group_name": g["group_name"], "position": i}
         for i, (g, code, text) in enumerate(reasons)])
    op.bulk_insert(_table("decline_reasons", col("code"), col("description"), col("position")),
                   [{"code": code, "description": text, "position": i}
                    for i, (code, text) in enumerate(services["decline_reasons"])])


def downgrade() -> None:
    for name in ("decline_reasons", "withdrawal_reasons", "desired_outcomes", "complexity_levels",
                 "contract_type_categories", "service_categories", "contract_types", "pcc_areas", "regions"):
        op.execute(sa.text(f"DELETE FROM {name}"))
