"""Who may see a referral (the same rules the list queries apply in SQL)."""
from __future__ import annotations

import uuid

from referrals.domain.referral import Referral


def practitioner_may_see(referral: Referral, subject: str, team_code: str | None, region_code: str | None) -> bool:
    """Their own referrals, their team's, or (with no team on the token) their region's."""
    p = referral.practitioner
    if p.subject == subject:
        return True
    if team_code:
        return p.team_code == team_code
    return bool(region_code) and p.region_code == region_code


def provider_may_see(referral: Referral, provider_id: uuid.UUID) -> bool:
    """Sent referrals under an intervention version where the provider is prime or subcontractor."""
    return referral.sent_at is not None and provider_id in referral.provider_ids
