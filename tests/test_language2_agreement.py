"""Language 2 on the agreement side (SPEC §6.4, §6.5, §6.11): consent by
acceptance and service credits of several kinds, forms and blocks. The
fixtures under tests/fixtures/language2/agreement/ hold the near misses that
stay clean beside each mistake; these tests name every finding exactly.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from conftest import FIXTURES, lint_files, run_cli
from test_workspace import resolve

from sla_lang.config.settings import Settings
from sla_lang.model.nodes import anchor_of
from sla_lang.policy.model_view import FIELD_TYPES, is_written
from sla_lang.values import Duration, Percent

HERE = FIXTURES / "language2" / "agreement"
TODAY = datetime.date(2026, 6, 1)


def findings_of(name: str, tmp_path, select: str) -> list[tuple[str, int, int, str]]:
    settings = Settings(select=select.split(","))
    result = lint_files({name: (HERE / name).read_text(encoding="utf-8")}, tmp_path, settings=settings, today=TODAY)
    return [(f.code, f.span.line, f.span.column, f.message) for f in result.findings]


# -- consent ------------------------------------------------------------------------------------

CONSENT_FINDINGS = [
    ("SL005", 19, 5, "'buyer' both signs and accepts SLA 'consent_twice': its signature on line 20 is its consent; "
     "remove this acceptance"),
    ("SL005", 21, 5, "'buyer' signs SLA 'consent_twice' twice (first on line 20); keep the signature of the version "
     "in force"),
    ("SL005", 23, 5, "'seller' accepts SLA 'consent_twice' twice (first on line 22); keep the acceptance of the "
     "version in force"),
    ("SL204", 29, 73, "objective 'availability' of service 'web' in SLA 'accepted_late' was agreed on 2026-02-01, "
     "after the customer 'buyer' accepted on 2026-01-10: the acceptance does not cover it"),
    ("SL207", 31, 5, "SLA 'accepted_late' was accepted by 'buyer' without 'evidence': say where the record of the "
     'acceptance is, e.g. evidence: "PO 4711" (an order number, a ticket, the minutes of a board)'),
    ("SL603", 31, 44, "the customer 'buyer' accepted SLA 'accepted_late' on 2026-01-10, 9 days after it took effect "
     "on 2026-01-01"),
    ("SL203", 31, 62, "the customer 'buyer' accepted version \"2\" of SLA 'accepted_late', but the agreement is "
     'version "3": the customer has not approved this text'),
    ("SL206", 32, 5, "SLA 'accepted_late' is accepted by 'buyer_board', which is neither its provider 'seller' nor "
     "its customer 'buyer'"),
    ("SL201", 37, 1, "SLA 'unconsented' is active but has no signature or acceptance from its customer 'buyer' (it "
     "is accepted by seller only): an SLA binds only what the customer agreed to"),
    ("SL207", 46, 5, "SLA 'acceptance_mistyped' was accepted by 'buyer' without 'evidence': say where the record of "
     'the acceptance is, e.g. evidence: "PO 4711" (an order number, a ticket, the minutes of a board)'),
    ("SL004", 46, 16, "the acceptance of 'buyer' on SLA 'acceptance_mistyped' has no 'date': add date: 2026-01-01"),
    ("SL003", 46, 32, "unknown method 'purchase_order' in the acceptance of 'buyer' on SLA 'acceptance_mistyped': "
     "expected one of order, terms, governance, email"),
    ("SL002", 46, 48, "unknown field 'evidense' in the acceptance of 'buyer' on SLA 'acceptance_mistyped'; did you "
     "mean 'evidence'?"),
]  # fmt: skip


def test_consent_by_acceptance_findings(tmp_path):
    found = findings_of("consent.sla", tmp_path, "SL0,SL2,SL6")
    assert sorted(found, key=lambda f: (f[1], f[2])) == CONSENT_FINDINGS


def test_the_customers_consent_is_its_signature_else_its_acceptance():
    text = (HERE / "consent.sla").read_text(encoding="utf-8")
    workspace, _ = resolve({"consent.sla": text})
    ordered = workspace.agreements["accepted_by_order"]
    assert ordered.consent is ordered.acceptances[0]
    assert (ordered.consent.kind, ordered.consent.method, ordered.consent.evidence) == (
        "acceptance",
        "order",
        "PO 4711",
    )
    assert [s.kind for s in ordered.signatures] == ["signature"]
    twice = workspace.agreements["consent_twice"]
    # the signature on line 20 wins over the acceptance written before it; the rest are dropped
    assert twice.consent is twice.signatures[0] and twice.consent.span.line == 20
    assert [(r.span.line, r.position) for r in twice.signatures] == [(20, 2)]
    assert [(r.span.line, r.position) for r in twice.acceptances] == [(22, 1)]
    assert workspace.agreements["unconsented"].consent is None


def test_consent_records_are_identified_by_kind_party_and_position(tmp_path):
    text = (HERE / "consent.sla").read_text(encoding="utf-8")
    workspace, _ = resolve({"consent.sla": text})
    twice = workspace.agreements["consent_twice"]
    assert anchor_of(twice.signatures[0]) == "consent_twice.approval.signature buyer 2"
    assert anchor_of(twice.acceptances[0]) == "consent_twice.approval.acceptance seller"
    result = lint_files({"c.sla": text}, tmp_path, settings=Settings(select=["SL005"]), today=TODAY)
    assert [f.anchor for f in result.findings if f.code == "SL005"] == [
        "consent_twice.approval.acceptance buyer 1",
        "consent_twice.approval.signature buyer 3",
        "consent_twice.approval.acceptance seller 2",
    ]


def test_packs_see_acceptances_and_the_consent():
    assert FIELD_TYPES["agreement"]["acceptances"] == "list:node:acceptance"
    assert FIELD_TYPES["agreement"]["consent"] == "node:consent"
    assert {"method", "evidence", "kind", "date", "version", "by", "party"} <= set(FIELD_TYPES["consent"])


PACK = """\
pack: house
rules:
  - code: ACME100
    name: consent-by-order
    severity: warning
    scope: agreement
    where: exists(consent)
    assert: consent.kind == "signature" or consent.method == "order"
    message: "{id} is accepted by {consent.method}"
    summary: Only orders may stand in for a signature.
    docs: |
      ## What it checks
      x
      ## Why it matters
      x
      ## How to fix
      x
"""


def test_a_pack_reads_the_consent_record(tmp_path):
    (tmp_path / "house.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "consent.sla").write_text((HERE / "consent.sla").read_text(encoding="utf-8"), encoding="utf-8")
    run = run_cli("check", "consent.sla", "--policy", "house.yaml", "--select", "ACME", "--format", "json",
                  "--today", "2026-06-01", cwd=tmp_path)  # fmt: skip
    report = json.loads(run.stdout)
    found = [(f["line"], f["message"]) for f in report["findings"] if f["code"] == "ACME100"]
    assert found == [(28, "accepted_late is accepted by governance"), (43, "acceptance_mistyped is accepted by none")]


# -- credits ------------------------------------------------------------------------------------

CREDITS_FINDINGS = [
    ("SL004", 34, 3, "the credits of SLA 'credits_mixed' gives money but has no 'currency': add currency: EUR (the "
     "ISO 4217 code)"),
    ("SL003", 36, 54, "the amount 10% in the credits of SLA 'credits_mixed' is a percent of the fee, but the block's "
     "values are days of free service (from its cap): write every amount and the cap of one block in one kind, or "
     "move this credit to a credits block of its own (credits LABEL { ... })"),
    ("SL003", 37, 54, "the amount 500 in the credits of SLA 'credits_mixed' is money, but the block's values are "
     "days of free service (from its cap): write every amount and the cap of one block in one kind, or move this "
     "credit to a credits block of its own (credits LABEL { ... })"),
    ("SL005", 39, 3, "SLA 'credits_mixed' has two 'credits' blocks (first on line 34); merge them into one"),
    ("SL003", 43, 15, "'currency' in credits 'fees' of SLA 'credits_mixed' is written in capitals: write currency: "
     "EUR"),
    ("SL003", 44, 72, "'consecutive: 1' in credit 1 in credits 'fees' of SLA 'credits_mixed' is not a count of "
     "windows: write a whole number of 2 or more"),
    ("SL005", 46, 11, "SLA 'credits_mixed' has two 'credits fees' blocks (first on line 42); merge them into one, "
     "or give each its own label"),
    ("SL004", 47, 3, "credits 'unpaid' of SLA 'credits_mixed' gives money but has no 'currency': add currency: EUR "
     "(the ISO 4217 code)"),
    ("SL003", 49, 54, "'amount: 2h' in credit 2 in credits 'unpaid' of SLA 'credits_mixed' is a duration in h: a "
     "credit value is a percent of the fee (10%), days of free service in d, w or mo (3d, 1w, 1mo) or money (500)"),
    ("SL003", 50, 54, "'amount: 5% per 0h' in credit 3 in credits 'unpaid' of SLA 'credits_mixed' counts per "
     "nothing: the unit after 'per' must be more than 0"),
    ("SL003", 51, 54, "'amount: 5% per 100' in credit 4 in credits 'unpaid' of SLA 'credits_mixed': 'per' takes a "
     "calendar duration (2% per 1h) or, on a percent metric, a percent (1% per 0.1%), not the number 100"),
    ("SL003", 52, 54, "the amount 5% in credits 'unpaid' of SLA 'credits_mixed' is a percent of the fee, but the "
     "block's values are money (from its first credit): write every amount and the cap of one block in one kind, "
     "or move this credit to a credits block of its own (credits LABEL { ... })"),
    ("SL003", 52, 71, "'consecutive: 2.5' in credit 5 in credits 'unpaid' of SLA 'credits_mixed' is not a count of "
     "windows: write a whole number of 2 or more"),
    ("SL003", 53, 41, "the credit web.throughput < 50 in SLA 'credits_mixed' gives an amount per 1h, but metric "
     "'order_rate' is measured as a number, so it has no shortfall to count: give a flat amount"),
    ("SL003", 54, 44, "the credit web.durability < 99.9% in SLA 'credits_mixed' gives an amount per 1h, but "
     "objective 'web.durability' has no window to turn a shortfall in percent into time: add a window to it, or "
     "count per percentage point (e.g. per 0.1%)"),
    ("SL509", 66, 5, "the 1% per 1h credit in SLA 'credits_tiered' applies when web.availability < 99.95%, but the "
     "objective's target is >= 99.9%: a measured value between 99.9% and 99.95% meets the target and still earns "
     "the credit; move the threshold to the target or beyond it"),
    ("SL512", 66, 47, "the credit of 1% per 1h in SLA 'credits_tiered' grows with the length of the breach and its "
     "credits block has no 'cap': add one, e.g. cap: 50%"),
    ("SL510", 67, 5, "the credit in SLA 'credits_tiered' for web.availability < 99% gives 1% per 2h, less than the "
     "1% per 1h given at the milder web.availability < 99.95%: a worse breach should never earn a smaller credit"),
    ("SL512", 67, 46, "the credit of 1% per 2h in SLA 'credits_tiered' grows with the length of the breach and its "
     "credits block has no 'cap': add one, e.g. cap: 50%"),
    ("SL510", 69, 5, "the credit in SLA 'credits_tiered' for web.availability < 98% gives 3%, less than the 5% given "
     "at the milder web.availability < 99%: a worse breach should never earn a smaller credit"),
    ("SL512", 71, 41, "the credit of 1% per started 1min in SLA 'credits_tiered' grows with the length of the breach "
     "and its credits block has no 'cap': add one, e.g. cap: 50%"),
    ("SL510", 76, 5, "the credit in SLA 'credits_tiered' for web.availability < 99% gives 6d, less than the 1w given "
     "at the milder web.availability < 99.9%: a worse breach should never earn a smaller credit"),
]  # fmt: skip


def test_credits_findings(tmp_path):
    found = findings_of("credits.sla", tmp_path, "SL002,SL003,SL004,SL005,SL007,SL509,SL510,SL512")
    assert sorted(found, key=lambda f: (f[1], f[2])) == CREDITS_FINDINGS


def test_credit_blocks_in_the_model():
    text = (HERE / "credits.sla").read_text(encoding="utf-8")
    workspace, _ = resolve({"credits.sla": text})
    good = workspace.agreements["credited_well"]
    blocks = [(b.label, b.kind, b.currency, b.cap, b.claim, len(b.credits)) for b in good.credit_blocks]
    assert blocks == [
        (None, "percent", None, Percent(Decimal(50)), Duration(Decimal(30), "d"), 5),
        ("days", "days", None, Duration(Decimal(2), "w"), None, 1),
        ("money", "money", "USD", Decimal(5000), None, 1),
    ]
    # `credits` and `credit_cap` keep their meaning: the unlabelled block
    assert good.credits is good.credit_blocks[0].credits and good.credit_cap == Percent(Decimal(50))
    assert is_written(good, "credit_cap") and is_written(good, "credits")
    tiers = [(c.amount, c.per, c.per_started, c.consecutive, c.kind, c.block.label) for c in good.all_credits]
    assert tiers == [
        (Percent(Decimal(10)), None, False, 1, "percent", None),
        (Percent(Decimal(25)), None, False, 1, "percent", None),
        (Percent(Decimal(30)), None, False, Decimal(3), "percent", None),
        (Percent(Decimal(1)), Percent(Decimal("0.1")), False, 1, "percent", None),
        (Percent(Decimal(2)), Duration(Decimal(1), "h"), True, 1, "percent", None),
        (Duration(Decimal(3), "d"), None, False, 1, "days", "days"),
        (Decimal(500), None, False, 1, "money", "money"),
    ]
    assert [anchor_of(c) for c in good.all_credits] == [
        "credited_well.credits.credit web.availability < 99.9%",
        "credited_well.credits.credit web.availability < 99%",
        "credited_well.credits.credit web.availability < 99.9% consecutive 3",
        "credited_well.credits.credit web.availability < 99% per 0.1%",
        "credited_well.credits.credit web.latency > 300ms per started 1h",
        "credited_well.credits days.credit web.availability < 99.5%",
        "credited_well.credits money.credit web.latency > 1s",
    ]
    assert [anchor_of(b) for b in good.credit_blocks] == [
        "credited_well.credits",
        "credited_well.credits days",
        "credited_well.credits money",
    ]
    # a labelled block alone leaves the version-1 fields empty
    mixed = workspace.agreements["credits_mixed"]
    assert mixed.credit_cap is None and mixed.credit_blocks[0].kind == "days"


def test_findings_about_two_credits_of_one_block_are_two_problems(tmp_path):
    """A credit is identified by its block, objective, comparator, threshold,
    consecutive and per: the fingerprints of its findings differ."""
    text = (HERE / "credits.sla").read_text(encoding="utf-8")
    result = lint_files({"c.sla": text}, tmp_path, settings=Settings(select=["SL003"]), today=TODAY)
    unpaid = [f for f in result.findings if f.code == "SL003" and 49 <= f.span.line <= 54]
    assert [f.anchor for f in unpaid] == [
        "credits_mixed.credits unpaid.credit web.availability < 99%.amount",
        "credits_mixed.credits unpaid.credit web.availability < 98%.amount",
        "credits_mixed.credits unpaid.credit web.availability < 97%.amount",
        "credits_mixed.credits unpaid.credit web.availability < 96%.amount",
        "credits_mixed.credits unpaid.credit web.availability < 96%.consecutive",
        "credits_mixed.credits unpaid.credit web.throughput < 50 per 1h.amount",
        "credits_mixed.credits unpaid.credit web.durability < 99.9% per 1h.amount",
    ]
    assert len({f.fingerprint for f in unpaid}) == len(unpaid)


def test_a_value_of_another_kind_counts_as_absent():
    workspace, _ = resolve({"credits.sla": (HERE / "credits.sla").read_text(encoding="utf-8")})
    first = workspace.agreements["credits_mixed"].credit_blocks[0].credits
    assert [(c.amount, c.kind) for c in first] == [(None, None), (None, None)]
    assert "amount" in first[0].spans  # present for SL004


def test_credits_tiers_stay_clean_in_the_examples(tmp_path):
    """Near misses: an SLA accepted with an order and evidence, consecutive tiers,
    per-unit credits with a cap, days and money: nothing to report."""
    files = {name: (FIXTURES.parent.parent / "examples" / name).read_text(encoding="utf-8")
             for name in ("payments.sla", "credits-and-acceptance.sla")}  # fmt: skip
    result = lint_files(files, tmp_path, today=TODAY)
    assert [(f.code, f.span.path, f.span.line) for f in result.findings] == []


PER_TEXT = """\
party c { role: customer }
party p { role: provider }
sla a { provider: p  customer: c  version: "1"  status: draft
  service s { objective availability { target: >= 99.9%  window: 30d } }
  credits { cap: 10%  credit { when: s.availability < 99%; amount: AMOUNT } }
}
"""


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("2% per stared 1h", [("SL003", 5, 75, "unexpected word 'stared' in 2% per stared 1h: write 2% per 1h, or "
                                              "2% per started 1h to count every begun 1h")]),
        ("2% per started 1h", []),
        ("2% per", [("SL001", 5, 75, "expected a duration, a name, a number or a percent, found '}'")]),
    ],
)  # fmt: skip
def test_per_is_followed_by_started_or_a_unit(lint_text, amount, expected):
    lint_text(PER_TEXT.replace("AMOUNT", amount), settings=Settings(select=["SL0"]))
    assert [(f.code, f.span.line, f.span.column, f.message) for f in lint_text.result.findings] == expected


# -- hostile input ------------------------------------------------------------------------------

HOSTILE_HEAD = """\
party c { role: customer }
party p { role: provider }
sla a { provider: p  customer: c  version: "1"  effective: 2026-01-01
  service s { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } }
"""


def test_ten_thousand_per_unit_credits_stay_linear(tmp_path):
    credits = "\n".join(
        f"    credit {{ when: s.availability < {Decimal('99.9') - Decimal(i) / 10000}%; amount: {i % 97 + 1}% "
        f"per {i % 13 + 1}h; consecutive: {i % 5 + 2} }}"
        for i in range(10_000)
    )
    (tmp_path / "many.sla").write_text(f"{HOSTILE_HEAD}  credits {{ cap: 50%\n{credits}\n  }}\n}}\n", encoding="utf-8")
    run = run_cli("check", "many.sla", "--today", "2026-06-01", "--select", "SL510,SL512", "--format", "json",
                  cwd=tmp_path, timeout=5)  # fmt: skip
    assert run.returncode == 0, run.stderr  # warnings only
    codes = {f["code"] for f in json.loads(run.stdout)["findings"]}
    assert codes == {"SL510"}  # tiers of one consecutive value compared; the cap silences SL512
    assert run.seconds < 5


def test_a_huge_per_unit_and_consecutive_count_are_plain_numbers(tmp_path):
    huge = "9" * 99
    text = (
        f"{HOSTILE_HEAD}  credits {{ cap: 50%\n"
        f"    credit {{ when: s.availability < 99%; amount: 1% per {huge}min; consecutive: {huge} }}\n"
        f"    credit {{ when: s.availability < 98%; amount: 1% per 0.{'0' * 90}1%; consecutive: {huge} }}\n"
        f"    credit {{ when: s.availability < 97%; amount: 1% per {huge}h; consecutive: {huge} }} }}\n}}\n"
    )
    (tmp_path / "huge.sla").write_text(text, encoding="utf-8")
    run = run_cli("check", "huge.sla", "--today", "2026-06-01", "--select", "SL0,SL509,SL510,SL512",
                  "--format", "json", cwd=tmp_path, timeout=5)  # fmt: skip
    found = [(f["code"], f["line"]) for f in json.loads(run.stdout)["findings"]]
    # the worse tier gives 1% per 99...9 hours, less than 1% per 99...9 minutes
    assert found == [("SL510", 8)], run.stderr
    assert run.seconds < 5
