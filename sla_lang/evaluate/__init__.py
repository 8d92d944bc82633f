"""`slalint evaluate`: which promises were kept in a period, what is owed, and
whose failure it was.

    evaluation = evaluate_files(paths, measurements="m.csv", events="e.csv", period="2026-05")

The workspace is loaded by the pipeline's stages (many_files/workspace.py); events become
measured values in accounting.py (the one place that counts outages and
incidents, on model/clock); evaluation.py judges each window, credits.py
computes what is owed, report.py shows it.
"""

from __future__ import annotations


class EvaluateError(Exception):
    """Something that stops the evaluation: a workspace that does not parse, a bad --period."""


def evaluate_files(paths: list[str], measurements: str | None, events: str | None, period: str | None, max_size: int):
    """The Evaluation of the agreements under `paths` with the given inputs.
    EvaluateError or inputs.InputErrors when it cannot be made."""
    from ..many_files.workspace import LoadError, sources_in, workspace_of
    from ..report.problems import warn_about
    from .accounting import Accounting
    from .evaluation import evaluate
    from .inputs import read_events, read_measurements
    from .windows import Period, TooManyWindows

    if measurements is None and events is None:
        raise EvaluateError("give --measurements FILE.csv, --events FILE.csv or both")
    try:
        chosen = Period.parse(period) if period is not None else None
    except ValueError as problem:
        raise EvaluateError(str(problem)) from None
    problems: list = []
    try:
        workspace = workspace_of(sources_in(paths, max_size), problems)
    except LoadError as problem:
        raise EvaluateError(str(problem)) from None
    accounting = Accounting()
    measured = {}
    try:
        if events is not None:
            read_events(events, workspace, accounting)
            measured.update(accounting.measured())
        if measurements is not None:
            measured.update(read_measurements(measurements, workspace))
        evaluation = evaluate(measured, accounting.coverage, chosen)
    except TooManyWindows as problem:
        raise EvaluateError(f"{problem}: give a shorter span of data") from None
    # A reference that does not resolve leaves out what it names (a supporter, a party): say so.
    warn_about(problems, _files_behind(evaluation))
    return evaluation


def _files_behind(evaluation) -> set[str]:
    """The files of the agreements evaluated and of those that support them."""
    agreements = {result.agreement for result in evaluation.results}
    return {agreement.file for agreement in agreements} | {
        supporter.file for agreement in agreements for supporter in agreement.supported_by
    }
