"""Checks at submit, against the local copy of the intervention: all failures at once, per field."""
from __future__ import annotations

from datetime import date

from crs_shared.errors import FieldErrors
from referrals.domain.catalogue import InterventionVersion
from referrals.domain.details import Details, age_on

REQUIRED = (
    ("intervention_id", lambda d: d.intervention_id),
    ("person.crn", lambda d: d.person.get("crn")),
    ("person.first_name", lambda d: d.person.get("first_name")),
    ("person.last_name", lambda d: d.person.get("last_name")),
    ("person.date_of_birth", lambda d: d.date_of_birth),
    ("person.sex", lambda d: d.sex),
    ("pcc_area_code", lambda d: d.pcc_area_code),
    ("categories", lambda d: d.categories),
    ("desired_outcomes", lambda d: d.desired_outcomes),
    ("reason_for_referral", lambda d: d.content.get("reason_for_referral")),
    ("completion_deadline", lambda d: d.completion_deadline),
    ("location.kind", lambda d: d.location.get("kind")),
)


def check_complete(details: Details, errors: FieldErrors) -> None:
    for name, read in REQUIRED:
        if not read(details):
            errors.add(name, "required", f"{name} is required to submit")
    location = details.location
    if location.get("kind") == "custody":
        for name in ("prison_code", "expected_release_date"):
            if not location.get(name):
                errors.add(f"location.{name}", "required", f"{name} is required for a person in custody")


def check_eligibility(details: Details, intervention: InterventionVersion, today: date, errors: FieldErrors) -> None:
    """Is the intervention open, and does the person, area and choice of services fit it?"""
    if not intervention.is_open_on(today):
        errors.add("intervention_id", "intervention_not_open", "the intervention does not take referrals today")
    born = details.date_of_birth
    if born is not None:
        age = age_on(born, today)
        if age < intervention.minimum_age:
            errors.add("person.date_of_birth", "below_minimum_age", f"minimum age is {intervention.minimum_age}")
        elif intervention.maximum_age is not None and age > intervention.maximum_age:
            errors.add("person.date_of_birth", "above_maximum_age", f"maximum age is {intervention.maximum_age}")
    allowed = {"male": intervention.allows_male, "female": intervention.allows_female}
    if details.sex in allowed and not allowed[details.sex]:
        errors.add("person.sex", "sex_not_eligible", "the intervention is not open to this sex")
    if details.pcc_area_code and details.pcc_area_code not in intervention.covered_pcc_areas:
        errors.add("pcc_area_code", "area_not_covered", "the intervention does not cover this PCC area")
    check_choices(details, intervention, errors)
    deadline = details.completion_deadline
    if deadline is not None and deadline <= today:
        errors.add("completion_deadline", "deadline_not_in_future", "the completion deadline must be in the future")


def check_choices(details: Details, intervention: InterventionVersion, errors: FieldErrors) -> None:
    """Categories, complexity levels and desired outcomes must belong to the intervention."""
    outcomes: set[str] = set()
    seen: set[str] = set()
    for i, chosen in enumerate(details.categories):
        offer = intervention.category(chosen.get("code", ""))
        if offer is None:
            errors.add(f"categories.{i}.code", "unknown_category", "not a category of the intervention")
            continue
        if offer.code in seen:
            errors.add(f"categories.{i}.code", "duplicate_category", "category chosen twice")
        seen.add(offer.code)
        outcomes.update(offer.desired_outcome_codes)
        if chosen.get("complexity") not in offer.complexity_levels:
            errors.add(f"categories.{i}.complexity", "complexity_not_offered",
                       f"offered levels: {', '.join(offer.complexity_levels)}")
    for i, code in enumerate(details.desired_outcomes):
        if code not in outcomes:
            errors.add(f"desired_outcomes.{i}", "unknown_outcome", "not an outcome of the chosen categories")
