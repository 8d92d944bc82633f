"""Reading untrusted YAML (policy packs, .slalint.yaml) safely, with positions.

Before anything is built, the event stream is scanned: aliases, anchors and
tags are refused (a pack needs none of them, and they are how YAML "billion
laughs" bombs and `!!python/object` payloads work), and so is nesting deeper
than MAX_DEPTH (the composer recurses). Only then is the document loaded with
ruamel's round-trip loader, which keeps the line and column of every key and
value so that errors can point at them.
"""

from __future__ import annotations

import re

# ruamel's round-trip loader is slow: 256 KiB still loads in well under the
# time a check may take, and is ten times the largest built-in pack.
MAX_YAML_SIZE = 256 * 1024
MAX_DEPTH = 40
# YAML events (values, and the starts and ends of lists and mappings) in a
# configuration: each costs time to scan and as much again to load, and 256 KiB
# of `[a, a, ...]` is a great many of them. A real configuration has a few
# hundred; the limit keeps the worst one quick.
MAX_CONFIG_EVENTS = 5_000
# The most of a file's content one message quotes: a file named by mistake (or
# by a pull request) as a config or pack may be a secret.
MAX_QUOTED = 40


class YamlError(Exception):
    """A located problem in a YAML file: 1-based line and column."""

    def __init__(self, message: str, path: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message, path, line, column)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def excerpt(text: str) -> str:
    """At most MAX_QUOTED characters of `text`, with an ellipsis when cut."""
    return text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED] + "…"


def quote(value) -> str:
    """A value read from a file, as a message quotes it: a string in quotes, with
    control characters escaped; anything else as Python writes it; cut short."""
    return repr(excerpt(value)) if isinstance(value, str) else excerpt(repr(value))


def load_yaml(path, text: str | None = None, max_events: int | None = None):
    """The document in `path` as ruamel round-trip data (CommentedMap/Seq); a
    document of more than `max_events` YAML events is refused, unloaded.
    `path` is a file of the working tree, or a RefFile (a file at a git ref)."""
    if text is None:
        data = read_yaml_bytes(path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise YamlError(f"file is not valid UTF-8 (offset {error.start})", str(path)) from None
    path = str(path)  # for messages: a RefFile is "REF:path"

    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    try:
        # The scan needs no comments: the safe parser is faster than the round-trip one.
        _scan_events(YAML(typ="safe", pure=True), text, path, max_events)
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = (error.problem or error.context or "invalid YAML").strip()
        if "duplicate key" in str(error):
            problem = f"duplicate key: {excerpt(_duplicate_key(str(error)))}"
        elif "mapping values are not allowed" in problem:
            problem += (
                " (a plain YAML value cannot contain ': ', as in any(x in xs: ...):"
                " quote the value, or write it as a block after '|')"
            )
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(problem, path, line, column) from None
    except YAMLError as error:  # e.g. a character YAML does not allow: one located line, not ruamel's two
        problem = getattr(error, "reason", None) or str(error).splitlines()[0]
        position = getattr(error, "position", None)
        line, column = _line_and_column(text, position) if isinstance(position, int) else (1, 1)
        raise YamlError(f"invalid YAML: {problem}", path, line, column) from None
    except (ValueError, OverflowError) as error:  # a timestamp with an impossible time, ...
        raise YamlError(f"invalid value: {error}", path) from None
    except RecursionError:
        raise YamlError(f"nesting is deeper than {MAX_DEPTH} levels", path) from None


def read_yaml_bytes(path, what: str = "file") -> bytes:
    """A YAML (or TOML) file's bytes: a regular file of at most MAX_YAML_SIZE
    bytes, never a FIFO or a device such as /dev/zero. `path` is a file of the
    working tree, or a RefFile (--config-from), whose size git tells first."""
    import os
    import stat

    in_work_tree = isinstance(path, str)
    try:
        info = os.stat(path) if in_work_tree else path.stat()
    except OSError as error:
        raise YamlError(f"cannot read {what}: {error.strerror}", str(path)) from None
    except ValueError:  # a NUL byte in a path the configuration gives
        raise YamlError(f"cannot read {what}: the path holds a NUL byte", str(path).replace("\0", "\\x00")) from None
    if not stat.S_ISREG(info.st_mode):
        raise YamlError(f"{what} is not a regular file", str(path))
    if info.st_size > MAX_YAML_SIZE:
        raise YamlError(f"{what} is larger than {MAX_YAML_SIZE // 1024} KiB ({info.st_size:,} bytes)", str(path))
    from ..source import UnreadableFile, read_regular_file

    try:
        return read_regular_file(path, MAX_YAML_SIZE) if in_work_tree else path.read(MAX_YAML_SIZE)
    except UnreadableFile as problem:  # it changed since the stat
        raise YamlError(f"cannot read {what}: {problem}", str(path)) from None


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _duplicate_key(text: str) -> str:
    for line in text.splitlines():
        if "found duplicate key" in line:
            return line.split("found duplicate key", 1)[1].strip().split(" with value")[0]
    return "a key appears twice in one mapping"


# A plain scalar of this shape is a YAML date, which the loader builds (and
# fails on, without a position, when the date does not exist).
_PLAIN_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


def _is_real_date(match: re.Match) -> bool:
    import datetime

    try:
        datetime.date(*(int(group) for group in match.groups()))
    except ValueError:
        return False
    return True


def _scan_events(yaml, text: str, path: str, max_events: int | None = None) -> None:
    for _ in checked_events(yaml.parse(text), path, max_events):
        pass


def checked_events(events, path: str, max_events: int | None = None, too_many: str = "", aliases: bool = False):
    """`events` (ruamel's or libyaml's, which have the same shape), each passed on
    once it is known to be safe: no tag, no alias or anchor unless `aliases`
    (the caller then bounds what they expand to), nesting at most MAX_DEPTH,
    at most `max_events` events (`too_many` says what to do about more)."""
    depth = 0
    limit = float("inf") if max_events is None else max_events
    for count, event in enumerate(events):
        name = type(event).__name__
        if count > limit:
            raise _at(
                event,
                path,
                f"more than {max_events:,} values, lists and mappings: "
                + (
                    too_many
                    or "far more than a configuration needs (globs and codes can be prefixes or patterns: "
                    "use fewer, broader ones)"
                ),
            )
        if name == "ScalarEvent" or name == "MappingStartEvent" or name == "SequenceStartEvent":
            if event.anchor and not aliases:
                raise _at(event, path, "YAML anchors (&name) are not allowed here: write the value out")
            if event.tag is not None:
                raise _at(event, path, f"YAML tags ({event.tag}) are not allowed here")
            if name == "ScalarEvent":
                if not event.style and event.value[:1].isdigit():
                    date = _PLAIN_DATE.match(event.value)
                    if date and not _is_real_date(date):
                        raise _at(event, path, f"'{event.value}' is not a real date (YYYY-MM-DD)")
            else:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _at(event, path, f"nesting is deeper than {MAX_DEPTH} levels")
        elif name == "MappingEndEvent" or name == "SequenceEndEvent":
            depth -= 1
        elif name == "AliasEvent" and not aliases:
            raise _at(event, path, "YAML aliases (*name) are not allowed here: write the value out")
        yield event


def _at(event, path: str, message: str) -> YamlError:
    mark = event.start_mark
    return YamlError(message, path, mark.line + 1, mark.column + 1)


def key_position(mapping, key) -> tuple[int, int]:
    """1-based (line, column) of `key` in a round-trip mapping."""
    try:
        line, column = mapping.lc.key(key)
        return line + 1, column + 1
    except (AttributeError, KeyError, TypeError):
        return node_position(mapping)


def value_position(mapping, key) -> tuple[int, int]:
    try:
        line, column = mapping.lc.value(key)
        return line + 1, column + 1
    except (AttributeError, KeyError, TypeError):
        return key_position(mapping, key)


def item_position(sequence, index: int) -> tuple[int, int]:
    try:
        line, column = sequence.lc.item(index)
        return line + 1, column + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return node_position(sequence)


def node_position(node) -> tuple[int, int]:
    try:
        return node.lc.line + 1, node.lc.col + 1
    except AttributeError:
        return 1, 1
