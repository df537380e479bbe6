"""Readable reference numbers: two letters, four digits, the contract type (e.g. JS8762ACC).

Letters and digits that are easy to confuse when read aloud or handwritten (I, L, O, 0, 1)
are never used.
"""
from __future__ import annotations

import random
import re

LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"
DIGITS = "23456789"
PATTERN = re.compile(rf"^[{LETTERS}]{{2}}[{DIGITS}]{{4}}[A-Z]{{3}}$")


def new_reference(contract_type: str, rng: random.Random | None = None) -> str:
    rng = rng or random.SystemRandom()
    letters = "".join(rng.choice(LETTERS) for _ in range(2))
    digits = "".join(rng.choice(DIGITS) for _ in range(4))
    return f"{letters}{digits}{contract_type.upper()}"
