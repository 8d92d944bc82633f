"""The model builder: Lark's LALR parser calls these methods as it reduces
grammar rules (an inline transformer), so typed nodes are built during the
parse, with no parse tree in between.

Values are converted where they are reduced (a percent, a date); statements
become small syntax records; when a whole declaration has been reduced, it is
checked against the schema (model/schema.py) top-down, which is where
unknown, invalid, missing and duplicated fields are reported.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from sys import intern

from ..findings import Finding
from ..language_rules import language_finding
from ..model import schema
from ..model.nodes import (
    Agreement,
    Credit,
    Metric,
    Objective,
    Party,
    Responsibility,
    Service,
    Signature,
)
from ..source import Span
from ..source import shortened as _shortened
from ..values import (
    DAY_NAMES,
    Comparison,
    Condition,
    DayWindow,
    Duration,
    Percent,
    Reference,
    Schedule,
)

INVALID = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()  # a value already reported as SL003

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
_ESCAPE = re.compile(r"\\(.?)", re.S)  # a backslash and the character it escapes
_MONTHS = "January February March April May June July August September October November December".split()


class Attribute:
    __slots__ = ("key", "key_span", "value", "value_span")

    def __init__(self, key: str, key_span: Span, value: object, value_span: Span) -> None:
        self.key = key
        self.key_span = key_span
        self.value = value
        self.value_span = value_span

    @property
    def span(self) -> Span:
        return self.key_span.to(self.value_span)


# Limits for hostile input: far beyond any real agreement, low enough that
# nothing downstream (reports, pickling, a future formatter) meets Python's
# recursion limit or holds megabytes in one value.
MAX_NESTING = 32  # blocks in blocks, lists in lists
MAX_STRING_LENGTH = 65_536  # characters in one string
MAX_FINDINGS_PER_FILE = 1_000  # lint.py shows no more; the builder stops recording one past it

# Digits before the decimal point: far beyond any count, rate or length of time,
# and far below what the decimal arithmetic of the rules can hold (a number of a
# million digits made them overflow).
MAX_NUMBER_DIGITS = 100


class Body:
    __slots__ = ("statements", "open_span", "close_span")

    def __init__(self, statements: list, open_span: Span, close_span: Span) -> None:
        self.statements = statements
        self.open_span = open_span
        self.close_span = close_span


_OPENING = {"RBRACE": "LBRACE", "RSQB": "LSQB"}
_TOO_DEEP = {
    "LBRACE": f"blocks are nested more than {MAX_NESTING} levels deep; no agreement needs that many",
    "LSQB": f"lists are nested more than {MAX_NESTING} levels deep",
}


class NestingTooDeep(Exception):
    """Raised by the lexer callbacks at the `{` or `[` that opens one level more
    than MAX_NESTING. The parser stops there, before a hostile file's millions
    of levels can grow its stack (5 MiB of braces took 17 s and 1.1 GB)."""

    def __init__(self, token, finding: Finding) -> None:
        super().__init__(finding.message)
        self.token = token  # read like the token of a Lark error: where to re-synchronise
        self.finding = finding


class NestedBlock:
    __slots__ = ("name", "name_span", "labels", "body")

    def __init__(self, name: str, name_span: Span, labels: list, body: Body) -> None:
        self.name = name
        self.name_span = name_span
        self.labels = labels  # Lark tokens (ID or STRING)
        self.body = body


class Item:
    __slots__ = ("text", "span")

    def __init__(self, text: str, span: Span) -> None:
        self.text = text
        self.span = span


class Comment:
    __slots__ = ("text", "span")

    def __init__(self, text: str, span: Span) -> None:
        self.text = text
        self.span = span


def describe_value(value: object) -> str:
    """How an SL003 message names what the user wrote."""
    if isinstance(value, bool):
        return f"the boolean {'yes' if value else 'no'}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'the string "{shown}"'
    if isinstance(value, Decimal):
        return f"the number {value}"
    if isinstance(value, Percent):
        return f"the percent {value}"
    if isinstance(value, Duration):
        return f"the duration {value}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, Reference):
        return f"the name '{value}'"
    if isinstance(value, Comparison):
        return f"the comparison {value}"
    if isinstance(value, Condition):
        return f"the condition {value}"
    if isinstance(value, Schedule):
        return f"the hours {value}"
    if isinstance(value, list):
        return "a list"
    return "this value"


def closest(word: str, choices) -> str:
    """'; did you mean 'x'?' when a choice is close to `word`, else ''."""
    from ..hints import did_you_mean

    return did_you_mean(word, choices)


class NameHints:
    """closest() over the names of a whole workspace.

    difflib compares the word with every name it is given, about 15 µs each:
    with thousands of agreements and hundreds of broken references that took
    seconds. Above MOST names, only the MOST that share the most letter pairs
    with the word are compared: the hint is then a close name, though where
    several are about as close, not always the one difflib would pick."""

    MOST = 64

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.pairs: list[frozenset[str]] | None = None  # each name's letter pairs, made on first use

    def closest(self, word: str) -> str:
        names = self.names
        if len(names) > self.MOST:
            import heapq

            if self.pairs is None:
                self.pairs = [_letter_pairs(name) for name in names]
            pairs, wanted = self.pairs, _letter_pairs(word)
            best = heapq.nlargest(self.MOST, range(len(names)), key=lambda i: len(wanted & pairs[i]))
            names = [names[i] for i in best]
        return closest(word, names)


def _letter_pairs(name: str) -> frozenset[str]:
    padded = f"^{name}$"  # so that one-letter names have pairs too, and ends count
    return frozenset(padded[i : i + 2] for i in range(len(padded) - 1))


class ModelBuilder:
    """Inline transformer for grammar/agreement.lark, reused file after file."""

    def __init__(self) -> None:
        self._shared: dict[str, object] = {}  # "PERCENT:99.9%" -> the one Percent for it
        self.reset("")

    def reset(self, path: str, line_offset: int = 0) -> None:
        self.path = path
        self.line_offset = line_offset  # when re-parsing the rest of a broken file
        self.declarations: list = []
        self.findings: list[Finding] = []
        self.comments: list[Comment] = []
        self.open_brackets = {"LBRACE": 0, "LSQB": 0}

    # -- positions and findings --------------------------------------------

    def span(self, token) -> Span:
        offset = self.line_offset
        return Span(self.path, token.line + offset, token.column, token.end_line + offset, token.end_column)

    def report(self, code: str, message: str, span: Span, anchor: str = "", field: str | None = None) -> None:
        """A finding about the block `anchor` names (and its `field`, which the
        finding's identity includes: two invalid fields of one block are two problems)."""
        if field and anchor:
            anchor = f"{anchor}.{field}"
        if len(self.findings) <= MAX_FINDINGS_PER_FILE:  # a hostile file can make millions
            self.findings.append(language_finding(code, message, span, anchor))

    # -- lexer callbacks -------------------------------------------------------

    def lexer_callbacks(self) -> dict:
        return {
            "COMMENT": self.comment,
            "LBRACE": self.open_bracket,
            "LSQB": self.open_bracket,
            "RBRACE": self.close_bracket,
            "RSQB": self.close_bracket,
        }

    def comment(self, token):
        text, span = str(token), self.span(token)
        if text.endswith("\r"):  # a CRLF line end: the \r is not part of the comment
            text = text[:-1]
            span = Span(span.path, span.line, span.column, span.end_line, span.end_column - 1)
        self.comments.append(Comment(text, span))
        return token

    # Nesting is counted as the lexer hands over the brackets, so that a file
    # nested too deep is stopped at the first bracket past the limit.

    def open_bracket(self, token):
        kind = token.type
        self.open_brackets[kind] += 1
        if self.open_brackets[kind] > MAX_NESTING:
            raise NestingTooDeep(token, language_finding("SL001", _TOO_DEEP[kind], self.span(token)))
        return token

    def close_bracket(self, token):
        opening = _OPENING[token.type]
        self.open_brackets[opening] = max(0, self.open_brackets[opening] - 1)  # a stray one is the parser's
        return token

    # -- values ----------------------------------------------------------------

    def string(self, children):
        token = children[0]
        span = self.span(token)
        if self._too_long(token, span):
            return INVALID, span
        return self.decode_string(token), span

    def _too_long(self, token, span: Span) -> bool:
        """Report a string over MAX_STRING_LENGTH, measured as written (before
        escapes are decoded, which is work a hostile file could multiply)."""
        length = len(token) - (6 if token.type == "LONG_STRING" else 2)
        if length <= MAX_STRING_LENGTH:
            return False
        self.report(
            "SL003",
            f"this string is {length:,} characters long, over the limit of {MAX_STRING_LENGTH:,}: "
            "keep long documents outside the agreement and refer to them",
            span,
        )
        return True

    def number(self, children):
        token = children[0]
        span = self.span(token)
        shared = self._shared.get(f"NUMBER:{token}")
        if shared is not None:
            return shared, span
        value = Decimal(str(token))
        if self._too_large(str(token), value, span):
            return INVALID, span
        return self._share(token, value), span

    def _share(self, token, value):
        """One object for each number, percent or duration text: `99.9%` and `30d`
        come back thousands of times in a large workspace (they are immutable)."""
        if len(self._shared) < 100_000:
            self._shared[f"{token.type}:{token}"] = value
        return value

    def _too_large(self, text: str, value: Decimal, span: Span) -> bool:
        if value.adjusted() < MAX_NUMBER_DIGITS:
            return False
        self.report(
            "SL003",
            f"{_shortened(text)} is too large: a number has at most {MAX_NUMBER_DIGITS} digits "
            "before the decimal point",
            span,
        )
        return True

    def percent(self, children):
        token = children[0]
        span = self.span(token)
        shared = self._shared.get(f"PERCENT:{token}")
        if shared is not None:
            return shared, span
        value = Decimal(str(token)[:-1])
        if not 0 <= value <= 100:
            self.report(
                "SL003", f"{_shortened(str(token))} is not a valid percent: a percent lies between 0% and 100%", span
            )
            return INVALID, span
        return self._share(token, Percent(value)), span

    def duration(self, children):
        token = children[0]
        span = self.span(token)
        shared = self._shared.get(f"DURATION:{token}")
        if shared is not None:
            return shared, span
        text = str(token)
        digits = text.rstrip("abcdefghijklmnopqrstuvwxyz")
        if digits.startswith("-"):
            self.report(
                "SL003", f"{_shortened(text)} is not a valid duration: a length of time cannot be negative", span
            )
            return INVALID, span
        amount = Decimal(digits)
        if self._too_large(text, amount, span):
            return INVALID, span
        return self._share(token, Duration(amount, text[len(digits) :])), span

    def date(self, children):
        token = children[0]
        span = self.span(token)
        year, month, day = (int(part) for part in str(token).split("-"))
        try:
            return datetime.date(year, month, day), span
        except ValueError:
            if 1 <= month <= 12 and year >= 1:
                last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
                why = f"{_MONTHS[month - 1]} {year} has {last} days"
            else:
                why = "the month must be 01 to 12" if not 1 <= month <= 12 else "the year must be 0001 or later"
            self.report("SL003", f"{token} is not a date: {why}", span)
            return INVALID, span

    def boolean(self, children):
        token = children[0]
        return str(token) in ("yes", "true"), self.span(token)

    def reference(self, children):
        span = self.span(children[0])
        if len(children) > 1:
            span = span.to(self.span(children[-1]))
        return Reference(tuple(intern(str(part)) for part in children), span), span

    def comparison(self, children):
        op, (quantity, quantity_span) = children
        span = self.span(op).to(quantity_span)
        if quantity is INVALID:
            return INVALID, span
        return Comparison(str(op), quantity), span

    def condition(self, children):
        (subject, subject_span), op, (quantity, quantity_span) = children
        span = subject_span.to(quantity_span)
        if quantity is INVALID:
            return INVALID, span
        return Condition(subject, str(op), quantity), span

    def list(self, children):
        open_bracket, *items, close_bracket = children
        values = [value for item in items if item is not None for value in (item[0],) if value is not INVALID]
        return values, self.span(open_bracket).to(self.span(close_bracket))

    def always(self, children):
        return Schedule(True), self.span(children[0])

    def day_windows(self, children):
        span = children[0][1].to(children[-1][1])
        windows = [window for window, _ in children]
        if INVALID in windows:
            return INVALID, span
        return Schedule(False, tuple(windows)), span

    def day_window(self, children):
        days, times = children
        span = self.span(days).to(self.span(times))
        first, _, last = str(days).partition("-")
        start_text, end_text = str(times).split("-")
        start = self._clock_minutes(start_text, self.span(times))
        end = self._clock_minutes(end_text, self.span(times))
        if start is None or end is None:
            return INVALID, span
        if start == end or start == 24 * 60:
            self.report(
                "SL003",
                f"{times} is not a valid time range: it must run from one time of day to a different one "
                "(use 00:00-24:00 for a whole day; an end before the start runs past midnight)",
                self.span(times),
            )
            return INVALID, span
        last_day = DAY_NAMES.index(last) if last else DAY_NAMES.index(first)
        return DayWindow(DAY_NAMES.index(first), last_day, start, end % (24 * 60) or 24 * 60), span

    def _clock_minutes(self, text: str, span: Span) -> int | None:
        hours, minutes = int(text[:2]), int(text[3:])
        if minutes > 59 or hours > 24 or (hours == 24 and minutes):
            self.report("SL003", f"{text} is not a time of day: use 00:00 to 24:00", span)
            return None
        return hours * 60 + minutes

    def decode_string(self, token) -> str:
        raw = str(token)
        long = token.type == "LONG_STRING"
        quote = 3 if long else 1
        body = raw[quote:-quote]
        if long:
            # A file saved with CRLF line ends must give the same text as with LF.
            body = _strip_indentation(body.replace("\r\n", "\n"))
        if "\\" not in body:
            return body
        bad = 0

        def unescape(match) -> str:
            nonlocal bad
            escaped = match.group(1)
            if escaped in _ESCAPES:
                return _ESCAPES[escaped]
            bad += 1
            return escaped

        text = _ESCAPE.sub(unescape, body)
        if bad:
            self._bad_escapes(token, bad)
        return text

    def _bad_escapes(self, token, count: int) -> None:
        """Report the first `count` unknown escapes of a string token.

        They are found again by walking the raw token escape by escape, not by
        searching for their text: that text may first occur inside a valid
        escaped backslash just before it. Removing a long string's indentation
        drops no backslash, so the escapes come in the same order in both.
        One walk for all of them: a string of many unknown escapes must not
        take quadratic time (100,000 of them took ten minutes)."""
        raw = str(token)
        line = token.line + self.line_offset
        line_start = -1  # the index of the last newline before the escape; -1 on the token's first line
        scanned = 0
        for match in _ESCAPE.finditer(raw):
            escaped = match.group(1)
            if escaped in _ESCAPES:
                continue
            index = match.start()
            newlines = raw.count("\n", scanned, index)
            if newlines:
                line += newlines
                line_start = raw.rindex("\n", scanned, index)
            scanned = index
            column = index - line_start if line_start >= 0 else token.column + index
            shown = escaped if escaped.isprintable() else f"U+{ord(escaped):04X}" if escaped else ""
            self.report(
                "SL001",
                f"unknown escape '\\{shown}' in a string: the escapes are \\\" \\\\ \\n and \\t "
                "(write \\\\ for a backslash)",
                Span(self.path, line, column, line, column + 2),
            )
            count -= 1
            if not count:
                break

    # -- statements ---------------------------------------------------------

    def attribute(self, children):
        key, (value, value_span) = children[0], children[1]
        # Keys are interned: node.spans keeps one per attribute of every node.
        return Attribute(intern(str(key)), self.span(key), value, value_span)

    def item(self, children):
        token = children[0]
        span = self.span(token)
        return Item("" if self._too_long(token, span) else self.decode_string(token), span)

    def block(self, children):
        return Body(children[1:-1], self.span(children[0]), self.span(children[-1]))

    def nested_block(self, children):
        name = children[0]
        return NestedBlock(str(name), self.span(name), children[1:-1], children[-1])

    def start(self, children):
        return self.declarations

    def declaration(self, children):
        kind, ident, title_token, body = children
        title = self.decode_string(title_token) if title_token is not None else None
        kind_span, id_span = self.span(kind), self.span(ident)
        kind = str(kind)
        if kind == "party":
            node = self._build_party(str(ident), kind_span, id_span, title, body)
        elif kind == "metric":
            node = self._build_metric(str(ident), kind_span, id_span, title, body)
        else:
            node = self._build_agreement(kind, str(ident), kind_span, id_span, title, body)
        self.declarations.append(node)
        return node

    # -- schema checks, top-down from a declaration ------------------------

    def _read_block(self, spec: schema.BlockSpec, body: Body, owner: str, anchor: str):
        """Sort a block's statements into valid attributes, nested blocks and
        items, reporting what does not belong (SL002), duplicates (SL005) and
        values of the wrong type (SL003)."""
        attributes: dict[str, Attribute] = {}
        values: dict[str, object] = {}
        blocks: dict[str, list[NestedBlock]] = {name: [] for name in spec.blocks}
        items: list[Item] = []
        for statement in body.statements:
            if isinstance(statement, Attribute):
                key = statement.key
                field_spec = spec.fields.get(key)
                if field_spec is None:
                    if key in spec.blocks:
                        hint = f"; '{key}' is a block: write {key} ... {{ ... }}"
                    elif key in _FIELD_HOMES:
                        hint = f"; '{key}' belongs in {_FIELD_HOMES[key]}"
                    else:
                        hint = closest(key, [*spec.fields, *spec.blocks]) or _valid_here(spec)
                    self.report("SL002", f"unknown field '{key}' in {owner}{hint}", statement.key_span, anchor, key)
                elif key in attributes:
                    first = attributes[key].key_span.line
                    self.report(
                        "SL005",
                        f"'{key}' is set twice in {owner} (first on line {first}); keep one",
                        statement.key_span,
                        anchor,
                        key,
                    )
                else:
                    attributes[key] = statement
                    values[key] = self._convert(key, field_spec, statement, owner, anchor)
            elif isinstance(statement, NestedBlock):
                name = statement.name
                if name not in blocks:
                    if name in spec.fields:
                        hint = f"; '{name}' is a field: write {spec.fields[name].example}"
                    elif name in _BLOCK_HOMES:
                        article = "an" if name[0] in "aeiou" else "a"
                        hint = f"; {article} '{name}' block belongs in {_BLOCK_HOMES[name]}"
                    else:
                        hint = closest(name, [*spec.blocks, *spec.fields]) or _valid_here(spec)
                    self.report("SL002", f"unknown block '{name}' in {owner}{hint}", statement.name_span, anchor, name)
                    continue
                if name in spec.single_blocks and blocks[name]:
                    first = blocks[name][0].name_span.line
                    self.report(
                        "SL005",
                        f"{owner} has two '{name}' blocks (first on line {first}); merge them into one",
                        statement.name_span,
                        anchor,
                        name,
                    )
                    continue
                blocks[name].append(statement)
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
        return attributes, values, blocks, items

    def _convert(self, key: str, field_spec: schema.FieldSpec, attribute: Attribute, owner: str, anchor: str):
        value = attribute.value
        if value is INVALID:  # already reported
            return INVALID
        kind = field_spec.type
        converted = _CONVERTERS[kind](value, field_spec)
        if converted is not INVALID:
            return converted
        expected = schema.TYPE_DESCRIPTIONS[kind].format(
            choices=", ".join(field_spec.choices), target=_REFERENCE_TARGETS.get(key, "a declaration")
        )
        if kind == "enum" and isinstance(value, Reference | str) and str(value).isidentifier():
            message = f"unknown {key} '{value}' in {owner}: expected one of {', '.join(field_spec.choices)}"
            message += closest(str(value), field_spec.choices)
        elif kind == "comparison" and isinstance(value, Decimal | Percent | Duration):
            message = f"'{key}' in {owner} needs a comparator: write {key}: >= {value} (or <=, >, <, ==)"
        elif kind == "references" and value == []:
            message = f"'{key}' in {owner} is an empty list: name what it {key}, or leave '{key}' out"
        elif kind == "percentile" and isinstance(value, Decimal):
            message = f"percentile {value} in {owner} is not a percentile: use a number above 0 and up to 100, e.g. 99"
        elif kind == "string" and isinstance(value, Decimal | Reference | datetime.date):
            message = f"'{key}' in {owner} must be a string in double quotes: write {key}: \"{value}\""
        elif kind == "timezone" and isinstance(value, str):
            message = f'unknown timezone "{value}" in {owner}: expected {expected}'
        else:
            message = f"'{key}' in {owner} must be {expected}, not {describe_value(value)}"
        self.report("SL003", message, attribute.value_span, anchor, key)
        return INVALID

    def _assign(self, node, spec: schema.BlockSpec, attributes: dict, values: dict) -> None:
        for key, attribute in attributes.items():
            node.spans[key] = attribute.span
            value = values[key]
            if value is not INVALID:
                setattr(node, spec.fields[key].attr or key, value)

    def _require(
        self, spec: schema.BlockSpec, attributes: dict, owner: str, span: Span, anchor: str, skip: tuple[str, ...] = ()
    ) -> None:
        for key, field_spec in spec.fields.items():
            if field_spec.required and key not in attributes and key not in skip:
                self.report("SL004", f"{owner} has no '{key}': add {field_spec.example}", span, anchor, key)

    def _labels(
        self, block: NestedBlock, owner: str, anchor: str, wanted: str
    ) -> tuple[str | None, Span | None, str | None]:
        """Read `service ID "Name"`-style labels: an id (when wanted) and an optional display name."""
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
                f"unexpected label {extra} on {block.name} in {owner}: write {_LABEL_SHAPES[block.name]}",
                self.span(extra),
                anchor,
            )
        if wanted and ident is None:
            self.report(
                "SL004",
                f"{block.name} in {owner} has no id: write {_LABEL_SHAPES[block.name]}",
                block.name_span,
                anchor,
                block.name,
            )
        return ident, ident_span, name

    def _build_party(self, ident, kind_span, id_span, title, body) -> Party:
        owner, anchor = f"party '{ident}'", ident
        party = Party(self.path, kind_span, {}, ident, id_span, name=title)
        attributes, values, _, _ = self._read_block(schema.PARTY, body, owner, anchor)
        self._assign(party, schema.PARTY, attributes, values)
        self._require(schema.PARTY, attributes, owner, id_span, anchor)
        return party

    def _build_metric(self, ident, kind_span, id_span, title, body) -> Metric:
        owner, anchor = f"metric '{ident}'", ident
        metric = Metric(self.path, kind_span, {}, ident, id_span, name=title)
        attributes, values, _, _ = self._read_block(schema.METRIC, body, owner, anchor)
        self._assign(metric, schema.METRIC, attributes, values)
        self._require(schema.METRIC, attributes, owner, id_span, anchor)
        return metric

    def _build_agreement(self, kind, ident, kind_span, id_span, title, body) -> Agreement:
        agreement = Agreement(self.path, kind_span, {}, kind, ident, id_span, title=title)
        owner, anchor = agreement.label, ident
        spec = schema.AGREEMENT
        attributes, values, blocks, _ = self._read_block(spec, body, owner, anchor)
        self._assign(agreement, spec, attributes, values)
        if isinstance(agreement.supports_refs, Reference):
            agreement.supports_refs = [agreement.supports_refs]
        self._require(spec, attributes, owner, id_span, anchor)
        if "effective" not in attributes and agreement.status != "draft":
            self.report(
                "SL004",
                f"{owner} has no 'effective' date: add effective: 2026-01-01 (only a draft may leave it out)",
                id_span,
                anchor,
                "effective",
            )

        seen_services: dict[str, Service] = {}
        for block in blocks["service"]:
            service = self._build_service(block, agreement, anchor)
            if service is None:
                continue
            if service.id in seen_services:
                first = seen_services[service.id].id_span.line
                self.report(
                    "SL006",
                    f"service '{service.id}' is declared twice in {owner} (first on line {first}); rename one",
                    service.id_span,
                    anchor,
                    service.id,
                )
                continue
            seen_services[service.id] = service
            agreement.services.append(service)
        if not blocks["service"]:
            self.report("SL004", f'{owner} has no service: add service ID "Name" {{ ... }}', id_span, anchor, "service")

        by_party: dict[str, Responsibility] = {}  # one block per party: found in a dict, not by a search
        for block in blocks["responsibilities"]:
            party, party_span, _ = self._labels(block, owner, anchor, "id")
            _, _, _, items = self._read_block(schema.RESPONSIBILITIES, block.body, "a responsibilities block", anchor)
            earlier = by_party.get(party)
            if earlier is not None:
                self.report(
                    "SL005",
                    f"{owner} has two 'responsibilities {party}' blocks (first on line {earlier.span.line}); "
                    "merge them into one",
                    party_span,
                    anchor,
                    f"responsibilities {party}",
                )
                continue
            if party is not None:
                responsibility = Responsibility(
                    self.path, block.name_span, {}, Reference((party,), party_span), [item.text for item in items]
                )
                by_party[party] = responsibility
                agreement.responsibilities.append(responsibility)
        for block in blocks["exclusions"]:
            self._labels(block, owner, anchor, "")
            _, _, _, items = self._read_block(schema.EXCLUSIONS, block.body, "the exclusions block", anchor)
            agreement.exclusions = [item.text for item in items]
            agreement.spans["exclusions"] = block.name_span
        for block in blocks["credits"]:
            self._build_credits(block, agreement, anchor)
        for block in blocks["approval"]:
            self._build_approval(block, agreement, anchor)
        return agreement

    def _build_service(self, block: NestedBlock, agreement: Agreement, parent_anchor: str) -> Service | None:
        ident, ident_span, name = self._labels(block, agreement.label, parent_anchor, "id+name")
        if ident is None:
            return None
        owner, anchor = f"service '{ident}' of {agreement.label}", f"{parent_anchor}.{ident}"
        service = Service(self.path, block.name_span, {}, ident, ident_span, name=name, agreement=agreement)
        attributes, values, blocks, _ = self._read_block(schema.SERVICE, block.body, owner, anchor)
        self._assign(service, schema.SERVICE, attributes, values)
        seen: dict[str, Objective] = {}
        for objective_block in blocks["objective"]:
            objective = self._build_objective(objective_block, service, owner, anchor)
            if objective is None:
                continue
            if objective.id in seen:
                first = seen[objective.id].id_span.line
                self.report(
                    "SL006",
                    f"objective '{objective.id}' is declared twice in {owner} (first on line {first}); "
                    "give each its own id",
                    objective.id_span,
                    anchor,
                    objective.id,
                )
                continue
            seen[objective.id] = objective
            service.objectives.append(objective)
        return service

    def _build_objective(self, block: NestedBlock, service: Service, service_owner: str, parent_anchor: str):
        ident, ident_span, _ = self._labels(block, service_owner, parent_anchor, "id")
        if ident is None:
            return None
        owner, anchor = f"objective '{ident}' of {service_owner}", f"{parent_anchor}.{ident}"
        objective = Objective(
            self.path, block.name_span, {}, ident, ident_span, service=service, agreement=service.agreement
        )
        attributes, values, _, _ = self._read_block(schema.OBJECTIVE, block.body, owner, anchor)
        self._assign(objective, schema.OBJECTIVE, attributes, values)
        self._require(schema.OBJECTIVE, attributes, owner, ident_span, anchor)
        return objective

    def _build_credits(self, block: NestedBlock, agreement: Agreement, anchor: str) -> None:
        self._labels(block, agreement.label, anchor, "")
        owner = f"the credits of {agreement.label}"
        anchor = f"{anchor}.credits"
        attributes, values, blocks, _ = self._read_block(schema.CREDITS, block.body, owner, anchor)
        self._assign(agreement, schema.CREDITS, attributes, values)
        agreement.spans["credits"] = block.name_span
        for number, credit_block in enumerate(blocks["credit"], 1):
            self._labels(credit_block, owner, anchor, "")
            credit_owner = f"credit {number} of {agreement.label}"
            credit = Credit(self.path, credit_block.name_span, {}, agreement=agreement)
            credit_anchor = f"{anchor}.credit"
            attributes, values, _, _ = self._read_block(schema.CREDIT, credit_block.body, credit_owner, credit_anchor)
            self._assign(credit, schema.CREDIT, attributes, values)
            self._require(schema.CREDIT, attributes, credit_owner, credit_block.name_span, credit_anchor)
            agreement.credits.append(credit)

    def _build_approval(self, block: NestedBlock, agreement: Agreement, anchor: str) -> None:
        self._labels(block, agreement.label, anchor, "")
        owner = f"the approval of {agreement.label}"
        anchor = f"{anchor}.approval"
        _, _, blocks, _ = self._read_block(schema.APPROVAL, block.body, owner, anchor)
        agreement.spans["approval"] = block.name_span
        by_party: dict[str, Signature] = {}
        for signature_block in blocks["signature"]:
            party, party_span, _ = self._labels(signature_block, owner, anchor, "id")
            if party is None:
                continue
            earlier = by_party.get(party)
            if earlier is not None:
                self.report(
                    "SL005",
                    f"'{party}' signs {agreement.label} twice (first on line {earlier.span.line}); "
                    "keep the signature of the version in force",
                    party_span,
                    anchor,
                    f"signature {party}",
                )
                continue
            signature_owner = f"the signature of '{party}' on {agreement.label}"
            signature = Signature(
                self.path, signature_block.name_span, {}, Reference((party,), party_span), agreement=agreement
            )
            signature_anchor = f"{anchor}.signature {party}"
            attributes, values, _, _ = self._read_block(
                schema.SIGNATURE, signature_block.body, signature_owner, signature_anchor
            )
            self._assign(signature, schema.SIGNATURE, attributes, values)
            self._require(schema.SIGNATURE, attributes, signature_owner, party_span, signature_anchor)
            by_party[party] = signature
            agreement.signatures.append(signature)


def _strip_indentation(body: str) -> str:
    """A triple-quoted string loses its first and last line when they are
    blank, and the indentation common to its other lines."""
    import textwrap

    lines = body.split("\n")
    if len(lines) > 1 and not lines[0].strip():
        lines = lines[1:]
    if len(lines) > 1 and not lines[-1].strip():
        lines = lines[:-1]
    return textwrap.dedent("\n".join(lines))


_LABEL_SHAPES = {
    "service": 'service ID "Name" { ... }',
    "objective": "objective ID { ... }",
    "responsibilities": 'responsibilities PARTY { "..." }',
    "signature": 'signature PARTY { by: "..."; date: 2026-01-01 }',
    "exclusions": 'exclusions { "..." }',
    "credits": "credits { credit { ... } }",
    "credit": "credit { when: ...; amount: 10% }",
    "approval": "approval { signature PARTY { ... } }",
}

_REFERENCE_TARGETS = {
    "provider": "a party",
    "customer": "a party",
    "organization": "a party",
    "metric": "a metric",
    "supports": "an agreement or a service of one",
}


def _single_word(value: object) -> str | None:
    if isinstance(value, Reference) and len(value.parts) == 1:
        return value.parts[0]
    if isinstance(value, str):
        return value
    return None


def _enum(value, field_spec):
    word = _single_word(value)
    return word if word in field_spec.choices else INVALID


def _identifier(value, field_spec):
    word = _single_word(value)
    return word if word else INVALID


def _instance_of(*types):
    def convert(value, field_spec):
        # bool is not a number here, although Python says it is an int
        return value if isinstance(value, types) and (bool in types or not isinstance(value, bool)) else INVALID

    return convert


def _references(value, field_spec):
    if isinstance(value, Reference):
        return [value]
    if isinstance(value, list) and value and all(isinstance(item, Reference) for item in value):
        return value
    return INVALID


def _percentile(value, field_spec):
    return value if type(value) is Decimal and 0 < value <= 100 else INVALID


def _timezone(value, field_spec):
    if not isinstance(value, str) or not value:
        return INVALID
    return value if timezone_exists(value) else INVALID


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


_CONVERTERS = {
    "string": _instance_of(str),
    "number": _instance_of(Decimal),
    "percent": _instance_of(Percent),
    "duration": _instance_of(Duration),
    "date": _instance_of(datetime.date),
    "boolean": _instance_of(bool),
    "enum": _enum,
    "identifier": _identifier,
    "reference": _instance_of(Reference),
    "references": _references,
    "comparison": _instance_of(Comparison),
    "condition": _instance_of(Condition),
    "schedule": _instance_of(Schedule),
    "date_or_boolean": _instance_of(datetime.date, bool),
    "timezone": _timezone,
    "percentile": _percentile,
}

# Where a field or block that is unknown here does belong, for the SL002 hint.
_BLOCK_HOMES = {
    "service": "an agreement (sla, ola or contract)",
    "objective": "a service block",
    "credit": "a credits block",
    "signature": "an approval block",
    "responsibilities": "an agreement",
    "exclusions": "an agreement",
    "credits": "an agreement",
    "approval": "an agreement",
}


def _valid_here(spec: schema.BlockSpec) -> str:
    """'; valid here: ...' naming the fields and blocks a block may hold."""
    names = [*spec.fields, *(f"{name} {{ }}" for name in spec.blocks)]
    return f"; valid here: {', '.join(names)}" if names else ""


def block_home(name: str) -> str | None:
    """Where a block or field named `name` belongs ("a service block"), or None."""
    return _BLOCK_HOMES.get(name) or _FIELD_HOMES.get(name)


_FIELD_HOMES = {
    key: f"{'an' if spec.noun[0] in 'aeiou' else 'a'} {spec.noun}"
    for spec in (schema.CREDIT, schema.SIGNATURE, schema.SERVICE, schema.AGREEMENT, schema.OBJECTIVE, schema.PARTY)
    for key in spec.fields
}
