"""A generator of realistic synthetic workspaces for the benchmark.

`write_corpus(directory, files, seed)` writes `files` agreement files (about
3 KB each, like perf-facts.md's corpus): a parties file, then SLAs with
several services and objectives, and OLAs and contracts that support SLAs in
other files, with a sprinkling of defects (missing measurements, weak
underpinning, expired terms) so that rules fire. Each file also gets an
equivalent YAML rendering under `yaml/` for the yamllint comparison.
"""

from __future__ import annotations

import os
import random

METRICS = [
    ("availability", "percent", ["99.5%", "99.9%", "99.95%", "99.99%"], ">="),
    ("latency", "duration", ["150ms", "250ms", "300ms", "500ms"], "<="),
    ("response_time", "duration", ["15min", "30min", "1h", "4h"], "<="),
    ("error_rate", "percent", ["0.1%", "0.5%", "1%"], "<="),
]
WINDOWS = ["30d", "1mo", "7d", "1q"]


def _parties(count: int) -> tuple[str, list[tuple[str, str]]]:
    lines = ['party provider_org "Example Corp IT" { role: provider }']
    parties = []
    for i in range(count):
        role = ("customer", "team", "supplier")[i % 3]
        extra = "  organization: provider_org" if role == "team" else ""
        lines.append(f'party p{i} "Party {i}" {{ role: {role}{extra}  contact: "ops{i}@example.com" }}')
        parties.append((f"p{i}", role))
    return "\n".join(lines) + "\n", parties


def _objective(rng: random.Random, index: int, defect: bool, slo: str | None = None) -> tuple[str, dict]:
    metric, _unit, targets, op = METRICS[index % len(METRICS)]
    target = rng.choice(targets)
    window = rng.choice(WINDOWS)
    ident = f"{metric}_{index}"
    body = [f"metric: {metric}", f"target: {op} {target}", f"window: {window}"]
    if slo:
        body.append(f'slo: "{slo}#{ident}"')
        if metric == "response_time":  # an SLO watches a share of incidents, never all of them
            body.append("percentile: 90")
    data = {"metric": metric, "target": f"{op} {target}", "window": window}
    if metric == "latency":
        body.append("percentile: 99")
        data["percentile"] = 99
    if not defect:
        measurement = f"Probe {index} every {rng.randint(10, 90)} s from {rng.randint(2, 5)} regions"
        body.append(f'measurement: "{measurement}"')
        data["measurement"] = measurement
    text = "    objective " + ident + " {\n" + "".join(f"      {line}\n" for line in body) + "    }\n"
    return text, {ident: data}


def _agreement(
    rng: random.Random, number: int, kind: str, parties, supports: str | None, slo: str | None = None
) -> tuple[str, dict]:
    customers = [p for p, role in parties if role == "customer"]
    teams = [p for p, role in parties if role == "team"]
    suppliers = [p for p, role in parties if role == "supplier"]
    if kind == "sla":
        provider, customer = "provider_org", rng.choice(customers)
    elif kind == "ola":
        provider, customer = rng.choice(teams), "provider_org"
    else:
        provider, customer = rng.choice(suppliers), "provider_org"
    ident = f"{kind}_{number}"
    expires = "2025-12-31" if rng.random() < 0.05 else "2027-12-31"
    head = [
        f"provider: {provider}",
        f"customer: {customer}",
        f'version: "{rng.randint(1, 9)}.{rng.randint(0, 9)}"',
        "effective: 2026-01-01",
        f"expires: {expires}",
        "review: 2026-09-30",
        "reporting: 1mo",
        f'overview: """\n    Agreement {number}: generated for the benchmark, with services, hours and\n'
        '    objectives like the ones real teams write.\n  """',
    ]
    data: dict = {"kind": kind, "provider": provider, "customer": customer, "expires": expires, "services": {}}
    if supports:
        head.append(f"supports: {supports}")
        data["supports"] = supports
    services = []
    for s in range(rng.randint(3, 5)):
        objectives = []
        service_data: dict = {"hours": "24x7", "objectives": {}}
        for o in range(rng.randint(2, 4)):
            text, objective = _objective(rng, s * 4 + o, defect=rng.random() < 0.1, slo=slo)
            objectives.append(text)
            service_data["objectives"].update(objective)
        services.append(
            f'  service svc_{s} "Service {s} of {ident}" {{\n    hours: 24x7\n' + "".join(objectives) + "  }\n"
        )
        data["services"][f"svc_{s}"] = service_data
    tail = ""
    if kind == "sla":
        tail = (
            '  responsibilities customer {\n    "Report incidents through the portal"\n'
            '    "Keep the contact list current"\n  }\n'
            '  exclusions { "Announced maintenance windows" }\n'
            "  approval {\n"
            f'    signature {customer} {{ by: "Customer Lead"; date: 2025-12-15 }}\n'
            '    signature provider_org { by: "Service Owner"; date: 2025-12-14 }\n  }\n'
        )
    text = (
        f'# Generated agreement {number}\n{kind} {ident} "Agreement {number}" {{\n'
        + "".join(f"  {line}\n" for line in head)
        + "".join(services)
        + tail
        + "}\n"
    )
    return text, {ident: data}


def _yaml(data, indent: int = 0) -> str:
    pad = "  " * indent
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.append(_yaml(value, indent + 1))
        else:
            shown = f'"{value}"' if isinstance(value, str) else value
            lines.append(f"{pad}{key}: {shown}")
    return "\n".join(line for line in lines if line)


# The SLO that watches each kind of objective, one document each: OpenSLO for
# percent metrics (a ratio) and for durations (a threshold in seconds).
# Stricter than every target the corpus promises, except a sprinkling of weak ones.
_SLO_TARGETS = {"availability": "0.99995", "error_rate": "0.9995", "latency": "0.995", "response_time": "0.99"}
_SLO_THRESHOLDS = {"latency": "0.1", "response_time": "600"}


def _slo_file(rng: random.Random, text: str) -> str:
    """An OpenSLO document for every objective of an agreement's text that names an SLO."""
    import re

    documents = []
    for ident in re.findall(r'slo: "[^"#]*#([a-z_0-9]+)"', text):
        metric = ident.rsplit("_", 1)[0]
        target = "0.99" if rng.random() < 0.05 else _SLO_TARGETS[metric]
        threshold = f"      op: lte\n      value: {_SLO_THRESHOLDS[metric]}\n" if metric in _SLO_THRESHOLDS else ""
        documents.append(
            f"apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: {ident}\nspec:\n  service: svc\n"
            f"  indicatorRef: {metric}-sli\n  timeWindow:\n    - duration: 7d\n      isRolling: true\n"
            f"  budgetingMethod: Occurrences\n  objectives:\n    - displayName: {metric}\n{threshold}"
            f"      target: {target}\n"
        )
    return "---\n".join(documents)


def write_corpus(directory: str, files: int, seed: int = 1, slo: bool = False) -> list[str]:
    """Write the workspace; return the .sla paths (the parties file first). With
    `slo`, every objective names an SLO in slo/ (one OpenSLO file per agreement)."""
    rng = random.Random(seed)
    slo_rng = random.Random(seed + 1)  # of its own: the agreements are those of the workspace without SLOs
    os.makedirs(os.path.join(directory, "yaml"), exist_ok=True)
    parties_text, parties = _parties(max(6, files // 20))
    paths = []
    sla_targets: list[str] = []
    for number in range(files):
        if number == 0:
            text, data = parties_text, {"parties": {p: {"role": r} for p, r in parties}}
            if files == 1:  # a single file holds its own parties and one SLA
                extra, data_sla = _agreement(rng, number, "sla", parties, None)
                text += "\n" + extra
                data.update(data_sla)
        else:
            kind = "sla" if number % 3 != 2 or not sla_targets else rng.choice(["ola", "contract"])
            supports = None
            if kind != "sla":
                target = rng.choice(sla_targets)
                supports = f"{target}.svc_0"
            slo_path = f"slo/agreement_{number:05d}.yaml" if slo else None
            text, data = _agreement(rng, number, kind, parties, supports, slo_path)
            if slo:
                os.makedirs(os.path.join(directory, "slo"), exist_ok=True)
                with open(os.path.join(directory, slo_path), "w", encoding="utf-8") as handle:
                    handle.write(_slo_file(slo_rng, text))
            if kind == "sla":
                sla_targets.append(f"sla_{number}")
        path = os.path.join(directory, f"agreement_{number:05d}.sla")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        with open(os.path.join(directory, "yaml", f"agreement_{number:05d}.yaml"), "w", encoding="utf-8") as handle:
            handle.write("---\n" + _yaml(data) + "\n")
        paths.append(path)
    return paths
