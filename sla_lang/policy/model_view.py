"""The model as policy expressions see it: which fields each kind
of node has and their static types (described by model/schema/), and the one
function that reads a field.

Types are short strings: "string", "number", "percent", "duration", "date",
"bool", "quantity" (a number, percent or duration), "any", "node:KIND" and
"list:TYPE". The type checker in expr.py uses them to refuse, at load time,
a path that names no field or a comparison across kinds.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..model import schema
from ..model.nodes import (
    Acceptance,
    Agreement,
    Credit,
    CreditBlock,
    Maintenance,
    Metric,
    Objective,
    Party,
    Responsibility,
    Service,
    Signature,
    Slo,
)
from ..model.workspace import Workspace
from ..values import Comparison, Duration, Percent, Schedule
from ..values import format_value as format_value  # how messages show a value; packs' modules take it from here

# The fields of each kind of node and their types, as the schema describes them;
# "supported" is what `supports` holds, an agreement or a service.
FIELD_TYPES: dict[str, dict[str, str]] = schema.FIELD_TYPES

SCOPES = ("agreement", "service", "objective", "party", "metric", "signature", "consent", "credit")
GLOBAL_TYPES = {
    "agreement": "node:agreement",
    "service": "node:service",
    "workspace": "node:workspace",
    "today": "date",
}

_CLASSES = {
    Agreement: "agreement",
    Service: "service",
    Objective: "objective",
    Party: "party",
    Metric: "metric",
    Signature: "signature",
    Acceptance: "acceptance",
    Credit: "credit",
    CreditBlock: "credit_block",
    Responsibility: "responsibility",
    Maintenance: "maintenance",
    Slo: "slo",
    Comparison: "target",
    Schedule: "hours",
    Workspace: "workspace",
}
# What a field read may return at run time, per Python class: the guard that
# keeps a pack inside the model whatever the static checker missed.
VISIBLE: dict[type, frozenset[str]] = {cls: frozenset(FIELD_TYPES[kind]) for cls, kind in _CLASSES.items()}


def get_field(obj, name: str):
    """`obj.name` as an expression sees it: null through null, null for a
    name the model does not show, lists for the workspace's indexes (built
    once: a rule may read them for every node)."""
    if obj is None:
        return None
    allowed = VISIBLE.get(type(obj))
    if allowed is None or name not in allowed:
        return None
    if type(obj) is Schedule and name == "text":
        return str(obj)
    if type(obj) is Workspace:
        return obj.listed(name)
    return getattr(obj, name)


# The fields a file writes, for written(): the key each is written with. Most
# are an attribute or block of their own name; a few are written as a label
# (`party acme "Acme Retail"`) and count as written when they have a value.
WRITTEN_AS: dict[str, dict[str, str]] = schema.WRITTEN_AS
_LABELLED = schema.LABELLED
# Fields written under another key (`credit_cap` as `cap`): where a finding about one points.
RENAMED: dict[str, str] = schema.RENAMED


def is_written(node, name: str) -> bool:
    """Whether the file writes the field `name` of `node`, even with a value that
    is invalid (SL003): the builder drops such a value but keeps its key in `spans`."""
    kind = _CLASSES.get(type(node))
    key = WRITTEN_AS.get(kind, {}).get(name) if kind else None
    if key is None:
        return False
    return key in node.spans or ((kind, name) in _LABELLED and getattr(node, name) is not None)


_KIND_OF_TYPE = {
    type(None): "null",
    bool: "bool",
    Decimal: "number",
    int: "number",
    Percent: "percent",
    Duration: "duration",
    datetime.date: "date",
    str: "string",
    list: "list",
    tuple: "list",
}


def kind_of(value) -> str:
    """The kind of a run-time value, for typed comparisons."""
    kind = _KIND_OF_TYPE.get(type(value))
    if kind is not None:
        return kind
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Decimal | int):
        return "number"
    if isinstance(value, Percent):
        return "percent"
    if isinstance(value, Duration):
        return "duration"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    return "node"
