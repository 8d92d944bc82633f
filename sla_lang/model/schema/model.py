"""The nodes of the model (model/nodes.py) and what packs see of them: for each,
the blocks whose attributes it holds and the fields that are not written as
attributes (ids, labels, parents, links the workspace fills in).
"""

from __future__ import annotations

from .language import (
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
            (AGREEMENT, CREDITS),
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
            tail=(Link("service", "node:service", "the service it belongs to"), _OWN_AGREEMENT),
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
            "credit",
            (CREDIT,),
            tail=(_OWN_AGREEMENT,),
            anchor="{agreement.id}.credits.credit {condition}",
        ),
        NodeSpec(
            "signature",
            (SIGNATURE,),
            head=(Link("party_ref"),),
            tail=(_OWN_AGREEMENT, Link("party", "node:party", "the signing party")),
            anchor="{agreement.id}.approval.signature {party_ref}",
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
    return seen


def _written_as() -> dict[str, dict[str, str]]:
    written = {kind: fields for kind, node in NODES.items() if (fields := node.written_as())}
    written["supported"] = {**written["service"], **written["agreement"]}
    return written


# What packs see: node kind -> field -> type (see policy/model_view.py).
FIELD_TYPES: dict[str, dict[str, str]] = _seen_by_packs()
# The fields written() asks about: node kind -> field -> the key it is written with.
WRITTEN_AS: dict[str, dict[str, str]] = _written_as()
# Fields written as a label (`party acme "Acme Retail"`): written when they have a value.
LABELLED = frozenset((kind, name) for kind, node in NODES.items() for name in node.labelled())
# Fields written under another key (`credit_cap` as `cap`), for where a finding points.
RENAMED = {name: key for fields in WRITTEN_AS.values() for name, key in fields.items() if name != key}
