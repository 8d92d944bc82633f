"""Where, in a YAML file, a character of a string value lies, so that an error
inside an expression of a pack points at its line and column in the file:
plain, quoted (escapes take more room in the file than in the value) and
block scalars alike."""

from __future__ import annotations


def position_in_value(lines: list[str], start: tuple[int, int], index: int) -> tuple[int, int]:
    """The file position (line, column) of character `index` of the string value
    that starts at `start`, in a file of `lines`."""
    line, column = start
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indicator = source_line[column - 1 : column]
    if indicator in ("|", ">"):  # block scalar: the text starts on the next line
        return _block_position(lines, line, indicator == ">", index)
    if indicator in ("'", '"'):  # escapes take more room in the file than in the value
        return line, _quoted_column(source_line, column, indicator, index)
    return line, column + index


def _block_position(lines: list[str], header: int, folded: bool, index: int) -> tuple[int, int]:
    """Walk the lines of a block scalar to the one that holds character `index`. A
    literal block (|) keeps every line break; a folded one (>) turns the break between
    two text lines into a space and drops the break before a blank line."""
    rows = lines[header:]
    indent = next((len(row) - len(row.lstrip(" ")) for row in rows if row.strip()), 0)
    start = 0
    for offset, row in enumerate(rows):
        if row.strip() and len(row) - len(row.lstrip(" ")) < indent:
            break  # the block has ended
        content = row[indent:]
        if index <= start + len(content):
            return header + 1 + offset, indent + 1 + index - start
        following = rows[offset + 1] if offset + 1 < len(rows) else ""
        start += len(content) + (0 if folded and row.strip() and not following.strip() else 1)
    return header + 1, indent + 1


_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}  # \xNN, \uNNNN, \UNNNNNNNN; others are two characters


def _quoted_column(source_line: str, column: int, quote: str, index: int) -> int:
    """The column of character `index` of a quoted scalar whose opening quote is at `column`."""
    position = column  # 0-based: the first character after the quote
    for _ in range(index):
        if position >= len(source_line):
            break
        if quote == '"' and source_line[position] == "\\":
            position += _ESCAPE_LENGTH.get(source_line[position + 1 : position + 2], 2)
        elif quote == "'" and source_line.startswith("''", position):
            position += 2
        else:
            position += 1
    return position + 1
