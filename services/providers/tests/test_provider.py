"""Providers: number formats, status rules, caseworkers, and the events they record."""
from __future__ import annotations

import pytest

from crs_shared.errors import Conflict, ValidationFailed

from providers.domain.provider import Provider, ProviderDetails, normalise_company_number


def details(**changes: object) -> ProviderDetails:
    values = dict(name="Home Ground", organisation_type="VCSE", referral_mailbox="referrals@hg.example.org",
                  charity_number="1098765", company_number=None)
    values.update(changes)
    return ProviderDetails(**values)  # type: ignore[arg-type]


def codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in exc.value.errors}


@pytest.mark.parametrize("number", ["123456", "1234567", "12345678", "1098765-1", "1098765-12"])
def test_england_and_wales_charity_numbers_are_accepted(number: str) -> None:
    assert Provider.register(details(charity_number=number)).details.charity_number == number


@pytest.mark.parametrize("number", ["12345", "123456789", "SC012345", "1098765-", "12a4567"])
def test_malformed_charity_numbers_are_rejected(number: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        Provider.register(details(charity_number=number))
    assert codes(exc) == {("charity_number", "invalid_format")}


@pytest.mark.parametrize("number", ["04567123", "SC123456", "oc301234"])
def test_company_numbers_are_8_digits_or_two_letters_and_6_digits(number: str) -> None:
    provider = Provider.register(details(charity_number=None, company_number=normalise_company_number(number)))
    assert provider.details.company_number == number.upper()


@pytest.mark.parametrize("number", ["4567123", "S1234567", "SC12345", "ABC12345"])
def test_malformed_company_numbers_are_rejected(number: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        Provider.register(details(company_number=number))
    assert ("company_number", "invalid_format") in codes(exc)


def test_a_non_public_body_needs_a_charity_or_company_number_but_a_public_body_does_not() -> None:
    with pytest.raises(ValidationFailed) as exc:
        Provider.register(details(charity_number=None, organisation_type="SME"))
    assert codes(exc) == {("company_number", "required")}
    assert Provider.register(details(charity_number=None, organisation_type="PUBLIC_BODY"))


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as exc:
        Provider.register(details(name=" ", organisation_type="CHARITY", referral_mailbox="nope"))
    assert codes(exc) == {("name", "required"), ("organisation_type", "unknown_code"),
                          ("referral_mailbox", "invalid_format")}


def test_registering_records_an_event_and_updates_record_only_real_changes() -> None:
    provider = Provider.register(details())
    assert provider.events == ["provider.registered"] and provider.status == "active"
    provider.events.clear()
    assert provider.update(name="Home Ground") is False and provider.events == []
    assert provider.update("suspended") is True
    assert provider.status == "suspended" and provider.events == ["provider.updated"]


def test_an_offboarded_provider_is_final() -> None:
    provider = Provider.register(details())
    provider.update("offboarded")
    with pytest.raises(Conflict):
        provider.update("active")
    with pytest.raises(Conflict):
        provider.add_caseworker("Jo", "jo@hg.example.org")


def test_unknown_status_is_rejected() -> None:
    with pytest.raises(ValidationFailed) as exc:
        Provider.register(details()).update("closed")
    assert codes(exc) == {("status", "unknown_code")}


def test_caseworkers_have_unique_emails_within_a_provider() -> None:
    provider = Provider.register(details())
    jo = provider.add_caseworker("Jo Bloggs", "Jo@HG.example.org")
    assert jo.email == "jo@hg.example.org"
    with pytest.raises(ValidationFailed) as exc:
        provider.add_caseworker("Another Jo", "jo@hg.example.org")
    assert codes(exc) == {("email", "duplicate")}
    assert provider.events[-1] == f"provider.caseworker_added:{jo.id}"


def test_updating_a_caseworker_records_an_event_only_when_something_changes() -> None:
    provider = Provider.register(details())
    jo = provider.add_caseworker("Jo Bloggs", "jo@hg.example.org")
    provider.events.clear()
    provider.update_caseworker(jo.id, name="Jo Bloggs")
    assert provider.events == []
    provider.update_caseworker(jo.id, active=False)
    assert provider.events == [f"provider.caseworker_updated:{jo.id}"] and jo.active is False
