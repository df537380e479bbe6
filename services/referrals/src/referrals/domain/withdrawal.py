"""Withdrawal reason codes of the catalogue (13, in five groups), agreed with the providers service."""
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
