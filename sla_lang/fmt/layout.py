"""The canonical layout, printed from the lossless view (tree.py).

Two spaces a level; one statement a line, a block of attributes and plain
strings that was written on one line and fits in 100 columns staying on one
line (two spaces between its statements); attributes in the language's
order (order.py), nested blocks and strings after them as written; one blank
line between declarations, and inside a block at most one where the author
left some; values as written, `;` dropped, spaces normalised.

Comments stay with their element. A line that carries a `# slalint:`
comment, or that an own-line one above it covers, is never split, so that a
suppression covers the same findings after formatting as before.
"""

from __future__ import annotations

from ..syntax.lalr import Token
from .order import field_ranks
from .tree import Attribute, Comment, Element, File, Item, Nested

INDENT = "  "
WIDTH = 100
_SEPARATOR = "  "


def print_file(view: File, text: str) -> str:
    printer = _Printer(text)
    for index, declaration in enumerate(printer.grouped(view.declarations, 0)):
        if index:
            printer.lines.append("")
        printer.element(declaration, 0, first=True)
    for comment in view.end_comments:
        if comment.blank_before and printer.lines:
            printer.lines.append("")
        printer.lines.append(comment.text)
    return "\n".join(printer.lines) + "\n" if printer.lines else ""


def value_text(node) -> str:
    """A value as written, with the spaces between its tokens normalised."""
    if isinstance(node, Token):
        return str(node).replace("\r\n", "\n") if node.type == "LONG_STRING" else str(node)
    kind, children = node.data, [child for child in node.children if child is not None]
    if kind == "reference":
        return ".".join(children)
    if kind == "list":
        inner = [value_text(child) for child in children if not _is_bracket(child)]
        return "[" + ", ".join(inner) + "]"
    if kind == "day_windows":
        return ", ".join(value_text(child) for child in children)
    # string, number, percent, duration, date, boolean, always: one token;
    # comparison, condition, day_window, per_unit: their parts one space apart.
    return " ".join(value_text(child) for child in children)


def _is_bracket(node) -> bool:
    return isinstance(node, Token) and node.type in ("LSQB", "RSQB")


def _has_long_string(node) -> bool:
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            if node.type == "LONG_STRING":
                return True
        elif node is not None:
            stack.extend(node.children)
    return False


class _Printer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []

    # -- elements ---------------------------------------------------------------

    def element(self, element: Element, depth: int, first: bool) -> None:
        indent = INDENT * depth
        for index, comment in enumerate(element.leading):
            if comment.blank_before and not (first and index == 0):
                self.lines.append("")
            self.lines.append(indent + comment.text)
        if element.leading and element.blank_after_leading:
            self.lines.append("")
        elif not element.leading and element.blank_before and not first:
            self.lines.append("")
        if isinstance(element, _Group):
            self.add(indent + _SEPARATOR.join(element.texts), element.trailing)
        elif isinstance(element, Nested):
            self.nested(element, depth)
        else:
            self.add(indent + self.statement_text(element), element.trailing)

    def add(self, line: str, trailing: Comment | None) -> None:
        self.lines.append(f"{line}  {trailing.text}" if trailing is not None else line)

    def statement_text(self, element: Element) -> str:
        if element.inner:  # a comment inside it: as written, so that it keeps its place
            return self.verbatim(element.start, element.end)
        if isinstance(element, Attribute):
            return f"{element.key}: {value_text(element.value)}"
        return value_text(element.token)

    def verbatim(self, start: int, end: int) -> str:
        return self.text[start:end].replace("\r\n", "\n")

    def header(self, element: Nested) -> str:
        return " ".join(element.words)

    def opening(self, element: Nested) -> str:
        """The header and its `{`; as written, up to the `{`, when a comment
        stands inside it (the `{` cannot follow the comment on its line)."""
        if element.inner:
            return self.verbatim(element.start, element.block.open.end_pos)
        return f"{self.header(element)} {{"

    def nested(self, element: Nested, depth: int) -> None:
        indent = INDENT * depth
        block = element.block
        one_line = self.one_line(element, depth)
        if one_line is not None:
            self.add(indent + one_line, element.trailing)
            return
        self.add(indent + self.opening(element), block.open_comment)
        ranks = field_ranks(element.name, declaration=depth == 0)
        for index, statement in enumerate(_ordered(self.grouped(block.statements, depth + 1), ranks)):
            self.element(statement, depth + 1, first=index == 0)
        for comment in block.dangling:
            if comment.blank_before and block.statements:
                self.lines.append("")
            self.lines.append(INDENT * (depth + 1) + comment.text)
        self.add(indent + "}", element.trailing)

    # -- lines that are never split ----------------------------------------------

    def grouped(self, statements: list, depth: int) -> list:
        """The statements, those that share a line a suppression covers
        joined into one _Group (printed on that one line)."""
        units: list = []
        run: list = []
        for statement in [*statements, None]:
            if statement is not None and run and statement.line == run[-1].end_line and statement.one_line:
                run.append(statement)
                continue
            group = self.group(run, depth) if len(run) > 1 else None
            units.extend([group] if group is not None else run)
            run = [statement] if statement is not None and statement.one_line else []
            if statement is not None and not statement.one_line:
                units.append(statement)
        return units

    def group(self, run: list, depth: int):
        if not (_suppressed_after(run[-1]) or _suppressed_above(run[0])):
            return None
        texts = []
        for member in run:
            text = self.inline(member, depth == 0) if isinstance(member, Nested) else self.statement_text(member)
            if text is None:
                return None
            texts.append(text)
        return _Group(run, texts)

    # -- one-line blocks ---------------------------------------------------------

    def one_line(self, element: Nested, depth: int) -> str | None:
        """The block on one line, when it stays there: it was written on one
        line, holds no comment, and either holds attributes and plain strings
        only and fits, or a suppression covers its line (never split)."""
        block = element.block
        if block.open.line != block.close.line or element.inner or block.open_comment is not None:
            return None
        if not _covered_by_suppression(element):
            if not all(_plain(statement) for statement in block.statements):
                return None
        line = self.inline(element, depth == 0)
        if line is None:
            return None
        if len(INDENT * depth) + len(line) > WIDTH and not _covered_by_suppression(element):
            return None
        return line

    def inline(self, element: Nested, declaration: bool) -> str | None:
        """`header { a: 1  b: 2 }`, nested blocks inline too; None when a
        statement carries a comment or spans lines."""
        statements = element.block.statements
        if not statements:
            return f"{self.header(element)} {{}}"
        parts = []
        ranks = field_ranks(element.name, declaration)
        for statement in _ordered(statements, ranks):
            if statement.leading or statement.trailing or statement.inner or not statement.one_line:
                return None
            if isinstance(statement, Nested):
                part = self.inline(statement, declaration=False)
                if part is None:
                    return None
            else:
                part = self.statement_text(statement)
            parts.append(part)
        return f"{self.header(element)} {{ {_SEPARATOR.join(parts)} }}"


def _plain(statement: Element) -> bool:
    """An attribute or a plain string, without a triple-quoted string."""
    if isinstance(statement, Attribute):
        return not _has_long_string(statement.value)
    return isinstance(statement, Item) and statement.token.type != "LONG_STRING"


def _covered_by_suppression(element: Element) -> bool:
    """Whether a `# slalint:` comment ends the element's line or, on the line
    above it, covers it."""
    return _suppressed_after(element) or _suppressed_above(element)


def _suppressed_after(element: Element) -> bool:
    return element.trailing is not None and element.trailing.suppression


def _suppressed_above(element: Element) -> bool:
    return bool(element.leading) and element.leading[-1].suppression and not element.blank_after_leading


class _Group:
    """Statements written on one line that a suppression covers: printed on
    that line together, placed where the first of them goes."""

    def __init__(self, members: list, texts: list[str]) -> None:
        self.members = members
        self.texts = texts
        first = members[0]
        self.leading = first.leading
        self.blank_before = first.blank_before
        self.blank_after_leading = first.blank_after_leading
        self.trailing = members[-1].trailing
        self.attributes_only = all(isinstance(member, Attribute) for member in members)


def _ordered(statements: list, ranks: dict[str, int] | None) -> list:
    """Attributes in the block's order (stable: repeated keys keep theirs),
    then nested blocks and strings as written."""
    attributes = [s for s in statements if _is_attribute(s)]
    others = [s for s in statements if not _is_attribute(s)]
    if ranks is not None:
        unknown = len(ranks)
        attributes.sort(key=lambda unit: min(ranks.get(str(a.key), unknown) for a in _members(unit)))
    return attributes + others


def _is_attribute(unit) -> bool:
    return isinstance(unit, Attribute) or (isinstance(unit, _Group) and unit.attributes_only)


def _members(unit) -> list:
    return unit.members if isinstance(unit, _Group) else [unit]
