"""Plain slotted classes: the equality, hashing and repr a dataclass would
give, without its cost at start-up.

Creating a dataclass runs generated code through `exec`, and `import
dataclasses` pulls in `inspect`: across the classes on the `slalint check`
path, a large part of a pre-commit run. Classes here declare `__slots__` and a plain `__init__`;
`Plain` derives the rest from the slots.
"""

from __future__ import annotations

from operator import attrgetter


class Plain:
    __slots__ = ()
    _slot_names: tuple[str, ...] = ()
    _get_slots = staticmethod(lambda instance: ())

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            for name in klass.__dict__.get("__slots__", ()):
                if name not in names and not name.startswith("__"):
                    names.append(name)
        cls._slot_names = tuple(names)
        # One C call for all the slots (pickling a parsed file calls this for
        # every span and node, so it must be quick).
        getter = attrgetter(*names) if names else (lambda instance: ())
        cls._get_slots = staticmethod(getter if len(names) != 1 else (lambda instance: (getter(instance),)))

    def _values(self) -> tuple:
        try:
            return self._get_slots(self)
        except AttributeError:  # a slot never set
            return tuple(getattr(self, name, None) for name in self._slot_names)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name, None)!r}" for name in self._slot_names)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self):
        # Pickle as a constructor call (its parameters are the slots, in order):
        # faster to load than the default slot-state dictionaries,
        # and the parse cache loads a great many spans.
        return (type(self), self._values())


class Identity(Plain):
    """For graph nodes: equal only to themselves (the model has cycles, so
    comparing field by field would never end)."""

    __slots__ = ()
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __reduce__(self):
        return (_rebuild, (type(self), self._values()))

    def __repr__(self) -> str:
        ident = getattr(self, "id", None)
        return f"<{type(self).__name__} {ident!r}>" if ident is not None else f"<{type(self).__name__}>"


def _rebuild(cls, values: tuple):
    """Unpickle an Identity object: its slots, in order, without calling __init__."""
    instance = cls.__new__(cls)
    for name, value in zip(cls._slot_names, values):  # noqa: B905 - slots and values come from one class
        setattr(instance, name, value)
    return instance
