"""The SLOs an OpenSLO, Sloth or Pyrra file declares, recognised by content.

Each document of a file is looked at on its own: an OpenSLO `SLO`
(`openslo/v1`, or the `openslo.com/v1` some vendors write), a Sloth spec
(`version: prometheus/v1`) or its `PrometheusServiceLevel` resource, a Pyrra
`ServiceLevelObjective`; anything else (an OpenSLO SLI or DataSource, a
Deployment) is passed over. Numbers are read from the text they are written
with, as exact decimals. A document of a known kind that says something
slalint cannot read gives an SloEntry with its `problem`, so that only an
objective that names it hears of it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..reading.yamldocs import YamlList, YamlMap, YamlScalar
from ..slotted import Plain
from ..values import Duration

HUNDRED = Decimal(100)
SLOTH_WINDOW = Duration(Decimal(30), "d")  # Sloth's period is a flag of its generator, never in the file
OPENSLO_VERSIONS = ("openslo/v1", "openslo.com/v1")
# OpenSLO's duration shorthand: `m` is minutes; a month, quarter and year have the fixed lengths of `mo`, `q`, `y`.
_OPENSLO_UNITS = {"m": "min", "h": "h", "d": "d", "w": "w", "M": "mo", "Q": "q", "Y": "y"}
_OPENSLO_DURATION = re.compile(r"^([0-9]{1,6})([mhdwMQY])$")
# Prometheus durations (Pyrra's window and latencyNative): `1w2d`, `200ms`; no months.
_PROMETHEUS_PART = re.compile(r"([0-9]{1,9})(ms|s|m|h|d|w|y)")
_PROMETHEUS_UNITS = {"ms": "ms", "s": "s", "m": "min", "h": "h", "d": "d", "w": "w", "y": "y"}
_NUMBER = re.compile(r"^[+]?([0-9]{1,30}(\.[0-9]{0,30})?|\.[0-9]{1,30})([eE][+-]?[0-9]{1,3})?$")
_LE_LABEL = re.compile(r"""\ble\s*=\s*["']([^"']*)["']""")


class Problem(Exception):
    """Something of an SLO document slalint cannot read, where it is."""

    def __init__(self, message: str, node) -> None:
        super().__init__(message)
        self.message = message
        self.line = getattr(node, "line", 1)
        self.column = getattr(node, "column", 1)


class SloObjective(Plain):
    """One objective of an SLO: its target (a percent of good events) and, for a
    latency SLO, the threshold in seconds that a good event stays within."""

    __slots__ = ("label", "target", "threshold", "line", "column")

    def __init__(self, label, target: Decimal, threshold: Decimal | None, line: int, column: int) -> None:
        self.label = label  # an OpenSLO objective's displayName, else None
        self.target = target
        self.threshold = threshold
        self.line = line
        self.column = column


class SloEntry(Plain):
    """An SLO of a file: its format, name, window and objectives, or the problem
    that keeps it from being read (`problem`: message, line, column)."""

    __slots__ = ("format", "name", "window", "objectives", "problem", "line", "column")

    def __init__(self, format, name, window=None, objectives=(), problem=None, line=1, column=1) -> None:
        self.format = format
        self.name = name
        self.window = window
        self.objectives = tuple(objectives)
        self.problem = problem
        self.line = line
        self.column = column


def entries_of(documents: list) -> list[SloEntry]:
    """The SLOs of a file's documents, in the order written."""
    found: list[SloEntry] = []
    for document in documents:
        if not isinstance(document, YamlMap):
            continue
        kind, version = _text(document.get("kind")), _text(document.get("apiVersion"))
        if kind == "SLO" and version and version.startswith(("openslo/", "openslo.com/")):
            read = lambda d=document, v=version: _openslo(d, v)  # noqa: E731
            found += _guarded("openslo", document, _metadata_name(document), read)
        elif kind == "PrometheusServiceLevel" and isinstance(document.get("spec"), YamlMap):
            found += _sloth(document.get("spec"), document)
        elif _text(document.get("version")) == "prometheus/v1":
            found += _sloth(document, document)
        elif kind == "ServiceLevelObjective" and (version or "").startswith("pyrra.dev/"):
            found += _guarded("pyrra", document, _metadata_name(document), lambda d=document: _pyrra(d))
    return found


def _guarded(format: str, node, name, read) -> list[SloEntry]:
    """[the entry `read` gives], or one that records its problem."""
    if name is None:
        return []  # nothing could name it
    try:
        return [read()]
    except Problem as problem:
        return [SloEntry(format, name, problem=(problem.message, problem.line, problem.column), line=node.line)]


def _text(node) -> str | None:
    return node.text if isinstance(node, YamlScalar) else None


def _map(parent: YamlMap, key: str) -> YamlMap:
    node = parent.get(key)
    if node is None:
        raise Problem(f"'{key}' is missing", parent)
    if not isinstance(node, YamlMap):
        raise Problem(f"'{key}' must be a mapping", node)
    return node


def _metadata_name(document: YamlMap) -> str | None:
    metadata = document.get("metadata")
    return _text(metadata.get("name")) if isinstance(metadata, YamlMap) else None


def _number(node, key: str, low: Decimal, high: Decimal, high_included: bool, quoted: bool = False) -> Decimal:
    """The number written at `node`, within low..high (low excluded when it is 0 and the range says so)."""
    text = _text(node)
    if text is None or (not quoted and not node.plain) or not _NUMBER.match(text.strip()):
        raise Problem(f"'{key}' must be a number, not {_shown(node)}", node)
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise Problem(f"'{key}' must be a number, not {_shown(node)}", node) from None
    if value < low or value > high or (value == high and not high_included):
        closing = "]" if high_included else ")"
        raise Problem(f"'{key}' must be in [{low}, {high}{closing}, not {text.strip()}", node)
    return value


def _shown(node) -> str:
    if isinstance(node, YamlScalar):
        return repr(node.text[:40])
    return "a list" if isinstance(node, YamlList) else "a mapping"


# -- OpenSLO ---------------------------------------------------------------------------------------


def _openslo(document: YamlMap, version: str) -> SloEntry:
    name = _metadata_name(document)
    where = document.get("metadata")
    if version not in OPENSLO_VERSIONS:
        raise Problem(f"OpenSLO version '{version[:40]}' is not supported: slalint reads openslo/v1", document)
    spec = _map(document, "spec")
    window = None
    windows = spec.get("timeWindow")
    if windows is not None:
        if not isinstance(windows, YamlList) or not windows.items or not isinstance(windows.items[0], YamlMap):
            raise Problem("'timeWindow' must be a list of {duration: ...}", windows)
        window = _openslo_duration(windows.items[0].get("duration"), windows.items[0])
    objectives = spec.get("objectives")
    if not isinstance(objectives, YamlList) or not objectives.items:
        raise Problem("'objectives' must be a list of one or more objectives", objectives or spec)
    read = [_openslo_objective(item) for item in objectives.items]
    name_node = where.get("name")
    return SloEntry("openslo", name, window, read, line=name_node.line, column=name_node.column)


def _openslo_duration(node, parent) -> Duration:
    text = _text(node)
    match = _OPENSLO_DURATION.match(text.strip()) if text else None
    if match is None:
        raise Problem(
            f"'duration' must be a number and one of m, h, d, w, M, Q, Y (28d, 1M), not {_shown(node)}", node or parent
        )
    return Duration(Decimal(match.group(1)), _OPENSLO_UNITS[match.group(2)])


def _openslo_objective(item) -> SloObjective:
    if not isinstance(item, YamlMap):
        raise Problem("each objective must be a mapping", item)
    target, percent = item.get("target"), item.get("targetPercent")
    if (target is None) == (percent is None):
        raise Problem("an objective needs exactly one of 'target' (0 to 1) and 'targetPercent'", item)
    if target is not None:
        value = _number(target, "target", Decimal(0), Decimal(1), False) * HUNDRED
    else:
        value = _number(percent, "targetPercent", Decimal(0), HUNDRED, False)
    threshold = None
    if _text(item.get("op")) in ("lte", "lt") and item.get("value") is not None:
        threshold = _number(item.get("value"), "value", Decimal(0), Decimal("1e12"), True)
    return SloObjective(_text(item.get("displayName")), value, threshold, item.line, item.column)


# -- Sloth -----------------------------------------------------------------------------------------


def _sloth(spec: YamlMap, document) -> list[SloEntry]:
    slos = spec.get("slos")
    if not isinstance(slos, YamlList):
        return []
    found = []
    for item in slos.items:
        name = _text(item.get("name")) if isinstance(item, YamlMap) else None
        if name is None:
            continue
        node = item.get("name")
        try:
            target = _number(item.get("objective"), "objective", Decimal(0), HUNDRED, True)
            if target == 0:
                raise Problem("'objective' must be above 0", item.get("objective"))
            objective = SloObjective(None, target, None, item.line, item.column)
            found.append(SloEntry("sloth", name, SLOTH_WINDOW, [objective], line=node.line, column=node.column))
        except Problem as problem:
            entry = SloEntry("sloth", name, problem=(problem.message, problem.line, problem.column), line=node.line)
            found.append(entry)
    return found


# -- Pyrra -----------------------------------------------------------------------------------------


def _pyrra(document: YamlMap) -> SloEntry:
    name_node = document.get("metadata").get("name")
    spec = _map(document, "spec")
    target = _number(spec.get("target"), "target", Decimal(0), HUNDRED, True, quoted=True)
    window_node = spec.get("window")
    seconds = _prometheus_seconds(window_node, "window")
    window = _as_duration(seconds, _text(window_node))
    threshold = None
    indicator = spec.get("indicator")
    if isinstance(indicator, YamlMap):
        latency, native = indicator.get("latency"), indicator.get("latencyNative")
        if isinstance(latency, YamlMap) and isinstance(latency.get("success"), YamlMap):
            metric = latency.get("success").get("metric")
            match = _LE_LABEL.search(_text(metric) or "")
            if match:
                threshold = _number(
                    YamlScalar(match.group(1), True, metric.mark), "le", Decimal(0), Decimal("1e12"), True
                )
        elif isinstance(native, YamlMap) and native.get("latency") is not None:
            threshold = _prometheus_seconds(native.get("latency"), "latency")
    objective = SloObjective(None, target, threshold, spec.line, spec.column)
    return SloEntry("pyrra", _text(name_node), window, [objective], line=name_node.line, column=name_node.column)


def _prometheus_seconds(node, key: str) -> Decimal:
    text = (_text(node) or "").strip()
    parts = _PROMETHEUS_PART.findall(text)
    if not text or "".join(amount + unit for amount, unit in parts) != text:
        raise Problem(f"'{key}' must be a Prometheus duration such as 4w, 30d or 1w2d, not {_shown(node)}", node)
    return sum((Duration(Decimal(amount), _PROMETHEUS_UNITS[unit]).seconds for amount, unit in parts), Decimal(0))


def _as_duration(seconds: Decimal, text: str | None) -> Duration:
    """A window as written when it has one unit (`4w`), else in the largest unit that divides it."""
    parts = _PROMETHEUS_PART.findall(text or "")
    if len(parts) == 1:
        return Duration(Decimal(parts[0][0]), _PROMETHEUS_UNITS[parts[0][1]])
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return Duration(seconds / size, unit)
    return Duration(seconds, "s")
