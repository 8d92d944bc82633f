"""The tables of docs/language.md that the schema (model/schema/) describes:
the duration units, the value types and the fields of every block. Each sits
between two markers in the page and is regenerated in place with

    python -m sla_lang.language_docs docs/language.md

and a test fails when the committed page is stale.
"""

from __future__ import annotations

import re
import sys

from .model.schema import (
    BLOCKS,
    BUILTIN_METRICS,
    BUSINESS_UNITS,
    DURATION_UNITS,
    NESTED_BLOCKS,
    TARGETS,
    VALUE_KINDS,
    BlockSpec,
    FieldSpec,
)

_MARKED = re.compile(
    r"(?P<open><!-- generated from the schema: (?P<name>[^>]+?) -->\n)(?P<table>.*?)"
    r"(?P<close><!-- end of the generated table -->)",
    re.S,
)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _choices(choices) -> str:
    return " \\| ".join(f"`{choice}`" for choice in choices)


def units_table() -> str:
    lines = [_row("unit", "meaning", "length"), "|---|---|---|"]
    lines += [_row(f"`{unit}`", name, length) for unit, (_, name, length) in DURATION_UNITS.items()]
    lines += [_row(f"`{unit}`", name, counted) for unit, (name, counted) in BUSINESS_UNITS.items()]
    return "\n".join(lines)


def value_types_table() -> str:
    lines = [_row("type", "written as", "example"), "|---|---|---|"]
    for kind in VALUE_KINDS.values():
        name = kind.doc_name.format(choices=_choices(("a", "b")), target="X")
        lines.append(_row(name, kind.written_as, kind.example))
    return "\n".join(lines)


def field_type(field: FieldSpec) -> str:
    """The type column of a field: `one of `a` \\| `b``, `reference to a party`."""
    return VALUE_KINDS[field.kind].doc_name.format(choices=_choices(field.choices), target=TARGETS.get(field.target))


def fields_table(spec: BlockSpec) -> str:
    lines = [_row("field", "type", "presence", "meaning"), "|---|---|---|---|"]
    for key, field in spec.fields.items():
        lines.append(_row(f"`{key}`", field_type(field), field.presence, field.meaning))
    for name, nested in spec.nested.items():
        block = NESTED_BLOCKS[name]
        if block.items:
            kind = f"[list block](#{block.section})"
        elif block.section == spec.section:
            kind = "block"
        else:
            kind = f"[{block.name}](#{block.section}) block"
        lines.append(_row(f"`{block.doc_shape}`", kind, nested.presence, nested.meaning))
    return "\n".join(lines)


def builtin_metrics_table() -> str:
    lines = [_row("id", "unit", "better"), "|---|---|---|"]
    lines += [_row(f"`{ident}`", unit, better) for ident, unit, better in BUILTIN_METRICS]
    return "\n".join(lines)


def tables() -> dict[str, str]:
    """Every generated table of docs/language.md, by the name its markers give."""
    found = {
        "duration units": units_table(),
        "value types": value_types_table(),
        "built-in metrics": builtin_metrics_table(),
    }
    for spec in BLOCKS:
        if spec.fields:
            found[f"fields of {spec.name}"] = fields_table(spec)
    return found


def regenerate(page: str) -> str:
    """`page` with every generated table replaced by the schema's; an error for
    a marker that names no table, or a table without its markers."""
    wanted = tables()
    seen: set[str] = set()

    def replace(match: re.Match) -> str:
        name = match.group("name")
        if name not in wanted:
            raise ValueError(f"docs/language.md marks a table '{name}' that the schema does not make")
        seen.add(name)
        return f"{match.group('open')}{wanted[name]}\n{match.group('close')}"

    page = _MARKED.sub(replace, page)
    missing = sorted(set(wanted) - seen)
    if missing:
        raise ValueError(f"docs/language.md has no place for the tables {', '.join(missing)}")
    return page


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m sla_lang.language_docs docs/language.md\n")
        return 2
    (path,) = argv
    with open(path, encoding="utf-8") as handle:
        page = handle.read()
    updated = regenerate(page)
    if updated != page:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(updated)
        sys.stdout.write(f"{path}: tables regenerated from the schema\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
