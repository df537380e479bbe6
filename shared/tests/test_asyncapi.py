import json
from pathlib import Path

from crs_shared.events import registry
from crs_shared.events.asyncapi import build_asyncapi

DOC = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json"


def test_published_asyncapi_document_matches_the_contracts():
    generated = json.loads(json.dumps(build_asyncapi(), sort_keys=True, default=str))
    assert json.loads(DOC.read_text()) == generated, "docs/asyncapi.json is stale: run `make asyncapi`"


def test_every_event_type_is_documented_on_its_topic():
    doc = build_asyncapi()
    for cls in registry.all():
        name = f"{cls.event_type}.v{cls.event_version}"
        assert name in doc["channels"][cls.topic]["messages"]
        assert doc["components"]["messages"][name]["summary"] == cls.summary
