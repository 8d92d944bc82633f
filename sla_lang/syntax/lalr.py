"""A small runtime for the LALR(1) parser that Lark builds from a grammar.

Lark computes the parse table and, for each parser state, the regular
expression of the terminals its contextual lexer may match there. Running
them through Lark means importing Lark, a large part of a one-file check
in a pre-commit hook. So Lark exports them once into plain data (lists,
dicts, strings), kept in slalint's own cache directory, and this module runs
them: the contextual lexer, the LALR loop, and Lark's conventions for
building the tree (anonymous tokens left out, `_rules` inlined, a `?rule`
with one child replaced by it, `[x]` giving None when x is absent).

Errors carry the attributes of Lark's (`token`, `expected`, `accepts`,
`allowed`, `char`, `token_history`, `state.value_stack`, ...), so parser.py
reads them as it read Lark's. Lark stays the authority on the grammar: the
tables are rebuilt by it whenever the grammar or FORMAT changes, and
tests/test_lalr.py compares this runtime with Lark's on every input it has.
"""

from __future__ import annotations

import os
import pickle
import re

from ..reading.paths import cache_hash, grammar_path, user_cache

FORMAT = 2  # of the exported tables; change it when export_tables changes

# export_tables reads Lark's parse table and lexers through attributes that are
# not Lark's public API: the minor version it was written and tested against
# (pyproject.toml pins the same).
TESTED_LARK = "1.3"


class UnsupportedLark(Exception):
    """The installed Lark keeps its tables where export_tables does not look."""


class Token(str):
    """A terminal with its position, like Lark's Token (a str with attributes)."""

    __slots__ = ("type", "start_pos", "line", "column", "end_line", "end_column", "end_pos")

    def __new__(cls, type_, value, start_pos, line, column, end_line, end_column, end_pos):
        token = str.__new__(cls, value)
        token.type = type_
        token.start_pos = start_pos
        token.line = line
        token.column = column
        token.end_line = end_line
        token.end_column = end_column
        token.end_pos = end_pos
        return token

    @property
    def value(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {str(self)!r})"


class Tree:
    """A node of a rule the transformer has no method for (Lark's `Tree`)."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list) -> None:
        self.data = data
        self.children = children


class ParserState:
    """What an error shows of the parser: its stacks at the point of failure."""

    __slots__ = ("state_stack", "value_stack")

    def __init__(self, state_stack: list, value_stack: list) -> None:
        self.state_stack = state_stack
        self.value_stack = value_stack


class UnexpectedInput(Exception):
    line: int
    column: int
    pos_in_stream: int
    token_history: list | None = None


class UnexpectedToken(UnexpectedInput):
    """The parser cannot take `token`; `expected` are the terminals its state
    has an action for, `accepts` those that really lead on (merged LALR states
    make the first too many)."""

    def __init__(self, token: Token, expected: set, state: ParserState, parser: Parser, token_history=None):
        super().__init__(f"unexpected {token.type} at line {token.line}, column {token.column}")
        self.token = token
        self.expected = expected
        self.state = state
        self.line = token.line
        self.column = token.column
        self.pos_in_stream = token.start_pos
        self.token_history = token_history
        self._parser = parser
        self._accepts: set | None = None

    @property
    def accepts(self) -> set:
        if self._accepts is None:
            self._accepts = self._parser.accepts(self.state.state_stack)
        return self._accepts


class UnexpectedCharacters(UnexpectedInput):
    """No terminal matches at `pos_in_stream`; `allowed` are those the lexer of
    the parser's state tried."""

    def __init__(self, text: str, pos: int, line: int, column: int, allowed: set, state: ParserState, history):
        super().__init__(f"no terminal matches {text[pos]!r} at line {line}, column {column}")
        self.char = text[pos]
        self.pos_in_stream = pos
        self.line = line
        self.column = column
        self.allowed = allowed
        self.state = state
        self.token_history = history


class Parser:
    """Runs exported tables, calling `transformer`'s method of each rule's name
    (with the list of its children) as the rule is reduced, and
    `lexer_callbacks[TERMINAL](token)` as the lexer hands a token over."""

    def __init__(self, tables: dict, transformer, lexer_callbacks: dict | None = None) -> None:
        self.actions: list[dict[str, int]] = tables["actions"]  # target state >= 0: shift; ~rule < 0: reduce
        self.start_state: int = tables["start"]
        self.end_state: int = tables["end"]
        self.lexer_of_state: list[int] = tables["lexer_of_state"]
        self.lexers: list[tuple[list[str], list[str]]] = tables["lexers"]  # (alternations, terminal names)
        self.root_lexer: int = tables["root_lexer"]
        self.newline_types = frozenset(tables["newline_types"])
        self.ignore_types = frozenset(tables["ignore_types"])
        self.callbacks = dict(lexer_callbacks or {})
        self._matchers: list[list | None] = [None] * len(self.lexers)  # compiled on first use, as Lark does
        for terminal in tables["terminals"]:
            if hasattr(transformer, terminal):  # Lark would call it at each shift; nothing here needs that
                raise ValueError(f"the transformer's method {terminal} for a terminal is not supported")
        self.reductions = [
            (origin, size, _tree_builder(getattr(transformer, name, None), name, expand1, include, append_none))
            for origin, size, name, expand1, include, append_none in tables["rules"]
        ]

    def _matchers_of(self, lexer: int) -> list:
        matchers = self._matchers[lexer]
        if matchers is None:
            matchers = self._matchers[lexer] = [re.compile(pattern).match for pattern in self.lexers[lexer][0]]
        return matchers

    def parse(self, text: str):
        actions, reductions, end_state = self.actions, self.reductions, self.end_state
        lexer_of_state, matchers_cache = self.lexer_of_state, self._matchers
        newline_types, ignore_types, callbacks = self.newline_types, self.ignore_types, self.callbacks
        state_stack = [self.start_state]
        value_stack: list = []
        pos, line, line_start, end = 0, 1, 0, len(text)
        last = None  # the last token handed to the parser
        while True:
            # The next token, lexed with the terminals of the parser's current state.
            token = None
            while pos < end:
                lexer = lexer_of_state[state_stack[-1]]
                for match in matchers_cache[lexer] or self._matchers_of(lexer):
                    found = match(text, pos)
                    if found is not None:
                        break
                else:
                    self._fail_at_characters(text, pos, line, line_start, lexer, state_stack, value_stack, last)
                value, kind, next_pos = found.group(), found.lastgroup, found.end()
                first_line, column = line, pos - line_start + 1
                if kind in newline_types:
                    newlines = value.count("\n")
                    if newlines:
                        line += newlines
                        line_start = pos + value.rindex("\n") + 1
                if kind in ignore_types and kind not in callbacks:
                    pos = next_pos
                    continue
                token = Token(kind, value, pos, first_line, column, line, next_pos - line_start + 1, next_pos)
                pos = next_pos
                if kind in callbacks:
                    token = callbacks[kind](token)
                if kind in ignore_types:
                    token = None
                    continue
                break
            if token is None:  # Lark's end token borrows the position of the last one
                if last is None:
                    token = Token("$END", "", 0, 1, 1, None, None, None)
                else:
                    token = Token(
                        "$END", "", last.start_pos, last.line, last.column, last.end_line, last.end_column, last.end_pos
                    )
            kind = token.type
            # Reduce as long as the table says so, then shift the token.
            while True:
                action = actions[state_stack[-1]].get(kind)
                if action is None:
                    expected = {symbol for symbol in actions[state_stack[-1]] if symbol.isupper()}
                    raise UnexpectedToken(token, expected, ParserState(state_stack, value_stack), self)
                if action >= 0:
                    state_stack.append(action)
                    value_stack.append(token)
                    break
                origin, size, build = reductions[~action]
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                value = build(children)
                target = actions[state_stack[-1]][origin]
                state_stack.append(target)
                value_stack.append(value)
                if target == end_state and kind == "$END":
                    return value
            last = token

    def _fail_at_characters(self, text, pos, line, line_start, lexer, state_stack, value_stack, last):
        """Raise the error for text no terminal of this state matches: like
        Lark's contextual lexer, an UnexpectedToken when a terminal of another
        state matches there (`found ':'` reads better than a bad character)."""
        allowed = set(self.lexers[lexer][1]) - self.ignore_types or {"<END-OF-FILE>"}
        state = ParserState(state_stack, value_stack)
        column = pos - line_start + 1
        for match in self._matchers_of(self.root_lexer):
            found = match(text, pos)
            if found is not None:
                value, kind, next_pos = found.group(), found.lastgroup, found.end()
                end_line, end_start = line, line_start
                if kind in self.newline_types and "\n" in value:
                    end_line += value.count("\n")
                    end_start = pos + value.rindex("\n") + 1
                token = Token(kind, value, pos, line, column, end_line, next_pos - end_start + 1, next_pos)
                if kind in self.callbacks:
                    token = self.callbacks[kind](token)
                raise UnexpectedToken(token, allowed, state, self, token_history=[last])
        raise UnexpectedCharacters(text, pos, line, column, allowed, state, [last] if last is not None else None)

    def accepts(self, state_stack: list) -> set:
        """The terminals that the parser, in this state, can really take: those
        of its actions that survive the reductions they lead to."""
        accepted = set()
        for symbol in self.actions[state_stack[-1]]:
            if symbol.isupper() and self._takes(list(state_stack), symbol):
                accepted.add(symbol)
        return accepted

    def _takes(self, stack: list, symbol: str) -> bool:
        actions = self.actions
        while True:
            action = actions[stack[-1]].get(symbol)
            if action is None:
                return False
            if action >= 0:
                return True
            origin, size, _ = self.reductions[~action]
            if size:
                del stack[-size:]
            target = actions[stack[-1]][origin]
            stack.append(target)
            if target == self.end_state and symbol == "$END":
                return True


def _tree_builder(method, name: str, expand1: bool, include, append_none: int):
    """The function a reduction calls with the rule's children: Lark's child
    filter (then its single-child expansion for `?rules`) around the
    transformer's method, or around a Tree when there is none."""
    build = method if method is not None else (lambda children: Tree(name, children))
    if expand1:
        inner = build

        def build(children):
            return children[0] if len(children) == 1 else inner(children)

    if include is None:
        return build
    node_builder = build

    def filtered_build(children):
        filtered: list = []
        for index, expand, nones in include:
            if nones:
                filtered += [None] * nones
            if not expand:
                filtered.append(children[index])
            elif filtered:
                filtered += children[index].children
            else:  # a left-recursive `_rule`: take its list over, as Lark does
                filtered = children[index].children
        if append_none:
            filtered += [None] * append_none
        return node_builder(filtered)

    return filtered_build


# -- the tables ---------------------------------------------------------------------


def load_tables(grammar_name: str = "agreement.lark", start: str = "start") -> dict:
    """The exported tables of a grammar: from slalint's cache directory when
    they are there, else built by Lark (and cached)."""
    with open(grammar_path(grammar_name), "rb") as handle:
        grammar = handle.read()
    cache = user_cache()  # its entries are authenticated before they are unpickled
    cache_file = None
    if cache:
        digest = cache_hash(b"%d\0%s\0" % (FORMAT, start.encode()) + grammar).hexdigest()[:20]
        cache_file = cache.path(f"{os.path.splitext(grammar_name)[0]}-{digest}.tables")
        cached = cache.read(cache_file)
        try:
            tables = pickle.loads(cached) if cached is not None else None
            if type(tables) is dict and tables.get("format") == FORMAT:
                return tables
        except Exception:  # authenticated, so ours, but of another shape: build it again
            pass
    tables = export_tables(grammar.decode("utf-8"), start)
    if cache:
        cache.write(cache_file, pickle.dumps(tables, pickle.HIGHEST_PROTOCOL))
    return tables


def export_tables(grammar: str, start: str) -> dict:
    """Let Lark build the LALR(1) parser with its contextual lexer, and take
    out what running it needs, as plain data. A Lark whose internals moved is
    one clear error (UnsupportedLark), not an AttributeError from deep inside."""
    from lark import Lark

    lark = Lark(grammar, parser="lalr", lexer="contextual", start=start)
    try:
        return _export(lark, start)
    except Exception as error:
        import lark as lark_module

        version = getattr(lark_module, "__version__", "unknown")
        raise UnsupportedLark(
            f"this Lark version ({version}) is not supported; install lark=={TESTED_LARK}.*"
        ) from error


def _export(lark, start: str) -> dict:
    from functools import partial

    from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild
    from lark.parsers.lalr_analysis import Shift

    # Lark's names are its Token class (a str): each is made a plain str, so
    # that loading the tables does not import Lark.
    rules, rule_index = [], {}
    for rule, wrappers in lark._parse_tree_builder.rule_builders:
        expand1, include, append_none = False, None, 0
        for wrapper in wrappers:
            if wrapper is ExpandSingleChild:
                expand1 = True
            elif isinstance(wrapper, partial) and wrapper.func is ChildFilterLALR:
                include, append_none = [tuple(step) for step in wrapper.args[0]], wrapper.args[1]
            elif isinstance(wrapper, partial) and wrapper.func is ChildFilterLALR_NoPlaceholders:
                include = [(index, expand, 0) for index, expand in wrapper.args[0]]
            else:
                raise ValueError(f"rule {rule}: Lark's tree step {wrapper!r} is not supported")
        name = rule.alias or rule.options.template_source or rule.origin.name
        rule_index[rule] = len(rules)
        rules.append((str(rule.origin.name), len(rule.expansion), str(name), expand1, include, append_none))

    table = lark.parser.parser.parser.parse_table
    actions = [
        {str(symbol): (target if action is Shift else ~rule_index[target]) for symbol, (action, target) in row.items()}
        for _, row in sorted(table.states.items())
    ]
    assert [state for state, _ in sorted(table.states.items())] == list(range(len(actions)))

    lexers: list[tuple[list[str], list[str]]] = []
    index_of: dict[int, int] = {}

    def export_lexer(basic) -> int:
        if id(basic) not in index_of:
            scanner = basic.scanner  # built on first use
            if basic.callback:  # Lark's keyword callbacks: the grammar has none, and this runtime no such step
                raise ValueError(f"terminals {sorted(basic.callback)} need Lark's own lexer")
            index_of[id(basic)] = len(lexers)
            lexers.append(([str(mre.pattern) for mre in scanner._mres], sorted(map(str, scanner.allowed_types))))
        return index_of[id(basic)]

    contextual = lark.parser.lexer
    lexer_of_state = [export_lexer(contextual.lexers[state]) for state in range(len(actions))]
    root = contextual.root_lexer
    return {
        "format": FORMAT,
        "actions": actions,
        "rules": rules,
        "start": table.start_states[start],
        "end": table.end_states[start],
        "lexers": lexers,
        "lexer_of_state": lexer_of_state,
        "root_lexer": export_lexer(root),
        "newline_types": sorted(map(str, root.newline_types)),
        "ignore_types": sorted(map(str, root.ignore_types)),
        "terminals": sorted(str(terminal.name) for terminal in lark.terminals),
    }
