import uuid
from datetime import UTC, datetime

import pytest

from crs_shared.events import build_event, parse_envelope, registry, topics
from crs_shared.events.contracts import ContractReferralCounted
from crs_shared.events.envelope import EventData, EventRegistry
from crs_shared.events.referrals import ReferralSubmitted
from crs_shared.logs import correlation_id


def counted(**overrides):
    values = dict(contract_id=uuid.uuid4(), contract_reference="ACC-A-001", referral_id=uuid.uuid4(),
                  contract_year=1, region_code="A", volume=3, volume_cap=10)
    return ContractReferralCounted(**(values | overrides))


def test_envelope_round_trips_as_plain_json():
    data = counted()
    envelope = build_event(data, producer="contracts", subject={"contract_id": data.contract_id})
    raw = envelope.model_dump_json()
    parsed = parse_envelope(raw.encode())
    assert parsed == envelope
    assert parsed.payload() == data
    assert parsed.key == str(data.contract_id)
    assert registry.get(parsed.type, parsed.version).topic == topics.CONTRACTS


def test_consumer_rejects_data_that_breaks_the_contract():
    envelope = build_event(counted(), producer="contracts", subject={"contract_id": "c"})
    broken = envelope.model_dump(mode="json")
    broken["data"]["volume"] = "many"
    with pytest.raises(ValueError):
        parse_envelope(__import__("json").dumps(broken))
    broken = envelope.model_dump(mode="json") | {"type": "contract.unheard_of"}
    with pytest.raises(ValueError, match="unheard_of"):
        parse_envelope(__import__("json").dumps(broken))


def test_contracts_forbid_unknown_fields_and_are_frozen():
    with pytest.raises(ValueError):
        counted(surname="Smith")
    with pytest.raises(ValueError):
        counted().volume = 4


def test_event_carries_the_correlation_id_of_the_request():
    token = correlation_id.set("req-123")
    try:
        envelope = build_event(counted(), producer="contracts", subject={"contract_id": "c"})
    finally:
        correlation_id.reset(token)
    assert envelope.correlation_id == "req-123"


def test_referral_events_carry_no_personal_data_fields():
    personal = {"name", "first_name", "last_name", "surname", "date_of_birth", "dob", "crn", "ethnicity"}
    for cls in registry.all():
        if cls.topic == topics.REFERRALS:
            assert not personal & set(cls.model_fields), cls.event_type


def test_every_registered_type_has_a_topic_and_summary():
    for cls in registry.all():
        assert cls.topic in topics.ALL
        assert cls.summary, cls.event_type
        assert cls.event_type.count(".") == 1


def test_registering_a_type_twice_is_refused():
    class A(EventData):
        event_type = "x.happened"
        topic = topics.REFERRALS

    class B(EventData):
        event_type = "x.happened"
        topic = topics.REFERRALS

    reg = EventRegistry()
    reg.register(A)
    with pytest.raises(ValueError):
        reg.register(B)


def test_submitted_requires_timezone_aware_fields_to_parse():
    event = ReferralSubmitted(
        referral_id=uuid.uuid4(), reference="AB1234ACC", intervention_id=uuid.uuid4(), intervention_version=1,
        contract_reference="R", contract_type="ACC", prime_provider_id=uuid.uuid4(), region_code="A",
        complexity={"ACC": "LOW"}, practitioner_id="pp1", submitted_at=datetime.now(UTC),
    )
    assert event.complexity == {"ACC": "LOW"}
