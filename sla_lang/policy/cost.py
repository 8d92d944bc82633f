"""What an evaluation pays for, out of the run's one step budget.

A quantifier pays a step for each item it visits (expr/compiler.py), and values are
paid for too: scanning or building a list costs a step per item, a string
a step per CHARS_PER_STEP characters, and no string an evaluation builds
may be longer than MAX_STRING. So a pack's memory, like its time, is bounded
by the steps a run allows, which grow linearly with the workspace (engine.py).
The Python checks pay from the same budget (checks.py).
"""

from __future__ import annotations

MAX_STRING = 65_536  # characters: as long as the longest string an agreement file may hold
CHARS_PER_STEP = 10


class BudgetExceeded(Exception):
    """The run's steps are spent."""


class ValueTooLarge(BudgetExceeded):
    """An evaluation built a string longer than MAX_STRING."""


def pay(ctx, steps: int) -> None:
    ctx.budget -= steps
    if ctx.budget < 0:
        raise BudgetExceeded()


def pay_for(ctx, value):
    """Pay for a value that was built or is about to be scanned, and return it."""
    kind = type(value)
    if kind is str:
        if len(value) > MAX_STRING:
            raise ValueTooLarge()
        pay(ctx, len(value) // CHARS_PER_STEP)
    elif kind is list or kind is tuple:
        pay(ctx, len(value))
    return value
