"""The evaluation as text (a rich table per agreement on a terminal, plain
lines otherwise), markdown, versioned JSON (docs/evaluate.md) and CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

from ..values import Duration, Percent, format_value
from .evaluation import BREACHED, KEPT, NO_DATA, Evaluation, WindowResult, cut, shown_value

JSON_VERSION = 1
FORMATS = ("text", "markdown", "json", "csv")
CSV_COLUMNS = (
    "agreement", "service", "objective", "window_start", "window_end", "value", "target", "status", "by", "credits",
    "causes",
)  # fmt: skip


def window_text(result: WindowResult) -> str:
    """`2026-05-01..2026-05-31` (both dates included) for a window of whole local days."""
    start, end = result.start, result.end
    last = (end - datetime.timedelta(microseconds=1)).date()
    if start.time() == datetime.time(0) and end.time() == datetime.time(0):
        return f"{start.date()}..{last}" if last != start.date() else str(start.date())
    return f"{start.isoformat()}..{end.isoformat()}"


def by_text(result: WindowResult) -> str:
    if result.by is None:
        return ""
    if isinstance(result.by, Duration):
        return format_value(cut(result.by, 2))
    if result.measured.share or result.objective.metric.unit == "percent":
        return f"{format_value(result.by, 3)} points"
    return format_value(result.by, 4)


def amount_text(amount: Decimal, block) -> str:
    if block.kind == "percent":
        return format_value(Percent(amount), 4)
    if block.kind == "days":
        return format_value(cut(Duration(amount, "d"), 4))
    money = format_value(amount, 2)
    return f"{money} {block.currency}" if block.currency else money


def owed_text(item) -> str:
    credit = item.credit
    condition = f"{credit.op} {credit.threshold}"
    if item.amount is None:
        return f"{credit.shown_amount} at {condition}: {item.note}"
    text = amount_text(item.amount, item.block)
    if item.units is not None:
        text += f" ({format_value(item.units)} x {credit.shown_amount})"
    if item.before_cap is not None:
        text += f", capped from {amount_text(item.before_cap, item.block)}"
    if credit.consecutive != 1:
        text += f", {credit.consecutive} windows in a row"
    deadline = claim_deadline(item)
    claim = f"; claim before {deadline.isoformat()}" if deadline is not None else ""
    return f"{text} at {condition}{claim}"


def claim_deadline(item) -> datetime.date | None:
    """The day by which the customer must have claimed a credit owed: the block's
    `claim` period from the end of the window (that day no longer counts)."""
    claim = item.block.claim
    if item.amount is None or not isinstance(claim, Duration) or claim.business:
        return None
    end = item.window.end
    return (end + datetime.timedelta(seconds=float(claim.seconds))).date()


def _summary(evaluation: Evaluation) -> str:
    counts = {status: 0 for status in (KEPT, BREACHED, NO_DATA)}
    for result in evaluation.selected:
        counts[result.status] += 1
    owed = "; ".join(
        f"{agreement.label} owes {amount_text(total, block)}" + (f" ({block.key})" if block.label else "")
        for (agreement, block), total in totals(evaluation).items()
    )
    count = len(evaluation.selected)
    text = f"{count} window{'' if count == 1 else 's'}: {counts[KEPT]} kept, {counts[BREACHED]} breached, "
    text += f"{counts[NO_DATA]} no data"
    return text + (f". {owed}." if owed else ". Nothing owed.")


def totals(evaluation: Evaluation) -> dict:
    """(agreement, block) -> the total owed in the selected windows."""
    found: dict = {}
    for result in evaluation.selected:
        for item in result.owed:
            if item.amount is not None and item.amount > 0:
                key = (result.agreement, item.block)
                found[key] = found.get(key, Decimal(0)) + item.amount
    return found


def _by_agreement(evaluation: Evaluation):
    groups: dict = {}
    for result in evaluation.selected:
        groups.setdefault(result.agreement, []).append(result)
    return groups.items()


def _status_text(result: WindowResult) -> str:
    by = by_text(result)
    return f"{result.status} by {by}" if by else result.status


def _cells(result: WindowResult) -> list[str]:
    objective = result.objective
    detail = result.measured.detail if result.measured is not None and result.measured.value is not None else ""
    value = shown_value(result.measured, objective) + (f" ({detail})" if detail else "")
    if result.measured is None:
        value = "-"
    return [
        window_text(result),
        f"{objective.service.id}.{objective.id}",
        value,
        str(objective.target),
        _status_text(result),
    ]


def as_text(evaluation: Evaluation, terminal: bool = False) -> str:
    if terminal:
        return _rich(evaluation)
    lines = []
    for agreement, results in _by_agreement(evaluation):
        lines.append(f"{agreement.label}" + (f" ({agreement.title})" if agreement.title else ""))
        for result in results:
            window, name, value, target, status = _cells(result)
            lines.append(f"  {window}  {name}  {value}  target {target}  {status}")
            lines += [f"      {cause}" for cause in result.causes or ()]
            lines += [f"      credit {owed_text(item)}" for item in result.owed]
    if not lines:
        lines.append("No window of the data ends in the period." if evaluation.period else "No data.")
    lines.append(_summary(evaluation))
    return "\n".join(lines)


def _rich(evaluation: Evaluation) -> str:
    import shutil

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    width = shutil.get_terminal_size((160, 24)).columns
    console = Console(file=io.StringIO(), force_terminal=True, highlight=False, width=width)
    styles = {KEPT: "green", BREACHED: "red", NO_DATA: "yellow"}
    for agreement, results in _by_agreement(evaluation):
        table = Table(title=escape(agreement.label), title_justify="left")
        for column in ("Window", "Objective", "Measured", "Target", "Status", "Credits and causes"):
            table.add_column(column, overflow="fold")
        for result in results:
            window, name, value, target, status = _cells(result)
            notes = [*(result.causes or ()), *(f"credit {owed_text(item)}" for item in result.owed)]
            cells = [escape(cell) for cell in (window, name, value, target)]
            table.add_row(*cells, f"[{styles[result.status]}]{status}[/]", escape("\n".join(notes)))
        console.print(table)
    console.print(_summary(evaluation))
    return console.file.getvalue().rstrip("\n")


def as_markdown(evaluation: Evaluation) -> str:
    lines = []
    for agreement, results in _by_agreement(evaluation):
        lines += [
            f"### {_md(agreement.label)}",
            "",
            "| window | objective | measured | target | status | credits and causes |",
        ]
        lines.append("|---|---|---|---|---|---|")
        for result in results:
            notes = [*(result.causes or ()), *(f"credit {owed_text(item)}" for item in result.owed)]
            cells = [*_cells(result), "<br>".join(notes)]
            lines.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
        lines.append("")
    lines.append(_summary(evaluation))
    return "\n".join(lines)


def _md(text: str) -> str:
    """A table cell: pipes, markup characters and HTML escaped."""
    for char in "\\|*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text.replace("\\<br\\>", "<br>").replace("\n", " ")


def _json_value(result: WindowResult):
    measured = result.measured
    if measured is None or measured.value is None:
        return None
    return str(measured.value)


def as_json(evaluation: Evaluation) -> str:
    windows = []
    for result in evaluation.selected:
        objective = result.objective
        measured = result.measured
        windows.append(
            {
                "agreement": result.agreement.id,
                "kind": result.agreement.kind,
                "service": objective.service.id,
                "objective": objective.id,
                "metric": objective.metric.id,
                "priority": objective.priority,
                "window": {"start": result.start.isoformat(), "end": result.end.isoformat()},
                "value": _json_value(result),
                "share": bool(measured and measured.share),
                "source": measured.source if measured else None,
                "detail": measured.detail if measured else "",
                "target": str(objective.target),
                "status": result.status,
                "by": by_text(result) or None,
                "credits": [_json_owed(item) for item in result.owed],
                "causes": result.causes,
            }
        )
    owed = [
        {
            "agreement": agreement.id,
            "block": block.label,
            "kind": block.kind,
            "currency": block.currency,
            "total": format_value(total),
        }
        for (agreement, block), total in totals(evaluation).items()
    ]
    counts = {status: sum(1 for r in evaluation.selected if r.status == status) for status in (KEPT, BREACHED, NO_DATA)}
    document = {
        "version": JSON_VERSION,
        "period": evaluation.period.text if evaluation.period else None,
        "windows": windows,
        "owed": owed,
        "summary": {"kept": counts[KEPT], "breached": counts[BREACHED], "no_data": counts[NO_DATA]},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _json_owed(item) -> dict:
    credit = item.credit
    return {
        "block": item.block.label,
        "kind": item.block.kind,
        "currency": item.block.currency,
        "condition": f"{credit.op} {credit.threshold}",
        "amount_written": credit.shown_amount,
        "consecutive": int(credit.consecutive),
        "units": format_value(item.units) if item.units is not None else None,
        "amount": format_value(item.amount) if item.amount is not None else None,
        "before_cap": format_value(item.before_cap) if item.before_cap is not None else None,
        "note": item.note or None,
        "claim_before": (deadline := claim_deadline(item)) and deadline.isoformat(),
    }


def as_csv(evaluation: Evaluation) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in evaluation.selected:
        objective = result.objective
        cells = [
            result.agreement.id,
            objective.service.id,
            objective.id,
            result.start.isoformat(),
            result.end.isoformat(),
            shown_value(result.measured, objective),
            str(objective.target),
            result.status,
            by_text(result),
            "; ".join(owed_text(item) for item in result.owed),
            "; ".join(result.causes or ()),
        ]
        writer.writerow([neutralised(cell) for cell in cells])
    return out.getvalue().rstrip("\n")


def neutralised(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting with = + - @, a
    tab or a carriage return gets a leading apostrophe."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def render(evaluation: Evaluation, format: str, terminal: bool = False) -> str:
    if format == "json":
        return as_json(evaluation)
    if format == "markdown":
        return as_markdown(evaluation)
    if format == "csv":
        return as_csv(evaluation)
    return as_text(evaluation, terminal)
