"""The order the formatter writes a block's attributes in: that of the
language's field tables (docs/language.md), metadata (`owner`, `tags`,
`links`) last, then keys the block does not know, as written.

The schema lists each block's fields; where the canonical order differs from
the schema's, the explicit lists below say so. A field the schema gains later
and no list names goes after the listed ones, in the schema's order.
"""

from __future__ import annotations

from ..model.schema import DECLARATIONS, NESTED_BLOCKS
from ..model.schema.language import METADATA

METADATA_KEYS = tuple(field.key for field in METADATA)

_CANONICAL: dict[str, tuple[str, ...]] = {
    "party": ("role", "name", "organization", "internal", "contact"),
    "metric": ("unit", "better", "kind", "description"),
    "agreement": (
        "provider", "customer", "version", "status", "effective", "expires", "review", "reporting", "overview",
        "supports", "redundancy",
    ),
    "service": ("description", "hours", "timezone", "business_hours", "holidays"),
    "objective": (
        "metric", "target", "window", "percentile", "attainment", "priority", "measurement", "slo", "agreed",
        "contribution",
    ),
    "credits": ("cap", "claim", "currency"),
    "credit": ("when", "amount", "consecutive"),
    "signature": ("by", "title", "date", "version"),
}  # fmt: skip


def _ranks(spec) -> dict[str, int]:
    listed = _CANONICAL.get(spec.name, ())
    keys = [*listed, *(key for key in spec.fields if key not in listed and key not in METADATA_KEYS), *METADATA_KEYS]
    ranks: dict[str, int] = {}
    first_of: dict[str, int] = {}  # node attribute -> the rank of the first key that sets it
    for rank, key in enumerate(keys):
        field = spec.fields.get(key)
        attr = field.attr if field is not None else key
        # Keys that set one thing (`percentile`, `attainment`) share a rank, so
        # that the one written second, which a finding names, stays second.
        ranks[key] = first_of.setdefault(attr, rank)
    return ranks


_BY_DECLARATION = {kind: _ranks(spec) for kind, spec in DECLARATIONS.items()}
_BY_NESTED = {name: _ranks(spec) for name, spec in NESTED_BLOCKS.items()}


def field_ranks(block_name: str, declaration: bool) -> dict[str, int] | None:
    """Key -> its place in the block `block_name` opens (a declaration's
    keyword or a nested block's name); None for a block the language does not
    know, whose attributes keep their written order."""
    return (_BY_DECLARATION if declaration else _BY_NESTED).get(block_name)
