"""From measured values to the evaluation: each objective's windows kept or
breached and by how much, the credits owed, and for a breached SLA objective
the supporters that breached the same metric in an overlapping window.

Measurement rows override values from events. Every window with data is
evaluated (earlier ones count for `consecutive`); the period selects which
are reported. An objective without a value in a window of an agreement that
has data is `no data`: neither kept nor breached.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from ..model import strength
from ..values import Duration, Percent
from .accounting import COMPARE, HUNDRED, Measured
from .credits import Owed, apply_caps, owed_in_windows
from .windows import Grid, Period

KEPT, BREACHED, NO_DATA = "kept", "breached", "no data"
_MICRO = datetime.timedelta(microseconds=1)


class WindowResult:
    """One objective in one window."""

    __slots__ = ("objective", "index", "start", "end", "measured", "status", "by", "owed", "causes", "selected")

    def __init__(self, objective, index: int, start, end, measured: Measured | None) -> None:
        self.objective, self.index, self.start, self.end, self.measured = objective, index, start, end, measured
        self.status, self.by = _status(objective, measured)
        self.owed: list[Owed] = []
        self.causes: list[str] | None = None  # for a breached SLA objective
        self.selected = True

    @property
    def seconds(self) -> Decimal:
        return Decimal((self.end - self.start) // datetime.timedelta(microseconds=1)).scaleb(-6)

    @property
    def agreement(self):
        return self.objective.service.agreement


def _status(objective, measured: Measured | None) -> tuple[str, object]:
    """KEPT, BREACHED or NO_DATA, and by how much: percentage points (a Decimal)
    for percents and shares, a Duration for durations, a number for numbers."""
    if measured is None:
        return NO_DATA, None
    if measured.value is None:  # no incidents: none was missed
        return KEPT, None
    target = objective.target
    if measured.share:
        percentile = objective.percentile if objective.percentile is not None else HUNDRED
        gap = percentile - measured.value.value
        return (BREACHED, gap) if gap > 0 else (KEPT, None)
    value = measured.value
    if COMPARE[target.op](value, target.value):
        return KEPT, None
    if isinstance(value, Percent):
        return BREACHED, abs(value.value - target.value.value)
    if isinstance(value, Duration):
        return BREACHED, Duration(abs(value.amount - _in_unit(target.value, value.unit)), value.unit)
    return BREACHED, abs(value - target.value)


def _in_unit(duration: Duration, unit: str) -> Decimal:
    if duration.unit == unit or duration.business:
        return duration.amount
    return duration.seconds / Duration(Decimal(1), unit).seconds


class Evaluation:
    """The windows of every agreement the data names, in agreement and window order."""

    def __init__(self, results: list[WindowResult], period: Period | None) -> None:
        self.results = results
        self.period = period

    @property
    def selected(self) -> list[WindowResult]:
        return [result for result in self.results if result.selected]

    @property
    def breached(self) -> bool:
        return any(r.status == BREACHED and r.agreement.status != "draft" for r in self.selected)


def evaluate(measured: dict, coverage: dict, period: Period | None) -> Evaluation:
    """`measured`: {(objective, index): Measured}; `coverage`: agreement -> [first, last]
    instants of its events."""
    spans: dict = {}
    grids: dict = {}
    for (objective, index), _ in measured.items():
        grid = grids.get(objective) or grids.setdefault(objective, Grid.of(objective))
        bounds = grid.bounds(index)
        _widen(spans, objective.service.agreement, *bounds)
    for agreement, (first, last) in coverage.items():
        _widen(spans, agreement, first, last)
    results: list[WindowResult] = []
    for agreement in sorted(spans, key=lambda a: a.id):
        first, last = spans[agreement]
        for service in agreement.services:
            for objective in service.objectives:
                grid = grids.get(objective) or Grid.of(objective)
                if grid is None or objective.target is None or objective.metric is None:
                    continue
                indexes = set(grid.indexes(first, last, objective))
                indexes |= {index for (o, index) in measured if o is objective}
                if period is not None:
                    indexes |= _period_indexes(grid, period, objective)
                windows = []
                for index in sorted(indexes):
                    bounds = grid.bounds(index)
                    if bounds is not None:
                        windows.append(WindowResult(objective, index, *bounds, measured.get((objective, index))))
                for item in owed_in_windows(objective, windows):
                    item.window.owed.append(item)
                results += windows
    apply_caps([item for result in results for item in result.owed])
    for result in results:
        result.selected = period is None or period.selects(result.end, result.start.tzinfo)
        if result.status == BREACHED and result.agreement.kind == "sla":
            result.causes = _causes(result, results)
    return Evaluation(results, period)


def _widen(spans: dict, agreement, first, last) -> None:
    span = spans.get(agreement)
    spans[agreement] = [first, last] if span is None else [min(span[0], first), max(span[1], last)]


def _period_indexes(grid: Grid, period: Period, objective) -> set[int]:
    """The windows of `grid` that end inside `period`."""
    start = datetime.datetime(period.first.year, period.first.month, period.first.day, tzinfo=grid.tz)
    end = datetime.datetime(period.after.year, period.after.month, period.after.day, tzinfo=grid.tz)
    return set(grid.indexes(start, end, objective))


def _causes(result: WindowResult, results: list[WindowResult]) -> list[str]:
    """The supporters that breached the same metric (SL402's priority and percentile
    rules) in a window overlapping the breached one; `no supporter breached`, or
    those without data."""
    objective = result.objective
    breached, without = [], []
    supporters = [a for a in objective.service.supported_by if a.status != "retired"]
    for supporter in supporters:
        mine = [o for service in supporter.services for o in service.objectives]
        counted = strength.counted(mine, objective)
        if not counted:
            continue
        overlapping = [r for r in results if r.objective in counted and r.start < result.end and result.start < r.end]
        hit = [r for r in overlapping if r.status == BREACHED]
        if hit:
            breached.append(f"caused by {supporter.label} ({shown_value(hit[0].measured, hit[0].objective)})")
        elif not [r for r in overlapping if r.status != NO_DATA]:
            without.append(f"no data from {supporter.label}")
    if breached:
        return breached + without
    if without:
        return without
    return ["no supporter breached"] if supporters else ["no supporters"]


def shown_value(measured: Measured | None, objective) -> str:
    """A measured value for the report: percents to three decimals cut toward the
    weaker side, durations to two decimals."""
    from ..values import format_value

    if measured is None:
        return "no data"
    if measured.value is None:
        return measured.detail
    value = measured.value
    if isinstance(value, Percent):
        better = "higher" if measured.share else objective.metric.better
        text = strength.shown_percent(value, better)
        return f"{text} within target" if measured.share else text
    if isinstance(value, Duration):
        return format_value(cut(value, 2))
    return format_value(value, 4)


def cut(duration: Duration, places: int) -> Duration:
    """The duration with its amount cut toward zero after `places` decimals."""
    try:
        return Duration(duration.amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN), duration.unit)
    except ArithmeticError:  # too many digits to cut: as it is
        return duration
