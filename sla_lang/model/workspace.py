"""The workspace: every declaration of every file in one namespace, with
references resolved and back-links filled in.

Resolution is a few passes over the declarations, each indexed by id, so it
stays linear in the size of the workspace.
"""

from __future__ import annotations

import os

from ..findings import Finding
from ..language_rules import language_finding
from ..source import Span
from ..values import Comparison, Duration, Percent, Reference
from .nodes import Agreement, Credit, Metric, Objective, Party, Service, Signature, anchor_of
from .schema import BUILTIN_METRICS

BUILTIN_FILE = "<built-in>"
_BUILTIN_SPAN = Span(BUILTIN_FILE, 0, 0, 0, 0)


def builtin_metrics() -> dict[str, Metric]:
    return {
        ident: Metric(BUILTIN_FILE, _BUILTIN_SPAN, {}, id=ident, id_span=None, unit=unit, better=better, builtin=True)
        for ident, unit, better in BUILTIN_METRICS
    }


class Workspace:
    shown_as = "workspace"  # how a message names it (values.format_value)

    def __init__(self) -> None:
        self.parties: dict[str, Party] = {}
        self.metrics: dict[str, Metric] = builtin_metrics()
        self.agreements: dict[str, Agreement] = {}
        self.findings: list[Finding] = []
        self.namespace: dict[str, Party | Metric | Agreement] = {}

    # What policy expressions see of the workspace.
    @property
    def services(self) -> list[Service]:
        return [service for agreement in self.agreements.values() for service in agreement.services]

    @property
    def objectives(self) -> list[Objective]:
        return [objective for service in self.services for objective in service.objectives]

    @property
    def signatures(self) -> list[Signature]:
        return [signature for agreement in self.agreements.values() for signature in agreement.signatures]

    @property
    def credits(self) -> list[Credit]:
        return [credit for agreement in self.agreements.values() for credit in agreement.all_credits]

    def listed(self, name: str) -> list:
        """`agreements`, `services`, ... as one list, built on the first call: policy
        expressions read them for every node, and building them each time is quadratic."""
        lists = self.__dict__.setdefault("_listed", {})
        if name not in lists:
            value = getattr(self, name)
            lists[name] = list(value.values()) if isinstance(value, dict) else value
        return lists[name]


_SORT_NAMES = {Party: "a party", Metric: "a metric", Agreement: "an agreement"}
# "did you mean" hints computed in one workspace: each compares the name with
# many others, so a workspace of thousands of distinct broken names would
# take quadratic time; past this many, the message goes without one.
MAX_HINTS = 200


def build_workspace(declarations: list, unparsed: dict[str, str] | None = None) -> Workspace:
    """Index and resolve `declarations` (from all files, in any order).

    `unparsed` maps the ids that files with syntax errors seem to declare, in
    declarations that did not parse, to those files: a reference to one of
    them is not reported (the syntax error is), and any other dangling
    reference says that a broken file may declare what it names."""
    workspace = Workspace()
    _index(workspace, declarations)
    resolver = _Resolver(workspace, unparsed or {})
    for party in workspace.parties.values():
        resolver.party(party)
    for agreement in workspace.agreements.values():
        resolver.agreement(agreement)
    for agreement in workspace.agreements.values():
        resolver.supports(agreement)
    return workspace


def _index(workspace: Workspace, declarations: list) -> None:
    """One namespace for parties, metrics and agreements: the first declaration
    of an id (in path, line order) wins, every later one is SL006."""
    namespace = workspace.namespace
    namespace.update(workspace.metrics)
    # Paths are shown relative to the current directory ("../a.sla"); order them by where
    # the files are, so that which declaration comes first does not depend on where slalint runs.
    ordered = sorted(declarations, key=lambda node: (os.path.abspath(node.file), node.span.line, node.span.column))
    for node in ordered:
        first = namespace.get(node.id)
        if first is not None:
            if getattr(first, "builtin", False):
                where = "a built-in metric"
            else:
                where = f"already declared as {first.label} at {first.file}:{first.span.line}"
            finding = language_finding(
                "SL006", f"duplicate id '{node.id}': {where}; rename one of them", node.id_span, anchor_of(node)
            )
            if first.file != node.file and first.file != BUILTIN_FILE:
                finding.related = (first.file,)  # a check of the first declaration's file reports it too
            workspace.findings.append(finding)
            continue
        namespace[node.id] = node
        if isinstance(node, Party):
            workspace.parties[node.id] = node
        elif isinstance(node, Metric):
            workspace.metrics[node.id] = node
        else:
            workspace.agreements[node.id] = node


class _Resolver:
    def __init__(self, workspace: Workspace, unparsed: dict[str, str]) -> None:
        self.workspace = workspace
        self.namespace: dict[str, object] = workspace.namespace
        self.unparsed = unparsed
        broken = sorted(set(unparsed.values()))
        if len(broken) == 1:
            self.unparsed_hint = f" ({broken[0]} has a syntax error and may declare it: fix that first)"
        elif broken:
            self.unparsed_hint = (
                f" ({len(broken)} files have syntax errors and may declare it, {broken[0]} first: fix those first)"
            )
        else:
            self.unparsed_hint = ""
        # "did you mean" hints, by (name, where it was looked for): a missing party is
        # often named hundreds of times, and each hint compares the name with many others.
        self.hints: dict[tuple[str, object], str] = {}
        self.only_close: dict[tuple[str, object], str | None] = {}  # the same, for fixes: the one close name
        self.names: dict[object, object] = {}  # where names are looked for -> NameHints of them
        self.services: dict[Agreement, dict[str, Service]] = {}  # for `supports: gold.api`

    def report(self, code: str, message: str, span: Span, anchor: str, fix=None) -> None:
        self.workspace.findings.append(language_finding(code, message, span, anchor, fix))

    def renaming(self, span: Span, name: str, where: object, prefix: str = ""):
        """The fix that writes the one close name in place of `name` (asked
        for after closest(); unsafe: it changes what the reference names),
        or None when there is not exactly one."""
        only = self.only_close.get((name, where))
        if only is None:
            return None
        from ..findings import Edit, Fix

        return Fix(f"replace '{name}' with '{only}'", False, (Edit.replacing(span, prefix + only),))

    def lookup(self, reference: Reference, wanted: type, role: str, anchor: str):
        """The node `reference` names, if it is a `wanted`; else SL007 and None.
        `anchor` names the field that holds the reference (`gold.provider`)."""
        name = str(reference)
        node = self.namespace.get(name) if len(reference.parts) == 1 else None
        if isinstance(node, wanted):
            return node
        if node is None and len(reference.parts) == 1 and name in self.unparsed:
            return None  # declared in a file whose syntax error is reported instead
        sort = _SORT_NAMES[wanted]
        if node is not None:
            message = f"{role} must name {sort}, but '{name}' is {node.label}"
        else:
            message = f"{role} names '{name}', but no {sort[sort.index(' ') + 1 :]} '{name}' is declared"
            message += self.hint(name, wanted)
        span = reference.span
        # (`supports: gold.api` looks `gold` up with the span of both parts: no fix there)
        whole = span.line == span.end_line and span.end_column - span.column == len(name)
        fix = self.renaming(span, name, wanted) if node is None and whole else None
        self.report("SL007", message, span, f"{anchor} -> {name}", fix)
        return None

    def hint(self, name: str, wanted: type) -> str:
        """What to say after "no party 'x' is declared": the closest name of that sort, or where to look."""
        names = lambda: [k for k, v in self.namespace.items() if isinstance(v, wanted)]  # noqa: E731
        return (
            self.closest(name, wanted, names)
            or self.unparsed_hint
            or (" (is the file that declares it in the workspace?)" if wanted is not Metric else "")
        )

    def closest(self, name: str, where: object, names) -> str:
        """The "did you mean" for the name closest to `name` among `names()` (those of
        `where`: a sort of node, or one agreement's services or objectives), once per name and place."""
        key = (name, where)
        if key not in self.hints:
            if len(self.hints) >= MAX_HINTS:
                return ""
            if where not in self.names:
                from ..hints import NameHints  # only on the error path

                self.names[where] = NameHints(names())
            self.hints[key] = self.names[where].closest(name)
            self.only_close[key] = self.names[where].only_close(name)
        return self.hints[key]

    def party(self, party: Party) -> None:
        if party.organization_ref is not None:
            party.organization = self.lookup(
                party.organization_ref,
                Party,
                f"the organization of party '{party.id}'",
                anchor_of(party, "organization"),
            )

    def agreement(self, agreement: Agreement) -> None:
        anchor = anchor_of(agreement)
        label = agreement.label
        if agreement.provider_ref is not None:
            agreement.provider = self.lookup(
                agreement.provider_ref, Party, f"the provider of {label}", f"{anchor}.provider"
            )
        if agreement.customer_ref is not None:
            agreement.customer = self.lookup(
                agreement.customer_ref, Party, f"the customer of {label}", f"{anchor}.customer"
            )
        for responsibility in agreement.responsibilities:
            word = responsibility.party_ref.parts[0]
            if word in ("customer", "provider"):  # always the agreement's own parties
                responsibility.party = agreement.customer if word == "customer" else agreement.provider
            else:
                responsibility.party = self.lookup(
                    responsibility.party_ref, Party, f"the responsibilities in {label}", f"{anchor}.responsibilities"
                )
        for records, noun in ((agreement.signatures, "signature"), (agreement.acceptances, "acceptance")):
            for record in records:
                record.party = self.lookup(
                    record.party_ref, Party, f"the {noun} on {label}", f"{anchor}.approval.{noun}"
                )
        agreement.consent = _consent_of(agreement)
        for service in agreement.services:
            if service.maintenance is not None:  # linked here: a direct cycle would not pickle
                service.maintenance.service = service
            for objective in service.objectives:
                self.objective(objective, anchor_of(objective))
        credits = agreement.all_credits
        if credits:
            objectives = _ObjectiveIndex(agreement)
            for credit in credits:
                self.credit(agreement, credit, f"{anchor}.{credit.block.key}", objectives)

    def objective(self, objective: Objective, anchor: str) -> None:
        owner = f"objective '{objective.id}' of service '{objective.service.id}' in {objective.agreement.label}"
        if objective.metric_ref is not None:
            objective.metric = self.lookup(objective.metric_ref, Metric, f"the metric of {owner}", f"{anchor}.metric")
        elif "metric" in objective.spans:
            pass  # written with an invalid value: SL003 said so, and the id does not stand in for it
        else:
            named = self.namespace.get(objective.id)
            if isinstance(named, Metric):
                objective.metric = named
            else:
                self.report(
                    "SL004",
                    f"{owner} has no 'metric', and '{objective.id}' is not a metric: "
                    "add metric: availability (or another metric)",
                    objective.id_span,
                    f"{anchor}.metric",
                )
        metric, target = objective.metric, objective.target
        if metric is not None and "attainment" in objective.spans and metric.unit == "percent":
            self.report(
                "SL003",
                f"'attainment' of {owner} is the share of events the target holds for, but metric '{metric.id}' "
                "is measured as percent: use it on duration and number metrics (e.g. response_time)",
                objective.spans["attainment"],
                f"{anchor}.attainment",
            )
            objective.percentile = None
        if metric is not None and isinstance(target, Comparison):
            if not _fits_unit(target.value, metric.unit):
                self.report(
                    "SL003",
                    f"the target {target} of {owner} does not fit metric '{metric.id}', which is measured as "
                    f"{metric.unit}: write {_UNIT_EXAMPLES.get(metric.unit, 'a value of that unit')}",
                    objective.spans.get("target", objective.span),
                    f"{anchor}.target",
                )

    def credit(self, agreement: Agreement, credit: Credit, anchor: str, objectives: _ObjectiveIndex) -> None:
        condition = credit.condition
        if condition is None:
            return
        candidates = objectives.named(condition.subject.parts)
        if len(candidates) == 1:
            credit.objective = objective = candidates[0]
            metric = objective.metric
            if metric is not None and not _fits_unit(condition.value, metric.unit):
                self.report(
                    "SL003",
                    f"the credit condition {condition} in {agreement.label} compares metric '{metric.id}', which is "
                    f"measured as {metric.unit}, with {condition.value}: "
                    f"write {_UNIT_EXAMPLES.get(metric.unit, 'a value of that unit')}",
                    credit.spans.get("when", credit.span),
                    f"{anchor}.credit.when",
                )
            elif credit.per is not None:
                self.per_unit(agreement, credit, objective, anchor)
            return
        name = str(condition.subject)
        if len(candidates) > 1:
            services = ", ".join(o.service.id for o in candidates)
            message = (
                f"the credit condition in {agreement.label} names objective '{name}', which services {services} "
                f"all have: write {candidates[0].service.id}.{name}"
            )
        else:
            message = (
                f"the credit condition in {agreement.label} names '{name}', but {agreement.label} has no such "
                "objective (write service.objective or an objective id)"
            ) + self.closest(name, (agreement, "objectives"), objectives.paths)
        fix = self.renaming(condition.subject.span, name, (agreement, "objectives"))
        self.report("SL007", message, condition.subject.span, f"{anchor}.credit.when -> {name}", fix)

    def per_unit(self, agreement: Agreement, credit: Credit, objective: Objective, anchor: str) -> None:
        """SL003 for a `per` unit the objective's shortfall cannot be counted in:
        time on a duration metric, time or percentage points on a percent metric."""
        metric, per = objective.metric, credit.per
        if metric is None:
            return
        unit = metric.unit
        if unit == "duration" and isinstance(per, Duration) or unit == "percent" and isinstance(per, Percent):
            return
        subject = f"{objective.service.id}.{objective.id}"
        if unit == "percent" and isinstance(per, Duration):
            if objective.window is not None or "window" in objective.spans:
                return  # an invalid window is reported where it is written
            why = f"objective '{subject}' has no window to turn a shortfall in percent into time: add a window to it"
            why += ", or count per percentage point (e.g. per 0.1%)"
        elif unit == "duration":
            why = f"metric '{metric.id}' is a duration, so its shortfall is time: write per 1h (or another duration)"
        else:
            why = f"metric '{metric.id}' is measured as a {unit}, so it has no shortfall to count: give a flat amount"
        self.report(
            "SL003",
            f"the credit {credit.condition} in {agreement.label} gives an amount per {per}, but {why}",
            credit.spans.get("amount", credit.span),
            anchor_of(credit, "amount"),
        )
        credit.amount = credit.per = credit.kind = None
        credit.per_started = False

    def supports(self, agreement: Agreement) -> None:
        """Resolve `supports`, each link once however often it is written, and fill the back-links."""
        anchor = anchor_of(agreement)
        linked: set = set()
        for reference in agreement.supports_refs:
            role = f"'supports' of {agreement.label}"
            target = self.lookup(Reference(reference.parts[:1], reference.span), Agreement, role, f"{anchor}.supports")
            if target is None:
                continue
            supported = target if len(reference.parts) == 1 else self.service_of(target, reference.parts[1])
            if supported is None or len(reference.parts) > 2:
                if supported is None:
                    message = f"{role} names '{reference}', but {target.label} has no service '{reference.parts[1]}'"
                    names = lambda target=target: [s.id for s in target.services]  # noqa: E731
                    message += self.closest(reference.parts[1], (target, "services"), names)
                    prefix = f"{reference.parts[0]}."
                    fix = self.renaming(reference.span, reference.parts[1], (target, "services"), prefix)
                else:
                    message = f"{role} must name an agreement or agreement.service, not '{reference}'"
                    fix = None
                self.report("SL007", message, reference.span, f"{anchor}.supports -> {reference}", fix)
                continue
            if supported in linked:
                continue
            linked.add(supported)
            agreement.supports.append(supported)
            _add_once(target.supported_by, agreement)
            _add_once(target.whole_supporters if supported is target else supported.own_supporters, agreement)

    def service_of(self, agreement: Agreement, ident: str) -> Service | None:
        if agreement not in self.services:
            self.services[agreement] = {}
            for service in agreement.services:
                self.services[agreement].setdefault(service.id, service)
        return self.services[agreement].get(ident)


class _ObjectiveIndex:
    """The objectives of one agreement by `service.objective` and by objective id, for its credits."""

    def __init__(self, agreement: Agreement) -> None:
        self.by_path: dict[tuple[str, str], Objective] = {}
        self.by_id: dict[str, list[Objective]] = {}
        for service in agreement.services:
            for objective in service.objectives:
                self.by_path[service.id, objective.id] = objective
                self.by_id.setdefault(objective.id, []).append(objective)

    def named(self, parts: tuple[str, ...]) -> list[Objective]:
        if len(parts) == 2:
            found = self.by_path.get((parts[0], parts[1]))
            return [found] if found is not None else []
        return self.by_id.get(parts[0], []) if len(parts) == 1 else []

    def paths(self) -> list[str]:
        return [f"{service}.{objective}" for service, objective in self.by_path]


_UNIT_EXAMPLES = {
    "percent": "a percent, e.g. >= 99.9%",
    "duration": "a duration, e.g. <= 300ms",
    "number": "a plain number, e.g. >= 1000",
}


def _fits_unit(value, unit: str | None) -> bool:
    """Whether a target or threshold is measured the way its metric is."""
    expected = {"percent": Percent, "duration": Duration}.get(unit)
    return isinstance(value, expected) if expected else not isinstance(value, Percent | Duration)


def _consent_of(agreement: Agreement):
    """The customer's signature, else its acceptance (None without either)."""
    customer = agreement.customer
    if customer is None:
        return None
    for records in (agreement.signatures, agreement.acceptances):
        for record in records:
            if record.party is customer:
                return record
    return None


def _add_once(items: list, item) -> None:
    """Append `item` unless it was the last appended: an agreement's links are
    resolved together, so a back-link it already made is the last one."""
    if not items or items[-1] is not item:
        items.append(item)
