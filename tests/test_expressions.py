"""The policy expression language (SPEC §5.1) evaluated against a small real
model: every operator, literal, quantifier and function, the null rules,
typed comparisons and exact decimals; then the expressions that must be
refused when a pack is loaded, each with the problem named and its column.

Each case is a row: the node the expression is evaluated on (by a short
name from NODES), the expression, and the value it must give.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sla_lang.model.workspace import build_workspace
from sla_lang.policy.engine import context_for
from sla_lang.policy.expr import (
    MAX_DEPTH,
    MAX_LENGTH,
    BudgetExceeded,
    Context,
    ExpressionError,
    TypeChecker,
    compile_text,
    parse,
)
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser
from sla_lang.values import Duration, Percent

TODAY = datetime.date(2026, 6, 1)

MODEL = """\
party acme "Acme Retail Ltd" { role: customer  contact: "sla-desk@acme.example" }
party it_org "Example Corp IT" { role: provider }
party dba "Database Team" { role: team  organization: it_org }
party cloudco "CloudCo Inc." { role: supplier }

metric conversion "Checkout conversion" { unit: percent  better: higher  kind: business }

sla gold "Payments Gold SLA" {
  provider: it_org
  customer: acme
  version: "2.1"
  effective: 2026-01-01
  expires: 2026-12-31
  reporting: 1mo
  overview: "Payment processing"
  service api "Payments API" {
    hours: 24x7
    objective availability {
      target: >= 99.95%
      window: 30d
      measurement: "Synthetic probe"
      agreed: 2025-12-10
    }
    objective latency { target: <= 300ms  percentile: 99  window: 30d }
    objective p1_response { metric: response_time  priority: P1  target: <= 15min  window: 1mo }
  }
  service shop {
    hours: mon-fri 08:00-18:00
    timezone: "Europe/Berlin"
    objective conversion { target: >= 2.5%  window: 1q  agreed: no }
  }
  responsibilities customer { "Report incidents" "Name a contact" }
  exclusions { "Announced maintenance" }
  credits {
    cap: 50%
    credit { when: api.availability < 99.95%; amount: 10% }
    credit { when: api.availability < 99%; amount: 25% }
  }
  approval {
    signature acme { by: "Jane Doe"; title: "CIO"; date: 2025-12-15; version: "2.1" }
    signature it_org { by: "John Roe"; date: 2025-12-14 }
  }
}

ola db_ola "Database OLA" {
  provider: dba
  customer: it_org
  version: "1.0"
  status: draft
  supports: gold.api
  service db { objective availability { target: >= 99.99%  window: 30d } }
}

contract cloud_uc {
  provider: cloudco
  customer: it_org
  version: "2026"
  effective: 2025-11-01
  supports: gold
  service hosting { objective availability { target: >= 99.9%  window: 1mo } }
}
"""


@pytest.fixture(scope="module")
def workspace():
    parsed = AgreementParser().parse(SourceFile("model.sla", MODEL))
    assert parsed.findings == [], [f.message for f in parsed.findings]
    built = build_workspace(parsed.declarations)
    assert built.findings == [], [f.message for f in built.findings]
    return built


def _nodes(ws) -> dict:
    gold, db_ola, cloud_uc = ws.agreements["gold"], ws.agreements["db_ola"], ws.agreements["cloud_uc"]
    api, shop = gold.services
    return {
        "gold": ("agreement", gold),
        "db_ola": ("agreement", db_ola),
        "cloud_uc": ("agreement", cloud_uc),
        "api": ("service", api),
        "shop": ("service", shop),
        "db": ("service", db_ola.services[0]),
        "availability": ("objective", api.objectives[0]),
        "latency": ("objective", api.objectives[1]),
        "p1": ("objective", api.objectives[2]),
        "conversion": ("objective", shop.objectives[0]),
        "acme": ("party", ws.parties["acme"]),
        "dba": ("party", ws.parties["dba"]),
        "kpi": ("metric", ws.metrics["conversion"]),
        "sig_acme": ("signature", gold.signatures[0]),
        "sig_it": ("signature", gold.signatures[1]),
        "credit10": ("credit", gold.credits[0]),
        "credit25": ("credit", gold.credits[1]),
    }


def evaluate(workspace, node_name: str, text: str):
    scope, node = _nodes(workspace)[node_name]
    compiled = compile_text(text, scope)
    return compiled(context_for(node, workspace, TODAY))


# (node, expression, expected value). `True` rows are the common case: the
# expression states a fact about the model.
CASES = [
    # -- comparison operators, on every kind -------------------------------------------
    ("availability", "target.value == 99.95%", True),
    ("availability", "target.value != 99.9%", True),
    ("availability", "target.value < 99.99%", True),
    ("availability", "target.value <= 99.95%", True),
    ("availability", "target.value > 99.9%", True),
    ("availability", "target.value >= 99.96%", False),
    ("latency", "target.value < 1s", True),
    ("latency", "percentile >= 99", True),
    ("gold", 'version == "2.1"', True),
    ("gold", 'version < "3"', True),
    ("gold", "effective < expires", True),
    ("gold", "effective >= 2026-01-02", False),
    ("availability", "agreed == 2025-12-10", True),
    ("conversion", "agreed == no", True),
    ("conversion", "agreed == false", True),
    ("acme", "internal == null", True),
    # booleans, nodes and lists compare with == / != only
    ("availability", "true < false", False),
    ("availability", "service == service", True),
    ("availability", "service != agreement", True),
    # -- boolean operators ------------------------------------------------------------
    ("gold", 'kind == "sla" and status == "active"', True),
    ("gold", 'kind == "ola" or status == "active"', True),
    ("gold", 'kind == "ola" or status == "draft"', False),
    ("gold", 'not (kind == "ola")', True),
    ("db_ola", 'status == "draft" and not exists(effective)', True),
    # -- membership ------------------------------------------------------------------
    ("gold", 'kind in ["sla", "ola"]', True),
    ("gold", 'kind not in ["sla", "ola"]', False),
    ("gold", '"Report incidents" in first(r in responsibilities: true).items', True),
    ("gold", '"Payment" in overview', True),
    ("gold", '"payment" not in overview', True),
    ("p1", "priority in null", False),
    ("p1", "priority not in null", True),
    # -- arithmetic ------------------------------------------------------------------
    ("availability", "1 + 2 * 3 == 7", True),
    ("availability", "(1 + 2) * 3 == 9", True),
    ("availability", "10 / 4 == 2.5", True),
    ("availability", "10 - 4 - 3 == 3", True),
    ("availability", "-percentile == null", True),
    ("latency", "-percentile == 0 - 99", True),
    ("latency", "-target.value < 0s", True),
    ("availability", "-target.value", Percent(Decimal("-99.95"))),
    ("availability", "100% - target.value == 0.05%", True),
    ("availability", "target.value + 0.04% == 99.99%", True),
    ("availability", "target.value * 2 - 100% == 99.9%", True),
    ("availability", "2 * 25% == 50%", True),
    ("availability", "50% * 50% == 25%", True),
    ("availability", "99% / 2 == 49.5%", True),
    ("availability", "50% / 25% == 2", True),
    ("availability", "window + 1d == 31d", True),
    ("availability", "window - 1d == 29d", True),
    ("availability", "window * 2 == 60d", True),
    ("availability", "window / 30 == 1d", True),
    ("availability", "window / 1d == 30", True),
    ("availability", "10% * 1h == 6min", True),
    ("gold", "effective + 30d == 2026-01-31", True),
    ("gold", "expires - 1d == 2026-12-30", True),
    ("gold", '"Gold " + title == "Gold Payments Gold SLA"', True),
    ("availability", "1 / 0", None),
    ("availability", "1h / 0", None),
    ("availability", "1h / 0s", None),
    ("availability", "percentile + 1", None),
    # -- exact decimals and durations across units -----------------------------------
    ("availability", "(100% - 99.9%) * 1000min == 60s", True),
    ("availability", "(100% - target.value) * window == 21.6min", True),
    ("availability", "0.1 + 0.2 == 0.3", True),
    ("availability", "1h == 60min", True),
    ("availability", "1min == 60s", True),
    ("availability", "1s == 1000ms", True),
    ("availability", "1d == 24h", True),
    ("availability", "1w == 7d", True),
    ("availability", "1mo == 30d", True),
    ("availability", "1q == 91d", True),
    ("availability", "1y == 365d", True),
    ("availability", "2.5h == 150min", True),
    ("availability", "1h != 61min", True),
    ("availability", "window == 1mo", True),
    ("p1", "target.value < 0.25h + 1ms", True),
    # -- literals ------------------------------------------------------------------------
    ("availability", '"double"', "double"),
    ("availability", "'single'", "single"),
    ("availability", r'"say \"hi\"\n"', 'say "hi"\n'),
    ("availability", "42", Decimal(42)),
    ("availability", "2.50", Decimal("2.5")),
    ("availability", "99.95%", Percent(Decimal("99.95"))),
    ("availability", "250ms", Duration(Decimal("0.25"), "s")),
    ("availability", "2026-02-28", datetime.date(2026, 2, 28)),
    ("availability", "true", True),
    ("availability", "yes", True),
    ("availability", "false", False),
    ("availability", "no", False),
    ("availability", "null", None),
    ("availability", "[]", []),
    ("availability", "[1, 2,]", [Decimal(1), Decimal(2)]),
    ("availability", "[1, 2] == [1, 2]", True),
    ("availability", "[1, 2] != [2, 1]", True),
    ("availability", "[[1], []] == [[1], []]", True),
    # -- paths and null ------------------------------------------------------------------
    ("availability", 'metric.id == "availability"', True),
    ("availability", 'agreement.customer.name == "Acme Retail Ltd"', True),
    ("availability", 'service.agreement.provider.role == "provider"', True),
    ("availability", 'self.service.id == "api"', True),
    ("dba", 'organization.id == "it_org"', True),
    ("acme", "organization.id", None),  # a path through null is null
    ("acme", "organization.organization.role == null", True),
    ("acme", "organization.id != null", False),
    ("availability", "percentile < 99", False),  # null compares false ...
    ("availability", "percentile >= 99", False),
    ("availability", "not (percentile >= 99)", True),
    ("availability", "percentile == null", True),  # ... except == / != null
    ("latency", "percentile != null", True),
    ("availability", "not null", True),  # and/or/not treat null as false
    ("availability", "null or true", True),
    ("availability", "null and true", False),
    ("availability", "exists(percentile)", False),
    ("latency", "exists(percentile)", True),
    ("gold", "review < today", False),
    ("gold", "review == null and not exists(review)", True),
    ("db_ola", "days_between(effective, expires)", None),
    ("availability", "contribution == null", True),
    # -- scopes, globals and model fields --------------------------------------------------
    ("gold", "today == 2026-06-01", True),
    ("gold", "len(workspace.agreements) == 3", True),
    ("gold", "len(workspace.parties) == 4", True),
    ("gold", "len(workspace.metrics) == 10", True),
    ("gold", "len(workspace.services) == 4", True),
    ("gold", "len(workspace.objectives) == 6", True),
    ("gold", "credit_cap == 50%", True),
    ("gold", "reporting == 1mo", True),
    ("gold", "len(exclusions) == 1", True),
    ("gold", 'file == "model.sla"', True),
    ("gold", "supported_by != [] and len(supported_by) == 2", True),
    ("gold", 'all(a in supported_by: a.kind in ["ola", "contract"])', True),
    ("api", 'any(a in supported_by: a.id == "db_ola")', True),
    ("api", "hours.always", True),
    ("shop", 'hours.text == "mon-fri 08:00-18:00"', True),
    ("shop", 'timezone == "Europe/Berlin" and agreement.id == "gold"', True),
    ("shop", 'len(supported_by) == 1 and first(a in supported_by: true).id == "cloud_uc"', True),
    ("db", "supported_by == [] and len(supported_by) == 0", True),
    ("db_ola", 'first(s in supports: true).id == "api"', True),
    ("db_ola", 'first(s in supports: true).agreement.id == "gold"', True),
    ("cloud_uc", 'first(s in supports: true).kind == "sla"', True),
    ("kpi", 'kind == "business" and unit == "percent" and not builtin', True),
    ("conversion", 'metric.kind == "business"', True),
    ("sig_acme", "party.id == agreement.customer.id and version == agreement.version", True),
    ("sig_it", "version == null and title == null", True),
    ("credit10", 'objective.id == "availability" and op == "<" and threshold == 99.95%', True),
    ("credit25", 'amount == 25% and service.id == "api"', True),
    ("credit10", "threshold < objective.target.value", False),
    # -- quantifiers -------------------------------------------------------------------------
    ("api", "any(o in objectives: o.percentile == 99)", True),
    ("api", "any(o in objectives: o.percentile == 95)", False),
    ("api", "any(o in []: true)", False),
    ("api", "all(o in objectives: exists(o.window))", True),
    ("api", "all(o in objectives: o.percentile == 99)", False),
    ("api", "all(o in []: false)", True),
    ("api", "all(o in objectives: null)", False),  # a null body is not true
    ("api", "any(o in objectives: null)", False),
    ("api", "count(o in objectives: o.window == 30d)", Decimal(3)),  # 1mo == 30d
    ("api", "count(o in objectives: null)", Decimal(0)),
    ("api", "count(o in []: true)", Decimal(0)),
    ("api", 'first(o in objectives: exists(o.priority)).id == "p1_response"', True),
    ("api", "first(o in objectives: false)", None),
    ("api", "first(o in []: true)", None),
    ("api", "sum(o in objectives: o.window) == 90d", True),
    ("api", "sum(o in objectives: o.percentile) == 99", True),  # nulls are left out
    ("api", "sum(o in []: 1)", None),
    ("api", "sum(x in [1.5%, 2.5%]: x) == 4%", True),
    ("api", "min(o in objectives: o.window) == 30d", True),
    ("api", "max(x in [3, 1, 2]: x) == 3", True),
    ("api", "min(x in [2026-03-01, 2026-01-01]: x) == 2026-01-01", True),
    ("api", "min(x in []: x)", None),
    ("api", "max(o in objectives: o.percentile) == 99", True),
    ("api", "max(o in objectives: null)", None),
    ("api", "product(x in [99.9%, 99.9%]: x) == 99.8001%", True),
    ("api", "product(x in [2, 3, 4]: x) == 24", True),
    ("api", "product(x in []: x)", None),
    ("gold", "product(s in supported_by: first(o in objectives_of(s): true).target.value) == 99.89001%", True),
    ("gold", 'count(s in services: any(o in s.objectives: o.metric.id == "availability")) == 1', True),
    ("gold", "any(x in [1, 2]: any(y in [2, 3]: x == y))", True),
    ("gold", "all(x in [1, 2]: x < 2)", False),
    # -- functions -----------------------------------------------------------------------------
    ("gold", "len(services) == 2", True),
    ("gold", 'len("four") == 4', True),
    ("gold", "len(null)", None),
    ("gold", "len(1)", None),
    ("gold", "exists(expires) and not exists(review)", True),
    ("availability", "written(window) and not written(percentile)", True),
    ("gold", "exists(status) and not written(status)", True),  # a default is not written
    ("db_ola", "written(status) and not written(agreement.effective)", True),
    ("gold", "written(title) and written(credit_cap) and written(exclusions)", True),
    ("credit10", "written(threshold) and written(op) and written(objective)", True),  # all from `when`
    ("acme", "written(name) and written(self.contact) and not written(organization)", True),
    ("api", "all(o in objectives: written(o.window))", True),
    ("db_ola", "written(first(s in supports: true).hours)", True),
    ("gold", 'startswith(id, "go")', True),
    ("cloud_uc", 'startswith(title, "x")', False),  # null gives false
    ("gold", 'endswith(title, "SLA")', True),
    ("gold", 'contains(title, "Gold")', True),
    ("gold", 'contains(exclusions, "Announced maintenance")', True),
    ("gold", "contains(null, 1)", False),
    ("gold", 'lower(title) == "payments gold sla"', True),
    ("cloud_uc", "lower(title)", None),
    ("gold", "days_between(effective, expires) == 364", True),
    ("gold", "days_between(expires, effective) == -364", True),
    ("gold", "days_between(effective, today)", Decimal(151)),
    ("p1", "seconds(target.value) == 900", True),
    ("p1", "seconds(window)", Decimal(2592000)),
    ("p1", "human(target.value)", "15 minutes"),
    ("p1", "human(90min)", "1.5 hours"),
    ("p1", "human(target)", "<= 15min"),
    ("availability", "human(target.value)", "99.95%"),
    ("availability", "human(target.value * 99.99% * 99.99%)", "99.93%"),  # 99.930005..., cut, not rounded
    ("availability", "human(2 / 3)", "0.6666"),
    ("availability", "human(-2 / 3)", "-0.6666"),
    ("availability", "human(12.5)", "12.5"),
    ("availability", "human(agreed)", "2025-12-10"),
    ("availability", "human(percentile)", "none"),
    ("availability", 'if(exists(percentile), "p" + human(percentile), "no percentile")', "no percentile"),
    ("latency", "if(percentile > 90, 1, 2)", Decimal(1)),
    ("latency", "if(null, 1, 2)", Decimal(2)),
    ("latency", "if(true, 1, 1 / 0)", Decimal(1)),
    ("availability", "label_of(agreement)", "SLA 'gold'"),
    ("availability", "label_of(self)", "objective 'availability'"),
    ("availability", "label_of(service)", "service 'api'"),
    ("dba", "label_of(self)", "party 'dba'"),
    ("db", "label_of(agreement)", "OLA 'db_ola'"),
    ("db", "label_of(agreement.supports)", "service 'api'"),  # a list: each of its items
    ("db", 'label_of("x")', "x"),
    ("cloud_uc", "label_of(self)", "contract 'cloud_uc'"),
    ("acme", "label_of(organization)", None),
    ("gold", "human(workspace)", "workspace"),  # never a Python repr
    ("availability", 'agreement_of(self).id == "gold"', True),
    ("credit10", 'agreement_of(objective).id == "gold"', True),
    ("gold", "agreement_of(self) == self", True),
    ("acme", "agreement_of(self)", None),
    ("gold", "len(services_of(self)) == 2", True),
    ("availability", 'first(s in services_of(self): true).id == "api"', True),
    ("db_ola", 'first(s in supports: true).id == "api" and len(services_of(first(s in supports: true))) == 1', True),
    ("gold", "len(objectives_of(self)) == 4", True),
    ("api", "len(objectives_of(self)) == 3", True),
    ("availability", "len(objectives_of(self)) == 1", True),
    ("acme", "len(objectives_of(self)) == 0", True),
    ("latency", "before(first(o in service.objectives: true), self)", True),
    ("latency", "before(self, first(o in service.objectives: true))", False),
    ("gold", 'before(self, first(a in workspace.agreements: a.id == "db_ola"))', True),
    # -- typed comparisons at run time: kinds never mix ---------------------------------------
    ("availability", "agreed == 2025-12-10 and agreed != true", True),
    ("conversion", "agreed == 2025-12-10", False),  # `agreed` is a date or a boolean
    ("conversion", "agreed < 2026-01-01", False),
    ("availability", "agreed < 2026-01-01", True),
    ("credit10", "threshold == 99.95%", True),
    ("credit10", "threshold == 99.95", False),  # a percent is not a number
    ("credit10", "threshold < 100", False),
    ("p1", "target.value == 15", False),
    ("p1", "target.value < 1000", False),
    ("p1", "target.value < 1h", True),
    ("availability", "target.value == 30d", False),
    ("availability", "agreement == agreement.customer", False),  # nodes of different kinds
    ("availability", "agreement == service.agreement", True),
    ("availability", "agreed == yes", False),
]


@pytest.mark.parametrize(("node", "text", "expected"), CASES, ids=[f"{n}: {t}" for n, t, _ in CASES])
def test_expression_value(workspace, node, text, expected):
    value = evaluate(workspace, node, text)
    if isinstance(expected, bool) or expected is None:
        assert value is expected
    else:
        assert value == expected
        assert type(value) is type(expected)


def test_the_table_covers_the_language():
    """Every operator, quantifier and function appears in at least one row."""
    texts = " ".join(text for _, text, _ in CASES)
    for word in ("==", "!=", "<", "<=", ">", ">=", " and ", " or ", "not ", " in ", " not in ", "+", "-", "*", "/"):
        assert word in texts, word
    from sla_lang.policy.expr import FUNCTIONS, QUANTIFIERS

    for name in [*FUNCTIONS, *QUANTIFIERS]:
        assert f"{name}(" in texts, name
    for unit in ("ms", "s", "min", "h", "d", "w", "mo", "q", "y"):
        assert any(f"1{unit}" in text or f"0{unit}" in text or f"5{unit}" in text for _, text, _ in CASES), unit


def test_a_value_of_a_field_typed_any_compares_false_across_kinds_at_run_time(workspace):
    """`agreed` is a date or a boolean, so comparing it with a percent cannot be
    refused when the pack is loaded: it is simply false."""
    assert evaluate(workspace, "availability", "agreed == 99%") is False
    assert evaluate(workspace, "availability", "agreed != 99%") is True
    assert evaluate(workspace, "availability", "agreed < 99%") is False
    assert evaluate(workspace, "conversion", "agreed >= 2020-01-01") is False


# (scope, expression, words the message must contain, line, column) of
# expressions refused when the pack is loaded.
REFUSED = [
    # fields
    ("objective", "targt.value >= 99%", "'targt' names no field of objective; did you mean 'target'?", 1, 1),
    ("objective", 'metric.uni == "percent"', "a metric has no field 'uni'; did you mean 'unit'?", 1, 1),
    ("agreement", "workspace.agreement", "a workspace has no field 'agreement'; did you mean 'agreements'?", 1, 1),
    ("party", "exists(self.rol)", "a party has no field 'rol'; did you mean 'role'?", 1, 8),
    ("agreement", 'services.id == "api"', "'services' is a list: reach into it with any(x in services: x.id", 1, 1),
    ("agreement", "version.major", "'version' is a string and has no field 'major'", 1, 1),
    ("credit", "objective.targets", "did you mean 'target'?", 1, 1),
    # comparisons across kinds, seen statically
    ("objective", "window >= 99%", "'>=' compares a duration with a percent", 1, 8),
    ("agreement", "effective < 30d", "'<' compares a date with a duration", 1, 11),
    ("agreement", "version == 2", "'==' compares a string with a number", 1, 9),
    ("objective", 'target.value == "99%"', "compares a number, percent or duration with a string", 1, 14),
    ("agreement", "provider == effective", "'==' compares a party with a date", 1, 10),
    ("agreement", 'services == ["api"]', "compares a list of services with a list of strings", 1, 10),
    ("party", "internal == 1", "compares a boolean with a number", 1, 10),
    # functions
    ("agreement", "lenght(services) > 0", "unknown function 'lenght'; did you mean 'len'?", 1, 1),
    ("agreement", "eval(id)", "unknown function 'eval'", 1, 1),
    ("agreement", "startswith(id)", "startswith() takes 2 argument(s), not 1", 1, 1),
    ("agreement", "len()", "len() takes 1 argument(s), not 0", 1, 1),
    ("agreement", "days_between(effective, expires, review) > 1", "days_between() takes 2 argument(s), not 3", 1, 1),
    ("agreement", "lower(effective)", "lower() needs a string, not a date", 1, 7),
    ("objective", "seconds(target)", "seconds() needs a duration, not a target", 1, 9),
    ("agreement", "if(id, 1, 2) == 1", "if() needs a boolean, not a string", 1, 4),
    # written() takes a field the file writes, not a value
    ("agreement", "written(id)", "'id' is not a field written in the file, so written() cannot ask for it", 1, 9),
    ("objective", "written(target.op)", "use exists(target.op) to test for a value", 1, 9),
    ("agreement", "written(services)", "'services' is not a field written in the file", 1, 9),
    ("objective", "written(agreement)", "'agreement' is not a field written in the file", 1, 9),
    (
        "party",
        "written(agreement)",
        "written() takes a field, such as written(window) or written(agreement.review)",
        1,
        9,
    ),
    ("objective", "not written(1)", "written() takes a field", 1, 13),
    ("agreement", "written(revew)", "'revew' names no field of agreement; did you mean 'review'?", 1, 9),
    ("agreement", "any(s in services: written(s))", "written() takes a field", 1, 28),
    # booleans where a condition is needed
    ("objective", "not window", "the operand of 'not' must be true or false, not a duration", 1, 5),
    ("objective", "exists(window) and window", "each side of 'and' must be true or false, not a duration", 1, 20),
    ("objective", "percentile or true", "each side of 'or' must be true or false, not a number", 1, 1),
    # operators on the wrong kinds
    ("agreement", '"a" * 2', "cannot compute a string * a number", 1, 5),
    ("agreement", "effective + effective", "cannot compute a date + a date", 1, 11),
    ("objective", "window + 1%", "cannot compute a duration + a percent", 1, 8),
    ("agreement", "-id", "cannot negate a string", 1, 2),
    ("agreement", '"a" in 1', "'in' needs a list or a string on its right, not a number", 1, 1),
    # quantifiers
    ("objective", "any(x in window: true)", "any() ranges over a list, but this is a duration", 1, 10),
    ("agreement", "all(id in services: true)", "'id' is already a name here", 1, 1),
    ("agreement", "any(s in services: s.id)", "the condition of any() must be true or false", 1, 20),
    ("agreement", "count(s in services: s.hours)", "the condition of count() must be true or false", 1, 22),
    ("agreement", "product(s in services: s.id) > 1", "product() multiplies numbers or percents", 1, 24),
    ("agreement", "sum(s in services: s.hours) > 1", "sum() adds numbers, percents or durations", 1, 20),
    ("agreement", "any(s in services: s.idd == 1)", "a service has no field 'idd'; did you mean 'id'?", 1, 20),
    ("agreement", "any(s in services: x == 1)", "'x' names no field of agreement", 1, 20),
    # literals
    ("objective", "target.value >= 101%", "101% is not a valid percent", 1, 17),
    ("agreement", "effective == 2026-02-30", "2026-02-30 is not a date", 1, 14),
    # syntax
    ("agreement", "kind == ", "unexpected end of the expression", 1, 9),
    ("agreement", '(kind == "sla"', "unexpected end of the expression", 1, 15),
    ("agreement", 'kind == "sla")', "unexpected ')'", 1, 14),
    ("agreement", "kind == @", "unexpected character '@'", 1, 9),
    ("agreement", 'kind == "sla', "unexpected character '\"'", 1, 9),
    ("agreement", "kind = 1", "unexpected character '='", 1, 6),
    ("agreement", "any(s services: true)", "unexpected 'services'", 1, 7),
    ("agreement", "len(services) > 0 and", "unexpected end of the expression", 1, 22),
    # positions on later lines of a multi-line expression
    ("objective", "exists(window)\n  and targt > 1", "'targt' names no field of objective", 2, 7),
    ("objective", "exists(window)\n  and (window > 1%)", "compares a duration with a percent", 2, 15),
    ("objective", "exists(window) and\n  window > )", "unexpected ')'", 2, 12),
]


@pytest.mark.parametrize(("scope", "text", "words", "line", "column"), REFUSED, ids=[t for _, t, *_ in REFUSED])
def test_refused_expression(scope, text, words, line, column):
    with pytest.raises(ExpressionError) as caught:
        compile_text(text, scope)
    assert words in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column), caught.value.message


@pytest.mark.parametrize(
    ("scope", "text", "words", "column"),
    [
        ("objective", "window", "must be a condition (true or false), but it is a duration", 1),
        ("agreement", "services", "but it is a list of services", 1),
        ("agreement", "label_of(self)", "but it is a string", 1),
        ("objective", "percentile + 1", "but it is a number; use exists(...) to test for a value", 12),
    ],
)
def test_an_assertion_must_be_a_condition(scope, text, words, column):
    with pytest.raises(ExpressionError) as caught:
        TypeChecker(scope).expect_bool(parse(text), "the assertion")
    assert words in caught.value.message
    assert caught.value.column == column


def test_nesting_is_bounded():
    ok = "not " * (MAX_DEPTH - 1) + "true"  # MAX_DEPTH levels: the literal and its nots
    assert compile_text(ok, "agreement").type == "bool"
    with pytest.raises(ExpressionError) as caught:
        compile_text("not " + ok, "agreement")
    assert f"nested more than {MAX_DEPTH} levels deep" in caught.value.message
    for deep in ("-" * 1000 + "1 == 1", "[" * 1000 + "]" * 1000, "not " * 900 + "true", "1" + " + 1" * 900):
        with pytest.raises(ExpressionError, match="levels deep"):
            compile_text(deep, "agreement")


def test_parentheses_alone_add_no_depth():
    assert compile_text("(" * 1000 + "true" + ")" * 1000, "agreement").type == "bool"


def test_length_is_bounded():
    longest = '"' + "x" * (MAX_LENGTH - 8) + '" == id'
    assert len(longest) == MAX_LENGTH
    compile_text(longest, "agreement")
    with pytest.raises(ExpressionError) as caught:
        compile_text(longest + " ", "agreement")
    assert f"longer than {MAX_LENGTH} characters" in caught.value.message
    assert caught.value.column == 1


def test_quantifier_steps_are_paid_from_a_budget(workspace):
    compiled = compile_text(
        "count(a in workspace.objectives: count(b in workspace.objectives: a == b) == 1) == 6", "agreement"
    )
    node = workspace.agreements["gold"]
    assert compiled(context_for(node, workspace, TODAY)) is True  # 6 + 36 steps: well within the default budget
    small = Context(node, context_for(node, workspace, TODAY).globals, budget=20)
    with pytest.raises(BudgetExceeded):
        compiled(small)


def test_a_compiled_expression_survives_the_pack_cache(workspace):
    """Packs are cached as pickles: a compiled expression is stored as its tree
    and compiled again when loaded."""
    import pickle

    compiled = compile_text('(100% - target.value) * window == 21.6min and metric.id == "availability"', "objective")
    again = pickle.loads(pickle.dumps(compiled))
    objective = workspace.agreements["gold"].services[0].objectives[0]
    assert again(context_for(objective, workspace, TODAY)) is True
    assert again.text == compiled.text and again.scope == "objective"
