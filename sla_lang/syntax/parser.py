"""Parsing agreement files: the LALR tables Lark builds, run by slalint's own
runtime (lalr.py) from a cache that slalint owns, and syntax errors a
person can read.

A broken file still yields what it can: the declarations that parsed before
the error, and, after re-synchronising at the next line that starts a
declaration, those that follow, with one SL001 per error.
"""

from __future__ import annotations

import re

from ..findings import Finding
from ..language_rules import bidi_control_findings, language_finding
from ..model.schema import (
    BUSINESS_UNITS,
    COMPARATORS,
    DECLARATION_KINDS,
    DURATION_UNITS,
    NESTED_BLOCKS,
    block_home,
    words,
)
from ..reading.paths import grammar_path
from ..source import SourceFile, Span
from .build import MAX_FINDINGS_PER_FILE, Comment, ModelBuilder, NestingTooDeep
from .lalr import Parser, UnexpectedInput, load_tables

MAX_SYNTAX_ERRORS = 20
_KINDS = "|".join(DECLARATION_KINDS)
_RESYNC = re.compile(rf"^[ \t]*(?:{_KINDS})[ \t]+[A-Za-z_]", re.M)
_DECLARED = re.compile(rf"^[ \t]*(?:{_KINDS})[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.M)


class ParsedFile:
    __slots__ = ("source", "declarations", "comments", "findings")

    def __init__(self, source: SourceFile, declarations: list, comments: list[Comment], findings: list[Finding]):
        self.source = source
        self.declarations = declarations
        self.comments = comments
        self.findings = findings


def load_lark(transformer, grammar_name: str = "agreement.lark", start: str = "start"):
    """Lark's own LALR parser with `transformer` inline: for policy expressions
    (compiled once into the pack cache), and as the reference tests/test_lalr.py
    holds slalint's runtime to.

    Built each time (only when a pack is compiled): Lark's `cache`
    unpickles its file before it can check anything, and slalint unpickles only
    entries that it can authenticate (reading/paths.UserCache).
    """
    from lark import Lark

    path = grammar_path(grammar_name)
    with open(path, encoding="utf-8") as handle:
        grammar = handle.read()
    callbacks = transformer.lexer_callbacks() if hasattr(transformer, "lexer_callbacks") else {}
    return Lark(
        grammar, parser="lalr", lexer="contextual", start=start, transformer=transformer, lexer_callbacks=callbacks
    )


class AgreementParser:
    """One per process: the tables are loaded (or built by Lark) once and reused."""

    def __init__(self) -> None:
        self.builder = ModelBuilder()
        self.lalr = Parser(load_tables("agreement.lark"), self.builder, self.builder.lexer_callbacks())

    def parse(self, source: SourceFile) -> ParsedFile:
        text, path = source.text, source.path
        declarations: list = []
        # SL009 (Trojan Source) whatever else the file holds; one past the cap, so that the cap shows.
        findings: list[Finding] = bidi_control_findings(source, MAX_FINDINGS_PER_FILE + 1)
        comments: dict[tuple[int, int], Comment] = {}
        start = line_offset = 0
        for _ in range(MAX_SYNTAX_ERRORS):
            segment = text[start:] if start else text
            error = self._parse_or_error(segment, path, line_offset)
            if error is not None and not _at_end(error) and type(error) is not NestingTooDeep:
                # The declaration just before a stray token was complete but not yet
                # reduced (LALR waits for a valid lookahead): parse up to the token.
                self._parse_or_error(segment[: _error_offset(error)], path, line_offset)
            builder = self.builder
            declarations.extend(builder.declarations)
            findings.extend(builder.findings)
            for comment in builder.comments:
                comments[(comment.span.line, comment.span.column)] = comment
            if error is None:
                break
            if type(error) is NestingTooDeep:
                finding = error.finding
            else:
                split = _split_literal(error, segment)
                finding = self._split_literal_finding(segment, split, path, line_offset) if split else None
            if finding is None:
                expected = None
                if getattr(error, "token", None) is None:  # a character that starts no token
                    expected = self._expected_at(segment, _error_offset(error), path, line_offset)
                finding = syntax_finding(error, text, path, line_offset, expected)
                finding = _explained(finding, text)
            findings.append(finding)
            if _at_end(error):
                break
            line_end = text.find("\n", start + _error_offset(error))
            if line_end == -1:
                break
            resume = _RESYNC.search(text, line_end + 1)
            if resume is None:
                break
            start = resume.start()
            line_offset = text.count("\n", 0, start)
        return ParsedFile(
            source,
            declarations,
            sorted(comments.values(), key=lambda c: (c.span.line, c.span.column)),
            _unique(findings),
        )

    def _split_literal_finding(self, segment: str, split: tuple[int, str], path: str, line_offset: int):
        """SL001 at a literal the lexer split in two, naming what the parser
        wanted where the literal starts (found by parsing up to it)."""

        begin, word = split
        line = segment.count("\n", 0, begin) + 1 + line_offset
        column = begin - (segment.rfind("\n", 0, begin) + 1) + 1
        span = Span(path, line, column, line, column + len(word))
        if not _LITERAL_SHAPE.fullmatch(word):
            return language_finding("SL001", _describe_bad_literal(word), span)
        # A well-formed literal in the wrong place: say what may stand there.
        expected = self._expected_at(segment, begin, path, line_offset)
        if expected is None:
            return None
        message = f"expected {describe_expected(expected)}, found '{word}'"
        if _TIME_RANGE.fullmatch(word) and "DAYSPEC" in expected:
            message += f"; service hours name the days before the times, e.g. mon-fri {word}"
        return language_finding("SL001", message, span)

    def _expected_at(self, segment: str, offset: int, path: str, line_offset: int):
        """The terminals the parser accepts at `offset`, found by parsing up to
        it (None when the text before it is complete). A lexer error only knows
        the terminals of its LALR state, which merged states make too many."""
        before = self._parse_or_error(segment[:offset], path, line_offset)
        if before is None:  # between declarations
            return {"KIND", "$END"}
        if not _at_end(before):
            return None
        return before.accepts or before.expected

    def _parse_or_error(self, segment: str, path: str, line_offset: int):
        """Parse `segment` into a fresh builder: the syntax error that stopped
        the parser, or None when the segment parsed to its end."""
        self.builder.reset(path, line_offset)
        try:
            self.lalr.parse(segment)
        except (UnexpectedInput, NestingTooDeep) as error:
            return error
        return None


def _explained(finding: Finding, text: str) -> Finding:
    """The syntax error as a common mistake with what to write instead (`Mon-Fri`,
    `30 days`, ...), at the mistake, when there is one on its line or the line
    before and not after the error; else the error as it is."""
    from .mistakes import find_mistake

    span = finding.span
    mistake = find_mistake(text, span.line)
    if mistake is None:
        return finding
    line_start = text.rfind("\n", 0, mistake.start) + 1
    line = text.count("\n", 0, mistake.start) + 1
    column = mistake.start - line_start + 1
    if (line, column) > (span.end_line, span.end_column):
        return finding
    end_column = column + (mistake.end - mistake.start)
    return language_finding("SL001", mistake.message, Span(span.path, line, column, line, end_column))


def unparsed_names(parsed: ParsedFile) -> list[str]:
    """The ids a file with syntax errors seems to declare (by the look of its
    lines) in declarations that did not parse; [] for a file without them."""
    if not any(finding.code == "SL001" for finding in parsed.findings):
        return []
    parsed_ids = {node.id for node in parsed.declarations}
    return [name for name in _DECLARED.findall(parsed.source.text) if name not in parsed_ids]


def _unique(findings: list[Finding]) -> list[Finding]:
    seen = set()
    unique = []
    for finding in findings:
        key = (finding.code, finding.span, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


_LITERAL_CHAR = re.compile(r"[0-9A-Za-z_.:%-]")
_NUMBER_LIKE = re.compile(r"-?[0-9][0-9A-Za-z_.:%-]*")
_TIME_RANGE = re.compile(r"[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}")
# The shapes of grammar/agreement.lark's DATE, TIMERANGE, PERCENT, DURATION and NUMBER.
_LITERAL_SHAPE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}"
    rf"|-?[0-9]+(\.[0-9]+)?(%|{'|'.join([*DURATION_UNITS, *BUSINESS_UNITS])})?"
)


def _split_literal(error, segment: str) -> tuple[int, str] | None:
    """(offset, text) of the literal the unexpected token is part of, when the
    lexer split one: where no date may stand, `2026-01-01` lexes as the numbers
    2026 and -01 and the parser fails at `-01`; after a day name, `8:00-18:00`
    fails at `8`. None when the token stands alone."""
    token = getattr(error, "token", None)
    offset = getattr(token, "start_pos", None)
    if token is None or token.type == "$END" or offset is None or not _LITERAL_CHAR.match(segment, offset):
        return None
    begin = offset
    while begin > 0 and _LITERAL_CHAR.match(segment, begin - 1):
        begin -= 1
    word = _NUMBER_LIKE.match(segment, begin)
    if word is None or word.end() <= offset or (begin == offset and word.end() <= offset + len(token)):
        return None
    return begin, word.group(0)


def _at_end(error) -> bool:
    token = getattr(error, "token", None)
    return token is not None and token.type == "$END"


def _error_offset(error) -> int:
    token = getattr(error, "token", None)
    if token is not None:
        return token.start_pos or 0
    return error.pos_in_stream


# -- messages -----------------------------------------------------------------

_TERMINAL_NAMES = {
    "KIND": f"a declaration ({words(DECLARATION_KINDS)})",
    "ID": "a name",
    "STRING": "a string",
    "LONG_STRING": "a string",
    "NUMBER": "a number",
    "PERCENT": "a percent",
    "DURATION": "a duration",
    "DATE": "a date",
    "BOOL": "yes or no",
    "COMPARATOR": f"a comparator ({', '.join(COMPARATORS)})",
    "PER": "per (as in 2% per 1h)",
    "ALWAYS": "24x7",
    "DAYSPEC": "days such as mon-fri",
    "TIMERANGE": "a time range such as 08:00-18:00",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COLON": "':'",
    "SEMICOLON": "';'",
    "COMMA": "','",
    "DOT": "'.'",
    "$END": "end of file",
}
_VALUE_TERMINALS = {"STRING", "NUMBER", "PERCENT", "DURATION", "DATE", "BOOL", "ID", "COMPARATOR", "LSQB"}
_STATEMENT_TERMINALS = {"ID", "STRING", "LONG_STRING", "RBRACE"}


def describe_expected(expected) -> str:
    expected = set(expected)
    if "RBRACE" in expected and "ID" in expected and expected <= _STATEMENT_TERMINALS:
        return "'}' or a field name"
    names: list[str] = []
    if len(expected & _VALUE_TERMINALS) >= 5:
        names.append("a value (a string, number, percent, duration, date, yes/no, name, comparison or list)")
        expected -= _VALUE_TERMINALS | {"LONG_STRING", "ALWAYS", "DAYSPEC"}
    for terminal in sorted(expected, key=lambda t: (t == "$END", _TERMINAL_NAMES.get(t, t))):
        name = _TERMINAL_NAMES.get(terminal, terminal.lower())
        if name not in names:
            names.append(name)
    if not names:
        return "nothing more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _describe_token(token) -> str:
    if token.type == "$END":
        return "end of file"
    value = str(token)
    if len(value) > 30:
        value = value[:27] + "..."
    if token.type in ("STRING", "LONG_STRING"):
        return f"the string {value.splitlines()[0] if value else value}"
    return f"'{value}'"


def syntax_finding(error, text: str, path: str, line_offset: int, expected_here=None) -> Finding:
    """SL001 for a Lark error; `expected_here`, when known, is what the parser
    accepts where a lexer error happened."""
    token = getattr(error, "token", None)
    if token is None:
        return _character_finding(error, text, path, line_offset, expected_here)
    expected = error.accepts or error.expected
    if token.type == "$END":
        line, column = _end_of_content(text)
        unclosed = _unclosed_block(text)
        # What was expected comes from the parser: after `role:` that is a
        # value, not a '}', even though the block is left open as well.
        message = f"expected {describe_expected(expected)}, found end of file"
        if unclosed is not None:
            opened_line, header = unclosed
            named = f" '{header}'" if header else ""
            message += f": the block{named} opened on line {opened_line} is never closed"
        return language_finding("SL001", message, Span(path, line, column, line, column + 1))
    line = token.line + line_offset
    span = Span(path, line, token.column, token.end_line + line_offset, token.end_column)
    message = f"expected {describe_expected(expected)}, found {_describe_token(token)}"
    if expected == {"KIND"} or ("KIND" in expected and token.type == "ID"):
        from ..hints import did_you_mean

        home = block_home(str(token)) if token.type == "ID" else None
        if home is not None:
            message += f"; '{token}' belongs inside {home}, not at the top of a file"
        else:
            message += did_you_mean(str(token), DECLARATION_KINDS)
    elif "LBRACE" in expected and "ID" in expected and "COLON" not in expected:
        # `role customer }` reads as a nested block `role` labelled `customer`
        # that wants its '{', so the parser only fails at the '}'. When the
        # name is no block name, the ':' is what is missing: point at the
        # value after the name, where the ':' belongs.
        header = _pending_block_header(error)
        if len(header) >= 2 and header[0].type == "ID" and str(header[0]) not in NESTED_BLOCKS:
            name, value = header[0], header[1]
            line = value.line + line_offset
            span = Span(path, line, value.column, value.end_line + line_offset, value.end_column)
            message = f"expected ':' after '{name}', found {_describe_token(value)}"
            message += f"; a field needs ':' between its name and its value ({name}: ...)"
    return language_finding("SL001", message, span)


def _character_finding(error, text: str, path: str, line_offset: int, expected_here) -> Finding:
    """SL001 for text where no token starts."""
    line, column = error.line + line_offset, error.column
    rest = text_from(error, text, line_offset)
    char = rest[:1]
    span = Span(path, line, column, line, column + 1)
    opening = _unclosed_long_string(error, column)
    if opening is not None:
        # `"""abc` with no closing """ lexes as the empty string `""` and then an
        # unterminated `"abc`: point at the three quotes the user wrote.
        line, column = opening.line + line_offset, opening.column
        span = Span(path, line, column, line, column + 3)
        message = 'unterminated string: this """ has no closing """'
    elif rest.startswith('"""'):
        message = 'unterminated string: this """ has no closing """'
    elif char == '"':
        message = 'unterminated string: a "..." string must end on its line (use """...""" for text over several lines)'
    elif re.match(r"-?[0-9]", rest):  # ASCII digits only: str.isdigit() is also true of '¹' and '٣'
        word = re.match(r"-?[0-9][0-9A-Za-z_.:%-]*", rest).group(0)
        span = Span(path, line, column, line, column + len(word))
        message = _describe_bad_literal(word)
    else:
        shown = char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}" if char else "end of file"
        message = f"unexpected character '{shown}'"
        if expected_here:
            message += f"; expected {describe_expected(expected_here)}"
        else:
            allowed = getattr(error, "allowed", None)
            if allowed and len(allowed) <= 3:  # a long list here would name tokens not valid at this point
                message += f"; expected {describe_expected(allowed)}"
    return language_finding("SL001", message, span)


def _pending_block_header(error) -> list:
    """The name and labels of the nested block being read when the parser
    failed (`role customer` in `{ role customer }`), from the parser's stack;
    [] when the stack does not end with one."""
    state = getattr(error, "state", None)
    stack = getattr(state, "value_stack", None) or []
    words: list = []
    for item in reversed(stack):
        if getattr(item, "type", None) in ("ID", "STRING"):
            words.append(item)
        elif str(getattr(item, "data", "")).startswith("__nested_block_star"):  # Lark's node for `label*`
            words.extend(reversed(item.children))
        else:
            break
    words.reverse()
    return words


def _unclosed_long_string(error, column: int):
    """The empty-string token just before the failing quote, when the two
    touch on one line and so are really three quotes that never close."""
    history = getattr(error, "token_history", None) or []
    token = history[-1] if history else None
    if (
        token is not None
        and token.type == "STRING"
        and str(token) == '""'
        and token.end_line == error.line
        and token.end_column == column
        and getattr(error, "char", "") == '"'
    ):
        return token
    return None


def text_from(error, text: str, line_offset: int) -> str:
    """The source text from the error's position on (the error's own offsets
    are relative to the re-parsed segment)."""
    lines = text.split("\n", error.line + line_offset)
    line_text = lines[error.line + line_offset - 1] if len(lines) >= error.line + line_offset else ""
    rest = line_text[error.column - 1 :]
    if len(lines) > error.line + line_offset:
        rest += "\n" + lines[-1][:200]
    return rest


def _describe_bad_literal(word: str) -> str:
    unit = re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?([A-Za-z_]+)", word)
    if unit:
        return (
            f"'{word}' is not a valid duration: unknown unit '{unit.group(1)}' (use {words(DURATION_UNITS)}, e.g. 30d)"
        )
    if re.fullmatch(r"[0-9]+-[0-9]+-[0-9]+", word):
        return f"'{word}' is not a valid date: write YYYY-MM-DD, e.g. 2026-01-01"
    if ":" in word:
        return f"'{word}' is not a valid time range: write HH:MM-HH:MM, e.g. 08:00-18:00"
    return f"'{word}' is not a valid number, percent, duration or date"


def _end_of_content(text: str) -> tuple[int, int]:
    content = text.rstrip()
    if not content:
        return 1, 1
    line = content.count("\n") + 1
    return line, len(content) - (content.rfind("\n") + 1) + 1


_BRACE_SCAN = re.compile(r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|#[^\n]*|[{}]|\n')


def _unclosed_block(text: str) -> tuple[int, str] | None:
    """(line, header) of the block that most likely lacks its `}` (strings and
    comments skipped). Braces alone cannot tell which block it is: with one
    `}` missing, every `}` closes the block inside the one it was written for.
    Indentation tells: a `}` at the start of a line that closes a block opened
    on a line indented deeper than the `}`, while an open block further out is
    indented as the `}` is, closes the wrong block, and the block it closed is
    the one left open. Without such a sign, the innermost block never closed."""
    stack: list[tuple[int, int, int]] = []  # (line, indentation of that line, offset of '{')
    line, line_start = 1, 0
    suspect = None
    for match in _BRACE_SCAN.finditer(text):
        token = match.group(0)
        if token == "\n":
            line, line_start = line + 1, match.end()
        elif token == "{":
            stack.append((line, _indentation(text, line_start), match.start()))
        elif token == "}":
            if not stack:
                continue
            opened = stack.pop()
            own_line = not text[line_start : match.start()].strip()
            indent = match.start() - line_start
            if suspect is None and own_line and opened[1] > indent and any(outer[1] == indent for outer in stack):
                suspect = opened
        else:
            newlines = token.count("\n")
            if newlines:
                line += newlines
                line_start = match.start() + token.rfind("\n") + 1
    block = suspect or (stack[-1] if stack else None)
    if block is None:
        return None
    return block[0], _header_before(text, block[2])


def _indentation(text: str, line_start: int) -> int:
    end = line_start
    while end < len(text) and text[end] in " \t":
        end += 1
    return end - line_start


def _header_before(text: str, brace: int) -> str:
    """The words before a `{` on its line (`objective availability`), shortened."""
    start = max(text.rfind("\n", 0, brace), text.rfind("{", 0, brace), text.rfind("}", 0, brace)) + 1
    header = " ".join(text[start:brace].split())
    return header if len(header) <= 40 else header[:37] + "..."
