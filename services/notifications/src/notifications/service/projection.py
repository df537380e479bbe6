"""Keep the local read models (providers, caseworkers, referrals) up to date from events."""
from __future__ import annotations

from crs_shared.events.envelope import EventEnvelope
from notifications.adapters.read_models import ReferralView
from notifications.service.uow import NotificationsUoW

# Referral fields each event may tell us; anything it does not carry is left as it was.
_REFERRAL_FIELDS = {
    "referral.submitted": ("reference", "prime_provider_id", "subcontractor_provider_ids", "practitioner_id",
                           "practitioner_email", "region_code", "contract_reference"),
    "referral.sent": ("reference", "prime_provider_id"),
    "referral.assigned": ("reference", "caseworker_id"),
}


async def project(uow: NotificationsUoW, envelope: EventEnvelope) -> ReferralView | None:
    """Apply what `envelope` tells us about providers, caseworkers and referrals.

    Returns the referral as it now stands when the event told us something about one."""
    data = envelope.data
    if envelope.type in ("provider.registered", "provider.updated"):
        await uow.read_models.save_provider(str(data["provider_id"]), data["referral_mailbox"], data["status"])
    elif envelope.type in ("provider.caseworker_added", "provider.caseworker_updated"):
        await uow.read_models.save_caseworker(
            str(data["caseworker_id"]), str(data["provider_id"]), data["email"], bool(data.get("active", True)))
    elif envelope.type.startswith("referral."):
        fields = _REFERRAL_FIELDS.get(envelope.type, ("reference",))
        told = {f: data.get(f) for f in fields}
        if any(v is not None for v in told.values()):
            return await uow.read_models.save_referral(str(data["referral_id"]), **told)
    return None
