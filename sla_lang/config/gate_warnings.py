"""Saying when the configuration makes the check unable to fail.

A pull request controls the configuration, and `exit-zero: true`, `fail-on:
never`, excluding every file, switching off every rule or a baseline that
records every finding each turn the gate green. None of them is an error
(each has honest uses), so each is said in one line on stderr, naming the
configuration file, for whoever reads the job's log. What the command line
chooses is the user's own choice, and is not repeated back to them.
"""

from __future__ import annotations

from ..findings import SEVERITY_RANK, Finding


def exit_code_warnings(settings) -> list[str]:
    """`exit-zero` and `fail-on: never` from the configuration file."""
    warnings = []
    if settings.exit_zero and "exit-zero" in settings.from_config:
        warnings.append(f"{settings.config_path} sets exit-zero: true, so this check cannot fail")
    if settings.fail_on == "never" and "fail-on" in settings.from_config:
        warnings.append(f"{settings.config_path} sets fail-on: never, so this check cannot fail")
    return warnings


def nothing_runs(settings, selection, catalogue, found: int, reported: list[str]) -> list[str]:
    """The configuration's `exclude` leaves none of the `found` files to report
    on, or its select, ignore and per-file-ignores leave no rule on in any of
    them but the language rules (which no configuration can switch off)."""
    if found and not reported and "exclude" in settings.from_config:
        files = f"{found} file{'s' if found != 1 else ''}"
        return [f"{settings.config_path} excludes every file to check ({files}), so this check cannot fail"]
    if not reported or not settings.from_config & {"select", "ignore", "per-file-ignores"}:
        return []
    running = [code for code in catalogue if not code.startswith("SL0") and selection.enabled(code)]
    if any(not selection.ignored_in(code, path) for path in reported for code in running):
        return []
    return [
        f"{settings.config_path} switches off every rule but the language rules (SL0xx), so this check "
        "can fail only on an agreement slalint cannot read"
    ]


def baseline_hides_all(settings, before: list[Finding], after: list[Finding]) -> str | None:
    """The configuration's baseline hid every finding that would have failed the check."""
    if "baseline" not in settings.from_config or settings.fail_on == "never":
        return None
    threshold = SEVERITY_RANK[settings.fail_on]
    failing = sum(SEVERITY_RANK[f.severity] >= threshold for f in before)
    if not failing or any(SEVERITY_RANK[f.severity] >= threshold for f in after):
        return None
    return (
        f"{settings.config_path} names a baseline that hides all {failing} finding{'s' if failing != 1 else ''} "
        f"at or above fail-on: {settings.fail_on}, so this check passes only because of it (review changes to "
        "the baseline like changes to the rules)"
    )
