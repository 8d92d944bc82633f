"""Reading a block against its spec in the schema (model/schema/): statements
that do not belong (SL002), values of the wrong kind (SL003), what is missing
(SL004) and what is written twice (SL005), each with a hint that says what to
write instead.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..hints import did_you_mean
from ..model.schema import (
    BUSINESS_PLACES,
    COMPARATORS,
    DAY_UNITS,
    NESTED_BLOCKS,
    VALUE_KINDS,
    BlockSpec,
    FieldSpec,
    block_home,
    field_home,
)
from ..source import Span
from ..values import UNIT_SECONDS, Comparison, Condition, Duration, Percent, PerUnit, Reference, Schedule, format_value
from .edits import removal, renaming, same_value, statement_end
from .literals import INVALID, ListLiteral, Literals, describe_value
from .records import Attribute, Body, Item, NestedBlock

# The kinds whose lists are read element by element: an invalid element is
# reported at its position and dropped, the others kept.
_ITEM_KINDS = {"references": ("reference", Reference), "strings": ("string", str)}


class SchemaReader(Literals):
    """Reads the statements of a block as its spec says, reporting what is wrong."""

    def read_block(self, spec: BlockSpec, body: Body, owner: str, anchor: str):
        """Sort a block's statements into valid attributes (with their values),
        nested blocks and items, reporting what does not belong (SL002),
        duplicates (SL005) and values of the wrong kind (SL003)."""
        attributes: dict[str, Attribute] = {}
        values: dict[str, object] = {}
        blocks: dict[str, list[NestedBlock]] = {name: [] for name in spec.nested}
        items: list[Item] = []
        previous_end = body.open_span  # where the statement before ends: removing one starts there
        for statement in body.statements:
            if isinstance(statement, Attribute):
                self._read_attribute(spec, statement, attributes, values, owner, anchor, previous_end)
            elif isinstance(statement, NestedBlock):
                self._read_nested(spec, statement, blocks, owner, anchor)
            elif spec.items:
                items.append(statement)
            else:
                self.report(
                    "SL002",
                    f"unexpected text in {owner}: only responsibilities and exclusions blocks hold bare strings; "
                    f'write a field such as description: "..."',
                    statement.span,
                    anchor,
                )
            previous_end = statement_end(statement)
        return attributes, values, blocks, items

    def _read_attribute(self, spec: BlockSpec, statement: Attribute, attributes, values, owner, anchor, before) -> None:
        key = statement.key
        field = spec.fields.get(key)
        fix = None
        if field is None:
            if key in spec.nested and spec.nested[key].example:
                hint = f"; '{key}' is a block: write {spec.nested[key].example}"
            elif key in spec.nested:
                hint = f"; '{key}' is a block: write {key} ... {{ ... }}"
            elif field_home(key) is not None:
                hint = f"; '{key}' belongs in {field_home(key)}"
            else:
                hint = did_you_mean(key, [*spec.fields, *spec.nested]) or _valid_here(spec)
                fix = renaming(statement.key_span, key, [*spec.fields, *spec.nested], spec.fields)
            self.report("SL002", f"unknown field '{key}' in {owner}{hint}", statement.key_span, anchor, key, fix)
        elif key in attributes:
            first = attributes[key].key_span.line
            message = f"'{key}' is set twice in {owner} (first on line {first}); keep one"
            same = same_value(attributes[key].value, statement.value)
            fix = removal(before, statement, getattr(self, "comments", [])) if same else None
            self.report("SL005", message, statement.key_span, anchor, key, fix)
        elif (twin := _same_field(spec, field, attributes)) is not None:
            first = attributes[twin].key_span.line
            message = f"'{key}' and '{twin}' say the same in {owner} ('{twin}' on line {first}); keep one"
            self.report("SL005", message, statement.key_span, anchor, key)
        else:
            attributes[key] = statement
            values[key] = self.convert(field, statement, owner, anchor)

    def _read_nested(self, spec: BlockSpec, statement: NestedBlock, blocks, owner: str, anchor: str) -> None:
        name = statement.name
        fix = None
        if name not in blocks:
            if name in spec.fields:
                hint = f"; '{name}' is a field: write {spec.fields[name].example}"
            elif name in NESTED_BLOCKS:
                article = "an" if name[0] in "aeiou" else "a"
                hint = f"; {article} '{name}' block belongs in {block_home(name)}"
            else:
                hint = did_you_mean(name, [*spec.nested, *spec.fields]) or _valid_here(spec)
                fix = renaming(statement.name_span, name, [*spec.nested, *spec.fields], spec.nested)
            self.report("SL002", f"unknown block '{name}' in {owner}{hint}", statement.name_span, anchor, name, fix)
        elif spec.nested[name].once and blocks[name]:
            first = blocks[name][0].name_span.line
            self.report(
                "SL005",
                f"{owner} has two '{name}' blocks (first on line {first}); merge them into one",
                statement.name_span,
                anchor,
                name,
            )
        else:
            blocks[name].append(statement)

    def convert(self, field: FieldSpec, attribute: Attribute, owner: str, anchor: str):
        """The value of `attribute` as `field` holds it, or INVALID (reported)."""
        value = attribute.value
        if value is INVALID:  # already reported
            return INVALID
        if field.kind in _ITEM_KINDS and isinstance(value, ListLiteral) and value:
            return self._convert_items(field, value, owner, anchor)
        if field.kind == "holidays" and isinstance(value, str | datetime.date | ListLiteral):
            return self._convert_holidays(field, attribute, owner, anchor)
        converted = CONVERTERS[field.kind](value, field)
        if converted is INVALID:
            self.report("SL003", _invalid_value(field, value, owner), attribute.value_span, anchor, field.key)
        return converted

    def _convert_items(self, field: FieldSpec, value: ListLiteral, owner: str, anchor: str) -> list:
        """The valid elements of a list; SL003 at each other one."""
        item_kind, item_type = _ITEM_KINDS[field.kind]
        kept = []
        for item, span in zip(value, value.spans, strict=True):
            if isinstance(item, item_type):
                kept.append(item)
                continue
            if item_kind == "string" and isinstance(item, Decimal | Reference | datetime.date):
                message = f"each item of '{field.key}' in {owner} must be a string in double quotes: write \"{item}\""
            else:
                expected = field.expected(item_kind)
                message = f"each item of '{field.key}' in {owner} must be {expected}, not {describe_value(item)}"
            self.report("SL003", message, span, anchor, f"{field.key} {format_value(item)}")
        return kept

    def _convert_holidays(self, field: FieldSpec, attribute: Attribute, owner: str, anchor: str) -> list:
        """The valid dates and calendar codes of `holidays`; SL003 at each other element."""
        value = attribute.value
        listed = isinstance(value, ListLiteral)
        items = zip(value, value.spans, strict=True) if listed else [(value, attribute.value_span)]
        kept = []
        for item, span in items:
            if type(item) is datetime.date:  # the common case, and a list may hold a hundred thousand
                kept.append(item)
                continue
            problem = _holiday_problem(item)
            if problem is None:
                kept.append(item)
                continue
            message = f"each item of '{field.key}' in {owner} must be a date or a holiday calendar code: {problem}"
            self.report("SL003", message, span, anchor, f"{field.key} {format_value(item)}")
        return kept

    def assign(self, node, spec: BlockSpec, attributes: dict[str, Attribute], values: dict) -> None:
        """Set the valid values on `node`; every key written, valid or not, gets its span."""
        for key, attribute in attributes.items():
            node.spans[key] = attribute.span
            value = values[key]
            if value is not INVALID:
                setattr(node, spec.fields[key].attr, value)

    def require(self, node, spec: BlockSpec, attributes, blocks, owner: str, span: Span, anchor: str) -> None:
        """SL004 for each required field or nested block that is not written."""
        for key, field in spec.fields.items():
            if field.required and key not in attributes:
                self.report("SL004", f"{owner} has no '{key}': add {field.example}", span, anchor, key)
        for key, field in spec.fields.items():
            if field.unless and key not in attributes:
                other, value = field.unless
                if getattr(node, spec.fields[other].attr) != value:
                    noun = VALUE_KINDS[field.kind].doc_name
                    self.report(
                        "SL004",
                        f"{owner} has no '{key}' {noun}: add {field.example} (only a {value} may leave it out)",
                        span,
                        anchor,
                        key,
                    )
        for name, nested in spec.nested.items():
            if nested.required and not blocks[name]:
                self.report("SL004", f"{owner} has no {name}: add {NESTED_BLOCKS[name].shape}", span, anchor, name)

    def labels(self, block: NestedBlock, owner: str, anchor: str) -> tuple[str | None, Span | None, str | None]:
        """Read `service ID "Name"`-style labels as the block's spec wants them:
        an id (SL004 when missing) and an optional display name; SL003 for others."""
        spec = NESTED_BLOCKS[block.name]
        wanted = spec.labels
        ident = ident_span = name = None
        labels = list(block.labels)
        if wanted and labels and labels[0].type == "ID":
            token = labels.pop(0)
            ident, ident_span = str(token), self.span(token)
        if wanted == "id+name" and labels and labels[0].type == "STRING":
            name = self.decode_string(labels.pop(0))
        for extra in labels:
            self.report(
                "SL003",
                f"unexpected label {extra} on {block.name} in {owner}: write {spec.shape}",
                self.span(extra),
                anchor,
            )
        if wanted and wanted != "label" and ident is None:
            self.report(
                "SL004", f"{block.name} in {owner} has no id: write {spec.shape}", block.name_span, anchor, block.name
            )
        return ident, ident_span, name


def _invalid_value(field: FieldSpec, value: object, owner: str) -> str:
    """The SL003 message for a value `field` cannot hold: what to write instead."""
    key, kind = field.key, field.kind
    if kind == "enum" and isinstance(value, Reference | str) and str(value).isidentifier():
        return f"unknown {key} '{value}' in {owner}: expected one of {', '.join(field.choices)}" + did_you_mean(
            str(value), field.choices
        )
    if kind == "comparison" and isinstance(value, Decimal | Percent | Duration):
        others = ", ".join(COMPARATORS[1:])
        return f"'{key}' in {owner} needs a comparator: write {key}: {COMPARATORS[0]} {value} (or {others})"
    if kind == "references" and value == []:
        return f"'{key}' in {owner} is an empty list: name what it {key}, or leave '{key}' out"
    if kind == "duration" and isinstance(value, Duration) and value.business:
        return (
            f"'{key}' in {owner} must be a calendar duration such as 30d or 8h, not {value}: business units "
            f"(bh, bd) are valid only in {BUSINESS_PLACES}"
        )
    if kind == "attainment" and isinstance(value, Decimal):
        return f"'{key}' in {owner} is a percent: write {key}: {format_value(Percent(value))}"
    if kind == "attainment" and isinstance(value, Percent):
        return f"attainment {value} in {owner} is not a share of events: use a percent above 0% and up to 100%"
    if kind == "percentile" and isinstance(value, Decimal):
        return f"percentile {value} in {owner} is not a percentile: use a number above 0 and up to 100, e.g. 99"
    if kind == "string" and isinstance(value, Decimal | Reference | datetime.date):
        return f"'{key}' in {owner} must be a string in double quotes: write {key}: \"{value}\""
    if kind == "timezone" and isinstance(value, str):
        return f'unknown timezone "{value}" in {owner}: expected {field.expected()}'
    if kind in ("amount", "credit_value"):
        return _invalid_credit_value(field, value, owner)
    if kind == "currency" and _is_currency_code(str(_single_word(value)).upper()):
        return f"'{key}' in {owner} is written in capitals: write {key}: {str(_single_word(value)).upper()}"
    if kind == "count" and type(value) is Decimal:
        return f"'{key}: {value}' in {owner} is not a count of windows: write a whole number of 2 or more"
    return f"'{key}' in {owner} must be {field.expected()}, not {describe_value(value)}"


def _invalid_credit_value(field: FieldSpec, value: object, owner: str) -> str:
    key = field.key
    if isinstance(value, PerUnit):
        if field.kind != "amount":
            return f"'{key}' in {owner} cannot be per unit: write a single value, e.g. {field.example}"
        if _credit_value(value.amount, field) is INVALID:
            return _invalid_credit_value(field, value.amount, owner)
        unit = value.unit
        if isinstance(unit, Duration | Percent) and not (unit.amount if isinstance(unit, Duration) else unit.value):
            return f"'{key}: {value}' in {owner} counts per nothing: the unit after 'per' must be more than 0"
        return (
            f"'{key}: {value}' in {owner}: 'per' takes a calendar duration (2% per 1h) or, on a percent metric, "
            f"a percent (1% per 0.1%), not {describe_value(unit)}"
        )
    if isinstance(value, Duration) and value.unit not in DAY_UNITS:
        return (
            f"'{key}: {value}' in {owner} is a duration in {value.unit}: a credit value is a percent of the fee "
            "(10%), days of free service in d, w or mo (3d, 1w, 1mo) or money (500)"
        )
    if type(value) is Decimal and value < 0:
        return f"'{key}: {value}' in {owner} is negative: a credit gives the customer something"
    return f"'{key}' in {owner} must be {field.expected()}, not {describe_value(value)}"


def _same_field(spec: BlockSpec, field: FieldSpec, attributes: dict[str, Attribute]) -> str | None:
    """The key already read that sets the same thing as `field` (`percentile` for `attainment`)."""
    return next((key for key in attributes if spec.fields[key].attr == field.attr), None)


def _holiday_problem(item) -> str | None:
    """What is wrong with one element of `holidays`, or None for a date or a supported code."""
    if isinstance(item, datetime.date):
        return None
    if not isinstance(item, str):
        return f"{describe_value(item)} is neither a date nor a calendar code in double quotes"
    from ..model.clock import valid_calendar_code  # imports the holidays package: only for a code

    ok, fix = valid_calendar_code(item)
    if ok:
        return None
    if fix:
        return f'"{item}" is not the ISO 3166 code of its calendar: write "{fix}"'
    return (
        f'"{item}" is not a holiday calendar the holidays package knows: use an ISO 3166 country or subdivision '
        'code such as "DE" or "DE-BY"'
    )


def _valid_here(spec: BlockSpec) -> str:
    """'; valid here: ...' naming the fields and blocks a block may hold."""
    names = [*spec.fields, *(f"{name} {{ }}" for name in spec.nested)]
    return f"; valid here: {', '.join(names)}" if names else ""


# -- converters: a value as a field of each kind holds it, or INVALID --------------


def _single_word(value: object) -> str | None:
    if isinstance(value, Reference) and len(value.parts) == 1:
        return value.parts[0]
    if isinstance(value, str):
        return value
    return None


def _enum(value, field: FieldSpec):
    word = _single_word(value)
    return word if word in field.choices else INVALID


def _identifier(value, field: FieldSpec):
    word = _single_word(value)
    return word if word else INVALID


def _instance_of(*types):
    def convert(value, field: FieldSpec):
        # bool is not a number here, although Python says it is an int
        return value if isinstance(value, types) and (bool in types or not isinstance(value, bool)) else INVALID

    return convert


def _references(value, field: FieldSpec):
    return [value] if isinstance(value, Reference) else INVALID  # a list: element by element


def _strings(value, field: FieldSpec):
    return [] if value == [] else INVALID  # a list with elements: element by element


def _calendar_duration(value, field: FieldSpec):
    return value if isinstance(value, Duration) and not value.business else INVALID


def _holidays(value, field: FieldSpec):
    return [] if value == [] else INVALID  # dates and codes: element by element


def _attainment(value, field: FieldSpec):
    return value.value if isinstance(value, Percent) and 0 < value.value <= 100 else INVALID


def _percentile(value, field: FieldSpec):
    return value if type(value) is Decimal and 0 < value <= 100 else INVALID


def _timezone(value, field: FieldSpec):
    if not isinstance(value, str) or not value:
        return INVALID
    return value if timezone_exists(value) else INVALID


def _credit_value(value, field: FieldSpec):
    if isinstance(value, Percent) or (isinstance(value, Duration) and value.unit in DAY_UNITS):
        return value
    return value if type(value) is Decimal and value >= 0 else INVALID


def _amount(value, field: FieldSpec):
    if not isinstance(value, PerUnit):
        return _credit_value(value, field)
    if _credit_value(value.amount, field) is INVALID:
        return INVALID
    unit = value.unit
    if isinstance(unit, Duration) and unit.unit in UNIT_SECONDS and unit.amount > 0:  # not a business unit
        return value
    return value if isinstance(unit, Percent) and unit.value > 0 else INVALID


def _currency(value, field: FieldSpec):
    word = _single_word(value)
    return word if word is not None and _is_currency_code(word) else INVALID


def _is_currency_code(word: str) -> bool:
    return len(word) == 3 and word.isascii() and word.isalpha() and word.isupper()


def _count(value, field: FieldSpec):
    return value if type(value) is Decimal and value >= 2 and value == value.to_integral_value() else INVALID


def timezone_exists(name: str) -> bool:
    """Whether `name` is a timezone of the IANA database (true for anything
    when this machine has no timezone database to ask)."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
        return True
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    try:
        zoneinfo.ZoneInfo("UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return True  # no database here: do not call every name unknown
    return False


# One for each kind of model/schema/kinds.py (tests/test_schema.py checks it).
CONVERTERS = {
    "string": _instance_of(str),
    "number": _instance_of(Decimal),
    "percent": _instance_of(Percent),
    "duration": _calendar_duration,
    "notice": _instance_of(Duration),
    "date": _instance_of(datetime.date),
    "boolean": _instance_of(bool),
    "enum": _enum,
    "identifier": _identifier,
    "reference": _instance_of(Reference),
    "references": _references,
    "strings": _strings,
    "comparison": _instance_of(Comparison),
    "condition": _instance_of(Condition),
    "schedule": _instance_of(Schedule),
    "date_or_boolean": _instance_of(datetime.date, bool),
    "timezone": _timezone,
    "percentile": _percentile,
    "holidays": _holidays,
    "attainment": _attainment,
    "credit_value": _credit_value,
    "amount": _amount,
    "currency": _currency,
    "count": _count,
}
