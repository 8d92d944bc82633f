"""An agreement as the document a template lays out: plain dicts, lists and
strings, every figure already in words. Templates see nothing else (no model
node), so a template cannot reach past what is shown."""

from __future__ import annotations

import datetime

from ..values import format_value
from . import words

KIND_NAMES = {
    "sla": "Service level agreement",
    "ola": "Operational level agreement",
    "contract": "Underpinning contract",
}


def party(node) -> dict:
    if node is None:
        return {"id": "", "name": "(unknown party)", "role": "", "contact": ""}
    return {"id": node.id, "name": node.name or node.id, "role": node.role or "", "contact": node.contact or ""}


def paragraphs(text: str | None) -> list[str]:
    """Plain text in paragraphs: blank lines separate them, other line breaks are spaces."""
    if not text:
        return []
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def document(agreement, today: datetime.date, internal: bool) -> dict:
    """The document of one agreement; `internal` adds an SLA's underpinning agreements."""
    title = agreement.title or agreement.id
    return {
        "id": agreement.id,
        "kind": agreement.kind,
        "kind_name": KIND_NAMES.get(agreement.kind, agreement.kind),
        "title": title,
        "banner": _banner(agreement, today),
        "provider": party(agreement.provider),
        "customer": party(agreement.customer),
        "version": agreement.version or "",
        "status": agreement.status,
        "term": _term(agreement),
        "review": format_value(agreement.review) if agreement.review else "",
        "reporting": words.every(agreement.reporting) if agreement.reporting else "",
        "overview": paragraphs(agreement.overview),
        "services": [_service(service, agreement, internal) for service in agreement.services],
        "supports": _supports(agreement) if agreement.kind != "sla" else [],
        "responsibilities": _responsibilities(agreement),
        "exclusions": list(agreement.exclusions or ()),
        "credits": [_credit_block(block) for block in agreement.credit_blocks],
        "approval": _approval(agreement),
        "internal": internal or agreement.kind != "sla",
    }


def _banner(agreement, today: datetime.date) -> str:
    if agreement.status == "draft":
        return "Draft: not in force."
    if agreement.status == "retired":
        return "Retired: no longer in force."
    if agreement.expires is not None and agreement.expires < today:
        return f"Expired on {format_value(agreement.expires)}."
    if agreement.kind == "contract":
        return "Internal copy."
    return ""


def _term(agreement) -> str:
    start = format_value(agreement.effective) if agreement.effective else "a date not yet set"
    if agreement.expires is None:
        return f"From {start}, with no end date"
    return f"From {start} to {format_value(agreement.expires)}"


def _service(service, agreement, internal: bool) -> dict:
    maintenance = service.maintenance
    internal = internal or agreement.kind != "sla"  # an OLA or a contract is an internal document
    return {
        "id": service.id,
        "name": service.name or service.id,
        "description": paragraphs(service.description),
        "hours": words.service_hours(service),
        "business_hours": words.clock_words(service) if service.business_hours is not None else "",
        "maintenance": _maintenance(maintenance, service) if maintenance is not None else None,
        "objectives": [_objective(objective, internal) for objective in service.objectives],
        "underpinning": _underpinning(service) if internal else [],
    }


def _maintenance(maintenance, service) -> dict:
    window = words.schedule(maintenance.window, service.timezone) if maintenance.window is not None else ""
    return {
        "window": window,
        "notice": words.duration(maintenance.notice) if maintenance.notice is not None else "",
        "limit": words.duration(maintenance.limit) if maintenance.limit is not None else "",
    }


def _objective(objective, internal: bool) -> dict:
    """An objective's row; an internal copy names the SLO that watches it too."""
    metric = objective.metric
    return {
        "id": objective.id,
        "metric": (metric.name or metric.id) if metric is not None else "",
        "priority": objective.priority or "",
        "target": words.target(objective),
        "window": words.duration(objective.window) if objective.window is not None else "",
        "allowance": words.allowance(objective),
        "measurement": objective.measurement or "",
        "contribution": objective.contribution or "",
        "slo": words.slo(objective) if internal else "",
    }


def _underpinning(service) -> list[dict]:
    """The agreements that back a service, with their provider and targets."""
    backing = []
    for supporter in service.supported_by:
        targets = [
            f"{objective.id}: {words.target(objective)}"
            for supporting_service in supporter.services
            for objective in supporting_service.objectives
        ]
        backing.append(
            {
                "id": supporter.id,
                "kind": supporter.kind,
                "title": supporter.title or supporter.id,
                "provider": party(supporter.provider)["name"],
                "status": supporter.status,
                "redundancy": supporter.redundancy or "",
                "targets": targets,
            }
        )
    return backing


def _supports(agreement) -> list[dict]:
    """What an OLA or a contract underpins."""
    shown = []
    for item in agreement.supports:
        owner = getattr(item, "agreement", None)
        if owner is None:
            shown.append({"agreement": item.title or item.id, "id": item.id, "service": "", "kind": item.kind})
        else:
            shown.append(
                {
                    "agreement": owner.title or owner.id,
                    "id": owner.id,
                    "service": item.name or item.id,
                    "kind": owner.kind,
                }
            )
    return shown


def _responsibilities(agreement) -> list[dict]:
    """The customer's first, then the provider's, then other parties' in written order."""
    customer, provider = agreement.customer, agreement.provider

    def rank(block) -> int:
        return 0 if block.party is customer and customer is not None else 1 if block.party is provider else 2

    ordered = sorted(agreement.responsibilities, key=rank)
    return [
        {
            "party": party(block.party)["name"] if block.party is not None else str(block.party_ref),
            "duties": list(block.items),
        }
        for block in ordered
    ]


def _credit_block(block) -> dict:
    return {
        "label": block.label or "",
        "rows": [
            {
                "condition": words.condition(credit),
                "amount": words.amount(credit, block.currency),
                "consecutive": format_value(credit.consecutive) if credit.consecutive != 1 else "",
            }
            for credit in block.credits
        ],
        "cap": words.cap(block),
        "claim": f"within {words.duration(block.claim)}" if block.claim is not None else "",
        "currency": block.currency or "",
    }


def _approval(agreement) -> dict:
    records = sorted([*agreement.signatures, *agreement.acceptances], key=lambda r: (r.span.line, r.span.column))
    shown = [_record(record) for record in records]
    consent = agreement.consent
    if consent is None:
        status = "Not yet approved by the customer."
    elif consent.version and agreement.version and consent.version != agreement.version:
        status = f"Approved by the customer for version {consent.version}, not this version {agreement.version}."
    else:
        status = f"Approved by the customer on {format_value(consent.date)}." if consent.date else ""
    recorded = {record.party for record in records}
    unsigned = [
        party(p)["name"] for p in (agreement.customer, agreement.provider) if p is not None and p not in recorded
    ]
    return {"records": shown, "status": status, "approved": consent is not None, "signature_lines": unsigned}


def _record(record) -> dict:
    fields = {
        "party": party(record.party)["name"] if record.party is not None else str(record.party_ref),
        "kind": record.kind,
        "by": getattr(record, "by", None) or "",
        "title": getattr(record, "title", None) or "",
        "date": format_value(record.date) if record.date else "",
        "version": record.version or "",
        "method": getattr(record, "method", None) or "",
        "evidence": getattr(record, "evidence", None) or "",
    }
    return fields
