"""Globs of `exclude` and `per-file-ignores`, matched without backtracking.

On paths relative to the workspace root, with `/` separators: `**/` matches
nothing or anything that ends with `/`, `**` any characters, `*` characters
other than `/`, `?` one such character, anything else itself. A glob without
`/` matches a name at any depth, and every glob also matches what lies under
the path it names.

A regular expression with one `.*` per star backtracks: `*a*a*a...!` took
minutes per file name. Here a set of globs is compiled once into one
automaton whose live positions are the bits of an int, and each character of
a path is one step of a few integer operations (Shift-And with character
classes and skippable runs, after Navarro and Raffinot): a match costs at
most the path's length times the globs' total length, whatever they hold.
"""

from __future__ import annotations

import os
from functools import lru_cache

MAX_GLOBS = 1_000  # per configuration, `exclude` and `per-file-ignores` together

# What one position of a glob matches.
_LITERAL = "literal"  # its own character, once
_NAME_CHARACTER = "?"  # one character other than '/'
_NAME_RUN = "*"  # characters other than '/', as many as there are (none too)
_ANY_RUN = "**"  # any characters (none too)
_DIRECTORIES = "**/"  # nothing, or any characters followed by '/'

_SKIPPABLE = (_NAME_RUN, _ANY_RUN, _DIRECTORIES)


def glob_items(glob: str) -> list[tuple[str, str]]:
    """The positions of `glob`, in order: (kind, the character of a literal)."""
    glob = glob.replace(os.sep, "/").strip("/")
    if glob.startswith("./"):
        glob = glob[2:]
    items = [] if "/" in glob else [(_DIRECTORIES, "")]  # a bare name, at any depth
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            items.append((_DIRECTORIES, ""))
            i += 3
        elif glob.startswith("**", i):
            items.append((_ANY_RUN, ""))
            i += 2
        elif glob[i] in (_NAME_RUN, _NAME_CHARACTER):
            items.append((glob[i], ""))
            i += 1
        else:
            items.append((_LITERAL, glob[i]))
            i += 1
    return items + [(_LITERAL, "/"), (_ANY_RUN, "")]  # and everything under it


class GlobSet:
    """Globs compiled together: `matching(path)` says which of them match.

    Bit p of the state is set when the path read so far can continue with
    position p of some glob; each glob owns a range of bits, followed by one
    that holds no position (its end), so that no step carries into the next."""

    def __init__(self, globs) -> None:
        self.globs = list(globs)
        self._literal: dict[str, int] = {}
        name_character = name_run = any_run = directories = skippable = start = 0
        self._ends: list[int] = []  # per glob: the bits that mean it matched
        bit = 0
        for glob in self.globs:
            start |= 1 << bit
            items = glob_items(glob)
            for kind, char in items:
                position = 1 << bit
                if kind == _LITERAL:
                    self._literal[char] = self._literal.get(char, 0) | position
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
            # Matched: at the final '/' (the path ends there) or at the end (something under it).
            self._ends.append((1 << (bit - 2)) | (1 << bit))
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
            stay = self._stay_on_other
        # `**/` stays without being skipped again: after `a**/` has read "ax",
        # only a '/' can end it.
        return self._skip(((state & advance) << 1) | (state & stay)) | (state & self._directories)

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
