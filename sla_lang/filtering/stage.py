"""The filter stage: from every finding of the rules to those the user asked
for. Pure (findings and settings in, findings out), so that `check` and an
editor's language server decide alike: selection and severities, the files
reported on (and what involves them), inline suppressions, --new-since, and
the per-file limit. The baseline is applied by lint.py, which reads it."""

from __future__ import annotations

from collections import Counter

from ..findings import Finding, RuleInfo


def filter_findings(
    findings: list[Finding],
    comments: dict[str, list],
    texts: dict[str, str],
    report_set: set[str],
    selection,
    catalogue: dict[str, RuleInfo],
    inline_suppressions: bool = True,
) -> list[Finding]:
    """The findings to report: selected, at the severity asked for, of the files
    in `report_set` or involving one of them, less those that the `# slalint:`
    comments of their files (`comments`, with the files' `texts`) suppress, plus
    what those comments earn themselves (SL901, SL902)."""

    def as_asked(finding: Finding) -> Finding | None:
        path = finding.span.path
        if not selection.enabled(finding.code) or selection.ignored_in(finding.code, path):
            return None
        severity = selection.severity_of(finding.code, finding.severity)
        return finding.with_severity(severity) if severity != finding.severity else finding

    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if is_reported(finding, report_set) and (finding := as_asked(finding)) is not None:
            by_path.setdefault(finding.span.path, []).append(finding)
    stopped = _stopped_rules(findings)

    # Suppressions, file by file, unless switched off for an audit (then every
    # `# slalint:` comment is ignored). SL901 and SL902 are selected, ignored
    # and re-graded like any other finding, but no suppression hides them.
    from .suppress import SUPPRESSION_CODES, SuppressionCodes, apply_suppressions, parse_suppressions

    codes = SuppressionCodes(catalogue)
    kept: list[Finding] = []
    for path in sorted(report_set | set(by_path)):
        file_findings = by_path.get(path, [])
        text = texts.get(path)
        if inline_suppressions and text is not None and comments.get(path):
            suppressions, problems = parse_suppressions(comments[path], text.split("\n"), codes)
            if path in report_set:
                runs = _runs_in(path, selection, catalogue, stopped.get(path, ()))
            else:  # a file reported only for what involves a named one: its suppressions apply, unjudged
                runs, problems = (lambda code: False), []
            file_findings = apply_suppressions(file_findings, suppressions, runs)
            asked = (as_asked(f) if f.code in SUPPRESSION_CODES else f for f in file_findings + problems)
            file_findings = [f for f in asked if f is not None]
        kept += file_findings
    return kept


def is_reported(finding: Finding, report_set: set[str]) -> bool:
    """Whether a finding concerns a file being reported on: it lies in one, or
    involves one (a weaker OLA elsewhere under a tightened SLA of a named file)."""
    return finding.span.path in report_set or any(path in report_set for path in finding.related)


def only_new(findings: list[Finding], earlier: list[Finding]) -> list[Finding]:
    """The findings that `earlier` does not have, matched by fingerprint as
    multisets: one more duplicate of a known problem is new once."""
    known = Counter(finding.fingerprint for finding in earlier)
    new = []
    for finding in findings:
        fingerprint = finding.fingerprint
        if known[fingerprint] > 0:
            known[fingerprint] -= 1
        else:
            new.append(finding)
    return new


def at_most_per_file(findings: list[Finding]) -> tuple[list[Finding], list[str]]:
    """The first MAX_FINDINGS_PER_FILE findings of each file (sorted), and a
    warning for each file that had more: a hostile file must not flood the report."""
    from ..syntax.build import MAX_FINDINGS_PER_FILE

    shown: list[Finding] = []
    per_file: dict[str, int] = {}
    for finding in findings:
        count = per_file[finding.span.path] = per_file.get(finding.span.path, 0) + 1
        if count <= MAX_FINDINGS_PER_FILE:
            shown.append(finding)
    warnings = [
        f"{path}: more than {MAX_FINDINGS_PER_FILE:,} findings; only the first are shown"
        for path, count in per_file.items()
        if count > MAX_FINDINGS_PER_FILE
    ]
    return shown, warnings


def _runs_in(path: str, selection, catalogue: dict[str, RuleInfo], stopped=()):
    """Whether a suppression code can be judged unused in `path`: the rules it
    names run there (a suppression of a rule switched off by --ignore or
    per-file-ignores is not unused), and none of them stopped before the end
    of the file (`stopped`), answered once per code."""
    answers: dict[str, bool] = {}

    def runs(code: str) -> bool:
        if code not in answers:
            answers[code] = not any(known.startswith(code) for known in stopped) and any(
                selection.enabled(known) and not selection.ignored_in(known, path)
                for known in catalogue
                if known.startswith(code)
            )
        return answers[code]

    return runs


def _stopped_rules(findings: list[Finding]) -> dict[str, set[str]]:
    """path -> the codes of the rules that stopped producing findings in that
    file (one past the most a file shows): what they would have found further
    on is unknown, so a suppression of them further on is not known to be unused."""
    from ..policy.checks import FINDINGS_PER_RULE_AND_FILE

    counts: dict[tuple[str, str], int] = {}
    for finding in findings:
        key = (finding.span.path, finding.code)
        counts[key] = counts.get(key, 0) + 1
    stopped: dict[str, set[str]] = {}
    for (path, code), count in counts.items():
        if count >= FINDINGS_PER_RULE_AND_FILE:
            stopped.setdefault(path, set()).add(code)
    return stopped
