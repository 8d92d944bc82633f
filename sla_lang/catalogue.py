"""The rule catalogue: every rule a run knows, the language rules and those of
its policy packs. The selection of rules, `slalint rules` and `explain`,
docs/rules.md and the reports' rule lists all read it from here."""

from __future__ import annotations

from .findings import RuleInfo
from .language_rules import LANGUAGE_RULES


def rule_catalogue(packs) -> dict[str, RuleInfo]:
    """Every rule by code: the language rules, then each pack's, in the order declared."""
    return {**LANGUAGE_RULES, **{rule.code: rule.info for pack in packs for rule in pack.rules}}


def rules_by_code(packs) -> list[RuleInfo]:
    """The catalogue as lists show it: sorted by code."""
    return sorted(rule_catalogue(packs).values(), key=lambda info: info.code)


def find_rule(code_or_name: str, packs) -> RuleInfo | None:
    """The rule with this code (any case) or name, the first in the catalogue's order."""
    wanted = code_or_name.strip()
    for info in rule_catalogue(packs).values():
        if info.code == wanted.upper() or info.name == wanted.lower():
            return info
    return None
