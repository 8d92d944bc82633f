"""Where each key and value of a pyproject.toml's [tool.slalint] table is
written: tomllib keeps no positions, and a config error must have them."""

from __future__ import annotations

import re


def toml_positions(text: str) -> dict[tuple, tuple[tuple[int, int], tuple[int, int]]]:
    """tomllib keeps no positions, so scan the (already valid) document for them:
    (key position, value position) of every key, inline-table key and array item
    under [tool.slalint], by its path below that table, e.g. ("ignore", 1)."""
    import bisect

    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    positions: dict[tuple, tuple[tuple[int, int], tuple[int, int]]] = {}
    i = 0

    def at(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    def skip(newlines: bool) -> None:
        nonlocal i
        while i < len(text):
            if text[i] == "#":
                while i < len(text) and text[i] != "\n":
                    i += 1
            elif text[i] in " \t\r" or (newlines and text[i] == "\n"):
                i += 1
            else:
                return

    def string() -> str:
        nonlocal i
        quote = text[i]
        if text.startswith(quote * 3, i):
            end = text.index(quote * 3, i + 3)
            while text.startswith(quote, end + 3):  # up to two quotes may close the content
                end += 1
            value, i = text[i + 3 : end], end + 3
            return value
        j = i + 1
        while text[j] != quote:
            j += 2 if quote == '"' and text[j] == "\\" else 1
        value, i = text[i + 1 : j], j + 1
        if quote == "'" or "\\" not in value:
            return value
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), value)

    def key() -> list[str]:
        nonlocal i
        parts = []
        while True:
            skip(False)
            if text[i] in "\"'":
                parts.append(string())
            else:
                j = i
                while j < len(text) and (text[j].isalnum() or text[j] in "_-"):
                    j += 1
                parts.append(text[i:j])
                i = j
            skip(False)
            if i < len(text) and text[i] == ".":
                i += 1
                continue
            return parts

    def value(path: tuple, key_at: tuple[int, int] | None, record: bool) -> None:
        nonlocal i
        if record:
            positions[path] = (key_at or at(i), at(i))
        if text[i] == "[":
            i += 1
            index = 0
            while True:
                skip(True)
                if text[i] == "]":
                    i += 1
                    return
                value((*path, index), None, record)
                index += 1
                skip(True)
                if text[i] == ",":
                    i += 1
        elif text[i] == "{":
            i += 1
            while True:
                skip(False)
                if text[i] == "}":
                    i += 1
                    return
                inner_at = at(i)
                names = key()
                i += 1  # "="
                skip(False)
                value((*path, *names), inner_at, record)
                skip(False)
                if text[i] == ",":
                    i += 1
        elif text[i] in "\"'":
            string()
        else:
            while i < len(text) and text[i] not in ",]}\n#":
                i += 1

    table: list[str] = []
    try:
        while True:
            skip(True)
            if i >= len(text):
                break
            if text[i] == "[":
                i += 2 if text.startswith("[[", i) else 1
                table = key()
                i += 2 if text.startswith("]]", i) else 1
                continue
            key_at = at(i)
            names = key()
            i += 1  # "="
            skip(False)
            full = [*table, *names]
            inside = full[:2] == ["tool", "slalint"]
            value(tuple(full[2:]), key_at, inside)
    except (IndexError, ValueError):
        pass  # never let the position scan fail a valid file: fewer positions, that is all
    return positions
