"""Geometry of the per-contract chart (inline SVG): cumulative referrals against cap, estimate, bands."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 110, 16, 36


@dataclass(frozen=True)
class Line:
    label: str
    y: float
    value: int
    css: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    plot: tuple[float, float, float, float]  # left, top, right, bottom


def cumulative_chart(series: dict[str, Any]) -> Chart:
    start: date = series["year_start"]
    end: date = series["year_end"]
    days = max((end - start).days, 1)
    limits = [("Cap", series["volume_cap"], "cap"), ("Estimate", series.get("volume_estimate"), "estimate")]
    limits += [(f"Band {b['band']} high", b["high"], "band") for b in series.get("bands", [])[:-1]]
    values = [v for _, v, _ in limits if v is not None] + [w["cumulative"] for w in series["weeks"]]
    top_value = max(max(values, default=1), 1) * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + plot_w * min(max((day - start).days, 0), days) / days, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / top_value), 1)

    points = [f"{x(start)},{y(0)}"]
    for week in series["weeks"]:
        points.append(f"{x(min(week['week_start'] + timedelta(days=6), end))},{y(week['cumulative'])}")
    lines = [Line(label, y(v), v, css) for label, v, css in limits if v is not None]
    step = max(1, round(top_value / 5))
    y_ticks = [(y(v), v) for v in range(0, int(top_value) + 1, step)]
    x_ticks = []
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            x_ticks.append((x(month), month.strftime("%b %y")))
        month = date(month.year + (month.month // 12), month.month % 12 + 1, 1)
    return Chart(WIDTH, HEIGHT, " ".join(points), lines, x_ticks, y_ticks,
                 (LEFT, TOP, LEFT + plot_w, TOP + plot_h))
