"""Values of an agreement in the words of the document a customer signs:
hours, targets, windows, allowances. The figures come from model/strength.py
and model/clock/; this module only phrases them."""

from __future__ import annotations

from ..model import strength
from ..model.clock import calendar_name, valid_calendar_code
from ..model.schema.kinds import BUSINESS_UNITS, DURATION_UNITS
from ..values import MINUTES_PER_WEEK, Duration, Percent, format_value

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
COMPARATOR_WORDS = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than", "==": "exactly"}
CONDITION_WORDS = {">=": "at least", ">": "above", "<=": "at most", "<": "below", "==": "exactly"}
_SHORT_UNITS = {"ms": "ms", "s": "s", "min": "min", "h": "h", "d": "days", "w": "weeks", "mo": "months"}


def duration(value: Duration) -> str:
    """`15 min`, `300 ms`, `4 business hours`, `1 month`."""
    amount = format_value(value.amount)
    if value.unit in BUSINESS_UNITS:
        name = BUSINESS_UNITS[value.unit][0]
        return f"{amount} {name}" if value.amount == 1 else f"{amount} {name}s"
    if value.unit in ("ms", "s", "min", "h"):
        return f"{amount} {value.unit}"
    name = DURATION_UNITS[value.unit][1].removeprefix("calendar ")
    return f"{amount} {name}" if value.amount == 1 else f"{amount} {name}s"


def every(value: Duration) -> str:
    """`every month`, `every 2 weeks`."""
    text = duration(value)
    return (
        f"every {text.removeprefix('1 ')}"
        if value.amount == 1 and value.unit in ("d", "w", "mo", "q", "y")
        else f"every {text}"
    )


def window_adjective(window: Duration) -> str:
    """`30-day`, `1-month`: a window as it qualifies a noun."""
    return f"{format_value(window.amount)}-{DURATION_UNITS[window.unit][1].removeprefix('calendar ')}"


def value(value) -> str:
    """A target or threshold value: `99.95%`, `300 ms`, `4 business hours`, `70`."""
    return duration(value) if isinstance(value, Duration) else format_value(value)


# -- hours ------------------------------------------------------------------------------------


def _days(first: int, last: int) -> str:
    return DAYS[first] if first == last else f"{DAYS[first]} to {DAYS[last]}"


def schedule(hours, timezone: str | None) -> str:
    """`Monday to Friday, 08:00-18:00 Europe/Berlin; Saturday, 09:00-13:00 Europe/Berlin`,
    `around the clock (24x7)`."""
    if hours.always:
        return "around the clock (24x7)"
    zone = f" {timezone}" if timezone else ""
    return "; ".join(f"{_days(w.first_day, w.last_day)}, {str(w).partition(' ')[2]}{zone}" for w in hours.windows)


def holidays(items) -> str:
    """`public holidays in Bayern, Germany (DE-BY) and 2026-12-24`, or ``."""
    codes = [item for item in items if isinstance(item, str)]
    dates = [format_value(item) for item in items if not isinstance(item, str)]
    named = [f"{calendar_name(code)} ({code})" if valid_calendar_code(code)[0] else code for code in codes]
    parts = []
    if named:
        parts.append("public holidays in " + _listed(named))
    parts += dates
    return _listed(parts)


def _listed(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


def service_hours(service) -> str:
    """The service's hours with its holidays: `Monday to Friday, 08:00-18:00
    Europe/Berlin, except public holidays in Bayern, Germany (DE-BY)`."""
    if service.hours is None:
        return "not stated"
    text = schedule(service.hours, service.timezone)
    closed = holidays(service.holidays)
    return f"{text}, except {closed}" if closed else text


def clock_words(service) -> str:
    """The clock a business duration counts on, in words."""
    hours = service.business_hours if service.business_hours is not None else service.hours
    if hours is None:
        return "no service hours stated"
    text = schedule(hours, service.timezone)
    return f"{text}, except {holidays(service.holidays)}" if service.holidays else text


# -- objectives -------------------------------------------------------------------------------


def target(objective) -> str:
    """`at least 99.95%`, `at most 300 ms for 99% of events`, `within 4 business
    hours (Monday to Friday, 08:00-18:00 Europe/Berlin)`."""
    if objective.target is None:
        return "not stated"
    op, amount = objective.target.op, objective.target.value
    if strength.is_business(amount) and op in ("<=", "<"):
        text = f"within {duration(amount)} ({clock_words(objective.service)})"
    else:
        text = f"{COMPARATOR_WORDS.get(op, op)} {value(amount)}"
    if objective.percentile is not None:
        text += f" for {format_value(Percent(objective.percentile))} of events"
    return text


SLO_FORMATS = {"openslo": "OpenSLO", "sloth": "Sloth", "pyrra": "Pyrra"}


def slo(objective) -> str:
    """The SLO that watches an objective, as an internal copy names it:
    `checkout-availability (OpenSLO, slo/checkout.yaml): 99.99% over 28 days`;
    the link as written when it does not resolve; `` without one."""
    watching = objective.slo
    if watching is None:
        return "" if objective.slo_link is None else f"{objective.slo_link} (not resolved: slalint check says why)"
    name = watching.name if watching.objective is None else f"{watching.name}/{watching.objective}"
    aim = format_value(watching.target)
    if watching.threshold is not None:
        aim += f" within {value(watching.threshold)}"
    if watching.window is not None:
        aim += f" over {duration(watching.window)}"
    return f"{name} ({SLO_FORMATS.get(watching.format, watching.format)}, {watching.file}): {aim}"


def allowance(objective) -> str:
    """What an availability target allows: `at most 21 min 36 s of downtime in a
    30-day window` (24x7), `at most 12 min 51 s of downtime in 214 h 17 min of
    service hours per 30-day window` (other hours); `` for other objectives."""
    target_value = objective.target.value if objective.target is not None else None
    metric = objective.metric
    if metric is None or metric.id != "availability" or not isinstance(target_value, Percent):
        return ""
    window = objective.window
    if window is None or window.unit in BUSINESS_UNITS or objective.target.op not in (">=", ">"):
        return ""
    week = strength.week_of(objective.service.hours)
    if week is None or week.open_minutes == MINUTES_PER_WEEK:
        allowed = strength.allowed_shortfall(target_value, "higher", window)
        return (
            f"at most {strength.spell_seconds(allowed, whole='s')} of downtime in a {window_adjective(window)} window"
        )
    open_seconds = strength.service_seconds(week, window)
    allowed = strength.shortfall_in(target_value, "higher", open_seconds)
    basis = strength.spell_seconds(open_seconds, largest="h", whole="min")
    return (
        f"at most {strength.spell_seconds(allowed, whole='s')} of downtime in {basis} of service hours "
        f"per {window_adjective(window)} window"
    )


def condition(credit) -> str:
    """`Payments API availability below 99.95%`."""
    if credit.condition is None:
        return ""
    objective = credit.objective
    subject = str(credit.condition.subject)
    if objective is not None:
        subject = f"{objective.service.name or objective.service.id} {objective.id}"
    return f"{subject} {CONDITION_WORDS.get(credit.op, credit.op)} {value(credit.threshold)}"


def amount(credit, currency: str | None) -> str:
    """`10% of the fee`, `3 days of free service`, `200 EUR`, `2% of the fee per 1 h of shortfall`."""
    if credit.amount is None:
        return ""
    text = _amount(credit.amount, credit.kind, currency)
    if credit.per is not None:
        started = "started " if credit.per_started else ""
        shortfall = value(credit.per)
        text += f" per {started}{shortfall} of shortfall"
    return text


def _amount(quantity, kind: str | None, currency: str | None) -> str:
    if isinstance(quantity, Percent):
        return f"{format_value(quantity)} of the fee"
    if isinstance(quantity, Duration):
        days = quantity.seconds / 86400
        return f"{format_value(days)} day{'' if days == 1 else 's'} of free service"
    return f"{format_value(quantity)} {currency or ''}".rstrip()


def cap(block) -> str:
    return _amount(block.cap, block.kind, block.currency) if block.cap is not None else ""
