"""The one description of the agreement language and its model.

- kinds.py: the words of the language (declaration kinds, duration units, day
  names, booleans) and the kinds of value a field may hold;
- language.py: every block, with its attributes and nested blocks;
- model.py: every node of the model, and what packs see of it.

The grammar is generic; this is the place that says what a party, an
agreement or an objective may contain, what each field holds and whether it is
required. The builder (syntax/) reads it to report unknown (SL002), invalid
(SL003), missing (SL004) and duplicated (SL005) fields; model/nodes.py takes
its attributes from it; policy/model_view.py shows packs what it describes;
docs/language.md's field tables are generated from it (language_docs.py).
"""

from __future__ import annotations

from .kinds import (
    AGREEMENT_KINDS,
    ALWAYS,
    BOOLEAN_WORDS,
    BUSINESS_PLACES,
    BUSINESS_UNITS,
    COMPARATORS,
    CREDIT_KINDS,
    DAY_NAMES,
    DAY_UNITS,
    DECLARATION_KINDS,
    DURATION_UNITS,
    TARGETS,
    VALUE_KINDS,
    ValueKind,
    words,
)
from .language import (
    ACCEPTANCE,
    AGREEMENT,
    APPROVAL,
    BUILTIN_METRICS,
    CREDIT,
    CREDITS,
    EXCLUSIONS,
    MAINTENANCE,
    METRIC,
    OBJECTIVE,
    PARTY,
    RESPONSIBILITIES,
    SERVICE,
    SIGNATURE,
)
from .model import FIELD_TYPES, LABELLED, NODES, RENAMED, WRITTEN_AS
from .spec import OPTIONAL, REQUIRED, BlockSpec, FieldSpec, Link, Nested, NodeSpec, recommended

__all__ = [
    "ACCEPTANCE", "AGREEMENT", "AGREEMENT_KINDS", "ALWAYS", "APPROVAL", "BLOCKS", "BOOLEAN_WORDS", "BUILTIN_METRICS",
    "BlockSpec", "BUSINESS_PLACES", "BUSINESS_UNITS", "MAINTENANCE", "COMPARATORS", "CREDIT", "CREDITS", "CREDIT_KINDS",
    "DAY_NAMES", "DAY_UNITS", "DECLARATIONS", "DECLARATION_KINDS", "DURATION_UNITS", "EXCLUSIONS", "FIELD_TYPES",
    "FieldSpec", "LABELLED", "Link", "METRIC", "NESTED_BLOCKS", "NODES", "Nested", "NodeSpec", "OBJECTIVE", "OPTIONAL",
    "PARTY", "RENAMED", "REQUIRED", "RESPONSIBILITIES", "SERVICE", "SIGNATURE", "TARGETS", "VALUE_KINDS", "ValueKind",
    "WRITTEN_AS", "block_home", "field_home", "recommended", "words",
]  # fmt: skip

# The block each declaration keyword opens.
DECLARATIONS: dict[str, BlockSpec] = {"party": PARTY, "metric": METRIC, **dict.fromkeys(AGREEMENT_KINDS, AGREEMENT)}

# Every block of the language, in the order docs/language.md describes them.
BLOCKS: tuple[BlockSpec, ...] = (
    PARTY, METRIC, AGREEMENT, SERVICE, MAINTENANCE, OBJECTIVE, RESPONSIBILITIES, EXCLUSIONS, CREDITS, CREDIT, APPROVAL,
    SIGNATURE, ACCEPTANCE,
)  # fmt: skip

NESTED_BLOCKS: dict[str, BlockSpec] = {
    spec.name: spec
    for spec in (
        SERVICE,
        MAINTENANCE,
        OBJECTIVE,
        RESPONSIBILITIES,
        EXCLUSIONS,
        CREDITS,
        CREDIT,
        APPROVAL,
        SIGNATURE,
        ACCEPTANCE,
    )
}


def _article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _field_homes() -> dict[str, str]:
    """Where each key belongs. A key valid in several blocks is placed in the last
    of these; a metric's keys are left out (`kind` in an agreement is no metric's)."""
    homes: dict[str, str] = {}
    for spec in (MAINTENANCE, CREDITS, CREDIT, ACCEPTANCE, SIGNATURE, SERVICE, AGREEMENT, OBJECTIVE, PARTY):
        for key, field in spec.fields.items():
            homes[key] = field.home or _article(spec.noun)
    return homes


_FIELD_HOMES = _field_homes()


def field_home(key: str) -> str | None:
    """Where a field named `key` belongs ("a signature"), or None."""
    return _FIELD_HOMES.get(key)


def block_home(name: str) -> str | None:
    """Where a block or field named `name` belongs ("a service block"), or None."""
    spec = NESTED_BLOCKS.get(name)
    return spec.home if spec is not None else _FIELD_HOMES.get(name)
