"""The filter stage on its own, as an editor's language server calls it:
findings and settings in, findings out, no file read."""

from __future__ import annotations

from sla_lang.config.settings import Settings
from sla_lang.filtering.selection import RuleSelection
from sla_lang.filtering.stage import at_most_per_file, filter_findings, only_new
from sla_lang.findings import Finding, RuleInfo
from sla_lang.language_rules import LANGUAGE_RULES
from sla_lang.source import Span
from sla_lang.syntax.build import Comment

CATALOGUE = {**LANGUAGE_RULES}
for code, severity in (("SL402", "error"), ("SL501", "warning"), ("SL502", "warning")):
    CATALOGUE[code] = RuleInfo(code, code.lower(), severity, "")


def finding(code: str, path: str, line: int, anchor: str = "x", related: tuple[str, ...] = ()) -> Finding:
    info = CATALOGUE[code]
    return Finding(code, info.name, info.severity, f"{code} here", Span(path, line, 1, line, 2), anchor, None, related)


def run(findings, settings=None, report=("a.sla",), comments=None, texts=None, suppressions=True):
    selection = RuleSelection(settings or Settings(), CATALOGUE)
    kept = filter_findings(findings, comments or {}, texts or {}, set(report), selection, CATALOGUE, suppressions)
    return [(f.code, f.span.path, f.span.line, f.severity) for f in kept]


def test_selection_and_severity():
    found = [finding("SL501", "a.sla", 1), finding("SL502", "a.sla", 2), finding("SL402", "a.sla", 3)]
    settings = Settings(ignore=["SL502"], severity={"SL501": "info"})
    assert run(found, settings) == [("SL501", "a.sla", 1, "info"), ("SL402", "a.sla", 3, "error")]


def test_a_finding_elsewhere_that_involves_a_named_file_is_kept():
    found = [finding("SL402", "b.sla", 7, related=("a.sla",)), finding("SL501", "b.sla", 1)]
    assert run(found) == [("SL402", "b.sla", 7, "error")]


def test_suppressions_hide_and_unused_ones_are_reported():
    text = "x\ny  # slalint: ignore[SL501]\nz  # slalint: ignore[SL502]\n"
    comments = {
        "a.sla": [
            Comment("# slalint: ignore[SL501]", Span("a.sla", 2, 4, 2, 29)),
            Comment("# slalint: ignore[SL502]", Span("a.sla", 3, 4, 3, 29)),
        ]
    }
    found = [finding("SL501", "a.sla", 2)]
    assert run(found, comments=comments, texts={"a.sla": text}) == [("SL901", "a.sla", 3, "warning")]
    # Switched off for an audit: every finding, and nothing about the comments.
    assert run(found, comments=comments, texts={"a.sla": text}, suppressions=False) == [
        ("SL501", "a.sla", 2, "warning")
    ]


def test_only_new_counts_fingerprints():
    before = [finding("SL501", "a.sla", 1, "gold"), finding("SL501", "a.sla", 9, "gold")]
    after = before + [finding("SL501", "a.sla", 20, "gold"), finding("SL501", "a.sla", 30, "silver")]
    # Lines do not matter; the third 'gold' problem and the 'silver' one are new.
    assert [(f.anchor, f.span.line) for f in only_new(after, before)] == [("gold", 20), ("silver", 30)]


def test_at_most_a_thousand_findings_a_file():
    shown, warnings = at_most_per_file([finding("SL501", "a.sla", n) for n in range(1, 1_003)])
    assert len(shown) == 1_000 and warnings == ["a.sla: more than 1,000 findings; only the first are shown"]
