"""Reason codes of the catalogue, agreed with the providers service (tests/platform checks they match)."""
from __future__ import annotations

WITHDRAWAL_REASONS: dict[str, tuple[str, str]] = {
    "INE": ("problem_with_referral", "Ineligible referral"),
    "MIS": ("problem_with_referral", "Mistaken or duplicate referral"),
    "NOT": ("circumstances", "Not engaged"),
    "NEE": ("circumstances", "Needs met through another route"),
    "MOV": ("circumstances", "Moved out of service area"),
    "WOR": ("circumstances", "Work or other commitments"),
    "USE": ("circumstances", "Unable to engage (illness, disability or custody)"),
    "ACQ": ("sentence_changes", "Acquitted on appeal"),
    "RET": ("sentence_changes", "Returned to custody"),
    "SER": ("sentence_changes", "Sentence revoked"),
    "SEE": ("sentence_changes", "Sentence expired"),
    "EAR": ("early_closure", "Early closure of the service"),
    "ANO": ("other", "Another reason"),
}
REDIRECTED = "ANO"  # a waitlisted referral redirected to another intervention

# Why a provider may decline a referral.
DECLINE_REASONS: dict[str, str] = {
    "OUT_OF_AREA": "The person lives outside the area the service covers",
    "NOT_ELIGIBLE": "The person does not meet the eligibility criteria",
    "RISK": "The risk information means the service cannot be delivered safely",
    "AT_CAPACITY": "The service has no capacity to take the referral",
    "INSUFFICIENT_INFORMATION": "The referral lacks information needed to deliver the service",
    "DUPLICATE": "The person is already receiving this service",
    "OTHER": "Another reason",
}
