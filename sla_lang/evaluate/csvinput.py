"""Reading evaluate's CSV files: streamed row by row, every cell located.

The files come from monitoring exports and ticket systems, so they are read
as hostile: a line longer than MAX_LINE, a NUL byte, more than MAX_COLUMNS
columns, bytes that are not UTF-8 or a date outside EARLIEST_YEAR..LATEST_YEAR
is an InputError with the file, line and column, never a traceback. Memory
holds one record at a time.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from ..values import Duration, Percent

MAX_LINE = 64 * 1024
MAX_COLUMNS = 64
MAX_VALUE = 40
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

# The value tokens of the agreement language (grammar/agreement.lark).
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)%")
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|min|mo|s|h|d|w|q|y|bh|bd)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class InputError(Exception):
    """A problem in an input file, at a line and column (1-based)."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


class Row:
    """One record: its cells by column name, where it starts, and where each cell starts."""

    __slots__ = ("path", "line", "cells", "_raw", "_names")

    def __init__(self, path: str, line: int, cells: list[str], raw: str, names: dict[str, int]) -> None:
        self.path, self.line, self.cells, self._raw, self._names = path, line, cells, raw, names

    def get(self, name: str) -> str:
        try:
            return self.cells[self._names[name]].strip()
        except (KeyError, IndexError):
            return ""

    def column(self, name: str) -> int:
        """The 1-based column at which cell `name` starts in its line."""
        return _field_start(self._raw, self._names.get(name, len(self.cells)))

    def error(self, name: str, message: str) -> InputError:
        return InputError(self.path, self.line, self.column(name), message)


def _field_start(raw: str, index: int) -> int:
    """Where field `index` starts in a raw record (quotes respected)."""
    field, quoted = 0, False
    for position, char in enumerate(raw):
        if field == index:
            return position + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field += 1
    return len(raw.rstrip("\r\n")) + 1


def rows(path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Iterator[Row]:
    """The records of the CSV file at `path` after its header, which must name every
    column of `required` (in any order); other known columns are `optional`."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError as problem:
        raise InputError(path, 1, 1, f"cannot read the file: {problem.strerror or problem}") from None
    with handle:
        lines = _Lines(path, handle)
        reader = csv.reader(lines, strict=True)
        records = _records(path, reader, lines)
        header_line, header, raw = next(records, (1, None, ""))
        if header is None:
            raise InputError(path, 1, 1, f"the file is empty: the first line names the columns ({', '.join(required)})")
        names = _header(path, header_line, header, raw, required, optional)
        for line, cells, raw in records:
            if len(cells) == 1 and not cells[0].strip():
                continue  # a blank line
            if len(cells) > len(names):
                raise InputError(
                    path,
                    line,
                    _field_start(raw, len(names)),
                    f"this row has {len(cells)} cells, the header {len(names)}",
                )
            yield Row(path, line, cells, raw, names)


class _Lines:
    """The file's lines, each checked, with the text of the current record kept."""

    def __init__(self, path: str, handle) -> None:
        self.path, self.handle, self.number, self.record = path, handle, 0, ""

    def __iter__(self):
        return self

    def __next__(self) -> str:
        data = self.handle.readline(MAX_LINE + 1)
        if not data:
            raise StopIteration
        self.number += 1
        if self.number == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if len(data) > MAX_LINE:
            raise InputError(
                self.path, self.number, MAX_LINE + 1, f"the line is longer than {MAX_LINE:,} bytes: is it CSV?"
            )
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError as problem:
            column = len(data[: problem.start].decode("utf-8", "replace")) + 1
            raise InputError(self.path, self.number, column, "the line is not UTF-8 text") from None
        if "\0" in line:
            raise InputError(self.path, self.number, line.index("\0") + 1, "a NUL byte: the file is not CSV text")
        self.record += line
        return line


def _records(path: str, reader, lines: _Lines):
    while True:
        lines.record = ""
        start = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as problem:
            raise InputError(path, lines.number, 1, f"not valid CSV: {problem}") from None
        if len(cells) > MAX_COLUMNS:
            raise InputError(path, start, 1, f"{len(cells):,} columns: a row has at most {MAX_COLUMNS}")
        yield start, cells, lines.record


def _header(path, line, header, raw, required, optional) -> dict[str, int]:
    names: dict[str, int] = {}
    known = (*required, *optional)
    for index, cell in enumerate(header):
        name = cell.strip().lower()
        if name not in known:
            raise InputError(
                path,
                line,
                _field_start(raw, index),
                f"unknown column {name[:40]!r}: the columns are {', '.join(known)}",
            )
        if name in names:
            raise InputError(path, line, _field_start(raw, index), f"column {name!r} is named twice")
        names[name] = index
    missing = [name for name in required if name not in names]
    if missing:
        raise InputError(path, line, 1, f"the header lacks the column(s) {', '.join(missing)}")
    return names


# -- cells -----------------------------------------------------------------------------------


def instant(row: Row, name: str) -> datetime.datetime:
    """An ISO 8601 date-time with a UTC offset (`2026-05-04T10:00:00+02:00`, `...Z`)."""
    text = row.get(name)
    try:
        moment = datetime.datetime.fromisoformat(text) if len(text) > 10 else None
    except ValueError:
        moment = None
    if moment is None:
        raise row.error(name, f"{_shown(text)} is not a date-time: write e.g. 2026-05-04T10:00:00+02:00")
    if moment.tzinfo is None:
        raise row.error(name, f"{_shown(text)} has no UTC offset: add one, e.g. +02:00 or Z")
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        _check_year(row, name, moment.year)
    return moment


def day_or_instant(row: Row, name: str) -> datetime.date | datetime.datetime:
    """A date (`2026-05-01`) or a date-time with a UTC offset."""
    text = row.get(name)
    if _DATE.fullmatch(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise row.error(name, f"{_shown(text)} is not a date that exists") from None
        _check_year(row, name, day.year)
        return day
    return instant(row, name)


def _check_year(row: Row, name: str, year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise row.error(name, f"the year {year} is outside {EARLIEST_YEAR}..{LATEST_YEAR}: is the date right?")


def quantity(row: Row, name: str) -> Percent | Duration | Decimal:
    """A value as the language writes it: `99.93%`, `412ms`, `3.5h`, `2bh`, `17`."""
    text = row.get(name)
    if len(text) > MAX_VALUE:
        raise row.error(name, f"{_shown(text)} is too long for a value (at most {MAX_VALUE} characters)")
    try:
        if match := _PERCENT.fullmatch(text):
            value = Decimal(match.group(1))
            if value > 100:
                raise row.error(name, f"{_shown(text)} is not a percent: a percent lies between 0% and 100%")
            return Percent(value)
        if match := _DURATION.fullmatch(text):
            return Duration(Decimal(match.group(1)), match.group(2))
        if _NUMBER.fullmatch(text):
            return Decimal(text)
    except InvalidOperation:
        pass
    raise row.error(name, f"{_shown(text)} is not a value: write it as in the language, e.g. 99.93%, 412ms or 3.5h")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")
