"""The model builder: Lark's LALR parser calls these methods as it reduces
grammar rules (an inline transformer), so typed nodes are built during the
parse, with no parse tree in between.

Values are converted where they are reduced (literals.py); statements become
small syntax records (records.py); when a whole declaration has been reduced,
it is read against the schema top-down (validate.py) and its nodes are built
here.
"""

from __future__ import annotations

from sys import intern

from ..language_rules import language_finding
from ..model.nodes import Agreement, Maintenance, Metric, Objective, Party, Responsibility, Service
from ..model.schema import AGREEMENT_KINDS, DECLARATIONS, NESTED_BLOCKS
from ..source import Span
from ..values import Reference
from .agreement_parts import AgreementParts
from .records import MAX_FINDINGS_PER_FILE, MAX_NESTING, Attribute, Body, Comment, Item, NestedBlock, NestingTooDeep

__all__ = ["MAX_FINDINGS_PER_FILE", "Comment", "ModelBuilder", "NestingTooDeep"]

_OPENING = {"RBRACE": "LBRACE", "RSQB": "LSQB"}
_TOO_DEEP = {
    "LBRACE": f"blocks are nested more than {MAX_NESTING} levels deep; no agreement needs that many",
    "LSQB": f"lists are nested more than {MAX_NESTING} levels deep",
}
_DECLARED = {"party": Party, "metric": Metric}


class ModelBuilder(AgreementParts):
    """Inline transformer for grammar/agreement.lark, reused file after file."""

    def __init__(self) -> None:
        self._shared: dict[str, object] = {}  # "PERCENT:99.9%" -> the one Percent for it
        self.reset("")

    def reset(self, path: str, line_offset: int = 0) -> None:
        super().reset(path, line_offset)
        self.declarations: list = []
        self.comments: list[Comment] = []
        self.open_brackets = {"LBRACE": 0, "LSQB": 0}

    # -- lexer callbacks -------------------------------------------------------

    def lexer_callbacks(self) -> dict:
        return {
            "COMMENT": self.comment,
            "LBRACE": self.open_bracket,
            "LSQB": self.open_bracket,
            "RBRACE": self.close_bracket,
            "RSQB": self.close_bracket,
        }

    def comment(self, token):
        text, span = str(token), self.span(token)
        if text.endswith("\r"):  # a CRLF line end: the \r is not part of the comment
            text = text[:-1]
            span = Span(span.path, span.line, span.column, span.end_line, span.end_column - 1)
        self.comments.append(Comment(text, span))
        return token

    # Nesting is counted as the lexer hands over the brackets, so that a file
    # nested too deep is stopped at the first bracket past the limit.

    def open_bracket(self, token):
        kind = token.type
        self.open_brackets[kind] += 1
        if self.open_brackets[kind] > MAX_NESTING:
            raise NestingTooDeep(token, language_finding("SL001", _TOO_DEEP[kind], self.span(token)))
        return token

    def close_bracket(self, token):
        opening = _OPENING[token.type]
        self.open_brackets[opening] = max(0, self.open_brackets[opening] - 1)  # a stray one is the parser's
        return token

    # -- statements ---------------------------------------------------------

    def attribute(self, children):
        key, (value, value_span) = children[0], children[1]
        # Keys are interned: node.spans keeps one per attribute of every node.
        return Attribute(intern(str(key)), self.span(key), value, value_span)

    def item(self, children):
        token = children[0]
        span = self.span(token)
        return Item("" if self._too_long(token, span) else self.decode_string(token), span)

    def block(self, children):
        return Body(children[1:-1], self.span(children[0]), self.span(children[-1]))

    def nested_block(self, children):
        name = children[0]
        return NestedBlock(str(name), self.span(name), children[1:-1], children[-1])

    def start(self, children):
        return self.declarations

    def declaration(self, children):
        kind_token, ident_token, title_token, body = children
        title = self.decode_string(title_token) if title_token is not None else None
        kind, ident = str(kind_token), str(ident_token)
        kind_span, id_span = self.span(kind_token), self.span(ident_token)
        if kind in AGREEMENT_KINDS:
            node = Agreement(self.path, kind_span, {}, kind=kind, id=ident, id_span=id_span, title=title)
        else:
            node = _DECLARED[kind](self.path, kind_span, {}, id=ident, id_span=id_span, name=title)
        blocks, _ = self._fill(node, DECLARATIONS[kind], body, node.label, ident, id_span)
        if kind in AGREEMENT_KINDS:
            self._agreement_blocks(node, blocks, ident)
        self.declarations.append(node)
        return node

    # -- nodes, top-down from a declaration ------------------------------------

    def _agreement_blocks(self, agreement: Agreement, blocks: dict[str, list[NestedBlock]], anchor: str) -> None:
        owner = agreement.label
        services = (self._service(block, agreement, anchor) for block in blocks["service"])
        self._add_unique(agreement.services, services, "service", owner, anchor, "rename one")
        self._responsibilities(agreement, blocks["responsibilities"], anchor)
        for block in blocks["exclusions"]:
            self.labels(block, owner, anchor)
            _, _, _, items = self.read_block(NESTED_BLOCKS["exclusions"], block.body, "the exclusions block", anchor)
            agreement.exclusions = [item.text for item in items]
            agreement.spans["exclusions"] = block.name_span
        self.credit_blocks(agreement, blocks["credits"], anchor)
        for block in blocks["approval"]:
            self.approval(block, agreement, anchor)

    def _add_unique(self, into: list, nodes, noun: str, owner: str, anchor: str, fix: str) -> None:
        """Append the nodes with an id not seen before; SL006 for the others."""
        seen: dict[str, object] = {}
        for node in nodes:
            if node is None:
                continue
            if node.id in seen:
                first = seen[node.id].id_span.line
                self.report(
                    "SL006",
                    f"{noun} '{node.id}' is declared twice in {owner} (first on line {first}); {fix}",
                    node.id_span,
                    anchor,
                    node.id,
                )
                continue
            seen[node.id] = node
            into.append(node)

    def _service(self, block: NestedBlock, agreement: Agreement, parent_anchor: str) -> Service | None:
        ident, ident_span, name = self.labels(block, agreement.label, parent_anchor)
        if ident is None:
            return None
        owner, anchor = f"service '{ident}' of {agreement.label}", f"{parent_anchor}.{ident}"
        service = Service(self.path, block.name_span, {}, id=ident, id_span=ident_span, name=name, agreement=agreement)
        blocks, _ = self._fill(service, NESTED_BLOCKS["service"], block.body, owner, anchor, ident_span)
        for maintenance in blocks["maintenance"]:  # at most one: a second is SL005
            self.labels(maintenance, owner, anchor)
            service.maintenance = Maintenance(self.path, maintenance.name_span, {})  # the workspace links it
            service.spans["maintenance"] = maintenance.name_span
            spec, where, at = NESTED_BLOCKS["maintenance"], f"the maintenance of {owner}", maintenance.name_span
            self._fill(service.maintenance, spec, maintenance.body, where, f"{anchor}.maintenance", at)
        objectives = (self._objective(each, service, owner, anchor) for each in blocks["objective"])
        self._add_unique(service.objectives, objectives, "objective", owner, anchor, "give each its own id")
        return service

    def _objective(self, block: NestedBlock, service: Service, service_owner: str, parent_anchor: str):
        ident, ident_span, _ = self.labels(block, service_owner, parent_anchor)
        if ident is None:
            return None
        owner, anchor = f"objective '{ident}' of {service_owner}", f"{parent_anchor}.{ident}"
        objective = Objective(
            self.path, block.name_span, {}, id=ident, id_span=ident_span, service=service, agreement=service.agreement
        )
        self._fill(objective, NESTED_BLOCKS["objective"], block.body, owner, anchor, ident_span)
        return objective

    def _responsibilities(self, agreement: Agreement, blocks: list[NestedBlock], anchor: str) -> None:
        owner = agreement.label
        by_party: dict[str, Responsibility] = {}  # one block per party: found in a dict, not by a search
        spec = NESTED_BLOCKS["responsibilities"]
        for block in blocks:
            party, party_span, _ = self.labels(block, owner, anchor)
            _, _, _, items = self.read_block(spec, block.body, "a responsibilities block", anchor)
            earlier = by_party.get(party)
            if earlier is not None:
                self.report(
                    "SL005",
                    f"{owner} has two 'responsibilities {party}' blocks (first on line {earlier.span.line}); "
                    "merge them into one",
                    party_span,
                    anchor,
                    f"responsibilities {party}",
                )
            elif party is not None:
                responsibility = Responsibility(
                    self.path,
                    block.name_span,
                    {},
                    party_ref=Reference((party,), party_span),
                    items=[item.text for item in items],
                )
                by_party[party] = responsibility
                agreement.responsibilities.append(responsibility)
