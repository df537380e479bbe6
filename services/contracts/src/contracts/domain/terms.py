"""Commercial terms of one contract year: price, estimate, cap, volume bands, unit costs."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from crs_shared.errors import FieldErrors

INTENSITIES = ("LOW", "MEDIUM", "HIGH")


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    value: Decimal

    def contains(self, volume: int) -> bool:
        return self.low <= volume <= self.high


@dataclass(frozen=True)
class YearTerms:
    fixed_price: Decimal
    volume_estimate: int
    volume_cap: int
    unit_costs: dict[str, Decimal] = field(default_factory=dict)
    bands: tuple[Band, ...] = ()

    def band_for(self, volume: int) -> int | None:
        """1-based number of the band `volume` falls in (the top band beyond its high)."""
        if not self.bands:
            return None
        if volume > self.bands[-1].high:
            return len(self.bands)
        for number, band in enumerate(self.bands, start=1):
            if band.contains(volume):
                return number
        return None  # below the lowest band

    @property
    def guaranteed_minimum(self) -> Decimal | None:
        return self.bands[0].value if self.bands else None

    def payable(self, volume: int) -> Decimal:
        """The value paid for a year ending at `volume`: its band's value, else the fixed price."""
        if not self.bands:
            return self.fixed_price
        band = self.band_for(volume)
        return self.bands[(band or 1) - 1].value

    def notional_value(self, complexity: dict[str, str]) -> dict[str, Decimal]:
        """Unit cost of each service category at its intensity, summed per intensity."""
        consumed: dict[str, Decimal] = {}
        for level in complexity.values():
            cost = self.unit_costs.get(level, Decimal(0))
            consumed[level] = consumed.get(level, Decimal(0)) + cost
        return consumed

    def validate(self, errors: FieldErrors, prefix: str) -> None:
        if self.fixed_price < 0:
            errors.add(f"{prefix}.fixed_price", "negative", "the fixed price cannot be negative")
        if self.volume_estimate < 0:
            errors.add(f"{prefix}.volume_estimate", "negative", "the volume estimate cannot be negative")
        if self.volume_cap < 0:
            errors.add(f"{prefix}.volume_cap", "negative", "the volume cap cannot be negative")
        for level, cost in self.unit_costs.items():
            if level not in INTENSITIES:
                errors.add(f"{prefix}.unit_costs.{level}", "unknown_intensity", "use LOW, MEDIUM or HIGH")
            elif cost < 0:
                errors.add(f"{prefix}.unit_costs.{level}", "negative", "a unit cost cannot be negative")
        self._validate_bands(errors, prefix)

    def _validate_bands(self, errors: FieldErrors, prefix: str) -> None:
        previous: Band | None = None
        for index, band in enumerate(self.bands):
            where = f"{prefix}.bands.{index}"
            if band.value < 0:
                errors.add(f"{where}.value", "negative", "a band value cannot be negative")
            if band.low < 0:
                errors.add(f"{where}.low", "negative", "a band's low volume cannot be negative")
            if band.high < band.low:
                errors.add(f"{where}.high", "below_low", "a band's high volume must be at least its low")
            if previous is not None:
                if band.low <= previous.high:
                    errors.add(f"{where}.low", "bands_overlap", f"overlaps the band before (high {previous.high})")
                elif band.low > previous.high + 1:
                    errors.add(f"{where}.low", "bands_gap",
                               f"leaves a gap after the band before (next low should be {previous.high + 1})")
            previous = band
        if self.bands and self.volume_cap < self.bands[0].low:
            errors.add(f"{prefix}.volume_cap", "cap_below_lowest_band",
                       f"the cap is below the lowest band's low volume ({self.bands[0].low})")
