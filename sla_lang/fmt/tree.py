"""A lossless view of an agreement file for the formatter: its declarations,
blocks and statements with their tokens and positions, and every comment
attached to the element it precedes or ends.

The file is parsed by the same tables and runtime as `check` (syntax/lalr.py)
with no transformer, so each rule gives a plain tree of tokens; comments
arrive through the lexer callback with their offsets. Blank lines are not
tokens: each element records whether one or more blank lines stood before
it, found in the gap between it and what precedes it.
"""

from __future__ import annotations

from ..syntax.lalr import Parser, Token, Tree, UnexpectedInput, load_tables
from ..syntax.records import MAX_NESTING


class Comment:
    __slots__ = ("text", "line", "start", "end", "blank_before")

    def __init__(self, token: Token) -> None:
        self.text = str(token).rstrip("\r")
        self.line = token.line
        self.start = token.start_pos
        self.end = token.start_pos + len(self.text)
        self.blank_before = False

    @property
    def suppression(self) -> bool:
        return self.text[1:].lstrip().startswith("slalint")


class Element:
    """A declaration or a statement: where it starts and ends, the own-line
    comments above it, the comment that ends its last line, and whether a
    blank line stood before it (or before its first comment)."""

    __slots__ = (
        "start", "end", "line", "end_line", "leading", "trailing", "blank_before", "blank_after_leading", "inner",
    )  # fmt: skip

    def __init__(self, first: Token, last: Token) -> None:
        self.start, self.end = first.start_pos, last.end_pos
        self.line, self.end_line = first.line, last.end_line
        self.leading: list[Comment] = []
        self.trailing: Comment | None = None
        self.blank_before = False
        self.blank_after_leading = False  # between its last own-line comment and itself
        self.inner: list[Comment] = []  # comments inside it that no block of it holds

    @property
    def one_line(self) -> bool:
        return self.line == self.end_line


class Block:
    __slots__ = ("open", "close", "statements", "open_comment", "dangling")

    def __init__(self, open_token: Token, statements: list, close_token: Token) -> None:
        self.open = open_token
        self.close = close_token
        self.statements = statements
        self.open_comment: Comment | None = None  # after the `{` on its line
        self.dangling: list[Comment] = []  # own-line comments after the last statement


class Attribute(Element):
    __slots__ = ("key", "value")

    def __init__(self, key: Token, value) -> None:
        super().__init__(key, last_token(value))
        self.key = key
        self.value = value


class Item(Element):
    __slots__ = ("token",)

    def __init__(self, token: Token) -> None:
        super().__init__(token, token)
        self.token = token


class Nested(Element):
    """A nested block (`service api "API" { ... }`) or, with `kind` set, a
    declaration (`sla gold "Gold" { ... }`)."""

    __slots__ = ("words", "block")

    def __init__(self, words: list[Token], block: Block) -> None:
        super().__init__(words[0], block.close)
        self.words = words  # the keyword, id and labels, as written
        self.block = block

    @property
    def name(self) -> str:
        return str(self.words[0])


class File:
    __slots__ = ("declarations", "end_comments", "escapes")

    def __init__(self, declarations: list[Nested], end_comments: list[Comment], escapes: bool) -> None:
        self.declarations = declarations
        self.end_comments = end_comments
        self.escapes = escapes  # a string holds a backslash: the full parse judges its escapes


class NotParsed(Exception):
    """The file does not parse (or nests too deep); the full parse says why."""


def last_token(node) -> Token:
    """The last token of a value; iterative, as a value nests lists."""
    while not isinstance(node, Token):
        node = next(child for child in reversed(node.children) if child is not None)
    return node


def first_token(node) -> Token:
    while not isinstance(node, Token):
        node = next(child for child in node.children if child is not None)
    return node


class _Collector:
    """The lexer callbacks: keep the comments, count the open brackets (the
    printer recurses once a level), notice escapes."""

    def __init__(self) -> None:
        self.comments: list[Comment] = []
        self.depth = 0
        self.escapes = False

    def callbacks(self) -> dict:
        return {
            "COMMENT": self.comment,
            "LBRACE": self.open,
            "LSQB": self.open,
            "RBRACE": self.close,
            "RSQB": self.close,
            "STRING": self.string,
            "LONG_STRING": self.string,
        }

    def comment(self, token: Token) -> Token:
        self.comments.append(Comment(token))
        return token

    def open(self, token: Token) -> Token:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise NotParsed()
        return token

    def close(self, token: Token) -> Token:
        self.depth -= 1
        return token

    def string(self, token: Token) -> Token:
        if "\\" in token:
            self.escapes = True
        return token


_PARSER: list[Parser] = []


def parse_lossless(text: str) -> File:
    """The lossless view of `text`; NotParsed when it does not parse, for
    the caller to ask `check`'s own parser for the error and its message."""
    collector = _Collector()
    if not _PARSER:
        _PARSER.append(Parser(load_tables("agreement.lark"), object(), {}))
    parser = _PARSER[0]
    parser.callbacks = collector.callbacks()
    try:
        tree = parser.parse(text)
    except UnexpectedInput:
        raise NotParsed() from None
    declarations = [_declaration(child) for child in tree.children]
    end_comments = _Attacher(text, collector.comments).attach(declarations)
    return File(declarations, end_comments, collector.escapes)


def _declaration(tree: Tree) -> Nested:
    kind, ident, title, block = tree.children
    words = [kind, ident] + ([title] if title is not None else [])
    return Nested(words, _block(block))


def _block(tree: Tree) -> Block:
    children = tree.children
    return Block(children[0], [_statement(child) for child in children[1:-1]], children[-1])


def _statement(tree: Tree):
    if tree.data == "attribute":
        return Attribute(tree.children[0], tree.children[1])
    if tree.data == "item":
        return Item(tree.children[0])
    return Nested(tree.children[:-1], _block(tree.children[-1]))


class _Attacher:
    """Gives each comment its element, walking the elements and the comments
    (both in the order of the text) once."""

    def __init__(self, text: str, comments: list[Comment]) -> None:
        self.text = text
        self.comments = comments
        self.next = 0  # the first comment not yet attached
        self.last_end = 0  # where the last element or comment seen ends

    def attach(self, declarations: list[Nested]) -> list[Comment]:
        """Attach every comment; returns those after the last declaration."""
        return self._sequence(declarations, None)

    def _take_before(self, offset: int) -> list[Comment]:
        """The comments before `offset` not yet attached, each marked with
        whether a blank line stood before it."""
        taken = []
        while self.next < len(self.comments) and self.comments[self.next].start < offset:
            comment = self.comments[self.next]
            comment.blank_before = self._blank_between(self.last_end, comment.start)
            self.last_end = comment.end
            taken.append(comment)
            self.next += 1
        return taken

    def _blank_between(self, start: int, end: int) -> bool:
        newlines = 0
        index = self.text.find("\n", start, end)
        while index != -1:
            newlines += 1
            if newlines == 2:
                return True
            index = self.text.find("\n", index + 1, end)
        return False

    def _sequence(self, elements: list, block: Block | None) -> list[Comment]:
        """Attach the comments among `elements` (the statements of `block`, or
        the declarations of the file); returns those after the last element
        that end nothing (the block's dangling comments)."""
        previous_line = block.open.line if block is not None else 0
        previous = None
        for element in elements:
            for comment in self._take_before(element.start):
                if comment.line == previous_line:
                    if previous is None:
                        block.open_comment = comment
                    else:
                        previous.trailing = comment
                else:
                    element.leading.append(comment)
            if element.leading:
                element.blank_before = element.leading[0].blank_before
                element.blank_after_leading = self._blank_between(element.leading[-1].end, element.start)
            else:
                element.blank_before = self._blank_between(self.last_end, element.start)
            self.last_end = element.start
            self._inside(element)
            self.last_end = max(self.last_end, element.end)
            previous, previous_line = element, element.end_line
        limit = block.close.start_pos if block is not None else len(self.text) + 1
        rest = []
        for comment in self._take_before(limit):
            if comment.line == previous_line and previous is not None:
                previous.trailing = comment
            elif comment.line == previous_line and block is not None:
                block.open_comment = comment
            else:
                rest.append(comment)
        return rest

    def _inside(self, element) -> None:
        if isinstance(element, Nested):
            element.inner = self._take_before(element.block.open.start_pos)
            self.last_end = element.block.open.end_pos
            block = element.block
            block.dangling = self._sequence(block.statements, block)
            self.last_end = block.close.end_pos
        else:
            element.inner = self._take_before(element.end)
