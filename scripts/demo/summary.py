"""What a demo run did, counted as it goes, and the report printed at the end."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from .client import Tokens


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    value_share: dict[str, float] = field(default_factory=dict)


def report(s: Summary, contracts_url: str, tokens: Tokens) -> str:
    lines = [f"CRS demo loaded in {time.monotonic() - s.started:.1f}s"]
    lines += [f"  {k:<32} {v}" for k, v in sorted(s.counts.items())]
    lines.append(f"  value share by supplier status   {s.value_share}")
    token = tokens.commercial()["Authorization"][7:]
    lines.append(f"Dashboard (commercial, 7 days): {contracts_url}/dashboard?token={token}")
    return "\n".join(lines)
