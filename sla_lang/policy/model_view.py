"""The model as policy expressions see it (SPEC §5.2): which fields each kind
of node has, their static types, and the one function that reads a field.

Types are short strings: "string", "number", "percent", "duration", "date",
"bool", "quantity" (a number, percent or duration), "any", "node:KIND" and
"list:TYPE". The type checker in expr.py uses them to refuse, at load time,
a path that names no field or a comparison across kinds.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..model.nodes import Agreement, Credit, Metric, Objective, Party, Responsibility, Service, Signature
from ..model.workspace import Workspace
from ..values import Comparison, Duration, Percent, Schedule, format_decimal

FIELD_TYPES: dict[str, dict[str, str]] = {
    "agreement": {
        "id": "string",
        "kind": "string",
        "title": "string",
        "provider": "node:party",
        "customer": "node:party",
        "version": "string",
        "status": "string",
        "effective": "date",
        "expires": "date",
        "review": "date",
        "reporting": "duration",
        "overview": "string",
        "services": "list:node:service",
        "responsibilities": "list:node:responsibility",
        "exclusions": "list:string",
        "credits": "list:node:credit",
        "credit_cap": "percent",
        "signatures": "list:node:signature",
        "supports": "list:node:supported",
        "supported_by": "list:node:agreement",
        "file": "string",
    },
    "service": {
        "id": "string",
        "name": "string",
        "description": "string",
        "agreement": "node:agreement",
        "hours": "node:hours",
        "timezone": "string",
        "objectives": "list:node:objective",
        "supported_by": "list:node:agreement",
    },
    "objective": {
        "id": "string",
        "service": "node:service",
        "agreement": "node:agreement",
        "metric": "node:metric",
        "target": "node:target",
        "window": "duration",
        "percentile": "number",
        "priority": "string",
        "measurement": "string",
        "agreed": "any",  # a date, or yes/no
        "contribution": "string",
    },
    "party": {
        "id": "string",
        "name": "string",
        "role": "string",
        "organization": "node:party",
        "internal": "bool",
        "contact": "string",
    },
    "metric": {
        "id": "string",
        "name": "string",
        "unit": "string",
        "better": "string",
        "kind": "string",
        "builtin": "bool",
        "description": "string",
    },
    "signature": {
        "party": "node:party",
        "by": "string",
        "title": "string",
        "date": "date",
        "version": "string",
        "agreement": "node:agreement",
    },
    "credit": {
        "objective": "node:objective",
        "op": "string",
        "threshold": "quantity",
        "amount": "percent",
        "agreement": "node:agreement",
    },
    "responsibility": {"party": "node:party", "items": "list:string"},
    "target": {"op": "string", "value": "quantity"},
    "hours": {"always": "bool", "text": "string"},
    "workspace": {
        "agreements": "list:node:agreement",
        "parties": "list:node:party",
        "metrics": "list:node:metric",
        "services": "list:node:service",
        "objectives": "list:node:objective",
    },
}
# `supports` holds agreements and services: a path through it may use the fields of either.
FIELD_TYPES["supported"] = {**FIELD_TYPES["service"], **FIELD_TYPES["agreement"]}
FIELD_TYPES["supported"]["services"] = "list:node:service"

SCOPES = ("agreement", "service", "objective", "party", "metric", "signature", "credit")
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
    Credit: "credit",
    Responsibility: "responsibility",
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
_WRITTEN_FIELDS = {
    "agreement": "title provider customer version status effective expires review reporting overview supports "
    "exclusions credits",
    "service": "name description hours timezone",
    "objective": "metric target window percentile priority measurement agreed contribution",
    "party": "name role organization internal contact",
    "metric": "name unit better kind description",
    "signature": "by title date version",
    "credit": "amount",
}
WRITTEN_AS: dict[str, dict[str, str]] = {
    kind: {name: name for name in names.split()} for kind, names in _WRITTEN_FIELDS.items()
}
WRITTEN_AS["agreement"]["credit_cap"] = "cap"
WRITTEN_AS["credit"].update(objective="when", op="when", threshold="when")
WRITTEN_AS["supported"] = {**WRITTEN_AS["service"], **WRITTEN_AS["agreement"]}
_LABELLED = frozenset({("agreement", "title"), ("service", "name"), ("party", "name"), ("metric", "name")})


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


def format_value(value) -> str:
    """A value as a message shows it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(format_value(item) for item in value)
    if isinstance(value, Signature):
        return value.party_ref.parts[0]
    if isinstance(value, Credit):
        return str(value.condition) if value.condition else "credit"
    if isinstance(value, Responsibility):
        return value.party_ref.parts[0]
    if isinstance(value, Workspace):  # not its Python repr
        return "workspace"
    ident = getattr(value, "id", None)
    if isinstance(ident, str):
        return ident
    return str(value)
