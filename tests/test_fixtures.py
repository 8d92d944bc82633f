"""Every annotated fixture under tests/fixtures/language gives exactly the
findings its annotations name, at those lines and columns, and no others."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, expected_findings, lint_files

LANGUAGE_FIXTURES = sorted((FIXTURES / "language").glob("*.sla"))


@pytest.mark.parametrize("fixture", LANGUAGE_FIXTURES, ids=lambda p: p.stem)
def test_language_fixture(fixture, tmp_path):
    text = fixture.read_text(encoding="utf-8")
    result = lint_files({fixture.name: text}, tmp_path)
    found = sorted(((f.code, f.span.line, f.span.column) for f in result.findings), key=lambda e: (e[1], e[2], e[0]))
    assert found == expected_findings(text), "\n".join(
        f"{f.span.line}:{f.span.column} {f.code} {f.message}" for f in result.findings
    )
