"""What the credits owe for measured windows.

Credits of one objective and one credits block are tiers: of those whose
condition holds in the window (and, with `consecutive: N`, in the N-1 windows
before it too), those with the largest `consecutive` apply, and among them
the ones at the worst threshold (escalation replaces, it does not add). An
amount `per U` is owed for every whole U of shortfall (`per started`: every
begun one); the shortfall is how far the value is beyond the threshold, as
time over the window's real length for a percent metric, or in points when
U is a percent. A block's `cap` bounds what it owes per calendar month, for
the windows ending in that month, in the order they end.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from ..values import Duration, Percent
from .accounting import COMPARE, HUNDRED, Measured

DAY_SECONDS = Decimal(86400)
_MICRO = datetime.timedelta(microseconds=1)


class Owed:
    """One credit owed for one window: `amount` in the block's kind (percent points,
    days, money), `before_cap` when the cap cut it, `note` when it could not be
    computed."""

    __slots__ = ("credit", "block", "window", "amount", "units", "before_cap", "note")

    def __init__(self, credit, window, amount: Decimal | None, units: Decimal | None = None, note: str = ""):
        self.credit, self.block, self.window = credit, credit.block, window
        self.amount, self.units, self.before_cap, self.note = amount, units, None, note


def amount_in_kind(value) -> Decimal:
    """A credit amount or cap as a number of its kind: percent points, days, money."""
    if isinstance(value, Percent):
        return value.value
    if isinstance(value, Duration):
        return value.seconds / DAY_SECONDS
    return Decimal(value)


def holds(credit, measured, objective) -> bool | None:
    """Whether the credit's condition holds for the measured value (None: a share of
    events cannot say, for a threshold other than the target's)."""
    if measured is None:
        return False
    if measured.holds is not None:
        return measured.holds.get((credit.op, credit.threshold), False)
    if measured.value is None:
        return False
    if measured.share:
        target = objective.target
        opposite = {"<=": ">", "<": ">=", ">=": "<", ">": "<="}
        if credit.threshold == target.value and credit.op == opposite[target.op]:
            percentile = objective.percentile if objective.percentile is not None else HUNDRED
            return measured.value.value < percentile
        return None
    value, threshold = measured.value, credit.threshold
    if isinstance(value, Duration) and isinstance(threshold, Duration) and value.business != threshold.business:
        return None
    if type(value) is not type(threshold) and not (isinstance(value, Duration) and isinstance(threshold, Duration)):
        return None
    return COMPARE[credit.op](value, threshold)


def per_units(credit, measured, objective, window_seconds: Decimal) -> Decimal | None:
    """How many units of `per` the shortfall makes (whole, or begun with `per
    started`); None when it cannot be counted (a value that is a share of events)."""
    if measured is None or measured.value is None or measured.share:
        return None
    value, threshold, unit = measured.value, credit.threshold, credit.per
    if isinstance(value, Percent):
        points = threshold.value - value.value if objective.metric.better == "higher" else value.value - threshold.value
        points = max(points, Decimal(0))
        if isinstance(unit, Percent):
            count = points / unit.value
        else:
            count = points / HUNDRED * window_seconds / unit.seconds
    elif isinstance(value, Duration):
        if value.business != threshold.business:  # 66 h against 8bh: no common measure
            return None
        count = max(_seconds(value) - _seconds(threshold), Decimal(0)) / unit.seconds
    else:
        return None
    whole = math.ceil(count) if credit.per_started else math.floor(count)
    return Decimal(whole)


def _seconds(value: Duration) -> Decimal:
    """A duration as seconds; a business one by its count (bh as hours, bd as days of 24 h)."""
    if value.unit == "bh":
        return value.amount * 3600
    if value.unit == "bd":
        return value.amount * DAY_SECONDS
    return value.seconds


def magnitude(value) -> Decimal:
    """A threshold or measured value as one number: percent points, seconds (a
    business duration by its count, as _seconds counts it), or the number itself."""
    if isinstance(value, Percent):
        return value.value
    if isinstance(value, Duration):
        return _seconds(value)
    return value


def worst(credits):
    """The credits at the worst threshold: the lowest for `<`, the highest for `>`."""
    sizes = [magnitude(credit.threshold) for credit in credits]
    bound = min(sizes) if credits[0].op in ("<", "<=") else max(sizes)
    return [credit for credit, size in zip(credits, sizes, strict=True) if size == bound]


def owed_at(tiers, value, objective, window_seconds: Decimal | None) -> Decimal | None:
    """What the tiers of one schedule (one block, one `consecutive` value) owe in
    one window where `objective` measured `value`: the worst matching tiers, in
    the block's kind; None when it cannot be counted (a threshold of another
    unit, a `per` shortfall without a window)."""
    measured = Measured(value)
    applying = []
    for credit in tiers:
        state = holds(credit, measured, objective)
        if state is None:
            return None
        if state:
            applying.append(credit)
    total = Decimal(0)
    for credit in worst(applying) if applying else ():
        if credit.per is None:
            total += amount_in_kind(credit.amount)
            continue
        if window_seconds is None and isinstance(value, Percent) and not isinstance(credit.per, Percent):
            return None
        units = per_units(credit, measured, objective, window_seconds)
        if units is None:
            return None
        total += amount_in_kind(credit.amount) * units
    return total


def owed_in_windows(objective, windows: list) -> list[Owed]:
    """The credits `objective` owes in `windows` (WindowResults of it, any order),
    before caps."""
    agreement = objective.service.agreement
    credits = [c for c in agreement.all_credits if getattr(c, "objective", None) is objective and c.condition]
    if not credits:
        return []
    by_index = {window.index: window for window in windows}
    found: list[Owed] = []
    for block in agreement.credit_blocks:
        tiers = [credit for credit in credits if credit.block is block]
        if not tiers:
            continue
        for window in windows:
            if window.measured is None:
                continue
            found += _window_owed(tiers, window, by_index, objective)
    return found


def _window_owed(tiers, window, by_index, objective) -> list[Owed]:
    undecided = []

    def satisfied(credit) -> bool:
        for back in range(int(credit.consecutive)):
            earlier = by_index.get(window.index - back)
            state = holds(credit, earlier.measured if earlier else None, objective)
            if state is None:
                undecided.append(credit)
                return False
            if not state:
                return False
        return True

    applying = [credit for credit in tiers if satisfied(credit)]
    if not applying:
        return [
            Owed(credit, window, None, note="not computed: a share of incidents says nothing about this threshold")
            for credit in dict.fromkeys(undecided)
        ]
    longest = max(credit.consecutive for credit in applying)
    owed = []
    for credit in worst([credit for credit in applying if credit.consecutive == longest]):
        if credit.per is None:
            owed.append(Owed(credit, window, amount_in_kind(credit.amount)))
            continue
        units = per_units(credit, window.measured, objective, window.seconds)
        if units is None:
            note = "not computed: the shortfall needs a value in the threshold's unit, not a share or another unit"
            owed.append(Owed(credit, window, None, note=note))
        else:
            owed.append(Owed(credit, window, amount_in_kind(credit.amount) * units, units))
    return owed


def apply_caps(owed: list[Owed]) -> None:
    """Cut what each block owes to its `cap` per calendar month (the month in which a
    window ends, in its service's timezone), in the order the windows end."""
    spent: dict = {}
    for item in sorted(owed, key=lambda item: item.window.end):
        cap = item.block.cap
        if cap is None or item.amount is None:
            continue
        last = (item.window.end - _MICRO).astimezone(item.window.end.tzinfo)
        key = (item.block, last.year, last.month)
        room = max(amount_in_kind(cap) - spent.get(key, Decimal(0)), Decimal(0))
        if item.amount > room:
            item.before_cap, item.amount = item.amount, room
        spent[key] = spent.get(key, Decimal(0)) + item.amount
