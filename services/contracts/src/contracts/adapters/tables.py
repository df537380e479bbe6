"""Tables of the contracts service's own database."""
from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, Column, Date, ForeignKey, Index, Integer, Numeric, String, Table, Text, UniqueConstraint,
)

from crs_shared.db import BigIntPK, UTCDateTime, new_metadata
from crs_shared.inbox import inbox_table
from crs_shared.outbox import outbox_table

metadata = new_metadata()
outbox_messages = outbox_table(metadata)
inbox_messages = inbox_table(metadata)

MONEY = Numeric(14, 2)

regions = Table(
    "regions", metadata,
    Column("code", String(8), primary_key=True),
    Column("name", String(200), nullable=False),
)

pcc_areas = Table(
    "pcc_areas", metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("region_code", String(8), ForeignKey("regions.code"), nullable=False),
)

contracts = Table(
    "contracts", metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(100), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("commissioner_region", String(8), nullable=False),
    Column("co_commissioner", String(200), nullable=True),
    Column("contract_type", String(8), nullable=False, index=True),
    Column("prime_provider_id", String(36), nullable=False),
    Column("prime_provider_name", String(300), nullable=True),
    Column("supplier_status", String(20), nullable=False, index=True),
    Column("area_kind", String(16), nullable=False),
    Column("area_code", String(64), nullable=False),
    Column("region_code", String(8), nullable=False, index=True),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("cap_policy", String(8), nullable=False),
    Column("thresholds", JSON, nullable=False),
    Column("total_value", MONEY, nullable=False),
    Column("subcontractor_count", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("awarded_at", UTCDateTime, nullable=False),
    Column("awarded_by", String(200), nullable=False),
)

# Who may see a contract's volume: its prime and its subcontractors.
contract_parties = Table(
    "contract_parties", metadata,
    Column("contract_id", String(36), ForeignKey("contracts.id"), primary_key=True),
    Column("provider_id", String(36), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("position", Integer, nullable=False),
    Index("ix_contract_parties_provider", "provider_id"),
)

# One row per contract year: its terms and its pre-aggregated counters, locked to decide.
contract_years = Table(
    "contract_years", metadata,
    Column("contract_id", String(36), ForeignKey("contracts.id"), primary_key=True),
    Column("year_number", Integer, primary_key=True),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("fixed_price", MONEY, nullable=False),
    Column("volume_estimate", Integer, nullable=False),
    Column("volume_cap", Integer, nullable=False),
    Column("bands", JSON, nullable=False),
    Column("unit_costs", JSON, nullable=False),
    Column("volume", Integer, nullable=False, default=0),
    Column("waitlisted", Integer, nullable=False, default=0),
    Column("started", Integer, nullable=False, default=0),
    Column("completed", Integer, nullable=False, default=0),
    Column("withdrawn", Integer, nullable=False, default=0),
    Column("overrun", Integer, nullable=False, default=0),
    Column("value_low", MONEY, nullable=False, default=0),
    Column("value_medium", MONEY, nullable=False, default=0),
    Column("value_high", MONEY, nullable=False, default=0),
    Column("band", Integer, nullable=True),
    Column("thresholds_reached", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Weekly counters per contract year (week starting Monday) for the time series.
weekly_counters = Table(
    "weekly_counters", metadata,
    Column("contract_id", String(36), primary_key=True),
    Column("year_number", Integer, primary_key=True),
    Column("week_start", Date, primary_key=True),
    Column("counted", Integer, nullable=False, default=0),
    Column("waitlisted", Integer, nullable=False, default=0),
    Column("started", Integer, nullable=False, default=0),
    Column("completed", Integer, nullable=False, default=0),
    Column("withdrawn", Integer, nullable=False, default=0),
)

contract_variations = Table(
    "contract_variations", metadata,
    Column("id", String(36), primary_key=True),
    Column("contract_id", String(36), ForeignKey("contracts.id"), nullable=False, index=True),
    Column("kinds", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("varied_by", String(200), nullable=False),
    Column("varied_at", UTCDateTime, nullable=False),
    Column("changes", JSON, nullable=False),
    Column("terms_before", JSON, nullable=False),
)

# Each referral decided on a contract: counted, waitlisted or withdrawn. `seq` orders the waitlist.
contract_referrals = Table(
    "contract_referrals", metadata,
    Column("seq", BigIntPK, primary_key=True, autoincrement=True),
    Column("contract_id", String(36), ForeignKey("contracts.id"), nullable=False),
    Column("referral_id", String(36), nullable=False),
    Column("year_number", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("submitted_at", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("complexity", JSON, nullable=False),
    Column("value_low", MONEY, nullable=False, default=0),
    Column("value_medium", MONEY, nullable=False, default=0),
    Column("value_high", MONEY, nullable=False, default=0),
    Column("started", Boolean, nullable=False, default=False),
    Column("completed", Boolean, nullable=False, default=False),
    UniqueConstraint("contract_id", "referral_id"),
    Index("ix_contract_referrals_referral", "referral_id"),
    Index("ix_contract_referrals_waitlist", "contract_id", "status", "seq"),
)

# At-risk alerts already raised: one per contract, contract year and risk kind, never again.
contract_risks = Table(
    "contract_risks", metadata,
    Column("contract_id", String(36), ForeignKey("contracts.id"), primary_key=True),
    Column("year_number", Integer, primary_key=True),
    Column("risk", String(40), primary_key=True),
    Column("projected_volume", Integer, nullable=False),
    Column("raised_at", UTCDateTime, nullable=False),
)

# Referrals whose contract reference matched no contract yet: decided when it is awarded.
unmatched_referrals = Table(
    "unmatched_referrals", metadata,
    Column("referral_id", String(36), primary_key=True),
    Column("contract_reference", String(100), nullable=False, index=True),
    Column("region_code", String(8), nullable=False),
    Column("submitted_at", UTCDateTime, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("event", JSON, nullable=False),
)
