"""The one place that decides whether a name is close enough to a known one
to suggest it ("did you mean ...?").

A suggestion that is not a plausible typo costs the reader more than no
suggestion (`--fix` is not a misspelt `--config`, a top-level `service` is
not a misspelt `metric`), so a name is close only when few edits turn the
word into it: at most one edit per three characters of a word of three or
more (letters swapped count as one edit, case and `-`/`_` count as none), or
when the word starts with the whole name (`lenght` for `len`).
"""

from __future__ import annotations


def _close_choices(word: str, choices, max_edits: int | None):
    """(rank, choice) of each choice close enough to `word`; lower ranks are closer."""
    wanted = _normal(word)
    allowed = -(-len(wanted) // 3) if len(wanted) >= 3 else 0  # 'p' is no typo of 'c'
    if max_edits is not None:
        allowed = min(allowed, max_edits)
    for index, choice in enumerate(choices):
        normal = _normal(choice)
        if abs(len(normal) - len(wanted)) > allowed and not _extends(wanted, normal):
            continue  # too far apart in length to be a few edits away
        distance = _edit_distance(wanted, normal, allowed)
        if distance > allowed and not _extends(wanted, normal):
            continue
        yield (min(distance, allowed), index), choice


def close_match(word: str, choices, max_edits: int | None = None) -> str | None:
    """The known name closest to `word` when it is close enough, else None.
    `max_edits` tightens the limit (rule codes: SL3O1 is SL301, SL999 is nothing)."""
    best = min(_close_choices(word, choices, max_edits), default=None)
    return best[1] if best is not None else None


def only_close_match(word: str, choices) -> str | None:
    """The one known name close to `word`, or None when there is none or
    more than one: a fix may rename only what has a single plausible meaning."""
    found = None
    for _, choice in _close_choices(word, choices, None):
        if found is not None and choice != found:
            return None
        found = choice
    return found


def did_you_mean(word: str, choices, quote: str = "'", max_edits: int | None = None) -> str:
    """'; did you mean 'x'?' when a close name exists, else ''."""
    match = close_match(word, choices, max_edits)
    return f"; did you mean {quote}{match}{quote}?" if match is not None else ""


class NameHints:
    """did_you_mean() over the names of a whole workspace.

    Comparing the word with every name costs time per name: with thousands
    of agreements and hundreds of broken references that took seconds. Above
    MOST names, only the MOST that share the most letter pairs with the word
    are compared: the hint is then a close name, though where several are
    about as close, not always the one a comparison with all would pick."""

    MOST = 64

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.pairs: list[frozenset[str]] | None = None  # each name's letter pairs, made on first use

    def closest(self, word: str) -> str:
        names = self.names
        if len(names) > self.MOST:
            import heapq

            if self.pairs is None:
                self.pairs = [_letter_pairs(name) for name in names]
            pairs, wanted = self.pairs, _letter_pairs(word)
            best = heapq.nlargest(self.MOST, range(len(names)), key=lambda i: len(wanted & pairs[i]))
            names = [names[i] for i in best]
        return did_you_mean(word, names)

    def only_close(self, word: str) -> str | None:
        """The one name close to `word` (among all of them), or None."""
        return only_close_match(word, self.names)


class OneEditHints:
    """did_you_mean() for rule codes in suppressions, where a file may name
    thousands of unknown ones: a code is suggested when one character changed,
    added or removed turns the word into it, looked up in an index of every
    code's neighbours made once."""

    LONGEST = 16  # codes up to this long are suggested

    def __init__(self, codes: list[str]) -> None:
        self.neighbours: dict[str, str] = {}
        for code in reversed(codes):  # the first code in order wins a shared neighbour
            if len(code) <= self.LONGEST:
                for variant in (code, *_one_edit_apart(code)):
                    self.neighbours[variant] = code

    def did_you_mean(self, word: str) -> str:
        if len(word) > self.LONGEST + 1:
            return ""
        for variant in (word, *_one_edit_apart(word)):
            if variant in self.neighbours:
                return f"; did you mean '{self.neighbours[variant]}'?"
        return ""


def _one_edit_apart(word: str) -> list[str]:
    """`word` with one character replaced by '?', or removed: two words one
    edit apart share one of these."""
    replaced = [word[:i] + "?" + word[i + 1 :] for i in range(len(word))]
    removed = [word[:i] + word[i + 1 :] for i in range(len(word))]
    return replaced + removed


def _letter_pairs(name: str) -> frozenset[str]:
    padded = f"^{name}$"  # so that one-letter names have pairs too, and ends count
    return frozenset(padded[i : i + 2] for i in range(len(padded) - 1))


def _normal(name: str) -> str:
    return name.lower().replace("-", "_")


def _extends(word: str, name: str) -> bool:
    """`lenght` extends `len`: the word is the name with a few letters more."""
    return len(name) >= 3 and word.startswith(name) and len(word) - len(name) <= 3


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions
    and swaps of neighbours), stopping early once it must exceed `limit`."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
