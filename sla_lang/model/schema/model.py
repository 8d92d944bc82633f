"""The nodes of the model (model/nodes.py) and what packs see of them: for each,
the blocks whose attributes it holds and the fields that are not written as
attributes (ids, labels, parents, links the workspace fills in).
"""

from __future__ import annotations

from .language import (
    ACCEPTANCE,
    AGREEMENT,
    CREDIT,
    CREDITS,
    MAINTENANCE,
    METRIC,
    OBJECTIVE,
    PARTY,
    RESPONSIBILITIES,
    SERVICE,
    SIGNATURE,
)
from .spec import Link, NodeSpec

_ID = (Link("id", "string", "the id after the keyword"), Link("id_span"))
_OWN_AGREEMENT = Link("agreement", "node:agreement", "the agreement it belongs to")

NODES: dict[str, NodeSpec] = {
    node.kind: node
    for node in (
        NodeSpec(
            "party",
            (PARTY,),
            head=(*_ID, Link("name", "string", "the label after the id", label=True)),
            anchor="{id}",
        ),
        NodeSpec(
            "metric",
            (METRIC,),
            head=(*_ID, Link("name", "string", "the label after the id", label=True)),
            tail=(Link("builtin", "bool", "one of the metrics every workspace has", default=False),),
            anchor="{id}",
        ),
        NodeSpec(
            "agreement",
            (AGREEMENT,),
            head=(
                Link("kind", "string", "`sla`, `ola` or `contract`"),
                *_ID,
                Link("title", "string", "the label after the id", label=True),
            ),
            tail=(
                Link(
                    "supported_by", "list:node:agreement", "whose `supports` names it or a service of it", default=list
                ),
                Link("whole_supporters", default=list),  # whose `supports` names it as a whole
                Link(
                    "credits",
                    "list:node:credit",
                    "the credits of the unlabelled credits block",
                    default=list,
                    written="credits",
                ),
                Link(
                    "credit_cap",
                    "percent",
                    "the `cap` of the unlabelled credits block, when it is a percent",
                    written="cap",
                ),
                Link("acceptances", "list:node:acceptance", "the acceptances of its `approval`", default=list),
                Link("consent", "node:consent", "the customer's consent: its signature, else its acceptance"),
                Link("file", "string", "the path of its file", slot=False),
            ),
            anchor="{id}",
        ),
        NodeSpec(
            "service",
            (SERVICE,),
            head=(*_ID, Link("name", "string", "the label after the id", label=True)),
            tail=(
                _OWN_AGREEMENT,
                Link("own_supporters", default=list),  # whose `supports` names this service
                Link("supported_by", "list:node:agreement", "those that support it or its agreement", slot=False),
            ),
            anchor="{agreement.id}.{id}",
        ),
        NodeSpec(
            "maintenance",
            (MAINTENANCE,),
            tail=(Link("service", "node:service", "the service it belongs to"),),
            anchor="{service.agreement.id}.{service.id}.maintenance",
        ),
        NodeSpec(
            "objective",
            (OBJECTIVE,),
            head=_ID,
            tail=(
                Link("service", "node:service", "the service it belongs to"),
                _OWN_AGREEMENT,
                Link("slo_problem"),  # (code, message) when its `slo` names no SLO that can watch it
            ),
            anchor="{agreement.id}.{service.id}.{id}",
        ),
        NodeSpec(
            "responsibility",
            (RESPONSIBILITIES,),
            head=(Link("party_ref"),),
            tail=(
                Link("party", "node:party", "the party, `customer` and `provider` resolved"),
                Link("items", "list:string", "what it undertakes"),
            ),
        ),
        NodeSpec(
            "credit_block",
            (CREDITS,),
            head=(Link("label", "string", "the label after `credits`; null for the unlabelled block", label=True),),
            tail=(Link("kind", "string", "`percent`, `days` or `money`: the kind of all its values"), _OWN_AGREEMENT),
            anchor="{agreement.id}.{key}",
        ),
        NodeSpec(
            "credit",
            (CREDIT,),
            tail=(
                Link("per"),
                Link("per_started", default=False),
                Link("kind", "string", "`percent`, `days` or `money`: what its amount is"),
                Link("block", "node:credit_block", "the credits block it is in"),
                _OWN_AGREEMENT,
            ),
            anchor="{agreement.id}.{key}",
        ),
        NodeSpec(
            "signature",
            (SIGNATURE,),
            head=(Link("party_ref"),),
            tail=(
                _OWN_AGREEMENT,
                Link("party", "node:party", "the signing party"),
                Link("kind", "string", "`signature`", slot=False),
                Link("position", default=1),  # among its party's consent records, in source order
            ),
            anchor="{agreement.id}.approval.{key}",
        ),
        NodeSpec(
            "acceptance",
            (ACCEPTANCE,),
            head=(Link("party_ref"),),
            tail=(
                _OWN_AGREEMENT,
                Link("party", "node:party", "the accepting party"),
                Link("kind", "string", "`acceptance`", slot=False),
                Link("position", default=1),
            ),
            anchor="{agreement.id}.approval.{key}",
        ),
        NodeSpec(
            "slo",
            head=(Link("file", "string", "the path of the SLO file", slot=False),),
            tail=(
                Link("format", "string", "`openslo`, `sloth` or `pyrra`"),
                Link("name", "string", "the SLO's name: `metadata.name`, or Sloth's `slos[].name`"),
                Link("objective", "string", "of an OpenSLO SLO: the objective watched (its displayName or position)"),
                Link("target", "percent", "the share of good events it aims at"),
                Link("window", "duration", "the window it is computed over (null: none)"),
                Link("threshold", "duration", "of a latency SLO: the latency a good event stays within"),
            ),
            anchor="{file}#{name}",
        ),
        # Values and the workspace, which packs reach through fields and names.
        NodeSpec(
            "target",
            tail=(Link("op", "string", "the comparator", slot=False), Link("value", "quantity", slot=False)),
        ),
        NodeSpec(
            "hours",
            tail=(
                Link("always", "bool", "true for `24x7`", slot=False),
                Link("text", "string", "the schedule as written", slot=False),
            ),
        ),
        NodeSpec(
            "workspace",
            tail=tuple(
                Link(name, f"list:node:{kind}", slot=False)
                for name, kind in (
                    ("agreements", "agreement"),
                    ("parties", "party"),
                    ("metrics", "metric"),
                    ("services", "service"),
                    ("objectives", "objective"),
                )
            ),
        ),
    )
}


def _seen_by_packs() -> dict[str, dict[str, str]]:
    seen = {kind: node.seen() for kind, node in NODES.items()}
    # `supports` holds agreements and services: a path through it may use the fields of either.
    seen["supported"] = {**seen["service"], **seen["agreement"], "services": "list:node:service"}
    # A consent record is a signature or an acceptance; `kind` says which.
    seen["consent"] = {**seen["signature"], **seen["acceptance"]}
    return seen


def _written_as() -> dict[str, dict[str, str]]:
    written = {kind: fields for kind, node in NODES.items() if (fields := node.written_as())}
    written["supported"] = {**written["service"], **written["agreement"]}
    written["consent"] = {**written["signature"], **written["acceptance"]}
    return written


# What packs see: node kind -> field -> type (see policy/model_view.py).
FIELD_TYPES: dict[str, dict[str, str]] = _seen_by_packs()
# The fields written() asks about: node kind -> field -> the key it is written with.
WRITTEN_AS: dict[str, dict[str, str]] = _written_as()
# Fields written as a label (`party acme "Acme Retail"`): written when they have a value.
LABELLED = frozenset((kind, name) for kind, node in NODES.items() for name in node.labelled())
# Fields written under another key (`credit_cap` as `cap`), for where a finding points.
RENAMED = {name: key for fields in WRITTEN_AS.values() for name, key in fields.items() if name != key}
