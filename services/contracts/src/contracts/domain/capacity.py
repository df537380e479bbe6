"""Capacity decisions on one contract year's counters: count, wait, thresholds, bands."""
from __future__ import annotations

from dataclasses import dataclass

from contracts.domain.terms import YearTerms


@dataclass(frozen=True)
class YearVolume:
    """The counters of one contract year that a decision needs, read under a row lock."""

    volume: int
    terms: YearTerms
    cap_policy: str
    thresholds: tuple[int, ...]
    reached: frozenset[int]

    @property
    def cap(self) -> int:
        return self.terms.volume_cap

    @property
    def has_capacity(self) -> bool:
        return self.volume < self.cap

    @property
    def band(self) -> int | None:
        return self.terms.band_for(self.volume)


@dataclass(frozen=True)
class Decision:
    counted: bool
    volume: int
    band: int | None
    previous_band: int | None
    thresholds_reached: tuple[int, ...] = ()
    overrun: bool = False

    @property
    def band_changed(self) -> bool:
        return self.counted and self.band is not None and self.band != self.previous_band


def thresholds_crossed(volume: int, cap: int, thresholds: tuple[int, ...], reached: frozenset[int]) -> tuple[int, ...]:
    """Thresholds (percent of cap) that `volume` reaches and that were not reached before."""
    if cap <= 0:
        return tuple(t for t in thresholds if t not in reached) if volume > 0 else ()
    return tuple(t for t in thresholds if t not in reached and volume * 100 >= t * cap)


def decide(year: YearVolume, *, force: bool = False) -> Decision:
    """Count a referral if the year has room (or the cap is soft, or `force`); else it waits."""
    if not (year.has_capacity or year.cap_policy == "soft" or force):
        return Decision(counted=False, volume=year.volume, band=year.band, previous_band=year.band)
    volume = year.volume + 1
    return Decision(
        counted=True,
        volume=volume,
        band=year.terms.band_for(volume),
        previous_band=year.band,
        thresholds_reached=thresholds_crossed(volume, year.cap, year.thresholds, year.reached),
        overrun=volume > year.cap,
    )


def release(year: YearVolume) -> Decision:
    """A counted referral is withdrawn before delivery started: its place is freed."""
    volume = max(year.volume - 1, 0)
    return Decision(counted=False, volume=volume, band=year.terms.band_for(volume), previous_band=year.band)


def places_free(year: YearVolume) -> int:
    return max(year.cap - year.volume, 0)
