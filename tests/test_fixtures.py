"""Every annotated fixture gives exactly the findings its annotations name,
at those lines and columns, and no others.

tests/fixtures/language/ holds the language findings (SL0xx); tests/fixtures/rules/
holds one or more files per rule group, linted with the built-in packs (the
language fixtures see the language rules only). A line
`# today: YYYY-MM-DD` near the top sets the date for date rules, and
`# select: SL4` limits the check to some codes (a fixture about one rule need
not satisfy all the others).
"""

from __future__ import annotations

import datetime
import re

import pytest
from conftest import FIXTURES, expected_findings, lint_files

from sla_lang.config.settings import Settings

ANNOTATED = sorted((FIXTURES / "language").glob("*.sla")) + sorted((FIXTURES / "rules").rglob("*.sla"))


def _header(text: str, key: str) -> str | None:
    match = re.search(rf"^#\s*{key}:\s*(\S.*?)\s*$", text, re.M)
    return match.group(1) if match else None


@pytest.mark.parametrize("fixture", ANNOTATED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_annotated_fixture(fixture, tmp_path):
    text = fixture.read_text(encoding="utf-8")
    today = _header(text, "today")
    select = _header(text, "select") or ("SL0" if fixture.parent.name == "language" else None)
    settings = Settings(select=[c.strip() for c in select.split(",")] if select else None)
    result = lint_files(
        {fixture.name: text},
        tmp_path,
        settings=settings,
        today=datetime.date.fromisoformat(today) if today else datetime.date(2026, 6, 1),
    )
    found = sorted(((f.code, f.span.line, f.span.column) for f in result.findings), key=lambda e: (e[1], e[2], e[0]))
    assert found == expected_findings(text), "\n".join(
        f"{f.span.line}:{f.span.column} {f.code} {f.message}" for f in result.findings
    )
