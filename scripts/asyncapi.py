"""`make asyncapi`: print the AsyncAPI document generated from the event contracts."""
import json

from crs_shared.events import registry  # noqa: F401  (registers every contract)
from crs_shared.events.asyncapi import build_asyncapi

print(json.dumps(build_asyncapi(), indent=2, sort_keys=True, default=str))
