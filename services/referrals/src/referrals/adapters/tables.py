"""Tables of the referrals service's own database.

Personal data of the person on probation lives only in `referrals.content` (and `crn`);
every other column holds ids, codes, states and times.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, Uuid,
)

from crs_shared.db import BigIntPK, UTCDateTime, new_metadata
from crs_shared.inbox import inbox_table
from crs_shared.outbox import outbox_table

metadata = new_metadata()
outbox_messages = outbox_table(metadata)
inbox_messages = inbox_table(metadata)

referrals = Table(
    "referrals",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("reference", String(16), nullable=True, unique=True),
    Column("state", String(32), nullable=False, index=True),
    Column("crn", String(16), nullable=True, index=True),  # personal data
    Column("intervention_id", Uuid, nullable=True, index=True),
    Column("intervention_version", Integer, nullable=True),
    Column("contract_type", String(8), nullable=True),
    Column("contract_reference", String(100), nullable=True),
    Column("region_code", String(8), nullable=True),
    Column("prime_provider_id", Uuid, nullable=True),
    Column("contract_id", Uuid, nullable=True),
    Column("caseworker_id", Uuid, nullable=True),
    Column("created_by", String(200), nullable=False),
    Column("practitioner_email", String(320), nullable=True),
    Column("team_code", String(50), nullable=True),
    Column("practitioner_region", String(8), nullable=True),
    Column("content", JSON, nullable=False),  # personal data: the person, needs, risk, location
    Column("delivery", JSON, nullable=False),  # assessment, plan, sessions, report, withdrawal
    Column("redirected_from", Uuid, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False, index=True),
    Column("submitted_at", UTCDateTime, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("concluded_at", UTCDateTime, nullable=True),
    Column("version", Integer, nullable=False, default=0),
)
# Keyset pagination (newest first, then id): one index per list scope, equality column first.
Index("ix_referrals_created_keyset", referrals.c.created_at, referrals.c.id)
Index("ix_referrals_created_by_keyset", referrals.c.created_by, referrals.c.created_at, referrals.c.id)
Index("ix_referrals_team_keyset", referrals.c.team_code, referrals.c.created_at, referrals.c.id)
Index("ix_referrals_practitioner_region_keyset", referrals.c.practitioner_region, referrals.c.created_at,
      referrals.c.id)
# The partner list walks sent referrals newest first and checks each against referral_providers' key.
Index("ix_referrals_sent_keyset", referrals.c.sent_at, referrals.c.id,
      postgresql_where=referrals.c.sent_at.is_not(None), sqlite_where=referrals.c.sent_at.is_not(None))

# Which providers (prime and subcontractors of the intervention version) may see a referral.
referral_providers = Table(
    "referral_providers",
    metadata,
    Column("referral_id", Uuid, ForeignKey("referrals.id", ondelete="CASCADE"), primary_key=True),
    Column("provider_id", Uuid, primary_key=True, index=True),
)

referral_transitions = Table(
    "referral_transitions",
    metadata,
    Column("id", BigIntPK, primary_key=True, autoincrement=True),
    Column("referral_id", Uuid, ForeignKey("referrals.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("action", String(64), nullable=False),
    Column("from_state", String(32), nullable=False),
    Column("to_state", String(32), nullable=False),
    Column("actor", String(32), nullable=False),
    Column("actor_id", String(200), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("detail", JSON, nullable=False),
)

referral_amendments = Table(
    "referral_amendments",
    metadata,
    Column("id", BigIntPK, primary_key=True, autoincrement=True),
    Column("referral_id", Uuid, ForeignKey("referrals.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("field", String(100), nullable=False),
    Column("old_value", JSON, nullable=True),  # may hold personal data (needs)
    Column("new_value", JSON, nullable=True),
    Column("reason", Text, nullable=False),
    Column("actor_id", String(200), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

referral_deadlines = Table(
    "referral_deadlines",
    metadata,
    Column("id", BigIntPK, primary_key=True, autoincrement=True),
    Column("referral_id", Uuid, ForeignKey("referrals.id", ondelete="CASCADE"), nullable=False),
    Column("sla", String(40), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("resolution", String(16), nullable=True),
    Column("breached_at", UTCDateTime, nullable=True),
    UniqueConstraint("referral_id", "sla"),
)
Index(
    "ix_referral_deadlines_pending", referral_deadlines.c.due_at,
    postgresql_where=referral_deadlines.c.resolved_at.is_(None) & referral_deadlines.c.breached_at.is_(None),
    sqlite_where=referral_deadlines.c.resolved_at.is_(None) & referral_deadlines.c.breached_at.is_(None),
)

case_notes = Table(
    "case_notes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("referral_id", Uuid, ForeignKey("referrals.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("author_role", String(32), nullable=False),
    Column("author_id", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),  # may hold personal data
    Column("created_at", UTCDateTime, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(200), primary_key=True),  # who sent it (token subject)
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("referral_id", Uuid, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

# Local read model of the catalogue: every version, never overwritten by a later one.
intervention_versions = Table(
    "intervention_versions",
    metadata,
    Column("intervention_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("snapshot", JSON, nullable=False),
    Column("closed", Boolean, nullable=False, default=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

caseworkers = Table(
    "caseworkers",
    metadata,
    Column("caseworker_id", Uuid, primary_key=True),
    Column("provider_id", Uuid, nullable=False, index=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("updated_at", UTCDateTime, nullable=False),
)
