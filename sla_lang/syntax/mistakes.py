"""Common ways of writing a value that the language spells differently
(`Mon-Fri`, `30 days`, `24/7`, `03/01/2026`, `99.9 %`, `'1.0'`), recognised
near a syntax error so that SL001 says what to write instead of which tokens
the parser wanted."""

from __future__ import annotations

import re

from ..model.schema import DAY_NAMES, DURATION_UNITS, words

_DAY = r"(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
_UNIT_WORDS = {
    "ms": "ms",
    "millisecond": "ms",
    "milliseconds": "ms",
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "m": "min",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "d",
    "day": "d",
    "days": "d",
    "w": "w",
    "wk": "w",
    "week": "w",
    "weeks": "w",
    "mo": "mo",
    "mon": "mo",
    "month": "mo",
    "months": "mo",
    "q": "q",
    "quarter": "q",
    "quarters": "q",
    "y": "y",
    "yr": "y",
    "yrs": "y",
    "year": "y",
    "years": "y",
}
_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
_UNITS_IN_WORDS = words(DURATION_UNITS)

_DAY_RANGE = re.compile(rf"(?i)(?<![\w.])({_DAY})(?:-({_DAY}))?(?![\w])")
_SPACED_DURATION = re.compile(rf"(?i)(?<![\w.])({_NUMBER})[ \t]+([a-z]+)(?![\w])")
_WORD_DURATION = re.compile(rf"(?i)(?<![\w.])({_NUMBER})([a-z]+)(?![\w])")
_SLASHED_ALWAYS = re.compile(r"(?<![\w/])24[ \t]*/[ \t]*7(?![\w/])")
_SLASHED_DATE = re.compile(
    r"(?<![\w/.])(?:[0-9]{1,2}([/.])[0-9]{1,2}\1[0-9]{2,4}|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2})(?![\w/.])"
)
_SPACED_PERCENT = re.compile(rf"(?<![\w.])({_NUMBER})[ \t]+%")
_SINGLE_QUOTED = re.compile(r"'([^'\n]{0,80})'")
# Strings and comments are blanked out before the search, so that what they
# say is never taken for a mistake.
_QUOTED_OR_COMMENT = re.compile(r'"""[\s\S]*?(?:"""|$)|"[^"\n]*(?:"|$)|#[^\n]*')


class Mistake:
    __slots__ = ("start", "end", "message")

    def __init__(self, start: int, end: int, message: str) -> None:
        self.start = start  # offsets in the text
        self.end = end
        self.message = message


def find_mistake(text: str, line: int) -> Mistake | None:
    """The mistake on `line` (1-based) or the line before it that lies
    nearest before the end of `line`, or None."""
    starts = _line_starts(text, line)
    if starts is None:
        return None
    region_start, region_end = starts
    region = _QUOTED_OR_COMMENT.sub(_blank_but_quotes, text[region_start:region_end])
    found: list[Mistake] = []
    for mistake in _mistakes_in(region):
        found.append(Mistake(region_start + mistake.start, region_start + mistake.end, mistake.message))
    return max(found, key=lambda m: m.start) if found else None


def _mistakes_in(region: str):
    for match in _DAY_RANGE.finditer(region):
        first, last = match.group(1), match.group(2)
        if _valid_day(first) and (last is None or _valid_day(last)):
            continue
        fixed = first[:3].lower() + (f"-{last[:3].lower()}" if last else "")
        yield Mistake(
            match.start(),
            match.end(),
            f"'{match.group(0)}' is not a day name: days are written in lowercase as three letters, "
            f"e.g. {fixed} 08:00-18:00",
        )
    for match in _SPACED_DURATION.finditer(region):
        unit = _UNIT_WORDS.get(match.group(2).lower())
        if unit is not None:
            yield _duration_mistake(match, unit)
    for match in _WORD_DURATION.finditer(region):
        unit = _UNIT_WORDS.get(match.group(2).lower())
        if unit is not None and match.group(2) not in DURATION_UNITS:
            yield _duration_mistake(match, unit)
    for match in _SLASHED_ALWAYS.finditer(region):
        yield Mistake(match.start(), match.end(), f"'{match.group(0)}' is written 24x7 (hours: 24x7)")
    for match in _SLASHED_DATE.finditer(region):
        yield Mistake(
            match.start(),
            match.end(),
            f"'{match.group(0)}' is not a date: dates are written YYYY-MM-DD, e.g. 2026-01-31",
        )
    for match in _SPACED_PERCENT.finditer(region):
        yield Mistake(
            match.start(),
            match.end(),
            f"'{match.group(0)}' has a space before '%': write the sign right after the number, e.g. {match.group(1)}%",
        )
    for match in _SINGLE_QUOTED.finditer(region):
        yield Mistake(
            match.start(),
            match.end(),
            f'{match.group(0)} uses single quotes: strings are written in double quotes, e.g. "{match.group(1)}"',
        )


def _duration_mistake(match, unit: str) -> Mistake:
    number = match.group(1)
    return Mistake(
        match.start(),
        match.end(),
        f"'{match.group(0)}' is not a duration: write the number and the unit together, "
        f"e.g. {number}{unit} (units: {_UNITS_IN_WORDS})",
    )


def _valid_day(word: str) -> bool:
    return word in DAY_NAMES


def _blank_but_quotes(match) -> str:
    """A string or comment as spaces of the same length (newlines kept)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _line_starts(text: str, line: int) -> tuple[int, int] | None:
    """Offsets of the start of the line before `line` and the end of `line`."""
    if line < 1:
        return None
    start = 0
    previous = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found == -1:
            return None
        previous, start = start, found + 1
    end = text.find("\n", start)
    return (previous if line > 1 else 0), (len(text) if end == -1 else end)
