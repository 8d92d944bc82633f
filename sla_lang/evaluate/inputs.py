"""evaluate's two inputs, checked row by row against the workspace.

Every row is validated before anything is reported: the first errors (at most
MAX_ERRORS) are collected with their file, line and column, and when there is
one, nothing computed from the file is used. Events go straight into the
accounting (accounting.py), so an events file of any size is read in one pass
with the memory of the per-window aggregates.
"""

from __future__ import annotations

import datetime

from ..values import Duration, Percent
from .accounting import Accounting, EventError, Measured
from .csvinput import InputError, Row, day_or_instant, instant, quantity, rows
from .windows import Grid, local_midnight, zone_of

MAX_ERRORS = 20
MEASUREMENT_COLUMNS = ("agreement", "service", "objective", "window_start", "value")
EVENT_COLUMNS = ("kind", "agreement", "service", "start")
EVENT_OPTIONAL = ("end", "priority", "responded", "resolved")


class InputErrors(Exception):
    """One or more InputErrors; nothing is computed."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


class _Collector:
    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def run(self, records, check) -> None:
        """Check each record; keep validating after an error, up to MAX_ERRORS."""
        try:
            for row in records:
                try:
                    check(row)
                except InputError as error:
                    self.errors.append(error)
                    if len(self.errors) >= MAX_ERRORS:
                        break
        except InputError as error:  # the file itself: unreadable, not CSV, a bad header
            self.errors.append(error)
        if self.errors:
            raise InputErrors(self.errors)


class _Services:
    """The service a row names, found once per name."""

    def __init__(self, workspace) -> None:
        self.workspace, self.found = workspace, {}

    def of(self, row: Row):
        key = (row.get("agreement"), row.get("service"))
        service = self.found.get(key)
        if service is None:
            service = self.found[key] = _service(self.workspace, row)
        return service


def _service(workspace, row: Row):
    agreement = workspace.agreements.get(row.get("agreement"))
    if agreement is None:
        raise row.error("agreement", f"no agreement {_shown(row.get('agreement'))} in the workspace")
    name = row.get("service")
    for service in agreement.services:
        if service.id == name:
            return service
    known = ", ".join(service.id for service in agreement.services)
    raise row.error("service", f"{agreement.label} has no service {_shown(name)} (it has {known})")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


# -- measurements ------------------------------------------------------------------------------


def read_measurements(path: str, workspace) -> dict:
    """{(objective, window index): Measured} from the measurements CSV."""
    found: dict = {}
    lines: dict = {}
    services = _Services(workspace)
    _Collector().run(rows(path, MEASUREMENT_COLUMNS), lambda row: _measurement(row, services, found, lines))
    return found


def _measurement(row: Row, services: _Services, found: dict, lines: dict) -> None:
    service = services.of(row)
    name = row.get("objective")
    objective = next((o for o in service.objectives if o.id == name), None)
    if objective is None:
        known = ", ".join(o.id for o in service.objectives) or "none"
        raise row.error("objective", f"service '{service.id}' has no objective {_shown(name)} (it has {known})")
    grid = Grid.of(objective)
    if grid is None or objective.target is None or objective.metric is None:
        raise row.error("objective", f"objective '{name}' has no calendar window or target to evaluate")
    index = _window_index(row, grid, service)
    value = quantity(row, "value")
    share = _check_unit(row, objective, value)
    if (objective, index) in lines:
        raise row.error(
            "window_start",
            f"a second value for this window of '{name}' (the first is on line {lines[objective, index]})",
        )
    lines[objective, index] = row.line
    found[objective, index] = Measured(value, share=share)


def _window_index(row: Row, grid: Grid, service) -> int:
    given = day_or_instant(row, "window_start")
    moment = given if isinstance(given, datetime.datetime) else local_midnight(given, zone_of(service))
    index = grid.index_of(moment)
    bounds = grid.bounds(index)
    if bounds is None:
        raise row.error("window_start", f"{moment.date()} is outside the term of {service.agreement.label}")
    if moment not in (bounds[0], grid.full_bounds(index)[0]):
        raise row.error(
            "window_start",
            f"{row.get('window_start')} is not the start of a window of this objective: "
            f"the window that holds it starts at {bounds[0].isoformat()}",
        )
    return index


def _check_unit(row: Row, objective, value) -> bool:
    """True when `value` is a share of events (a percent on a percentile objective);
    InputError when it is of the wrong unit."""
    target = objective.target.value
    percentile = objective.percentile is not None
    if isinstance(value, Percent) and (isinstance(target, Percent) or percentile):
        return not isinstance(target, Percent)
    if isinstance(target, Duration) and isinstance(value, Duration):
        if target.business == value.business and (not target.business or target.unit == value.unit):
            return False
    elif not isinstance(target, Percent | Duration) and not isinstance(value, Percent | Duration):
        return False
    expected = {Percent: "a percent", Duration: "a duration"}.get(type(target), "a plain number")
    if isinstance(target, Duration) and target.business:
        expected = f"a duration in {target.unit}"
    elif isinstance(target, Duration):
        expected = "a wall-clock duration (ms, s, min, h, d, ...)"
    if percentile:
        expected += " or the share of events within the target (a percent)"
    raise row.error("value", f"{row.get('value')} is of the wrong unit: the target {objective.target} needs {expected}")


# -- events ------------------------------------------------------------------------------------


def read_events(path: str, workspace, accounting: Accounting) -> None:
    """Every event of the events CSV into `accounting`."""
    collector = _Collector()
    services = _Services(workspace)
    collector.run(rows(path, EVENT_COLUMNS, EVENT_OPTIONAL), lambda row: _event(row, services, accounting, collector))


def _event(row: Row, services: _Services, accounting: Accounting, collector: _Collector) -> None:
    kind = row.get("kind")
    if kind not in ("outage", "incident"):
        raise row.error("kind", f"{_shown(kind)} is not a kind of event: write outage or incident")
    service = services.of(row)
    start = instant(row, "start")
    if kind == "outage":
        if not row.get("end"):
            raise row.error("end", "an outage needs its end")
        end = _after(row, "end", start)
        if not collector.errors:
            try:
                accounting.add_outage(service, start, end)
            except EventError as problem:
                raise row.error("start", str(problem)) from None
        return
    stamps = {name: _after(row, name, start) if row.get(name) else None for name in ("responded", "resolved")}
    if row.get("end"):
        _after(row, "end", start)
    if not collector.errors:
        accounting.add_incident(service, row.get("priority"), start, stamps["responded"], stamps["resolved"])


def _after(row: Row, name: str, start: datetime.datetime) -> datetime.datetime:
    moment = instant(row, name)
    if moment < start:
        raise row.error(name, f"{row.get(name)} is before the start ({row.get('start')})")
    return moment
