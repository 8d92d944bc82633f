"""Literals: the tokens of values turned into values as the parser reduces
them (a string decoded, a percent, a date), with an SL003 (or SL001, for an
unknown escape) for a token of the right shape and an impossible value.
A value already reported is INVALID, so that no later check reports it again.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from sys import intern

from ..model.schema import BOOLEAN_WORDS, DAY_NAMES
from ..source import Span
from ..source import shortened as _shortened
from ..values import Comparison, Condition, DayWindow, Duration, Percent, PerUnit, Reference, Schedule, format_value
from .records import Recorder

INVALID = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()  # a value already reported as SL003

MAX_STRING_LENGTH = 65_536  # characters in one string
# Digits before the decimal point: far beyond any count, rate or length of time,
# and far below what the decimal arithmetic of the rules can hold (a number of a
# million digits made them overflow).
MAX_NUMBER_DIGITS = 100

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
_ESCAPE = re.compile(r"\\(.?)", re.S)  # a backslash and the character it escapes
_MONTHS = "January February March April May June July August September October November December".split()


class ListLiteral(list):
    """A list as written: its valid values, and where each was written (an
    invalid element is reported at its own position)."""

    __slots__ = ("spans",)

    def __init__(self, values: list, spans: list[Span]) -> None:
        super().__init__(values)
        self.spans = spans


# What an SL003 message calls a value of each kind ("the percent 99.9%").
_KIND_WORDS = (
    (bool, "boolean"),
    (Decimal, "number"),
    (Percent, "percent"),
    (Duration, "duration"),
    (datetime.date, "date"),
    (Comparison, "comparison"),
    (Condition, "condition"),
    (PerUnit, "amount per unit"),
    (Schedule, "hours"),
)


def describe_value(value: object) -> str:
    """How an SL003 message names what the user wrote: its kind, then the value
    as every message shows it (values.format_value)."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'the string "{shown}"'
    if isinstance(value, Reference):
        return f"the name '{format_value(value)}'"
    if isinstance(value, list):
        return "a list"
    for kind, word in _KIND_WORDS:
        if isinstance(value, kind):
            return f"the {word} {format_value(value)}"
    return "this value"


class Literals(Recorder):
    """The methods the parser calls for the values of grammar/agreement.lark."""

    _shared: dict[str, object]  # "PERCENT:99.9%" -> the one Percent for it

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
        token, span, shared = self._reused(children)
        if shared is not None:
            return shared, span
        value = Decimal(str(token))
        if self._too_large(str(token), value, span):
            return INVALID, span
        return self._share(token, value), span

    def _reused(self, children):
        """The token, its span, and the value made for the same text before (or None)."""
        token = children[0]
        return token, self.span(token), self._shared.get(f"{token.type}:{token}")

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
        token, span, shared = self._reused(children)
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
        token, span, shared = self._reused(children)
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
        unit = text[len(digits) :]
        if unit == "bd" and amount != amount.to_integral_value():
            self.report(
                "SL003",
                f"{_shortened(text)} is not a valid duration: business days are counted whole "
                "(write a whole number of bd, or the time in bh)",
                span,
            )
            return INVALID, span
        return self._share(token, Duration(amount, unit)), span

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
        return BOOLEAN_WORDS[str(token)], self.span(token)

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

    def per_unit(self, children):
        (amount, amount_span), _, word, (unit, unit_span) = children
        span = amount_span.to(unit_span)
        if word is not None and str(word) != "started":
            self.report(
                "SL003",
                f"unexpected word '{word}' in {amount} per {word} {unit}: write {amount} per {unit}, or "
                f"{amount} per started {unit} to count every begun {unit}",
                self.span(word),
            )
            return INVALID, span
        if amount is INVALID or unit is INVALID:
            return INVALID, span
        return PerUnit(amount, unit, word is not None), span

    def condition(self, children):
        (subject, subject_span), op, (quantity, quantity_span) = children
        span = subject_span.to(quantity_span)
        if quantity is INVALID:
            return INVALID, span
        return Condition(subject, str(op), quantity), span

    def list(self, children):
        open_bracket, *items, close_bracket = children
        written = [item for item in items if item is not None and item[0] is not INVALID]
        values = ListLiteral([value for value, _ in written], [span for _, span in written])
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
