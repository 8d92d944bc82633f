"""The measured values at which diff compares two credit schedules of one
objective (compare._schedule_change): at, between and beyond their
thresholds, and at whole `per` units of shortfall beyond each, in the
threshold's measure as evaluate.credits.magnitude counts it."""

from __future__ import annotations

from decimal import Decimal

from ..evaluate.credits import magnitude
from ..model import strength
from ..values import Duration, Percent


def measure_of(threshold) -> str | None:
    """What a threshold is measured in: percent, seconds or business hours; None for anything else."""
    if isinstance(threshold, Percent):
        return "percent"
    if isinstance(threshold, Duration):
        return "bh" if threshold.unit == "bh" else None if threshold.unit == "bd" else "s"
    return None


def probe_value(measure: str, size: Decimal):
    """A measured value of `size` (as evaluate.credits.magnitude counts it) in the threshold's measure."""
    if measure == "percent":
        return Percent(size)
    return Duration(size / 3600, "bh") if measure == "bh" else Duration(size, "s")


def window_seconds(objective) -> Decimal | None:
    window = objective.window
    return window.seconds if isinstance(window, Duration) and not strength.is_business(window) else None


def probes(tiers) -> list[Decimal]:
    points = sorted({magnitude(credit.threshold) for credit in tiers})
    probes = {points[0] - 1, points[-1] + 1, *points, *((a + b) / 2 for a, b in zip(points, points[1:], strict=False))}
    for credit in tiers:
        step = _per_step(credit) if credit.per is not None else None
        if step:
            beyond = -1 if credit.op in ("<", "<=") else 1
            start = magnitude(credit.threshold)
            probes.update(start + beyond * step * Decimal(count) for count in ("0.5", "1", "1.5", "2", "3", "10"))
    return sorted(probes)


def _per_step(credit) -> Decimal | None:
    """One `per` unit of shortfall in the threshold's measure (as evaluate.credits.magnitude counts it)."""
    unit = credit.per
    if isinstance(unit, Percent):
        return unit.value
    if isinstance(credit.threshold, Percent):
        window = window_seconds(credit.objective)
        return None if not window else unit.seconds / window * 100
    return unit.seconds
