"""Tables of the providers service's own database.

Reference data (regions, PCC areas, contract types, categories, reasons) is seeded by
migrations. Interventions keep one row per immutable version plus a head row that holds
the searchable fields of the current version, with its covered PCC areas and supply chain.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table, Text, Uuid, text,
)

from crs_shared.db import UTCDateTime, new_metadata
from crs_shared.inbox import inbox_table
from crs_shared.outbox import outbox_table

metadata = new_metadata()
outbox_messages = outbox_table(metadata)
inbox_messages = inbox_table(metadata)

regions = Table(
    "regions", metadata,
    Column("code", String(8), primary_key=True),
    Column("name", String(100), nullable=False),
)

pcc_areas = Table(
    "pcc_areas", metadata,
    Column("code", String(60), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("region_code", String(8), ForeignKey("regions.code"), nullable=False, index=True),
)

contract_types = Table(
    "contract_types", metadata,
    Column("code", String(8), primary_key=True),
    Column("name", String(100), nullable=False),
)

service_categories = Table(
    "service_categories", metadata,
    Column("code", String(60), primary_key=True),
    Column("name", String(100), nullable=False),
)

contract_type_categories = Table(
    "contract_type_categories", metadata,
    Column("contract_type_code", String(8), ForeignKey("contract_types.code"), nullable=False),
    Column("category_code", String(60), ForeignKey("service_categories.code"), nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("contract_type_code", "category_code"),
)

complexity_levels = Table(
    "complexity_levels", metadata,
    Column("category_code", String(60), ForeignKey("service_categories.code"), nullable=False),
    Column("level", String(8), nullable=False),
    Column("description", Text, nullable=False),
    PrimaryKeyConstraint("category_code", "level"),
)

desired_outcomes = Table(
    "desired_outcomes", metadata,
    Column("code", String(20), primary_key=True),
    Column("category_code", String(60), ForeignKey("service_categories.code"), nullable=False, index=True),
    Column("description", Text, nullable=False),
    Column("position", Integer, nullable=False),
)

withdrawal_reasons = Table(
    "withdrawal_reasons", metadata,
    Column("code", String(8), primary_key=True),
    Column("description", String(200), nullable=False),
    Column("group_code", String(40), nullable=False),
    Column("group_name", String(100), nullable=False),
    Column("position", Integer, nullable=False),
)

decline_reasons = Table(
    "decline_reasons", metadata,
    Column("code", String(40), primary_key=True),
    Column("description", String(200), nullable=False),
    Column("position", Integer, nullable=False),
)

providers = Table(
    "providers", metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("organisation_type", String(20), nullable=False),
    Column("charity_number", String(12), nullable=True),
    Column("company_number", String(8), nullable=True),
    Column("referral_mailbox", String(254), nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_providers_name_id", "name", "id"),
    # A charity or company number belongs to one provider only (many may have none).
    Index("ux_providers_charity_number", "charity_number", unique=True),
    Index("ux_providers_company_number", "company_number", unique=True),
)

caseworkers = Table(
    "caseworkers", metadata,
    Column("id", Uuid, primary_key=True),
    Column("provider_id", Uuid, ForeignKey("providers.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("active", Boolean, nullable=False),
    Index("uq_caseworkers_provider_email", "provider_id", "email", unique=True),
)

interventions = Table(
    "interventions", metadata,
    Column("id", Uuid, primary_key=True),
    Column("current_version", Integer, nullable=False),
    Column("status", String(10), nullable=False),  # open | closed
    Column("title", String(200), nullable=False),
    Column("contract_type", String(8), nullable=False),
    Column("contract_reference", String(40), nullable=False),
    Column("area_kind", String(10), nullable=False),
    Column("area_code", String(60), nullable=False),
    Column("region_code", String(8), nullable=False),
    Column("minimum_age", Integer, nullable=False),
    Column("maximum_age", Integer, nullable=True),
    Column("allows_male", Boolean, nullable=False),
    Column("allows_female", Boolean, nullable=False),
    Column("open_from", Date, nullable=False),
    Column("open_to", Date, nullable=True),
    Column("prime_provider_id", Uuid, ForeignKey("providers.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    Index("ix_interventions_title_id", "title", "id"),
    # One live intervention per contract reference; the database has the last word on races.
    Index(
        "uq_interventions_live_contract_reference", "contract_reference", unique=True,
        postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'"),
    ),
)

intervention_versions = Table(
    "intervention_versions", metadata,
    Column("intervention_id", Uuid, ForeignKey("interventions.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("definition", Text, nullable=False),  # JSON of the immutable definition
    Column("published_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("intervention_id", "version"),
)

# The PCC areas the current version covers: the search's entry point, so a PCC-area
# search is an index range scan whatever the intervention's scope (region or area).
intervention_coverage = Table(
    "intervention_coverage", metadata,
    Column("pcc_area_code", String(60), nullable=False),
    Column("intervention_id", Uuid, ForeignKey("interventions.id"), nullable=False),
    PrimaryKeyConstraint("pcc_area_code", "intervention_id"),
    Index("ix_intervention_coverage_intervention_id", "intervention_id"),
)

intervention_categories = Table(
    "intervention_categories", metadata,
    Column("intervention_id", Uuid, ForeignKey("interventions.id"), nullable=False),
    Column("category_code", String(60), nullable=False),
    PrimaryKeyConstraint("intervention_id", "category_code"),
    Index("ix_intervention_categories_category_code", "category_code", "intervention_id"),
)

intervention_providers = Table(
    "intervention_providers", metadata,
    Column("intervention_id", Uuid, ForeignKey("interventions.id"), nullable=False),
    Column("provider_id", Uuid, ForeignKey("providers.id"), nullable=False),
    Column("role", String(14), nullable=False),  # prime | subcontractor
    PrimaryKeyConstraint("intervention_id", "provider_id"),
    Index("ix_intervention_providers_provider_id", "provider_id"),
)
