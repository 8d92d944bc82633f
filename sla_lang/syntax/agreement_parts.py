"""The parts of an agreement that hold more than attributes: its credits
blocks (labels, one kind of value per block, the currency of money) and its
approval (signatures and acceptances, one consent record per party).
"""

from __future__ import annotations

from decimal import Decimal

from ..model.nodes import Acceptance, Agreement, Credit, CreditBlock, Signature, anchor_of
from ..model.schema import CREDIT_KINDS, NESTED_BLOCKS, BlockSpec
from ..source import Span
from ..values import UNIT_SECONDS, Duration, Percent, PerUnit, Reference
from .records import Body, NestedBlock
from .validate import SchemaReader

_CONSENT_NODES = {"signature": Signature, "acceptance": Acceptance}


def credit_kind(value) -> str | None:
    """`percent`, `days` or `money`: what a valid credit value is (None for none)."""
    if isinstance(value, Percent):
        return "percent"
    if isinstance(value, Duration):
        return "days"
    if isinstance(value, Decimal):
        return "money"
    return None


class AgreementParts(SchemaReader):
    """Reads the credits and approval blocks of an agreement into its nodes."""

    def _fill(self, node, spec: BlockSpec, body: Body, owner: str, anchor: str, required_at: Span):
        """Read `body` as `spec` says into `node`: its nested blocks and items are left to the caller."""
        attributes, values, blocks, items = self.read_block(spec, body, owner, anchor)
        self.assign(node, spec, attributes, values)
        self.require(node, spec, attributes, blocks, owner, required_at, anchor)
        return blocks, items

    # -- credits ---------------------------------------------------------------

    def credit_blocks(self, agreement: Agreement, blocks: list[NestedBlock], anchor: str) -> None:
        first: dict[str | None, NestedBlock] = {}  # label (None: unlabelled) -> the block kept
        for block in blocks:
            label, label_span, _ = self.labels(block, agreement.label, anchor)
            if label in first:
                line = first[label].name_span.line
                if label is None:
                    message = f"{agreement.label} has two 'credits' blocks (first on line {line}); merge them into one"
                else:
                    message = (
                        f"{agreement.label} has two 'credits {label}' blocks (first on line {line}); "
                        "merge them into one, or give each its own label"
                    )
                field = "credits" if label is None else f"credits {label}"
                self.report("SL005", message, label_span or block.name_span, anchor, field)
                continue
            first[label] = block
            agreement.credit_blocks.append(self._credit_block(agreement, block, label, anchor))

    def _credit_block(self, agreement: Agreement, block: NestedBlock, label: str | None, parent_anchor: str):
        credit_block = CreditBlock(self.path, block.name_span, {}, label=label, agreement=agreement)
        anchor = f"{parent_anchor}.{credit_block.key}"
        owner = f"the credits of {agreement.label}" if label is None else f"credits '{label}' of {agreement.label}"
        spec = NESTED_BLOCKS["credits"]
        attributes, values, nested, _ = self.read_block(spec, block.body, owner, anchor)
        self.assign(credit_block, spec, attributes, values)
        claim = credit_block.claim
        if claim is not None and claim.unit not in UNIT_SECONDS:
            self.report(
                "SL003",
                f"'claim: {claim}' in {owner} must be a calendar duration such as 30d or 1mo",
                attributes["claim"].value_span,
                anchor,
                "claim",
            )
            credit_block.claim = None
        self._amount_spans: dict[Credit, object] = {}  # where each amount's value is written
        for number, statement in enumerate(nested["credit"], 1):
            self._credit(agreement, credit_block, statement, number, owner, anchor)
        self._one_kind(credit_block, credit_block.credits, attributes, owner, anchor)
        if label is None:  # what version 1 called the agreement's credits
            agreement.credits = credit_block.credits
            agreement.spans["credits"] = block.name_span
            if "cap" in credit_block.spans:
                agreement.spans["cap"] = credit_block.spans["cap"]
            if isinstance(credit_block.cap, Percent):
                agreement.credit_cap = credit_block.cap
        return credit_block

    def _credit(self, agreement, credit_block, block: NestedBlock, number: int, owner: str, anchor: str):
        self.labels(block, owner, anchor)
        credit = Credit(self.path, block.name_span, {}, agreement=agreement, block=credit_block)
        where = f"credit {number} of {agreement.label}"
        if credit_block.label is not None:
            where = f"credit {number} in credits '{credit_block.label}' of {agreement.label}"
        spec = NESTED_BLOCKS["credit"]
        reported = len(self.findings)
        attributes, values, _, _ = self.read_block(spec, block.body, where, f"{anchor}.credit")
        self.assign(credit, spec, attributes, values)
        self.require(credit, spec, attributes, {}, where, block.name_span, f"{anchor}.credit")
        if "amount" in attributes:
            self._amount_spans[credit] = attributes["amount"].value_span
        amount = credit.amount
        if isinstance(amount, PerUnit):
            credit.amount, credit.per, credit.per_started = amount.amount, amount.unit, amount.started
        if credit.condition is not None and (credit_block.label or credit.per is not None or credit.consecutive != 1):
            # Name the credit in what was found about it, as version 1 did not (its
            # credits keep their anchors): two tiers of one block are two problems.
            written = f"{anchor}.credit."
            for finding in self.findings[reported:]:
                if finding.anchor.startswith(written):
                    finding.anchor = f"{anchor_of(credit)}.{finding.anchor[len(written) :]}"
        credit_block.credits.append(credit)
        return credit

    def _one_kind(self, credit_block: CreditBlock, credits: list[Credit], attributes, owner: str, anchor: str):
        """The block's kind (of its cap, else of its first amount); SL003 at each
        value of another kind, SL004 when money has no currency."""
        cap_kind = credit_kind(credit_block.cap)
        kind = cap_kind or next((k for c in credits if (k := credit_kind(c.amount))), None)
        credit_block.kind = kind
        if kind is None:
            return
        source = "its cap" if cap_kind else "its first credit"
        money = cap_kind == "money"
        for credit in credits:
            own = credit_kind(credit.amount)
            money = money or own == "money"
            if own is None or own == kind:
                credit.kind = own
                continue
            self.report(
                "SL003",
                f"the amount {credit.shown_amount} in {owner} is {CREDIT_KINDS[own]}, but the block's values are "
                f"{CREDIT_KINDS[kind]} (from {source}): write every amount and the cap of one block in one kind, "
                "or move this credit to a credits block of its own (credits LABEL { ... })",
                self._amount_spans[credit],
                anchor_of(credit),
                "amount",
            )
            credit.amount = credit.per = None
            credit.per_started = False
        if money and "currency" not in attributes:
            self.report(
                "SL004",
                f"{owner} gives money but has no 'currency': add currency: EUR (the ISO 4217 code)",
                credit_block.span,
                anchor,
                "currency",
            )

    # -- approval --------------------------------------------------------------

    def approval(self, block: NestedBlock, agreement: Agreement, anchor: str) -> None:
        self.labels(block, agreement.label, anchor)
        owner = f"the approval of {agreement.label}"
        anchor = f"{anchor}.approval"
        _, _, blocks, _ = self.read_block(NESTED_BLOCKS["approval"], block.body, owner, anchor)
        agreement.spans["approval"] = block.name_span
        written = [(r.name_span.line, r.name_span.column, kind, r) for kind in blocks for r in blocks[kind]]
        written.sort(key=lambda entry: entry[:2])
        by_party: dict[str, list[tuple[str, NestedBlock, object]]] = {}
        for _, _, kind, record in written:
            party, party_span, _ = self.labels(record, owner, anchor)
            if party is not None:
                by_party.setdefault(party, []).append((kind, record, party_span))
        consent = []
        for party, records in by_party.items():
            kept = min(range(len(records)), key=lambda index: (records[index][0] != "signature", index))
            for position, (kind, record, party_span) in enumerate(records, 1):
                if position - 1 == kept:
                    consent.append((record, kind, party, party_span, position))
                else:
                    self._second_consent(agreement, kind, party, position, record, records[kept], anchor)
        consent.sort(key=lambda entry: (entry[0].name_span.line, entry[0].name_span.column))
        for record, kind, party, party_span, position in consent:
            node = _CONSENT_NODES[kind](
                self.path,
                record.name_span,
                {},
                party_ref=Reference((party,), party_span),
                agreement=agreement,
                position=position,
            )
            noun = "signature" if kind == "signature" else "acceptance"
            self._fill(
                node, NESTED_BLOCKS[kind], record.body, f"the {noun} of '{party}' on {agreement.label}",
                f"{anchor}.{node.key}", party_span,
            )  # fmt: skip
            (agreement.signatures if kind == "signature" else agreement.acceptances).append(node)

    def _second_consent(self, agreement, kind: str, party: str, position: int, record, kept, anchor: str) -> None:
        kept_kind, kept_record, _ = kept
        line = kept_record.name_span.line
        if kind == kept_kind == "signature":
            message = (
                f"'{party}' signs {agreement.label} twice (first on line {line}); "
                "keep the signature of the version in force"
            )
        elif kind == kept_kind:
            message = (
                f"'{party}' accepts {agreement.label} twice (first on line {line}); "
                "keep the acceptance of the version in force"
            )
        else:
            message = (
                f"'{party}' both signs and accepts {agreement.label}: its signature on line {line} is its consent; "
                "remove this acceptance"
            )
        self.report("SL005", message, record.name_span, anchor, f"{kind} {party} {position}")
