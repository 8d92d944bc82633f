"""Two resolved workspaces compared declaration by declaration, matched by id
(so moving a declaration between files is no change), each semantic change
one entry classed from the point of view of the agreement's customer.

Objectives are ordered by model/strength.py, the comparison every rule uses:
the old objective and the new one are each asked whether they back the other.
Pure: workspaces in, entries out.
"""

from __future__ import annotations

from ..model import strength
from ..slotted import Plain
from ..values import Duration, Percent, Schedule, format_value, uncovered

WEAKENING = "weakening"
STRENGTHENING = "strengthening"
NEUTRAL = "neutral"
CHANGED = "changed"  # old and new cannot be ordered; counts as a weakening for the exit code
EDITORIAL = "editorial"  # no change of meaning: listed only with --all
CLASSES = (WEAKENING, STRENGTHENING, NEUTRAL, CHANGED, EDITORIAL)
APPROVAL_CLASSES = (WEAKENING, STRENGTHENING, CHANGED)

_REVERSE = {WEAKENING: STRENGTHENING, STRENGTHENING: WEAKENING}


class Change(Plain):
    """One semantic change: `path` is dotted from the agreement's id, `old` and
    `new` are the values as written ("none" when absent). `ignored` is the
    reason of the `diff-ignore` entry that accepted it, if one did."""

    __slots__ = ("agreement", "path", "old", "new", "kind", "needs_reapproval", "ignored")

    def __init__(self, agreement: str, path: str, old: str, new: str, kind: str) -> None:
        self.agreement = agreement
        self.path = path
        self.old = old
        self.new = new
        self.kind = kind
        self.needs_reapproval = False
        self.ignored: str | None = None


class _Text(str):
    """Text shown as it is, not quoted as a string value."""


def _written(value) -> str:
    if isinstance(value, _Text):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_written(item) for item in value) + "]"
    if isinstance(value, set | frozenset):
        return _written(sorted(value))
    if isinstance(value, str):
        return f'"{value}"'
    return format_value(value)


def _by_size(old, new, larger_is: str) -> str:
    """The class of a change between two ordered values: `larger_is` says what a larger new value is."""
    if old is None or new is None:
        return CHANGED
    try:
        larger = new > old
    except TypeError:
        return CHANGED
    return larger_is if larger else _REVERSE[larger_is]


def _amount(value):
    """A percent, a duration (in seconds) or a number as one ordered number; None for other values."""
    if isinstance(value, Percent):
        return value.value
    if isinstance(value, Duration):
        return None if strength.is_business(value) else value.seconds
    return value if not isinstance(value, str) else None


def _same_kind(old, new) -> bool:
    return type(old) is type(new) and not (
        isinstance(old, Duration) and strength.is_business(old) != strength.is_business(new)
    )


class _Comparison:
    def __init__(self, old_workspace, new_workspace) -> None:
        self.old = old_workspace
        self.new = new_workspace
        self.changes: list[Change] = []
        self.agreement = ""

    def add(self, path: str, old, new, kind: str) -> None:
        self.changes.append(Change(self.agreement, path, _written(old), _written(new), kind))

    def field(self, path: str, old, new, kind) -> None:
        """An entry when the values differ; `kind` is a class or a function of (old, new) giving one."""
        if old != new:
            self.add(path, old, new, kind(old, new) if callable(kind) else kind)

    def keyed(self, path: str, old: dict, new: dict, compare, removed=WEAKENING, added=STRENGTHENING) -> None:
        """Items matched by key: removed, added, or compared by `compare(path, old, new)`."""
        for key, item in old.items():
            if key not in new:
                self.add(f"{path}{key}", _present(item), None, removed)
            else:
                compare(f"{path}{key}", item, new[key])
        for key, item in new.items():
            if key not in old:
                self.add(f"{path}{key}", None, _present(item), added)

    def members(self, path: str, old, new, removed: str, added: str) -> None:
        """Unordered members (exclusions, responsibility items, holidays): one entry per member."""
        old_set, new_set = set(old or ()), set(new or ())
        for item in sorted(old_set - new_set, key=str):
            self.add(path, item, None, removed)
        for item in sorted(new_set - old_set, key=str):
            self.add(path, None, item, added)

    # -- agreements ------------------------------------------------------------------------

    def run(self, only: set[str] | None = None) -> list[Change]:
        old_agreements, new_agreements = self.old.agreements, self.new.agreements
        idents = set(old_agreements) | set(new_agreements)
        for ident in sorted(idents if only is None else idents & only):
            self.agreement = ident
            old, new = old_agreements.get(ident), new_agreements.get(ident)
            if new is None:
                self.add(ident, _present(old), None, WEAKENING)
            elif old is None:
                self.add(ident, None, _present(new), STRENGTHENING)
            else:
                start = len(self.changes)
                self.agreement_fields(ident, old, new)
                _mark_reapproval(self.changes[start:], old, new)
        return self.changes

    def agreement_fields(self, path: str, old, new) -> None:
        p = path + "."
        self.field(p + "kind", old.kind, new.kind, CHANGED)
        self.field(p + "provider", _ident(old.provider_ref), _ident(new.provider_ref), CHANGED)
        self.field(p + "customer", _ident(old.customer_ref), _ident(new.customer_ref), CHANGED)
        self.field(p + "status", old.status, new.status, _status_change)
        self.field(p + "effective", old.effective, new.effective, lambda o, n: _by_size(o, n, WEAKENING))
        self.field(p + "expires", old.expires, new.expires, lambda o, n: _by_size(o, n, STRENGTHENING))
        for name in ("title", "version", "review", "reporting", "overview", "owner", "tags", "links", "redundancy"):
            self.field(p + name, getattr(old, name), getattr(new, name), NEUTRAL)
        self.members(p + "supports", _refs(old.supports_refs), _refs(new.supports_refs), WEAKENING, CHANGED)
        self.keyed(p, _by_id(old.services), _by_id(new.services), self.service)
        self.responsibilities(p + "responsibilities", old, new)
        self.members(p + "exclusions", old.exclusions, new.exclusions, STRENGTHENING, WEAKENING)
        self.keyed(p, _by_key(old.credit_blocks), _by_key(new.credit_blocks), self.credit_block)
        old_consent = {r.key: r for r in (*old.signatures, *old.acceptances)}
        new_consent = {r.key: r for r in (*new.signatures, *new.acceptances)}
        self.keyed(p + "approval.", old_consent, new_consent, self.consent, NEUTRAL, NEUTRAL)

    def responsibilities(self, path: str, old, new) -> None:
        """A customer's duty added or a provider's removed weakens; other parties' duties are neutral."""
        old_items, new_items = _duties(old), _duties(new)
        for party in sorted(set(old_items) | set(new_items)):
            if party in ("customer", _ident(new.customer_ref)):
                removed, added = STRENGTHENING, WEAKENING
            elif party in ("provider", _ident(new.provider_ref)):
                removed, added = WEAKENING, STRENGTHENING
            else:
                removed = added = NEUTRAL
            self.members(f"{path} {party}", old_items.get(party, ()), new_items.get(party, ()), removed, added)

    def consent(self, path: str, old, new) -> None:
        for name in ("by", "title", "method", "evidence", "date", "version"):  # a signature's and an acceptance's
            self.field(f"{path}.{name}", getattr(old, name, None), getattr(new, name, None), NEUTRAL)

    # -- services ---------------------------------------------------------------------------

    def service(self, path: str, old, new) -> None:
        p = path + "."
        for name in ("name", "description", "owner", "tags", "links"):
            self.field(p + name, getattr(old, name), getattr(new, name), NEUTRAL)
        self.field(p + "timezone", old.timezone, new.timezone, CHANGED)
        self.field(p + "hours", old.hours, new.hours, _open_time_change)
        self.field(p + "business_hours", old.business_hours, new.business_hours, _open_time_change)
        self.holidays(p + "holidays", old, new)
        self.maintenance(p + "maintenance", old.maintenance, new.maintenance)
        self.keyed(p, _by_id(old.objectives), _by_id(new.objectives), self.objective)

    def holidays(self, path: str, old, new) -> None:
        """Dates one by one (a date added weakens); once a calendar code is on
        either side, the whole list as the dates it closes over the new term."""
        before, after = old.holidays or (), new.holidays or ()
        if not any(isinstance(item, str) for item in (*before, *after)):
            self.members(path, before, after, STRENGTHENING, WEAKENING)
        elif set(before) != set(after):
            self.add(
                path,
                _Text(_holidays_text(before)),
                _Text(_holidays_text(after)),
                _closed_dates_change(new, before, after),
            )

    def maintenance(self, path: str, old, new) -> None:
        if old is None or new is None:
            if old is not new:
                self.add(path, _present(old), _present(new), WEAKENING if old is None else STRENGTHENING)
            return
        self.field(path + ".window", old.window, new.window, _maintenance_time_change)
        self.field(path + ".notice", old.notice, new.notice, lambda o, n: _ordered(o, n, STRENGTHENING))
        self.field(path + ".limit", old.limit, new.limit, lambda o, n: _ordered(o, n, WEAKENING))

    # -- objectives -------------------------------------------------------------------------

    def objective(self, path: str, old, new) -> None:
        promise = ("metric", "target", "window", "percentile", "priority")
        changed = [name for name in promise if _promised(old, name) != _promised(new, name)]
        if changed:
            kind = objective_change(old, new)
            if len(changed) == 1:
                name = changed[0]
                self.add(f"{path}.{name}", _promised(old, name), _promised(new, name), kind)
            else:
                self.add(path, _promise_text(old, changed), _promise_text(new, changed), kind)
        elif _metric_meaning(old) != _metric_meaning(new):
            # The same target on a metric whose declaration now reads it another way.
            self.add(f"{path}.metric", _metric_text(old), _metric_text(new), CHANGED)
        for name in ("measurement", "agreed", "contribution", "owner", "tags", "links"):
            self.field(f"{path}.{name}", getattr(old, name), getattr(new, name), NEUTRAL)
        # The SLO that watches a promise is operations' business, not the customer's.
        self.field(f"{path}.slo", old.slo_link, new.slo_link, NEUTRAL)

    # -- credits ----------------------------------------------------------------------------

    def credit_block(self, path: str, old, new) -> None:
        p = path + "."
        self.field(p + "currency", old.currency, new.currency, CHANGED)
        self.field(p + "cap", old.cap, new.cap, lambda o, n: _ordered(o, n, STRENGTHENING))
        self.field(p + "claim", old.claim, new.claim, lambda o, n: _ordered(o, n, STRENGTHENING))
        old_schedules, new_schedules = _schedules(old.credits), _schedules(new.credits)
        compared = set()
        for key in old_schedules.keys() & new_schedules.keys():
            old_tiers, new_tiers = old_schedules[key], new_schedules[key]
            if old_tiers is not None and new_tiers is not None:
                compared.add(key)
                if _tiers_text(old_tiers) != _tiers_text(new_tiers):
                    kind = _schedule_change(old_tiers, new_tiers)
                    self.add(p + key, _tiers_text(old_tiers), _tiers_text(new_tiers), kind)
        old_credits = {_credit_key(c): c for c in old.credits if _schedule_key(c) not in compared}
        new_credits = {_credit_key(c): c for c in new.credits if _schedule_key(c) not in compared}
        self.keyed(p, old_credits, new_credits, self.credit)

    def credit(self, path: str, old, new) -> None:
        self.field(
            path + ".amount", _Text(old.shown_amount), _Text(new.shown_amount), lambda o, n: _credit_amount(old, new)
        )


def compare(old_workspace, new_workspace, only: set[str] | None = None) -> list[Change]:
    """The semantic changes from `old_workspace` to `new_workspace`, by agreement
    id, then in model order; with `only`, of those agreements alone."""
    return _Comparison(old_workspace, new_workspace).run(only)


def backs(supporter, supported, effective=None) -> bool:
    """Whether `supporter` is at least as strong a promise as `supported`, by strength.gap."""
    counted = strength.counted([supporter], supported)
    return bool(counted) and strength.gap(counted, supported, effective) is None


def objective_change(old, new) -> str:
    """Ordered by strength's comparison run both ways: weakening when only the old
    backs the new, strengthening when only the reverse. A longer window on a
    metric that is not a percent weakens."""
    if not (strength.comparable(old) and strength.comparable(new)):
        return CHANGED
    if old.metric.id != new.metric.id or old.priority != new.priority or _metric_meaning(old) != _metric_meaning(new):
        return CHANGED
    effective = new.agreement.effective if new.agreement is not None else None
    old_backs, new_backs = backs(old, new, effective), backs(new, old, effective)
    kind = {(True, False): WEAKENING, (False, True): STRENGTHENING, (True, True): NEUTRAL}.get(
        (old_backs, new_backs), CHANGED
    )
    if new.metric.unit != "percent" and old.window != new.window:
        by_window = _ordered(old.window, new.window, WEAKENING)
        if kind == NEUTRAL:
            return by_window
        if kind != by_window:
            return CHANGED
    return kind


def _mark_reapproval(changes: list[Change], old, new) -> None:
    """An active sla's customer must approve again unless its consent changed (in date or version)."""
    if new.kind != "sla" or new.status != "active":
        return
    if _consent_of(old) != _consent_of(new):
        return
    for change in changes:
        change.needs_reapproval = change.kind in APPROVAL_CLASSES


def _consent_of(agreement):
    record = agreement.consent
    return None if record is None else (record.date, record.version)


def _status_change(old, new) -> str:
    if old == "active":
        return WEAKENING
    return STRENGTHENING if new == "active" else NEUTRAL


def _ordered(old, new, larger_is: str) -> str:
    """Two values of one kind ordered by amount (`larger_is` says what a larger new one is); else changed."""
    if old is None or new is None or not _same_kind(old, new):
        return CHANGED
    return _by_size(_amount(old), _amount(new), larger_is)


def _credit_amount(old, new) -> str:
    if old.per != new.per or old.per_started != new.per_started:
        return CHANGED
    return _ordered(old.amount, new.amount, STRENGTHENING)


def _schedule_key(credit) -> str:
    key = str(credit.condition.subject) if credit.condition else "credit"
    return key if credit.consecutive == 1 else f"{key} consecutive {format_value(credit.consecutive)}"


def _schedules(credits) -> dict:
    """One objective's credits (per `consecutive`) as a schedule; None for one with a credit without condition."""
    schedules: dict = {}
    for credit in credits:
        key = _schedule_key(credit)
        tiers = schedules.setdefault(key, [])
        if tiers is None or credit.condition is None or getattr(credit, "objective", None) is None:
            schedules[key] = None
        else:
            tiers.append(credit)
    return schedules


def _tiers_text(tiers) -> _Text:
    return _Text(", ".join(f"{credit.op} {credit.threshold}: {credit.shown_amount}" for credit in tiers))


def _schedule_change(old_tiers, new_tiers) -> str:
    """Weakening when for some measured value the new tiers owe less than the old
    (as evaluate counts what is owed: the worst matching tiers, `per` amounts by
    the shortfall), strengthening when never less and sometimes more; changed
    when both, when the kind of amount changed, or when what is owed cannot be
    counted. Probed at, between and beyond the thresholds, and at whole `per`
    units of shortfall beyond each."""
    from ..evaluate.credits import owed_at
    from .probes import measure_of, probe_value, probes, window_seconds

    tiers = [*old_tiers, *new_tiers]
    if len({credit.kind for credit in tiers}) != 1 or len({measure_of(c.threshold) for c in tiers}) != 1:
        return CHANGED
    measure = measure_of(tiers[0].threshold)
    if measure is None:
        return CHANGED
    old_objective, new_objective = old_tiers[0].objective, new_tiers[0].objective
    less = more = False
    for probe in probes(tiers):
        value = probe_value(measure, probe)
        old_owed = owed_at(old_tiers, value, old_objective, window_seconds(old_objective))
        new_owed = owed_at(new_tiers, value, new_objective, window_seconds(new_objective))
        if old_owed is None or new_owed is None:
            return CHANGED
        less, more = less or new_owed < old_owed, more or new_owed > old_owed
    return {(True, False): WEAKENING, (False, True): STRENGTHENING, (False, False): NEUTRAL}.get((less, more), CHANGED)


def _open_time_change(old, new) -> str:
    """Service hours: time closed that was open weakens, time opened strengthens, both is changed."""
    if not (isinstance(old, Schedule) and isinstance(new, Schedule)):
        return CHANGED
    before, after = old.week_intervals(), new.week_intervals()
    closed, opened = bool(uncovered(before, after)), bool(uncovered(after, before))
    return {(True, False): WEAKENING, (False, True): STRENGTHENING}.get((closed, opened), CHANGED)


def _closed_dates_change(service, before, after) -> str:
    """More closed dates weakens, fewer strengthens, both is changed, the same dates neutral;
    changed when a calendar code is not known (SL0xx says which)."""
    from ..model.clock import closed_dates, term_years

    agreement = service.agreement
    effective = agreement.effective if agreement is not None and agreement.effective else None
    if effective is None:
        return CHANGED
    years = term_years(effective, agreement.expires)
    try:
        old_dates, new_dates = closed_dates(before, years), closed_dates(after, years)
    except ValueError:
        return CHANGED
    kind = {(True, False): WEAKENING, (False, True): STRENGTHENING, (False, False): NEUTRAL}
    return kind.get((bool(new_dates - old_dates), bool(old_dates - new_dates)), CHANGED)


def _holidays_text(holidays) -> str:
    return "[" + ", ".join(item if isinstance(item, str) else format_value(item) for item in holidays) + "]"


def _maintenance_time_change(old, new) -> str:
    """A maintenance window: the reverse of service hours (more of it weakens)."""
    kind = _open_time_change(old, new)
    return _REVERSE.get(kind, kind)


def _promised(objective, name: str):
    if name == "metric":
        return _Text(objective.metric.id if objective.metric is not None else objective.metric_ref)
    return getattr(objective, name)


def _metric_meaning(objective) -> tuple | None:
    """What the metric's declaration says a target on it means: its unit and direction."""
    metric = objective.metric
    return None if metric is None else (metric.unit, metric.better)


def _metric_text(objective) -> str:
    """`queue_depth (count, lower is better)`."""
    metric = objective.metric
    if metric is None:
        return _Text(objective.metric_ref or objective.id)
    meaning = [part for part in (metric.unit, metric.better and f"{metric.better} is better") if part]
    return _Text(f"{metric.id} ({', '.join(meaning)})" if meaning else metric.id)


def _promise_text(objective, names: list[str]) -> str:
    return _Text(", ".join(f"{name}: {format_value(_promised(objective, name))}" for name in names))


def _present(node) -> str | None:
    return None if node is None else _Text("present")


def _ident(reference) -> str | None:
    return None if reference is None else _Text(reference)


def _refs(references) -> list[str]:
    return [_Text(reference) for reference in references or ()]


def _by_id(nodes) -> dict:
    return {node.id: node for node in nodes or ()}


def _by_key(nodes) -> dict:
    return {node.key: node for node in nodes or ()}


def _credit_key(credit) -> str:
    return credit.key.partition(".")[2] or credit.key


def _duties(agreement) -> dict[str, list[str]]:
    duties: dict[str, list[str]] = {}
    for block in agreement.responsibilities or ():
        duties.setdefault(_ident(block.party_ref), []).extend(block.items or ())
    return duties
