"""Hypothesis strategies for the agreement language (SPEC §2).

`workspaces()` builds VALID agreement files from the language's structure,
together with the model the parser must produce for them (ids, kinds, field
values and the line and column of every keyword, id and attribute), so that a
test can check the round trip text -> model exactly. The layout is drawn too:
white space, newlines, comments, optional semicolons, trailing commas, plain
and triple-quoted strings with escapes, quoted and bare enum words.

`mutated_inputs()` breaks valid files in the ways hostile or damaged input
does: byte flips, truncation at a token boundary, token deletion and
duplication, random unicode, CRLF line ends, a byte-order mark, very long
lines. The seeds are generated files and the agreement files of the project
(examples, fixtures, and the regression inputs under tests/fixtures/fuzz).

The expected model is plain data (dicts, lists, tuples, Decimal, date, str),
the same shape `model_of()` extracts from parsed nodes.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from decimal import Decimal
from functools import partial
from pathlib import Path

from hypothesis import strategies as st

PROJECT = Path(__file__).resolve().parent.parent
FUZZ_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fuzz"

BUILTIN_METRICS = {
    "availability": "percent",
    "durability": "percent",
    "error_rate": "percent",
    "latency": "duration",
    "response_time": "duration",
    "resolution_time": "duration",
    "rpo": "duration",
    "rto": "duration",
    "throughput": "number",
}
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
UNITS = ("ms", "s", "min", "h", "d", "w", "mo", "q", "y")
COMPARATORS = (">=", "<=", ">", "<", "==")
CONSENT_METHODS = ("order", "terms", "governance", "email")
ROLES = ("customer", "provider", "team", "supplier")
# Words an identifier may not be in this generator: in value position they lex
# as something else (SPEC §2.1: booleans; a day name starts service hours), and
# `customer`/`provider` as a responsibilities label always mean the agreement's
# own parties (SPEC §3.1 "Names").
RESERVED = {"yes", "no", "true", "false", *DAY_NAMES, "customer", "provider", *BUILTIN_METRICS}


def _has_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


TIMEZONES = [
    tz for tz in ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney") if _has_timezone(tz)
]

# -- plain values ----------------------------------------------------------------

identifiers = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,11}", fullmatch=True).filter(lambda w: w not in RESERVED)

# Text of a string value: any character a UTF-8 file may hold but NUL (SL008),
# the bidi controls (SL009, tested on their own) and surrogates (not
# encodable); newlines come in as the \n escape.
_BIDI_CONTROLS = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00" + _BIDI_CONTROLS)
texts = st.text(_TEXT_CHARS, max_size=24)
# A line of a triple-quoted string: no newline, no carriage return (a CRLF file
# must read the same as an LF one), and it starts with a non-blank character,
# so the common indentation is exactly what the writer adds.
_LINE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\n\r" + _BIDI_CONTROLS)
long_lines = st.one_of(
    st.just(""),
    st.tuples(_LINE_CHARS.filter(lambda c: c not in " \t"), st.text(_LINE_CHARS, max_size=16)).map("".join),
)
comment_texts = st.text(_LINE_CHARS, max_size=16).filter(lambda t: "slalint" not in t)

dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


@st.composite
def decimals(draw, max_integer: int = 10**6, min_integer: int = 0) -> tuple[str, Decimal]:
    """(text, value) of a non-negative number as the language writes it; now
    and then a huge one (up to the 100 digits a number may have before its
    point), which rules and messages must handle exactly."""
    if max_integer > 100 and draw(st.integers(0, 9)) == 0:
        max_integer = 10**100 - 1
    whole = draw(st.integers(min_integer, max_integer))
    text = str(whole)
    if draw(st.booleans()):
        text = "0" * draw(st.integers(1, 2)) + text  # leading zeros are still a number
    if draw(st.booleans()):
        text += "." + draw(st.from_regex(r"[0-9]{1,4}", fullmatch=True))
    return text, Decimal(text)


@st.composite
def percents(draw) -> tuple[str, tuple]:
    whole = draw(st.integers(0, 100))
    text = str(whole)
    if draw(st.booleans()):
        text += "." + (
            draw(st.from_regex(r"[0-9]{1,3}", fullmatch=True)) if whole < 100 else "0" * draw(st.integers(1, 3))
        )
    return text + "%", ("percent", Decimal(text))


@st.composite
def durations(draw) -> tuple[str, tuple]:
    text, amount = draw(decimals(max_integer=100_000))
    unit = draw(st.sampled_from(UNITS))
    return text + unit, ("duration", amount, unit)


@st.composite
def plain_numbers(draw) -> tuple[str, tuple]:
    text, value = draw(decimals())
    return text, ("number", value)


@st.composite
def business_durations(draw) -> tuple[str, tuple]:
    """`4bh` (fractions allowed) or `2bd` (whole days): counted on a service's clock."""
    if draw(st.booleans()):
        text, amount = draw(decimals(max_integer=100_000))
        return text + "bh", ("duration", amount, "bh")
    count = draw(st.integers(0, 100_000))
    return f"{count}bd", ("duration", Decimal(count), "bd")


def quantities(unit: str):
    return {
        "percent": percents(),
        "duration": durations() | business_durations(),  # a target on a duration metric may count business time
        "number": plain_numbers(),
    }[unit]


@st.composite
def attainments(draw) -> tuple[str, Decimal]:
    """A percent above 0% and up to 100%: the model holds it as the percentile."""
    text, value = draw(percentiles())
    return text + "%", value


# Calendar codes the pinned holidays package supports, and dates: a service's holidays.
CALENDAR_CODES = ("DE", "DE-BY", "FR", "US", "GB")


@st.composite
def holiday_lists(draw) -> tuple[str, list]:
    items = draw(st.lists(st.sampled_from(CALENDAR_CODES) | dates, max_size=4))
    text = ", ".join(f'"{item}"' if isinstance(item, str) else item.isoformat() for item in items)
    return f"[{text}]", items


@st.composite
def percentiles(draw) -> tuple[str, Decimal]:
    """A number above 0 and up to 100."""
    text, value = draw(decimals(max_integer=100))
    if not 0 < value <= 100:
        text, value = "99", Decimal(99)
    return text, value


@st.composite
def schedules(draw) -> tuple[str, tuple]:
    """Service hours: 24x7, or day windows (an end before the start runs past midnight)."""
    if draw(st.integers(0, 3)) == 0:
        return "24x7", ("hours", True, ())
    windows = []
    texts_ = []
    for _ in range(draw(st.integers(1, 3))):
        first = draw(st.integers(0, 6))
        days = DAY_NAMES[first]
        last = first
        if draw(st.booleans()):
            last = draw(st.integers(0, 6))
            days += "-" + DAY_NAMES[last]
        start = draw(st.integers(0, 24 * 60 - 1))
        end = draw(st.integers(0, 24 * 60).filter(lambda e, s=start: e != s))
        end_text = f"{end // 60:02d}:{end % 60:02d}"
        if end == 0 and draw(st.booleans()):
            end_text = "24:00"
        texts_.append(f"{days}{draw(_SPACE)}{start // 60:02d}:{start % 60:02d}-{end_text}")
        windows.append((first, last, start, end % (24 * 60) or 24 * 60))
    separators = [draw(st.sampled_from([",", ", ", " ,", ",\n   "])) for _ in texts_[1:]]
    text = texts_[0] + "".join(sep + t for sep, t in zip(separators, texts_[1:], strict=True))
    return text, ("hours", False, tuple(windows))


# -- layout ----------------------------------------------------------------------

_SPACE = st.sampled_from([" ", "  ", "\t", " \t "])
_GAP = st.sampled_from([" ", "  ", "\n", "\n  ", "\n    ", "\t", " \n\n  ", "\f ", "\n\t"])


def escape_plain(draw, value: str) -> str:
    """The source form of `value` as a one-line "..." string."""
    out = []
    for char in value:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t" if draw(st.booleans()) else "\t")
        else:
            out.append(char)
    return "".join(out)


class Writer:
    """Source text built piece by piece, knowing the 1-based line and column
    (in characters, as the parser counts them) where the next piece goes."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.parts: list[str] = []
        self.line = 1
        self.column = 1

    def write(self, text: str) -> tuple[int, int]:
        """Append `text`; returns where it starts."""
        at = (self.line, self.column)
        self.parts.append(text)
        newlines = text.count("\n")
        if newlines:
            self.line += newlines
            self.column = len(text) - text.rfind("\n")
        else:
            self.column += len(text)
        return at

    def gap(self, required: bool = True) -> None:
        """White space, sometimes a comment, between two tokens."""
        choice = self.draw(st.integers(0, 9))
        if choice == 0 and not required:
            return
        if choice == 1:
            self.write(self.draw(st.sampled_from(["  ", " ", ""])) + "#" + self.draw(comment_texts) + "\n")
            self.write(self.draw(st.sampled_from(["", "  ", "\t"])))
            return
        self.write(self.draw(_GAP))

    def string(self, value: str, allow_long: bool = True) -> None:
        """`value` as a "..." or a triple-quoted string."""
        draw = self.draw
        lines = value.split("\n")
        if allow_long and "\r" not in value and draw(st.integers(0, 3)) == 0:
            if len(lines) == 1 and not value.startswith((" ", "\t")) and value and draw(st.booleans()):
                self.write('"""' + escape_plain(draw, value) + '"""')
                return
            if any(lines) and all(not line or line[0] not in " \t" for line in lines):
                self._long_string(lines)
                return
        self.write('"' + escape_plain(draw, value) + '"')

    def _long_string(self, lines: list[str]) -> None:
        """A triple-quoted string over several lines, indented: the parser removes
        the first and last (blank) lines and the common indentation."""
        draw = self.draw
        indent = " " * draw(st.integers(0, 8))
        self.write('"""\n')
        for line in lines:
            text = escape_plain(draw, line).replace("\t", "\\t") if line else ""
            self.write((indent + text if text else draw(st.sampled_from(["", indent]))) + "\n")
        self.write(indent + '"""')

    def text(self) -> str:
        return "".join(self.parts)


# -- the structure of a workspace ---------------------------------------------------


@st.composite
def _text_value(draw, max_size: int = 24) -> str:
    """A string value, with the odd line break (which the writer escapes)."""
    parts = draw(st.lists(st.text(_TEXT_CHARS, max_size=max_size), min_size=1, max_size=3))
    return "\n".join(parts)


class _Plan:
    """The ids of a workspace, drawn before any text, so references resolve."""

    def __init__(self, parties, metrics, agreements):
        self.parties = parties  # [id]
        self.metrics = metrics  # {id: unit}
        self.agreements = agreements  # [(kind, id, [service ids])]


@st.composite
def _plan(draw) -> _Plan:
    n_parties = draw(st.integers(2, 4))
    n_metrics = draw(st.integers(0, 2))
    n_agreements = draw(st.integers(1, 3))
    ids = draw(st.lists(identifiers, min_size=n_parties + n_metrics + n_agreements, max_size=12, unique=True))
    parties = ids[:n_parties]
    metrics = {
        m: draw(st.sampled_from(["percent", "duration", "number"])) for m in ids[n_parties : n_parties + n_metrics]
    }
    agreements = []
    for ident in ids[n_parties + n_metrics : n_parties + n_metrics + n_agreements]:
        services = draw(st.lists(identifiers, min_size=1, max_size=3, unique=True))
        agreements.append((draw(st.sampled_from(["sla", "ola", "contract"])), ident, services))
    return _Plan(parties, metrics, agreements)


def _write_attribute(w: Writer, node: dict, key: str, source: str | None, string: tuple | None = None) -> None:
    """`key: value`, recording where the attribute starts in node["spans"]."""
    node["spans"][key] = w.write(key)
    w.gap(required=False)
    w.write(":")
    w.gap(required=False)
    if string is not None:
        w.string(*string)
    else:
        w.write(source)


def attribute(w: Writer, node: dict, key: str, source: str) -> tuple:
    """A statement writing `key: source` (bound now: no late-binding surprises)."""
    return ("attribute", partial(_write_attribute, w, node, key, source))


def string_attribute(w: Writer, node: dict, key: str, value: str, allow_long: bool = True) -> tuple:
    node[key] = value
    return ("attribute", partial(_write_attribute, w, node, key, None, (value, allow_long)))


def _block(w: Writer, statements: list) -> tuple[int, int]:
    """`{ statements }` in the drawn order, with optional semicolons after attributes."""
    w.write("{")
    for kind, write in statements:
        w.gap(required=True)
        write()
        if kind == "attribute" and w.draw(st.integers(0, 4)) == 0:
            w.gap(required=False)
            w.write(";")
    w.gap(required=True)
    return w.write("}")


def _ordered(draw, statements: list) -> list:
    return draw(st.permutations(statements)) if len(statements) > 1 else statements


def _enum_source(draw, word: str) -> str:
    """An enum value: a bare word, or (also valid) the word in quotes."""
    return f'"{word}"' if draw(st.integers(0, 4)) == 0 else word


def _header(draw, w: Writer, node: dict, keyword: str, ident: str, with_title: bool = True) -> str | None:
    """`keyword ID "Title"?` and the gap before the block; returns the title."""
    node["at"] = w.write(keyword)
    w.gap()
    node["id_at"] = w.write(ident)
    title = draw(st.none() | _text_value()) if with_title else None
    if title is not None:
        w.gap()
        w.write('"' + escape_plain(draw, title) + '"')
        w.gap(required=False)
    else:
        w.gap()
    return title


def _party(draw, w: Writer, ident: str, plan: _Plan) -> dict:
    node = {"kind": "party", "id": ident, "spans": {}, "organization": None, "internal": None, "contact": None}
    node["name"] = _header(draw, w, node, "party", ident)
    node["role"] = role = draw(st.sampled_from(ROLES))
    statements = [attribute(w, node, "role", _enum_source(draw, role))]
    if draw(st.booleans()):
        statements.append(string_attribute(w, node, "name", draw(_text_value())))  # wins over the title
    if draw(st.booleans()):
        node["organization"] = organization = draw(st.sampled_from(plan.parties))
        statements.append(attribute(w, node, "organization", organization))
    if draw(st.booleans()):
        word = draw(st.sampled_from(["yes", "no", "true", "false"]))
        node["internal"] = word in ("yes", "true")
        statements.append(attribute(w, node, "internal", word))
    if draw(st.booleans()):
        statements.append(string_attribute(w, node, "contact", draw(_text_value())))
    _block(w, _ordered(draw, statements))
    return node


def _metric(draw, w: Writer, ident: str, unit: str) -> dict:
    node = {"kind": "metric", "id": ident, "spans": {}, "unit": unit, "metric_kind": "technical", "description": None}
    node["name"] = _header(draw, w, node, "metric", ident)
    node["better"] = better = draw(st.sampled_from(["higher", "lower"]))
    statements = [
        attribute(w, node, "unit", _enum_source(draw, unit)),
        attribute(w, node, "better", _enum_source(draw, better)),
    ]
    if draw(st.booleans()):
        node["metric_kind"] = metric_kind = draw(st.sampled_from(["technical", "business"]))
        statements.append(attribute(w, node, "kind", _enum_source(draw, metric_kind)))
    if draw(st.booleans()):
        statements.append(string_attribute(w, node, "description", draw(_text_value())))
    _block(w, _ordered(draw, statements))
    return node


def _objective(draw, w: Writer, ident: str, metric_field: str | None, unit: str) -> dict:
    node = {"id": ident, "spans": {}, "metric": metric_field}
    node.update(window=None, percentile=None, priority=None, measurement=None, agreed=None, contribution=None)
    _header(draw, w, node, "objective", ident, with_title=False)
    op = draw(st.sampled_from(COMPARATORS))
    target_text, target = draw(quantities(unit))
    node["target"] = ("comparison", op, target)
    statements = [attribute(w, node, "target", op + draw(st.sampled_from(["", " ", "  "])) + target_text)]
    if metric_field is not None:
        statements.append(attribute(w, node, "metric", metric_field))
    if draw(st.booleans()):
        text, node["window"] = draw(durations())
        statements.append(attribute(w, node, "window", text))
    if draw(st.booleans()):
        if unit != "percent" and draw(st.booleans()):
            text, node["percentile"] = draw(attainments())
            statements.append(attribute(w, node, "attainment", text))
        else:
            text, node["percentile"] = draw(percentiles())
            statements.append(attribute(w, node, "percentile", text))
    if draw(st.booleans()):
        node["priority"] = priority = draw(identifiers)
        statements.append(attribute(w, node, "priority", f'"{priority}"' if draw(st.integers(0, 3)) == 0 else priority))
    for key in ("measurement", "contribution"):
        if draw(st.booleans()):
            statements.append(string_attribute(w, node, key, draw(_text_value())))
    if draw(st.booleans()):
        if draw(st.booleans()):
            node["agreed"] = draw(dates)
            source = node["agreed"].isoformat()
        else:
            source = draw(st.sampled_from(["yes", "no", "true", "false"]))
            node["agreed"] = source in ("yes", "true")
        statements.append(attribute(w, node, "agreed", source))
    _block(w, _ordered(draw, statements))
    return node


def _write_service(draw, w: Writer, agreement: dict, ident: str, plan: _Plan) -> None:
    node = {"id": ident, "spans": {}, "objectives": [], "description": None, "hours": None, "timezone": None}
    node.update(business_hours=None, holidays=[], maintenance=None)
    node["name"] = _header(draw, w, node, "service", ident)
    statements = []
    if draw(st.booleans()):
        text, node["hours"] = draw(schedules())
        statements.append(attribute(w, node, "hours", text))
    if TIMEZONES and draw(st.booleans()):
        node["timezone"] = zone = draw(st.sampled_from(TIMEZONES))
        statements.append(attribute(w, node, "timezone", f'"{zone}"'))
    if draw(st.booleans()):
        statements.append(string_attribute(w, node, "description", draw(_text_value())))
    if draw(st.booleans()):
        text, node["business_hours"] = draw(schedules())
        statements.append(attribute(w, node, "business_hours", text))
    if draw(st.booleans()):
        text, node["holidays"] = draw(holiday_lists())
        statements.append(attribute(w, node, "holidays", text))
    if draw(st.booleans()):
        statements.append(("block", partial(_write_maintenance, draw, w, node)))
    metrics = {**BUILTIN_METRICS, **plan.metrics}
    for objective_id in draw(st.lists(st.sampled_from(sorted(metrics)) | identifiers, max_size=3, unique=True)):
        if objective_id in metrics and draw(st.booleans()):
            metric_field, unit = None, metrics[objective_id]  # the id names the metric
        else:
            metric_field = draw(st.sampled_from(sorted(metrics)))
            unit = metrics[metric_field]
        statements.append(("block", partial(_write_objective, draw, w, node, objective_id, metric_field, unit)))
    _block(w, _ordered(draw, statements))
    agreement["services"].append(node)


def _write_maintenance(draw, w: Writer, service: dict) -> None:
    """`maintenance { window: ...  notice: ...  limit: ... }`: notice may count business time."""
    node = {"spans": {}, "notice": None, "limit": None}
    service["spans"]["maintenance"] = node["at"] = w.write("maintenance")
    w.gap(required=False)
    text, node["window"] = draw(schedules())
    statements = [attribute(w, node, "window", text)]
    if draw(st.booleans()):
        text, node["notice"] = draw(durations() | business_durations())
        statements.append(attribute(w, node, "notice", text))
    if draw(st.booleans()):
        text, node["limit"] = draw(durations())
        statements.append(attribute(w, node, "limit", text))
    _block(w, _ordered(draw, statements))
    service["maintenance"] = node


def _write_objective(draw, w: Writer, service: dict, ident: str, metric_field: str | None, unit: str) -> None:
    service["objectives"].append(_objective(draw, w, ident, metric_field, unit))  # in the order written


def _agreement(draw, w: Writer, kind: str, ident: str, service_ids: list[str], plan: _Plan) -> dict:
    node = {"kind": kind, "id": ident, "spans": {}, "services": [], "responsibilities": [], "exclusions": None}
    node.update(credits=[], credit_cap=None, credit_blocks=[], signatures=[], acceptances=[], supports=[])
    node["status"] = "active"
    for key in ("version", "effective", "expires", "review", "reporting", "overview"):
        node[key] = None
    node["title"] = _header(draw, w, node, kind, ident)
    node["provider"] = provider = draw(st.sampled_from(plan.parties))
    node["customer"] = customer = draw(st.sampled_from(plan.parties))
    statements = [
        attribute(w, node, "provider", provider),
        attribute(w, node, "customer", customer),
        string_attribute(w, node, "version", draw(texts), allow_long=False),
    ]
    status = draw(st.sampled_from([None, "draft", "active", "retired"]))
    if status is not None:
        node["status"] = status
        statements.append(attribute(w, node, "status", _enum_source(draw, status)))
    for key in ("effective", "expires", "review"):
        if (key == "effective" and node["status"] != "draft") or draw(st.booleans()):
            node[key] = draw(dates)
            statements.append(attribute(w, node, key, node[key].isoformat()))
    if draw(st.booleans()):
        text, node["reporting"] = draw(durations())
        statements.append(attribute(w, node, "reporting", text))
    if draw(st.booleans()):
        statements.append(string_attribute(w, node, "overview", draw(_text_value())))
    if kind != "sla" and draw(st.booleans()):
        targets = [a for _, a, _ in plan.agreements] + [f"{a}.{s}" for _, a, ss in plan.agreements for s in ss]
        node["supports"] = supports = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique=True))
        if len(supports) == 1 and draw(st.booleans()):
            source = supports[0]
        else:
            inner = draw(st.sampled_from([",", ", ", " , ", ",\n  "])).join(supports)
            source = "[" + draw(st.sampled_from(["", " "])) + inner + draw(st.sampled_from(["", ",", " ", ", "])) + "]"
        statements.append(attribute(w, node, "supports", source))
    for service_id in service_ids:
        statements.append(("block", partial(_write_service, draw, w, node, service_id, plan)))
    for label in draw(st.lists(st.sampled_from(["customer", "provider", *plan.parties]), max_size=3, unique=True)):
        statements.append(("block", partial(_items_block, w, node, label, draw(st.lists(_text_value(), max_size=3)))))
    if draw(st.booleans()):
        statements.append(("block", partial(_items_block, w, node, None, draw(st.lists(_text_value(), max_size=3)))))
    if draw(st.booleans()):
        signers = draw(st.lists(st.sampled_from(plan.parties), max_size=3, unique=True))
        records = [_acceptance_plan(draw, p) if draw(st.booleans()) else _signature_plan(draw, p) for p in signers]
        statements.append(("block", partial(_approval, w, node, records)))
    # Credits name objectives, which are drawn as their services are written, so
    # the credits blocks come after the services (the language would allow them
    # anywhere; the generator needs to know what exists).
    labels = draw(st.lists(identifiers, max_size=2, unique=True))
    if draw(st.booleans()):
        labels.insert(draw(st.integers(0, len(labels))), None)
    credits = [("block", partial(_credits, draw, w, node, plan, label)) for label in labels]
    _block(w, _ordered(draw, statements) + credits)
    return node


def _items_block(w: Writer, node: dict, label: str | None, items: list[str]) -> None:
    """`responsibilities LABEL { "..." }` or `exclusions { "..." }`."""
    if label is None:
        node["spans"]["exclusions"] = w.write("exclusions")
        node["exclusions"] = items
    else:
        record = {"party": label, "items": items}
        record["at"] = w.write("responsibilities")
        w.gap()
        record["party_at"] = w.write(label)
        node["responsibilities"].append(record)
    w.gap(required=False)
    w.write("{")
    for item in items:
        w.gap(required=True)
        w.string(item)
    w.gap(required=True)
    w.write("}")


def _signature_plan(draw, party: str) -> dict:
    signature = {"party": party, "spans": {}, "by": draw(texts), "date": draw(dates), "title": None, "version": None}
    if draw(st.booleans()):
        signature["title"] = draw(texts)
    if draw(st.booleans()):
        signature["version"] = draw(texts)
    return signature


def _acceptance_plan(draw, party: str) -> dict:
    acceptance = {"party": party, "spans": {}, "method": draw(st.sampled_from(CONSENT_METHODS)), "date": draw(dates)}
    for key in ("version", "by", "evidence"):
        acceptance[key] = draw(texts) if draw(st.booleans()) else None
    return acceptance


def _approval(w: Writer, node: dict, records: list[dict]) -> None:
    """`approval { signature P { ... } acceptance Q { ... } }`, one record per party."""
    draw = w.draw
    node["spans"]["approval"] = w.write("approval")
    w.gap(required=False)
    w.write("{")
    for record in records:
        accepted = "method" in record
        w.gap(required=True)
        record["at"] = w.write("acceptance" if accepted else "signature")
        w.gap()
        record["party_at"] = w.write(record["party"])
        w.gap(required=False)
        statements = [attribute(w, record, "date", record["date"].isoformat())]
        if accepted:
            statements.append(attribute(w, record, "method", _enum_source(draw, record["method"])))
            optional = ("version", "by", "evidence")
        else:
            statements.append(string_attribute(w, record, "by", record["by"], allow_long=False))
            optional = ("title", "version")
        for key in optional:
            if record[key] is not None:
                statements.append(string_attribute(w, record, key, record[key], allow_long=False))
        _block(w, _ordered(draw, statements))
        node["acceptances" if accepted else "signatures"].append(record)
    w.gap(required=True)
    w.write("}")


@st.composite
def credit_values(draw, kind: str) -> tuple[str, object]:
    """A credit amount or cap of one kind: a percent, days of free service or money."""
    if kind == "percent":
        return draw(percents())
    if kind == "days":
        text, amount = draw(decimals(max_integer=1000))
        unit = draw(st.sampled_from(("d", "w", "mo")))
        return text + unit, ("duration", amount, unit)
    return draw(plain_numbers())


def _per_units(unit: str, has_window: bool):
    """What a credit on a metric of `unit` may be given per: time, or percentage points."""
    positive_time = durations().filter(lambda d: d[1][1] > 0)
    positive_points = percents().filter(lambda p: p[1][1] > 0)
    if unit == "duration":
        return positive_time
    if unit == "percent":
        return positive_time | positive_points if has_window else positive_points
    return None


def _credits(draw, w: Writer, node: dict, plan: _Plan, label: str | None) -> None:
    """`credits LABEL? { currency, cap, claim, credit { ... } }` with values of one kind."""
    metrics = {**BUILTIN_METRICS, **plan.metrics}
    objectives = [(s["id"], o) for s in node["services"] for o in s["objectives"]]
    kind = draw(st.sampled_from(("percent", "days", "money")))
    block = {"label": label, "spans": {}, "currency": None, "cap": None, "claim": None, "credits": []}
    block["at"] = w.write("credits")
    if label is not None:
        w.gap()
        w.write(label)
    w.gap(required=False)
    statements = []
    if draw(st.booleans()):
        text, block["cap"] = draw(credit_values(kind))
        statements.append(attribute(w, block, "cap", text))
    if kind == "money" or draw(st.booleans()):
        block["currency"] = draw(st.sampled_from(("EUR", "USD", "CHF")))
        quoted = draw(st.booleans())
        statements.append(attribute(w, block, "currency", f'"{block["currency"]}"' if quoted else block["currency"]))
    if draw(st.booleans()):
        text, block["claim"] = draw(durations())
        statements.append(attribute(w, block, "claim", text))
    ids = [o["id"] for _, o in objectives]
    for _ in range(draw(st.integers(0, 3)) if objectives else 0):
        service_id, objective = draw(st.sampled_from(objectives))
        unique = ids.count(objective["id"]) == 1
        subject = objective["id"] if unique and draw(st.booleans()) else f"{service_id}.{objective['id']}"
        unit = metrics[objective["metric"] or objective["id"]]
        op = draw(st.sampled_from(COMPARATORS))
        value_text, value = draw(quantities(unit))
        amount_text, amount = draw(credit_values(kind))
        credit = {"spans": {}, "when": ("condition", subject, op, value), "amount": amount}
        credit.update(per=None, per_started=False, consecutive=1)
        per_units = _per_units(unit, objective["window"] is not None)
        if per_units is not None and draw(st.booleans()):
            per_text, credit["per"] = draw(per_units)
            credit["per_started"] = draw(st.booleans())
            amount_text += f" per {'started ' if credit['per_started'] else ''}{per_text}"
        parts = [
            attribute(w, credit, "when", f"{subject}{draw(_SPACE)}{op}{draw(_SPACE)}{value_text}"),
            attribute(w, credit, "amount", amount_text),
        ]
        if draw(st.booleans()):
            count = draw(st.integers(2, 10**6))
            credit["consecutive"] = ("number", Decimal(count))
            parts.append(attribute(w, credit, "consecutive", str(count)))
        statements.append(("block", partial(_write_credit, w, block, credit, _ordered(draw, parts))))
    _block(w, _ordered(draw, statements))
    node["credit_blocks"].append(block)
    if label is None:  # what version 1 calls the agreement's credits
        node["spans"]["credits"] = block["at"]
        node["credits"] = block["credits"]
        if "cap" in block["spans"]:
            node["spans"]["cap"] = block["spans"]["cap"]
        if kind == "percent":
            node["credit_cap"] = block["cap"]


def _write_credit(w: Writer, block: dict, credit: dict, parts: list) -> None:
    credit["at"] = w.write("credit")
    w.gap(required=False)
    _block(w, parts)
    block["credits"].append(credit)


class GeneratedWorkspace:
    def __init__(self, files: dict[str, str], model: dict[str, list[dict]]) -> None:
        self.files = files  # path -> text
        self.model = model  # path -> the declarations it must parse to, in order

    def __repr__(self) -> str:  # what hypothesis prints for a falsifying example
        return "GeneratedWorkspace(" + "".join(f"\n--- {p}\n{t}" for p, t in self.files.items()) + "\n)"


@st.composite
def workspaces(draw, max_files: int = 3) -> GeneratedWorkspace:
    """Valid agreement files and the model they must parse to."""
    plan = draw(_plan())
    declarations = (
        [("party", ident) for ident in plan.parties]
        + [("metric", ident) for ident in plan.metrics]
        + [("agreement", item) for item in plan.agreements]
    )
    declarations = draw(st.permutations(declarations))
    n_files = draw(st.integers(1, max_files))
    placement = [draw(st.integers(0, n_files - 1)) for _ in declarations]
    files: dict[str, str] = {}
    model: dict[str, list[dict]] = {}
    for index in range(n_files):
        path = f"f{index}.sla"
        w = Writer(draw)
        if draw(st.booleans()):
            w.gap(required=False)
        nodes = []
        for (sort, item), where in zip(declarations, placement, strict=True):
            if where != index:
                continue
            if sort == "party":
                nodes.append(_party(draw, w, item, plan))
            elif sort == "metric":
                nodes.append(_metric(draw, w, item, plan.metrics[item]))
            else:
                kind, ident, services = item
                nodes.append(_agreement(draw, w, kind, ident, services, plan))
            w.gap(required=True)
        files[path] = w.text()
        model[path] = nodes
    return GeneratedWorkspace(files, model)


# -- what the parser produced, in the same shape ---------------------------------------


def value_of(value):
    """A parsed value as plain, comparable data."""
    from sla_lang.values import Comparison, Condition, Duration, Percent, Reference, Schedule

    if isinstance(value, Percent):
        return ("percent", value.value)
    if isinstance(value, Duration):
        return ("duration", value.amount, value.unit)
    if isinstance(value, Comparison):
        return ("comparison", value.op, value_of(value.value))
    if isinstance(value, Condition):
        return ("condition", str(value.subject), value.op, value_of(value.value))
    if isinstance(value, Schedule):
        windows = tuple((w.first_day, w.last_day, w.start, w.end) for w in value.windows)
        return ("hours", value.always, windows)
    if isinstance(value, Reference):
        return str(value)
    if isinstance(value, Decimal) and not isinstance(value, bool):
        return ("number", value)
    if isinstance(value, list):
        return [value_of(item) for item in value]
    return value


def _at(span) -> tuple[int, int]:
    return (span.line, span.column)


def _spans(node) -> dict:
    return {key: _at(span) for key, span in node.spans.items()}


def model_of(node) -> dict:
    """A parsed declaration (before or after resolution) as plain data."""
    from sla_lang.model.nodes import Agreement, Metric, Party

    if isinstance(node, Party):
        return {
            "kind": "party",
            "id": node.id,
            "at": _at(node.span),
            "id_at": _at(node.id_span),
            "spans": _spans(node),
            "role": node.role,
            "name": node.name,
            "organization": value_of(node.organization_ref),
            "internal": node.internal,
            "contact": node.contact,
        }
    if isinstance(node, Metric):
        return {
            "kind": "metric",
            "id": node.id,
            "at": _at(node.span),
            "id_at": _at(node.id_span),
            "spans": _spans(node),
            "unit": node.unit,
            "name": node.name,
            "better": node.better,
            "metric_kind": node.kind,
            "description": node.description,
        }
    assert isinstance(node, Agreement), node
    return {
        "kind": node.kind,
        "id": node.id,
        "at": _at(node.span),
        "id_at": _at(node.id_span),
        "spans": _spans(node),
        "title": node.title,
        "provider": value_of(node.provider_ref),
        "customer": value_of(node.customer_ref),
        "version": node.version,
        "status": node.status,
        "effective": node.effective,
        "expires": node.expires,
        "review": node.review,
        "reporting": value_of(node.reporting),
        "overview": node.overview,
        "supports": [str(r) for r in node.supports_refs],
        "services": [_service_model(s) for s in node.services],
        "responsibilities": [
            {"party": str(r.party_ref), "at": _at(r.span), "party_at": _at(r.party_ref.span), "items": r.items}
            for r in node.responsibilities
        ],
        "exclusions": node.exclusions,
        "credit_cap": value_of(node.credit_cap),
        "credits": [_credit_model(c) for c in node.credits],
        "credit_blocks": [
            {
                "label": b.label,
                "at": _at(b.span),
                "spans": _spans(b),
                "currency": b.currency,
                "cap": value_of(b.cap),
                "claim": value_of(b.claim),
                "credits": [_credit_model(c) for c in b.credits],
            }
            for b in node.credit_blocks
        ],
        "acceptances": [
            {
                "party": str(a.party_ref),
                "at": _at(a.span),
                "party_at": _at(a.party_ref.span),
                "spans": _spans(a),
                "method": a.method,
                "date": a.date,
                "version": a.version,
                "by": a.by,
                "evidence": a.evidence,
            }
            for a in node.acceptances
        ],
        "signatures": [
            {
                "party": str(s.party_ref),
                "at": _at(s.span),
                "party_at": _at(s.party_ref.span),
                "spans": _spans(s),
                "by": s.by,
                "date": s.date,
                "title": s.title,
                "version": s.version,
            }
            for s in node.signatures
        ],
    }


def _credit_model(credit) -> dict:
    return {
        "at": _at(credit.span),
        "spans": _spans(credit),
        "when": value_of(credit.condition),
        "amount": value_of(credit.amount),
        "per": value_of(credit.per),
        "per_started": credit.per_started,
        "consecutive": value_of(credit.consecutive) if credit.consecutive != 1 else 1,
    }


def _service_model(service) -> dict:
    return {
        "id": service.id,
        "at": _at(service.span),
        "id_at": _at(service.id_span),
        "spans": _spans(service),
        "name": service.name,
        "description": service.description,
        "hours": value_of(service.hours),
        "timezone": service.timezone,
        "business_hours": value_of(service.business_hours),
        "holidays": list(service.holidays),
        "maintenance": _maintenance_model(service.maintenance),
        "objectives": [
            {
                "id": o.id,
                "at": _at(o.span),
                "id_at": _at(o.id_span),
                "spans": _spans(o),
                "metric": value_of(o.metric_ref),
                "target": value_of(o.target),
                "window": value_of(o.window),
                "percentile": o.percentile,
                "priority": o.priority,
                "measurement": o.measurement,
                "agreed": o.agreed,
                "contribution": o.contribution,
            }
            for o in service.objectives
        ],
    }


def _maintenance_model(maintenance) -> dict | None:
    if maintenance is None:
        return None
    return {
        "at": _at(maintenance.span),
        "spans": _spans(maintenance),
        "window": value_of(maintenance.window),
        "notice": value_of(maintenance.notice),
        "limit": value_of(maintenance.limit),
    }


def expected_model(node: dict) -> dict:
    """The generator's record of a declaration, in model_of's shape (the
    generator keeps a few extra keys while it writes)."""
    if node["kind"] == "party":
        keys = ("kind", "id", "at", "id_at", "spans", "role", "name", "organization", "internal", "contact")
        return {k: node[k] for k in keys}
    if node["kind"] == "metric":
        keys = ("kind", "id", "at", "id_at", "spans", "unit", "name", "better", "metric_kind", "description")
        return {k: node[k] for k in keys}
    nested = ("services", "credits", "signatures", "responsibilities", "credit_blocks", "acceptances")
    result = {k: v for k, v in node.items() if k not in nested}
    result["services"] = [
        {
            **{k: v for k, v in s.items() if k != "objectives"},
            "objectives": [dict(o) for o in s["objectives"]],
        }
        for s in node["services"]
    ]
    result["responsibilities"] = [dict(r) for r in node["responsibilities"]]
    result["credits"] = [dict(c) for c in node["credits"]]
    result["credit_blocks"] = [{**b, "credits": [dict(c) for c in b["credits"]]} for b in node["credit_blocks"]]
    result["signatures"] = [dict(s) for s in node["signatures"]]
    result["acceptances"] = [dict(a) for a in node["acceptances"]]
    return result


# -- mutations of valid input ----------------------------------------------------------


def _corpus() -> list[bytes]:
    paths = sorted(PROJECT.glob("examples/*.sla")) + sorted((PROJECT / "tests" / "fixtures").rglob("*.sla"))
    paths += sorted(FUZZ_FIXTURES.glob("*")) if FUZZ_FIXTURES.is_dir() else []
    return [p.read_bytes() for p in paths if p.is_file() and p.stat().st_size < 20_000]


CORPUS = _corpus()

# Good enough token boundaries for truncation, deletion and duplication: strings
# (both forms), comments, runs of literal characters, white space, one symbol.
TOKEN = re.compile(rb'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|[A-Za-z0-9_.:%-]+|\s+|.', re.S)


def token_spans(data: bytes) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN.finditer(data)]


@st.composite
def seeds(draw) -> bytes:
    """A valid file to break: a generated one, or one of the project's agreement files."""
    if CORPUS and draw(st.booleans()):
        return draw(st.sampled_from(CORPUS))
    generated = draw(workspaces(max_files=1))
    return next(iter(generated.files.values())).encode("utf-8")


_LONG_RUNS = [
    b"x",
    b"9",
    b" ",
    b"{",
    b"}",
    b"[",
    b"a.",
    b"-",
    b'"',
    b"\\",
    b"\\q",
    b"#",
    b">=",
    b"1%",
    b"x {",
    b'"a" ',
    "é".encode(),
    b"\n",
]


@st.composite
def mutations(draw, data: bytes, long_run_max: int = 20_000) -> tuple[str, bytes]:
    """One mutation of `data`: (a description, the mutated bytes)."""
    kind = draw(
        st.sampled_from(
            ["flip", "truncate", "delete-token", "duplicate-token", "unicode", "crlf", "bom", "long-line", "splice"]
        )
    )
    if kind == "flip":
        if not data:
            return kind, bytes([draw(st.integers(0, 255))])
        index = draw(st.integers(0, len(data) - 1))
        value = draw(st.integers(0, 255) | st.sampled_from([data[index] ^ (1 << b) for b in range(8)]))
        return f"flip@{index}={value}", data[:index] + bytes([value]) + data[index + 1 :]
    if kind in ("truncate", "delete-token", "duplicate-token"):
        spans = token_spans(data)
        if not spans:
            return kind, data
        start, end = draw(st.sampled_from(spans))
        if kind == "truncate":
            cut = draw(st.sampled_from([start, end]))
            return f"truncate@{cut}", data[:cut]
        if kind == "delete-token":
            return f"delete@{start}:{end}", data[:start] + data[end:]
        return f"duplicate@{start}:{end}", data[:end] + data[start:end] + data[end:]
    if kind == "unicode":
        text = draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8))
        index = draw(st.integers(0, len(data)))
        while index > 0 and index < len(data) and (data[index] & 0xC0) == 0x80:
            index -= 1  # at a character boundary, so the file stays UTF-8 (mostly: the text may hold NUL)
        return f"unicode@{index}", data[:index] + text.encode("utf-8") + data[index:]
    if kind == "crlf":
        return kind, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if kind == "bom":
        return kind, b"\xef\xbb\xbf" + data
    if kind == "long-line":
        run = draw(st.sampled_from(_LONG_RUNS))
        count = draw(st.integers(1_000, max(1_000, long_run_max)))
        index = draw(st.integers(0, len(data)))
        while index > 0 and index < len(data) and (data[index] & 0xC0) == 0x80:
            index -= 1
        return f"long-line@{index}:{run!r}x{count}", data[:index] + run * count + data[index:]
    # splice: the head of this file and the tail of another
    other = draw(st.sampled_from(CORPUS)) if CORPUS else data
    cut, other_cut = draw(st.integers(0, len(data))), draw(st.integers(0, len(other)))
    return f"splice@{cut}/{other_cut}", data[:cut] + other[other_cut:]


@st.composite
def mutated_inputs(draw, max_mutations: int = 3, long_run_max: int = 20_000) -> tuple[list[str], bytes]:
    """A valid file broken by one to `max_mutations` mutations: (what was done, the bytes)."""
    data = draw(seeds())
    done = []
    for _ in range(draw(st.integers(1, max_mutations))):
        what, data = draw(mutations(data, long_run_max))
        done.append(what)
    return done, data
