"""Services that keep their own copy of catalogue codes agree with the catalogue's seed data
(they never import each other, so this test is what keeps the copies honest)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from referrals.domain.withdrawal import DECLINE_REASONS, WITHDRAWAL_REASONS

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "services/providers/migrations/data"


def catalogue(name: str) -> dict:
    return json.loads((CATALOGUE / name).read_text())


def contracts_seed():
    [path] = (ROOT / "services/contracts/migrations/versions").glob("0002_*.py")
    spec = importlib.util.spec_from_file_location("contracts_seed", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_referrals_knows_the_catalogues_withdrawal_and_decline_reasons():
    services = catalogue("services.json")
    withdrawal = {code for group in services["withdrawal_reasons"] for code, _ in group["reasons"]}
    assert set(WITHDRAWAL_REASONS) == withdrawal
    assert len(withdrawal) == 13
    assert set(DECLINE_REASONS) == {code for code, _ in services["decline_reasons"]}


def test_contracts_knows_the_same_regions_and_pcc_areas():
    areas = catalogue("areas.json")
    seed = contracts_seed()
    assert {code for code, _ in seed.REGIONS} == {r["code"] for r in areas["regions"]}
    catalogue_pcc = {a["code"]: a["region_code"] for a in areas["pcc_areas"]}
    assert {row[0]: row[-1] for row in seed.PCC_AREAS} == catalogue_pcc
    assert len(catalogue_pcc) == 42
