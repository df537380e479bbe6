"""An AsyncAPI 3.0 document generated from the registered event contracts."""
from __future__ import annotations

from typing import Any

from crs_shared.events.envelope import EventEnvelope, registry

PRODUCERS = {
    "crs.referrals.events.v1": "referrals",
    "crs.catalogue.events.v1": "providers",
    "crs.contracts.events.v1": "contracts",
    "crs.notifications.events.v1": "notifications",
}


def build_asyncapi() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {"EventEnvelope": EventEnvelope.model_json_schema()}
    operations: dict[str, Any] = {}
    for cls in registry.all():
        name = f"{cls.event_type}.v{cls.event_version}"
        schema = cls.model_json_schema(ref_template="#/components/schemas/{model}")
        for sub_name, sub in schema.pop("$defs", {}).items():
            schemas[sub_name] = sub
        schemas[name] = schema
        messages[name] = {
            "name": cls.event_type,
            "title": cls.event_type,
            "summary": cls.summary,
            "contentType": "application/json",
            "headers": {"type": "object", "properties": {
                "event_type": {"type": "string", "const": cls.event_type},
                "event_id": {"type": "string", "format": "uuid"},
                "correlation_id": {"type": "string"},
            }},
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/EventEnvelope"},
                    {"type": "object", "properties": {
                        "type": {"const": cls.event_type},
                        "version": {"const": cls.event_version},
                        "data": {"$ref": f"#/components/schemas/{name}"},
                    }},
                ]
            },
        }
        channel = channels.setdefault(
            cls.topic, {"address": cls.topic, "description": f"Events of the {PRODUCERS.get(cls.topic, '?')} service; "
                        "the key is the id of the aggregate the event is about.", "messages": {}}
        )
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    for topic, channel in channels.items():
        operations[f"publish.{topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic}"},
            "summary": f"Published by the {PRODUCERS.get(topic, '?')} service through its transactional outbox.",
            "messages": [{"$ref": f"#/channels/{topic}/messages/{m}"} for m in channel["messages"]],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "CRS platform events",
            "version": "1.0.0",
            "description": "Every event travels in one JSON envelope; `data` follows the contract of its "
                           "`type` and `version`. Delivery is at least once: consumers dedupe on `event_id`.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
