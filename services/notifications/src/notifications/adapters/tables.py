"""Tables of the notifications service's own database."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from crs_shared.db import BigIntPK, UTCDateTime, new_metadata
from crs_shared.inbox import inbox_table
from crs_shared.outbox import outbox_table

metadata = new_metadata()
outbox_messages = outbox_table(metadata)
inbox_messages = inbox_table(metadata)

# --- read models, from other services' events -----------------------------------------------
providers = Table(
    "providers", metadata,
    Column("provider_id", String(36), primary_key=True),
    Column("referral_mailbox", String(320), nullable=False),
    Column("status", String(20), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

caseworkers = Table(
    "caseworkers", metadata,
    Column("caseworker_id", String(36), primary_key=True),
    Column("provider_id", String(36), nullable=False, index=True),
    Column("email", String(320), nullable=False),  # staff contact data
    Column("active", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

referrals = Table(
    "referrals", metadata,
    Column("referral_id", String(36), primary_key=True),
    Column("reference", String(40), nullable=True),
    Column("prime_provider_id", String(36), nullable=True),
    Column("subcontractor_provider_ids", Text, nullable=False, default="[]"),  # JSON list
    Column("practitioner_id", String(200), nullable=True),
    Column("practitioner_email", String(320), nullable=True),  # staff contact data
    Column("caseworker_id", String(36), nullable=True),
    Column("region_code", String(20), nullable=True),
    Column("contract_reference", String(100), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

# --- notifications: one per (event, owner); each is also an inbox item --------------------------
notifications = Table(
    "notifications", metadata,
    Column("seq", BigIntPK, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("event_id", String(36), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("audience", String(20), nullable=False),
    Column("owner_kind", String(20), nullable=False),  # user | organisation | team
    Column("owner_id", String(200), nullable=False),
    Column("organisation_id", String(36), nullable=True),  # the provider whose people may read it
    Column("referral_id", String(36), nullable=True),
    Column("contract_id", String(36), nullable=True),
    Column("reference", String(100), nullable=True),
    Column("title", String(500), nullable=False),
    Column("link", String(500), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("read_at", UTCDateTime, nullable=True),
    UniqueConstraint("event_id", "owner_kind", "owner_id"),
)
Index("ix_notifications_owner", notifications.c.owner_kind, notifications.c.owner_id, notifications.c.seq)
Index("ix_notifications_organisation", notifications.c.organisation_id, notifications.c.seq)

# --- deliveries: exactly one per (event, recipient, channel), sent from this record ----------
deliveries = Table(
    "deliveries", metadata,
    Column("seq", BigIntPK, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("notification_id", String(36), ForeignKey("notifications.id"), nullable=False, index=True),
    Column("event_id", String(36), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("channel", String(10), nullable=False),  # email | webhook
    Column("recipient", String(200), nullable=False),  # provider:<id>, caseworker:<id>, endpoint:<id>, ...
    Column("address", String(2000), nullable=True),  # email address or URL; resolved at send if unknown
    Column("endpoint_id", String(36), nullable=True, index=True),
    Column("provider_id", String(36), nullable=True),  # the organisation that may read this log
    Column("payload", Text, nullable=True),  # the exact webhook body, the same on every attempt
    Column("status", String(12), nullable=False),  # pending | delivered | failed | cancelled
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=True),
    Column("claim_token", String(36), nullable=True),
    Column("last_response_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("failed_at", UTCDateTime, nullable=True),
    UniqueConstraint("event_id", "recipient", "channel"),
)
Index(
    "ix_deliveries_due", deliveries.c.next_attempt_at,
    postgresql_where=deliveries.c.status == "pending", sqlite_where=deliveries.c.status == "pending",
)
Index("ix_deliveries_provider", deliveries.c.provider_id, deliveries.c.seq)

delivery_attempts = Table(
    "delivery_attempts", metadata,
    Column("seq", BigIntPK, primary_key=True, autoincrement=True),
    Column("delivery_id", String(36), nullable=False, index=True),
    Column("attempted_at", UTCDateTime, nullable=False),
    Column("channel", String(10), nullable=False),
    Column("outcome", String(12), nullable=False),  # delivered | failed
    Column("response_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("duration_ms", Integer, nullable=False),
)

# --- webhooks registered by providers ---------------------------------------------------------
webhook_endpoints = Table(
    "webhook_endpoints", metadata,
    Column("id", String(36), primary_key=True),
    Column("provider_id", String(36), nullable=False, index=True),
    Column("url", String(2000), nullable=False),
    Column("description", String(500), nullable=True),
    Column("event_types", Text, nullable=False),  # JSON list
    Column("status", String(10), nullable=False),  # active | disabled | deleted
    Column("flagged_at", UTCDateTime, nullable=True),
    Column("flag_reason", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

webhook_secrets = Table(
    "webhook_secrets", metadata,
    Column("seq", BigIntPK, primary_key=True, autoincrement=True),
    Column("endpoint_id", String(36), ForeignKey("webhook_endpoints.id"), nullable=False, index=True),
    Column("secret", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),  # set when rotated out: signs until then
)
