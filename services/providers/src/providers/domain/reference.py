"""The reference data the catalogue's rules are checked against (regions, PCC areas, categories)."""
from __future__ import annotations

from dataclasses import dataclass, field

COMPLEXITY_LEVELS = ("LOW", "MEDIUM", "HIGH")
AREA_KINDS = ("region", "pcc_area")


@dataclass(frozen=True)
class ReferenceData:
    region_codes: frozenset[str]
    pcc_area_regions: dict[str, str]  # PCC area code -> region code
    contract_type_categories: dict[str, tuple[str, ...]]  # contract type -> its category codes
    category_outcomes: dict[str, frozenset[str]] = field(default_factory=dict)  # category -> outcome codes

    def region_of(self, area_kind: str, area_code: str) -> str:
        return area_code if area_kind == "region" else self.pcc_area_regions[area_code]

    def covered_pcc_areas(self, area_kind: str, area_code: str) -> list[str]:
        """The PCC areas an offer covers: every area of its region, or its one area."""
        if area_kind == "pcc_area":
            return [area_code]
        return sorted(code for code, region in self.pcc_area_regions.items() if region == area_code)

    def knows_area(self, area_kind: str, area_code: str) -> bool:
        if area_kind == "region":
            return area_code in self.region_codes
        return area_code in self.pcc_area_regions
