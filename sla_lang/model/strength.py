"""Is this promise at least as strong as that one? Targets, percentiles,
windows and deadlines compared, for every rule and command that sets one
agreement's objectives against another's.

Which objectives count (`counted`): those on the same metric with a target of
the same kind; of the supporter's, those with the supported priority, or
without a priority when the supporter has none of that priority; of these,
those whose percentile is at least the supported one (a missing percentile is
the 100th).

How the counted back a supported objective (`gap`: None when they do):

- percent metrics: by target; when both have a window and the supporter's is
  longer, by the shortfall each allows over its window, since all of the
  supporter's may fall into one window of the supported objective
  (`value_in_window`);
- durations: by deadline at every minute of a week when a business unit is
  involved (the supporter's deadline is the earliest of the counted ones,
  each on its own service's clock moved into the supported service's zone),
  else by target;
- other metrics: by target.

Pure: objectives in, figures out. Business time is counted by model/clock.
"""

from __future__ import annotations

import functools
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..slotted import Plain
from ..values import _EXACT, _WIDE, MINUTES_PER_WEEK, Duration, Percent, describe_week_minute, format_value
from .clock import ALWAYS, BUSINESS_UNITS, WeekSchedule, clock_hours, shift_minutes

HUNDRED = Decimal(100)


def percentile_of(objective) -> Decimal:
    """An objective's percentile; without one its target holds for every event (the 100th)."""
    return HUNDRED if objective.percentile is None else objective.percentile


def is_business(value) -> bool:
    """A duration in business hours or days, counted on a service's clock."""
    return isinstance(value, Duration) and value.unit in BUSINESS_UNITS


def comparable(objective) -> bool:
    """Has a target that can be ranked: a metric with a direction and a value."""
    metric, target = objective.metric, objective.target
    return target is not None and metric is not None and metric.better in ("higher", "lower")


def magnitude(value) -> Decimal:
    """A percent, a duration (in seconds; a business one in its own units) or a
    number as a number, to order values of one kind."""
    if isinstance(value, Percent):
        return value.value
    if isinstance(value, Duration):
        return value.amount if is_business(value) else value.seconds
    return value


def strictness(objective) -> Decimal:
    """A number that grows as the target gets stricter. Targets of one shape (`shape`)
    compare by it; a business duration only with one in the same unit and clock."""
    amount = magnitude(objective.target.value)
    return amount if objective.metric.better == "higher" else -amount


@functools.lru_cache(maxsize=1024)
def week_of(schedule) -> WeekSchedule | None:
    """The week of a values.Schedule (None for no schedule)."""
    return None if schedule is None else WeekSchedule.of(schedule)


def clock_of(service) -> WeekSchedule | None:
    """The clock a service's business durations are counted on: its
    business_hours when it has them, else its hours."""
    return week_of(clock_hours(service))


def shape(objective) -> tuple:
    """What besides the target decides how an objective compares: of two
    objectives of one shape, the stricter target is the stronger promise."""
    value = objective.target.value
    if objective.metric.unit == "percent":
        return ("window", None if objective.window is None else objective.window.seconds)
    if is_business(value):
        service = objective.service
        return (value.unit, service.hours, service.timezone)
    return ()


# -- which objectives count ------------------------------------------------------------------


def applicable(objectives, supported) -> list:
    """Of `objectives` (a supporter's), those on the supported metric and priority
    with a target of the same kind: with the supported priority, or without a
    priority when none has that priority."""
    kind = type(supported.target.value)
    same = [
        o for o in objectives if comparable(o) and o.metric.id == supported.metric.id and type(o.target.value) is kind
    ]
    own = [o for o in same if o.priority == supported.priority]
    if own or supported.priority is None:
        return own
    return [o for o in same if o.priority is None]


def counted(objectives, supported) -> list:
    """Of the applicable objectives, those whose percentile is at least the supported one."""
    floor = percentile_of(supported)
    return [o for o in applicable(objectives, supported) if percentile_of(o) >= floor]


# -- windows ---------------------------------------------------------------------------------


def window_rule_applies(objective, supported) -> bool:
    """Both on a percent metric with a window, and the supporter's window the longer."""
    return (
        objective.metric.unit == "percent"
        and objective.window is not None
        and supported.window is not None
        and objective.window.seconds > supported.window.seconds
    )


def allowed_shortfall(target: Percent, better: str, window: Duration) -> Decimal:
    """Seconds of shortfall a target allows over its window: below it for a
    higher-is-better metric (downtime), above it for a lower-is-better one."""
    return shortfall_in(target, better, window.seconds)


def shortfall_in(target: Percent, better: str, seconds: Decimal) -> Decimal:
    """Seconds of shortfall a target allows over `seconds` of measured time."""
    share = HUNDRED - target.value if better == "higher" else target.value
    return _EXACT.multiply(share, seconds) / HUNDRED if share else Decimal(0)


def service_seconds(week: WeekSchedule, window: Duration) -> Decimal:
    """The open time of a service in a window: its share of the week's minutes
    times the window's length (holidays ignored: a window has no dates)."""
    return _WIDE.divide(_EXACT.multiply(window.seconds, week.open_minutes), MINUTES_PER_WEEK)


def value_in_window(target: Percent, better: str, window: Duration, other: Duration) -> Decimal:
    """What a target over `window` guarantees in every window of length `other`:
    itself when `window` is not longer, else the value left when all its allowed
    shortfall falls into one `other` window (not clamped to 0-100%)."""
    if window.seconds <= other.seconds:
        return target.value
    ratio = _WIDE.divide(window.seconds, other.seconds)
    if better == "higher":
        return _WIDE.subtract(HUNDRED, _WIDE.multiply(HUNDRED - target.value, ratio))
    return _WIDE.multiply(target.value, ratio)


def worst_window_percent(target: Percent, better: str, window: Duration | None, other: Duration | None) -> Percent:
    """`value_in_window` within 0-100%; the target as written when a window is missing."""
    if window is None or other is None:
        return target
    return Percent(min(max(value_in_window(target, better, window, other), Decimal(0)), HUNDRED))


def _backs_by_window(objective, supported) -> bool:
    """The supporter allows no more shortfall over its window than the supported one over its."""
    better = supported.metric.better
    mine = allowed_shortfall(objective.target.value, better, objective.window)
    needed = allowed_shortfall(supported.target.value, better, supported.window)
    return mine <= needed


# -- promises not written in an agreement ----------------------------------------------------


class Promise(Plain):
    """What the comparisons read of an objective, for a promise that no
    agreement writes (the SLO that watches an objective): it counts as an
    objective of the supported one's metric, priority and service."""

    __slots__ = ("metric", "target", "window", "percentile", "priority", "service")

    def __init__(self, like, target, window, percentile=None) -> None:
        self.metric = like.metric
        self.target = target
        self.window = window
        self.percentile = percentile
        self.priority = like.priority
        self.service = like.service


def to_spare(objective, supported) -> bool:
    """Whether a counted objective that backs `supported` has something to spare:
    a higher percentile, a stricter target, or over a longer window less
    allowed shortfall. (Targets compared as written or by window, not by deadline.)"""
    if percentile_of(objective) > percentile_of(supported):
        return True
    if window_rule_applies(objective, supported):
        better = supported.metric.better
        mine = allowed_shortfall(objective.target.value, better, objective.window)
        return mine < allowed_shortfall(supported.target.value, better, supported.window)
    return strictness(objective) > strictness(supported)


def backs_exactly(counted_objectives, supported, effective=None) -> bool:
    """The counted objectives back `supported`, but none of those that back it
    on its own has anything to spare: the promise breaks when they do."""
    if not counted_objectives or gap(counted_objectives, supported, effective) is not None:
        return False
    if len(counted_objectives) == 1:  # it backs `supported` on its own: just seen
        return not to_spare(counted_objectives[0], supported)
    return not any(
        gap([objective], supported, effective) is None and to_spare(objective, supported)
        for objective in counted_objectives
    )


# -- deadlines -------------------------------------------------------------------------------


def deadline_key(objective, zone: str | None, day) -> tuple | None:
    """(schedule, shift, amount, unit): what decides an objective's deadlines in
    `zone`; None when its service has no clock to count business time on."""
    value = objective.target.value
    if not is_business(value):
        return (ALWAYS, 0, value.amount, value.unit)
    week = clock_of(objective.service)
    if week is None:
        return None
    return (week, shift_minutes(objective.service.timezone, zone, day), value.amount, value.unit)


def _deadlines(key: tuple):
    week, shift, amount, unit = key
    return week.shifted(shift).deadlines(amount, unit)


@functools.lru_cache(maxsize=4096)
def first_later(supporter_keys: tuple, supported_key: tuple) -> tuple[int, tuple] | None:
    """The first minute of the week at which the earliest of the supporter's
    deadlines is later than the supported one, with the key that gives the
    earliest there; None when never (or when a clock never opens)."""
    needed = _deadlines(supported_key)
    tables = [(key, _deadlines(key)) for key in supporter_keys]
    tables = [(key, table) for key, table in tables if table is not None]
    if needed is None or not tables:
        return None
    combined = tables[0][1]
    for _, table in tables[1:]:
        combined = combined.earliest(table)
    minute = combined.first_later_than(needed)
    if minute is None:
        return None
    return minute, min(tables, key=lambda entry: entry[1][minute])[0]


# -- the verdict -----------------------------------------------------------------------------


class Gap(Plain):
    """Why the counted objectives do not back a supported one, at the one that
    comes closest (`objective`). `kind`: `target` (compared as written),
    `window` (allowed shortfall over a longer window) or `deadline`.

    window: `allowed` and `needed` are the seconds of shortfall the two
    objectives allow over their windows, `worst` the supporter's value in the
    worst window of the supported length (a Percent, 0-100%).
    deadline: from week minute `minute`, the supported deadline is `due` and
    the supporter's `late` seconds later."""

    __slots__ = ("objective", "kind", "allowed", "needed", "worst", "minute", "due", "late")

    def __init__(self, objective, kind: str, **figures) -> None:
        self.objective = objective
        self.kind = kind
        for name in ("allowed", "needed", "worst", "minute", "due", "late"):
            setattr(self, name, figures.get(name))


def gap(counted_objectives, supported, effective=None) -> Gap | None:
    """None when the counted objectives back `supported`, else the Gap.
    `effective` is the supported agreement's effective date (zone offsets)."""
    if not counted_objectives:
        return None
    value = supported.target.value
    business = is_business(value) or any(is_business(o.target.value) for o in counted_objectives)
    if isinstance(value, Duration) and business:
        return _deadline_gap(counted_objectives, supported, effective)
    if isinstance(value, Percent):
        return _percent_gap(counted_objectives, supported)
    best = max(counted_objectives, key=strictness)  # the first of equals
    return None if strictness(best) >= strictness(supported) else Gap(best, "target")


def _percent_gap(counted_objectives, supported) -> Gap | None:
    better = supported.metric.better
    sign = 1 if better == "higher" else -1

    def effective_value(objective) -> Decimal:
        if window_rule_applies(objective, supported):
            return sign * value_in_window(objective.target.value, better, objective.window, supported.window)
        return strictness(objective)

    for objective in counted_objectives:
        if window_rule_applies(objective, supported):
            if _backs_by_window(objective, supported):
                return None
        elif strictness(objective) >= strictness(supported):
            return None
    best = max(counted_objectives, key=effective_value)
    if not window_rule_applies(best, supported):
        return Gap(best, "target")
    return Gap(
        best,
        "window",
        allowed=allowed_shortfall(best.target.value, better, best.window),
        needed=allowed_shortfall(supported.target.value, better, supported.window),
        worst=worst_window_percent(best.target.value, better, best.window, supported.window),
    )


def _deadline_gap(counted_objectives, supported, effective) -> Gap | None:
    zone = supported.service.timezone
    needed_key = deadline_key(supported, zone, effective)
    keys = {}
    for objective in counted_objectives:
        key = deadline_key(objective, zone, effective)
        if key is not None:
            keys.setdefault(key, objective)  # the first of equals
    if needed_key is None or not keys:
        return None
    found = first_later(tuple(keys), needed_key)
    if found is None:
        return None
    minute, key = found
    return Gap(
        keys[key],
        "deadline",
        minute=minute,
        due=_deadlines(needed_key)[minute],
        late=_deadlines(key)[minute],
    )


# -- figures as messages give them ------------------------------------------------------------


_UNIT_SIZES = {"d": 86400, "h": 3600, "min": 60, "s": 1}


def spell_seconds(seconds: Decimal, largest: str = "d", whole: str | None = None) -> str:
    """`52 min 33.6 s`, `4 h 22 min 48 s`, `2 d 1 h`: a length in its largest units,
    none above `largest` (`214 h 17 min` with `h`). `whole` cuts it toward zero to
    whole units of that size (`12 min 51 s` with `s`), so that "at most" stays true;
    a length shorter than one such unit keeps three decimals of a second."""
    seconds = Decimal(seconds)
    if seconds.adjusted() > 30:
        return f"{format_value(_WIDE.divide(seconds, 86400))} d"
    if whole is not None and seconds >= _UNIT_SIZES[whole]:
        seconds = _WIDE.multiply(_WIDE.divide_int(seconds, _UNIT_SIZES[whole]), _UNIT_SIZES[whole])
    elif whole is not None:
        seconds = seconds.quantize(Decimal("0.001"), rounding=ROUND_FLOOR)
    parts = []
    whole_seconds = int(seconds)
    rest = seconds - whole_seconds
    for name in ("d", "h", "min"):
        size = _UNIT_SIZES[name]
        if size > _UNIT_SIZES[largest]:
            continue
        count, whole_seconds = divmod(whole_seconds, size)
        if count:
            parts.append(f"{count} {name}")
    if whole_seconds or rest or not parts:
        parts.append(f"{format_value(round(whole_seconds + rest, 3))} s")
    return " ".join(parts)


def week_instant(start_minute: int, seconds) -> str:
    """The instant `seconds` after week minute `start_minute`: `mon 12:00`,
    `mon 12:00:30`, `mon 08:01 a week later` (weeks counted from the start)."""
    seconds = Decimal(seconds)
    if seconds.adjusted() > 15:  # past any calendar: the length says more
        return f"{spell_seconds(seconds)} later"
    minutes, rest = divmod(seconds, 60)
    moment = start_minute + int(minutes)
    text = describe_week_minute(moment % MINUTES_PER_WEEK)
    if rest:
        text += f":{format_value(rest).zfill(2)}"
    weeks = (moment - start_minute) // MINUTES_PER_WEEK
    if weeks:
        text += " a week later" if weeks == 1 else f" {weeks:,} weeks later"
    return text


def shown_percent(value: Percent, better: str) -> str:
    """A computed percent to three decimals, cut toward the weaker side so that it stays true."""
    rounding = ROUND_FLOOR if better == "higher" else ROUND_CEILING
    try:
        return format_value(Percent(value.value.quantize(Decimal("0.001"), rounding=rounding)))
    except ArithmeticError:
        return str(value)
