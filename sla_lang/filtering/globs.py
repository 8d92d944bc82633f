"""Globs of `exclude` and `per-file-ignores`: gitignore patterns, matched
without backtracking.

On paths relative to the workspace root, with `/` separators, as a
.gitignore at the root would match them: `*` matches characters other than
`/`, `?` one such character, `[a-z]` / `[!a-z]` one character of a class
(never `/`); `**/` at the start or after a `/` matches any directories (none
too), `/**` at the end everything inside; other runs of stars are a `*`.
A backslash makes the next character literal (`\\*`, `\\[`), and trailing
spaces are dropped unless escaped. A glob with a `/` at its start or in its
middle is anchored at the root (`/draft.sla` is the root's file only); one
without matches a name at any depth. A trailing `/` matches directories only.
Every glob also matches what lies under the directory it names.

What a .gitignore means but a list of globs cannot is refused (GlobError,
which config/keys.py reports at the glob): `!` negation, a leading `#` (a comment
there), an empty glob, `//`, `.` and `..` components, `[:alpha:]` classes, an
unclosed `[`, a range that runs backwards, a trailing lone backslash.

A regular expression with one `.*` per star backtracks: `*a*a*a...!` took
minutes per file name. Here a set of globs is compiled once into one
automaton whose live positions are the bits of an int, and each character of
a path is one step of a few integer operations (Shift-And with character
classes and skippable runs, after Navarro and Raffinot): a match costs at
most the path's length times the globs' total length, whatever they hold.
"""

from __future__ import annotations

from functools import lru_cache

MAX_GLOBS = 1_000  # per configuration, `exclude` and `per-file-ignores` together

# What one position of a glob matches.
_LITERAL = "literal"  # its own character, once
_CLASS = "[]"  # one character of a class, never '/'
_NAME_CHARACTER = "?"  # one character other than '/'
_NAME_RUN = "*"  # characters other than '/', as many as there are (none too)
_ANY_RUN = "**"  # any characters (none too)
_DIRECTORIES = "**/"  # nothing, or any characters followed by '/'

_SKIPPABLE = (_NAME_RUN, _ANY_RUN, _DIRECTORIES)


class GlobError(ValueError):
    """A glob that means something else in a .gitignore, or nothing at all."""


class CharacterClass:
    """`[a-z_]`, `[!.]`: single characters and ranges, perhaps negated; never '/'."""

    __slots__ = ("negated", "characters", "ranges", "written")

    def __init__(self, negated: bool, characters: str, ranges: list[tuple[str, str]], written: str) -> None:
        self.negated = negated
        self.characters = characters
        self.ranges = ranges
        self.written = written  # as in the glob, brackets included

    def accepts(self, char: str) -> bool:
        if char == "/":
            return False
        inside = char in self.characters or any(low <= char <= high for low, high in self.ranges)
        return inside != self.negated


class Glob:
    """A glob parsed: its positions in order (kind, the character of a literal
    or the class), and whether it matches directories only (a trailing '/')."""

    __slots__ = ("items", "directory_only")

    def __init__(self, items: list, directory_only: bool) -> None:
        self.items = items
        self.directory_only = directory_only


def parse_glob(glob: str) -> Glob:
    """The positions of `glob` as gitignore reads it, or a GlobError that says what to write instead."""
    if glob.startswith("!"):
        raise GlobError(
            "'!' (negation) is not supported: list only what to match, or write '\\!' for a name that starts with '!'"
        )
    if glob.startswith("#"):
        raise GlobError(
            "in a .gitignore a line that starts with '#' is a comment: write '\\#' for a name that starts with '#'"
        )
    tokens = _tokens(glob)
    while tokens and tokens[-1] == (_LITERAL, " ", False):  # trailing spaces, unless escaped
        tokens.pop()
    directory_only = bool(tokens) and tokens[-1] == (_LITERAL, "/", False)
    if directory_only:
        tokens.pop()
    if not tokens:
        raise GlobError("an empty glob matches nothing: remove it")
    slashes = [index for index, token in enumerate(tokens) if _is_slash(token)]
    # As git reads a .gitignore: a '/' anywhere in the text anchors, even in a class.
    anchored = bool(slashes) or any(kind == _CLASS and "/" in value.written for kind, value, _ in tokens)
    if slashes and slashes[0] == 0:
        tokens.pop(0)
        slashes = [index - 1 for index in slashes[1:]]
    _refuse_odd_components(tokens, slashes)
    items: list = [] if anchored else [(_DIRECTORIES, "")]  # a name at any depth
    index = 0
    while index < len(tokens):
        kind, value, _ = tokens[index]
        if kind == _ANY_RUN:
            after_slash = index == 0 or _is_slash(tokens[index - 1])
            at_end = index + 1 == len(tokens)
            if after_slash and not at_end and _is_slash(tokens[index + 1]):
                items.append((_DIRECTORIES, ""))  # `**/`: the '/' is part of it
                index += 1
            else:  # `/**` at the end: everything inside; `a**b` is `a*b`
                items.append((_ANY_RUN if after_slash and at_end else _NAME_RUN, ""))
        else:
            items.append((kind, value))
        index += 1
    return Glob(items + [(_LITERAL, "/"), (_ANY_RUN, "")], directory_only)  # and everything under it


def _is_slash(token: tuple) -> bool:
    return token[:2] == (_LITERAL, "/")


def _tokens(glob: str) -> list[tuple]:
    """(kind, value, escaped) for each character or class of `glob`; a run of
    two or more stars is one _ANY_RUN token (parse_glob decides what it means)."""
    tokens: list[tuple] = []
    index = 0
    while index < len(glob):
        char = glob[index]
        if char == "\\":
            if index + 1 == len(glob):
                raise GlobError("a glob cannot end with a lone '\\': write '\\\\' for a backslash")
            tokens.append((_LITERAL, glob[index + 1], True))
            index += 2
        elif char == "*":
            end = index
            while end < len(glob) and glob[end] == "*":
                end += 1
            tokens.append((_ANY_RUN if end - index > 1 else _NAME_RUN, "", False))
            index = end
        elif char == "?":
            tokens.append((_NAME_CHARACTER, "", False))
            index += 1
        elif char == "[":
            character_class, index = _character_class(glob, index)
            tokens.append((_CLASS, character_class, False))
        else:
            tokens.append((_LITERAL, char, False))
            index += 1
    return tokens


def _character_class(glob: str, start: int) -> tuple[CharacterClass, int]:
    """The class that opens at glob[start] ('['), and the index after its ']'."""
    index = start + 1
    negated = index < len(glob) and glob[index] in "!^"
    index += negated
    characters: list[str] = []
    ranges: list[tuple[str, str]] = []
    first = True
    while index < len(glob) and (glob[index] != "]" or first):
        first = False
        if glob.startswith("[:", index):
            raise GlobError("classes such as [:alpha:] are not supported: write the characters, e.g. [a-zA-Z]")
        char, index = _class_character(glob, index)
        if glob.startswith("-", index) and index + 1 < len(glob) and glob[index + 1] != "]":
            high, index = _class_character(glob, index + 1)
            if high < char:
                raise GlobError(f"the range {char}-{high} runs backwards: write {high}-{char}")
            ranges.append((char, high))
        else:
            characters.append(char)
    if index >= len(glob):
        raise GlobError("'[' opens a class that no ']' closes: write '\\[' for a bracket")
    return CharacterClass(negated, "".join(characters), ranges, glob[start : index + 1]), index + 1


def _class_character(glob: str, index: int) -> tuple[str, int]:
    if glob[index] == "\\" and index + 1 < len(glob):
        return glob[index + 1], index + 2
    return glob[index], index + 1


def _refuse_odd_components(tokens: list[tuple], slashes: list[int]) -> None:
    """`a//b`, `./a`, `a/../b`: paths slalint matches have none of these, so the glob could match nothing."""
    bounds = [-1, *slashes, len(tokens)]
    for left, right in zip(bounds, bounds[1:], strict=False):
        component = tokens[left + 1 : right]
        if not component:
            raise GlobError("'//' (an empty directory name) matches nothing: write one '/'")
        if [token[:2] for token in component] in ([(_LITERAL, ".")], [(_LITERAL, ".")] * 2):
            raise GlobError(
                "'.' and '..' match nothing: globs are relative to the workspace root (a leading '/' anchors one there)"
            )


class GlobSet:
    """Globs compiled together: `matching(path)` says which of them match.

    Bit p of the state is set when the path read so far can continue with
    position p of some glob; each glob owns a range of bits, followed by one
    that holds no position (its end), so that no step carries into the next."""

    def __init__(self, globs) -> None:
        self.globs = list(globs)
        self._literal: dict[str, int] = {}
        self._classes: list[tuple[int, CharacterClass]] = []  # (position, class)
        self._class_positions: dict[str, int] = {}  # by character: the classes' positions that take it
        name_character = name_run = any_run = directories = skippable = start = 0
        self._ends: list[int] = []  # per glob: the bits that mean it matched
        bit = 0
        for glob in self.globs:
            start |= 1 << bit
            parsed = parse_glob(glob)
            for kind, char in parsed.items:
                position = 1 << bit
                if kind == _LITERAL:
                    self._literal[char] = self._literal.get(char, 0) | position
                elif kind == _CLASS:
                    self._classes.append((position, char))
                elif kind == _NAME_CHARACTER:
                    name_character |= position
                elif kind == _NAME_RUN:
                    name_run |= position
                elif kind == _ANY_RUN:
                    any_run |= position
                else:
                    directories |= position
                if kind in _SKIPPABLE:
                    skippable |= position
                bit += 1
            # Matched: at the final '/' (the path ends there: not for a directory
            # only glob, since the paths matched are files) or at the end (something under it).
            self._ends.append((0 if parsed.directory_only else 1 << (bit - 2)) | (1 << bit))
            bit += 1
        self._any_end = 0
        for end in self._ends:
            self._any_end |= end
        self._advance_on_slash = self._literal.get("/", 0) | directories
        self._advance_on_other = name_character
        self._stay_on_slash = any_run
        self._stay_on_other = any_run | name_run
        self._directories = directories
        self._runs_start, self._runs_end, self._runs = _runs(skippable)
        self._start = self._skip(start)
        self._steps: dict[tuple[int, str], int] = {}
        self._room = min(100_000, (1 << 28) // max(bit, 1))  # remembered steps: at most 32 MiB of states

    def _skip(self, state: int) -> int:
        """`state` with the positions reached from it by skipping runs of
        skippable positions: in each run, every bit from the lowest one set up
        to the position after the run (one subtraction borrows across a run)."""
        marked = state | self._runs_end
        return state | (self._runs & (~(marked - self._runs_start) ^ marked))

    def _step(self, state: int, char: str) -> int:
        if char == "/":
            advance, stay = self._advance_on_slash, self._stay_on_slash
        else:
            advance = self._advance_on_other | self._literal.get(char, 0)
            if self._classes:
                advance |= self._taking(char)
            stay = self._stay_on_other
        # `**/` stays without being skipped again: after `a**/` has read "ax",
        # only a '/' can end it.
        return self._skip(((state & advance) << 1) | (state & stay)) | (state & self._directories)

    def _taking(self, char: str) -> int:
        """The positions of the classes that take `char`, worked out once per character."""
        positions = self._class_positions.get(char)
        if positions is None:
            positions = 0
            for position, character_class in self._classes:
                if character_class.accepts(char):
                    positions |= position
            self._class_positions[char] = positions
        return positions

    def _state_after(self, path: str) -> int:
        # The steps taken are remembered (a lazily built DFA, as RE2 does):
        # paths share directories and letters, so most steps are one lookup.
        steps = self._steps
        state = self._start
        for char in path:
            following = steps.get((state, char))
            if following is None:
                following = self._step(state, char)
                if len(steps) < self._room:
                    steps[state, char] = following
            state = following
            if not state:
                break
        return state

    def matches(self, path: str) -> bool:
        """Whether any of the globs matches `path`."""
        return bool(self._state_after(path) & self._any_end)

    def matching(self, path: str) -> list[int]:
        """The indexes of the globs that match `path`."""
        state = self._state_after(path)
        return [index for index, end in enumerate(self._ends) if state & end]


def _runs(skippable: int) -> tuple[int, int, int]:
    """For each maximal run of set bits in `skippable`: its lowest bit, the bit
    just above it, and all of them including that one, as three masks."""
    starts = skippable & ~(skippable << 1)
    ends = (skippable + starts) & ~skippable  # adding its lowest bit carries a run to the bit above
    return starts, ends, (skippable | ends)


@lru_cache(maxsize=4)
def compile_globs(globs: tuple[str, ...]) -> GlobSet:
    return GlobSet(globs)
