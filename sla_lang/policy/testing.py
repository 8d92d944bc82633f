"""`slalint test`: run the examples embedded in policy packs, the way
`semgrep --test` and `conftest verify` run a rule's test cases.

A `fail` example must produce at least one finding of its rule, a `pass`
example none; both must be valid agreements (no language finding), since an
example that does not parse proves nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..source import SourceFile
from .loader import Example, Pack, Rule


@dataclass
class ExampleOutcome:
    pack: Pack
    rule: Rule
    example: Example
    problem: str | None  # None: the example behaves as it says

    @property
    def passed(self) -> bool:
        return self.problem is None


def run_examples(packs: list[Pack], today: datetime.date) -> list[ExampleOutcome]:
    from ..lint import analyse
    from ..slo.files import MemoryFiles

    outcomes = []
    for pack in packs:
        for rule in pack.rules:
            for example in rule.examples:
                source = SourceFile("example.sla", example.text)
                files = MemoryFiles(example.files)
                findings = analyse(
                    [source], [rule], example.today or today, slo_files=lambda files=files: files
                ).findings
                outcomes.append(ExampleOutcome(pack, rule, example, _problem(rule, example, findings)))
    return outcomes


def _problem(rule: Rule, example: Example, findings) -> str | None:
    language = [f for f in findings if f.code.startswith("SL0")]
    if language:
        first = language[0]
        return (
            f"the example is not a valid agreement: {first.code} at line {first.span.line}, "
            f"column {first.span.column}: {first.message}"
        )
    own = [f for f in findings if f.code == rule.code]
    if example.expect == "fail" and not own:
        return f"expected a {rule.code} finding, got none"
    if example.expect == "pass" and own:
        where = ", ".join(f"line {f.span.line} column {f.span.column}" for f in own)
        return f"expected no {rule.code} finding, got {len(own)} ({where}): {own[0].message}"
    return None
