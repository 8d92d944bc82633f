"""Where each key and value of a pyproject.toml's [tool.slalint] table is
written: tomllib keeps no positions, and a config error must have them."""

from __future__ import annotations

import re

Position = tuple[int, int]  # (line, column), from 1


def toml_positions(text: str) -> dict[tuple, tuple[Position, Position]]:
    """Scan the (already valid) document for positions: (key position, value
    position) of every key, inline-table key and array item under
    [tool.slalint], by its path below that table, e.g. ("ignore", 1)."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except (IndexError, ValueError):
        pass  # never let the position scan fail a valid file: fewer positions, that is all
    return scanner.positions


class _Scanner:
    """A TOML document read from `i` on, recording positions as it goes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
        self.positions: dict[tuple, tuple[Position, Position]] = {}

    def document(self) -> None:
        text = self.text
        table: list[str] = []
        while True:
            self.skip(True)
            if self.i >= len(text):
                return
            if text[self.i] == "[":
                self.i += 2 if text.startswith("[[", self.i) else 1
                table = self.key()
                self.i += 2 if text.startswith("]]", self.i) else 1
                continue
            key_at = self.at(self.i)
            names = self.key()
            self.i += 1  # "="
            self.skip(False)
            full = [*table, *names]
            self.value(tuple(full[2:]), key_at, full[:2] == ["tool", "slalint"])

    def at(self, index: int) -> Position:
        import bisect

        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def skip(self, newlines: bool) -> None:
        """Past blanks and comments (and newlines, when `newlines`)."""
        text = self.text
        while self.i < len(text):
            if text[self.i] == "#":
                while self.i < len(text) and text[self.i] != "\n":
                    self.i += 1
            elif text[self.i] in " \t\r" or (newlines and text[self.i] == "\n"):
                self.i += 1
            else:
                return

    def string(self) -> str:
        text, i = self.text, self.i
        quote = text[i]
        if text.startswith(quote * 3, i):
            end = text.index(quote * 3, i + 3)
            while text.startswith(quote, end + 3):  # up to two quotes may close the content
                end += 1
            self.i = end + 3
            return text[i + 3 : end]
        j = i + 1
        while text[j] != quote:
            j += 2 if quote == '"' and text[j] == "\\" else 1
        value, self.i = text[i + 1 : j], j + 1
        if quote == "'" or "\\" not in value:
            return value
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), value)

    def key(self) -> list[str]:
        """The parts of a dotted key."""
        text = self.text
        parts = []
        while True:
            self.skip(False)
            if text[self.i] in "\"'":
                parts.append(self.string())
            else:
                j = self.i
                while j < len(text) and (text[j].isalnum() or text[j] in "_-"):
                    j += 1
                parts.append(text[self.i : j])
                self.i = j
            self.skip(False)
            if self.i < len(text) and text[self.i] == ".":
                self.i += 1
                continue
            return parts

    def value(self, path: tuple, key_at: Position | None, record: bool) -> None:
        text = self.text
        if record:
            self.positions[path] = (key_at or self.at(self.i), self.at(self.i))
        if text[self.i] == "[":
            self.array(path, record)
        elif text[self.i] == "{":
            self.inline_table(path, record)
        elif text[self.i] in "\"'":
            self.string()
        else:
            while self.i < len(text) and text[self.i] not in ",]}\n#":
                self.i += 1

    def array(self, path: tuple, record: bool) -> None:
        self.i += 1
        index = 0
        while True:
            self.skip(True)
            if self.text[self.i] == "]":
                self.i += 1
                return
            self.value((*path, index), None, record)
            index += 1
            self.skip(True)
            if self.text[self.i] == ",":
                self.i += 1

    def inline_table(self, path: tuple, record: bool) -> None:
        self.i += 1
        while True:
            self.skip(False)
            if self.text[self.i] == "}":
                self.i += 1
                return
            inner_at = self.at(self.i)
            names = self.key()
            self.i += 1  # "="
            self.skip(False)
            self.value((*path, *names), inner_at, record)
            self.skip(False)
            if self.text[self.i] == ",":
                self.i += 1
