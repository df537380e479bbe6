"""Tables of the contracts service's own database."""
from __future__ import annotations

from crs_shared.db import new_metadata
from crs_shared.inbox import inbox_table
from crs_shared.outbox import outbox_table

metadata = new_metadata()
outbox_messages = outbox_table(metadata)
inbox_messages = inbox_table(metadata)
