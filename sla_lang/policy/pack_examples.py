"""A policy rule's examples, read from its pack entry with positions."""

from __future__ import annotations

import datetime

from ..reading.yamlfile import item_position, value_position


class Example:
    def __init__(self, expect: str, text: str, line: int, today: datetime.date | None = None, files=None) -> None:
        self.expect = expect  # "pass" or "fail"
        self.text = text
        self.line = line
        self.today = today  # for date rules: the day the example is checked on
        self.files = {str(p): str(t) for p, t in (files or {}).items()}  # SLO files beside it, as plain str


def read_examples(reader, entry) -> list[Example]:
    """The `examples` of a rule entry: each a pass or fail agreement text, with
    perhaps the day it is checked on and files beside it (SLO files)."""
    if "examples" not in entry:
        return []
    items = entry["examples"]
    if not isinstance(items, list):
        raise reader.error("'examples' must be a list of {fail: ...} or {pass: ...}", value_position(entry, "examples"))
    examples = []
    for index, item in enumerate(items):
        kinds = [k for k in ("fail", "pass") if isinstance(item, dict) and k in item]
        extra = [k for k in item if k not in ("fail", "pass", "today", "files")] if isinstance(item, dict) else []
        files = item.get("files", {}) if isinstance(item, dict) else {}
        texts = isinstance(files, dict) and all(isinstance(x, str) for pair in files.items() for x in pair)
        if len(kinds) != 1 or extra or not texts:
            raise reader.error(
                "each example has one key, fail or pass, with an agreement text (and optionally today: DATE, "
                "and files: {PATH: TEXT})",
                item_position(items, index),
            )
        expect = kinds[0]
        text = item[expect]
        if not isinstance(text, str):
            raise reader.error(f"the {expect} example must be agreement text", value_position(item, expect))
        today = item.get("today")
        if today is not None and not isinstance(today, datetime.date):
            try:
                today = datetime.date.fromisoformat(str(today))
            except ValueError:
                raise reader.error("'today' must be a date as YYYY-MM-DD", value_position(item, "today")) from None
        examples.append(Example(expect, str(text), value_position(item, expect)[0], today, files))
    return examples
