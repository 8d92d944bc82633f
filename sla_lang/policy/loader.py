"""Loading policy packs: YAML read safely with positions, every key
validated, every expression parsed and type-checked, so that a mistake in a
pack is an error with file, line and column before any agreement is checked.

Compiled packs are cached by content in slalint's own cache directory: a
round-trip YAML load costs tens of milliseconds per pack, too much for a
pre-commit hook that runs on every commit. An entry is unpickled only when its
MAC under the user's key holds (reading/paths.UserCache).
"""

from __future__ import annotations

import os
import pickle
import re

from .. import __version__
from ..findings import SEVERITIES, RuleInfo
from ..hints import did_you_mean as closest
from ..language_rules import LANGUAGE_RULES
from ..reading.paths import cache_hash, data_dir, grammar_path, user_cache
from ..reading.yamlfile import (
    YamlError,
    item_position,
    key_position,
    load_yaml,
    node_position,
    read_yaml_bytes,
    value_position,
)
from . import builtin_checks  # noqa: F401 - registers the Python checks that rules name with `check:`
from .checks import CHECKS
from .expr import Compiled, ExpressionError, Template, compile_text, parse_template
from .model_view import FIELD_TYPES, SCOPES, format_value
from .pack_examples import Example, read_examples
from .rule_fix import RuleFix, read_fix

PACK_KEYS = ("pack", "description", "rules")
RULE_KEYS = (
    "code",
    "name",
    "severity",
    "severity-when",
    "scope",
    "where",
    "assert",
    "check",
    "message",
    "at",
    "involves",
    "fix",
    "summary",
    "docs",
    "examples",
)
MAX_RULES = 2_000  # in one run, the built-in packs' included: each rule is evaluated on every node of its scope
_CODE = re.compile(r"^[A-Z][A-Z0-9]*[0-9]+$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class PolicyError(YamlError):
    """A located problem in a policy pack (exit 2)."""


class Rule:
    def __init__(
        self, code: str, name: str, severity: str, scope: str, summary: str, docs: str, pack: str, path: str, line: int
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.scope = scope
        self.summary = summary
        self.docs = docs
        self.pack = pack
        self.path = path
        self.line = line
        self.where: Compiled | None = None
        self.assertion: Compiled | None = None
        self.check: str | None = None
        self.message: Template | None = None
        self.at: str | None = None
        # The nodes (of other files) a finding of the rule is about too, e.g. `supports`:
        # a check of their files reports the finding (what a change there breaks here).
        self.involves: Compiled | None = None
        self.fix: RuleFix | None = None  # what its findings offer to change
        self.examples: list[Example] = []
        # (severity, condition): the first condition that holds sets the finding's severity.
        self.severity_when: list[tuple[str, Compiled]] = []

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(self.code, self.name, self.severity, self.summary, self.docs, self.pack, tuple(self.examples))


class Pack:
    def __init__(self, name: str, description: str, path: str, rules: list[Rule]) -> None:
        self.name = name
        self.description = description
        self.path = path
        self.rules = rules
        self.digest = ""  # of the pack's bytes and slalint's version: what its results depend on


def builtin_pack_paths() -> list[str]:
    directory = data_dir("policies")
    if not os.path.isdir(directory):
        return []
    return sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith((".yaml", ".yml")))


def expand_policy_paths(paths: list) -> list:
    """Files named directly, and the *.yaml/*.yml files of named directories.

    A file in a directory that is a symbolic link leading out of the directory
    is refused: a pull request could otherwise make slalint read any file the
    CI job can read, through a policies directory named in the config.
    A RefFile (a path of a configuration read with --config-from) is listed
    at its git ref, where a link is never followed."""
    found: list = []
    for path in paths:
        if not isinstance(path, str):
            found += path.members((".yaml", ".yml"))
            continue
        if not os.path.isdir(path):
            found.append(path)
            continue
        directory = os.path.realpath(path)
        for name in sorted(os.listdir(path)):
            member = os.path.join(path, name)
            if not name.endswith((".yaml", ".yml")):
                continue
            if os.path.islink(member) and os.path.dirname(os.path.realpath(member)) != directory:
                raise PolicyError(
                    "this policy pack is a symbolic link to a file outside its directory; slalint does not "
                    "follow it (name the pack itself instead)",
                    member,
                )
            found.append(member)
    return found


def load_packs(paths: list, *, builtin: bool = True, use_cache: bool = True) -> list[Pack]:
    """The built-in packs and those at `paths`, with codes unique across all of
    them, and no more than MAX_RULES rules in all."""
    packs: list[Pack] = []
    total = 0
    for path in [*(builtin_pack_paths() if builtin else []), *expand_policy_paths(paths)]:
        pack = load_pack(path, use_cache=use_cache)
        total += len(pack.rules)
        if total > MAX_RULES:
            raise _too_many_rules(pack, total, total - len(pack.rules))
        packs.append(pack)
    seen: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    for pack in packs:
        for rule in pack.rules:
            same_name = names.setdefault(rule.name, rule)
            if same_name is not rule:
                raise PolicyError(
                    f"rule name '{rule.name}' is already used by {same_name.code} in {same_name.path}:"
                    f"{same_name.line}; names are unique, like codes ('slalint explain' finds a rule by either)",
                    rule.path,
                    rule.line,
                    1,
                )
            if rule.code in LANGUAGE_RULES:
                raise PolicyError(
                    f"code {rule.code} belongs to slalint's language rules; pick another", rule.path, rule.line, 1
                )
            first = seen.get(rule.code)
            if first is not None:
                raise PolicyError(
                    f"code {rule.code} is already used by rule '{first.name}' in {first.path}:{first.line}; "
                    "codes are unique across all packs",
                    rule.path,
                    rule.line,
                    1,
                )
            seen[rule.code] = rule
    return packs


def _too_many_rules(pack: Pack, total: int, before: int) -> PolicyError:
    """An error at the first rule of `pack` past the limit."""
    first_over = pack.rules[MAX_RULES - before]
    return PolicyError(
        f"pack '{pack.name}' brings the rules of this run to {total:,}, more than the {MAX_RULES:,} slalint runs "
        f"at once (the packs before it hold {before:,}); remove rules, or check them in separate runs",
        pack.path,
        first_over.line,
        1,
    )


def _cache_key(data: bytes) -> str:
    """A compiled pack depends on its text, the expression grammar and slalint's code."""
    from ..many_files.cache import code_state

    digest = cache_hash(data)
    digest.update(__version__.encode())
    digest.update(code_state().encode())
    for grammar in ("expression.lark",):
        with open(grammar_path(grammar), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def load_pack(path, *, use_cache: bool = True) -> Pack:
    """The pack at `path`: a file of the working tree, or a RefFile (--config-from)."""
    try:
        data = read_yaml_bytes(path, "policy pack")
    except YamlError as error:
        raise PolicyError(error.message, error.path) from None
    path = str(path)  # a RefFile is "REF:path" in messages and in `slalint rules`
    cache = user_cache() if use_cache else None
    digest = _cache_key(data)
    cache_file = cache.path("packs", digest + ".pickle") if cache else None
    cached = cache.read(cache_file) if cache else None
    if cached is not None:
        try:
            pack = pickle.loads(cached)
            if not isinstance(pack, Pack) or not all(isinstance(rule, Rule) for rule in pack.rules):
                raise TypeError("not a compiled pack")
        except Exception:  # of another shape (yet authenticated): compile the pack again
            pass
        else:
            pack.path = path
            pack.digest = digest
            for rule in pack.rules:
                rule.path = path
            return pack
    pack = _compile_pack(path, data)
    pack.digest = digest
    if cache:
        cache.write(cache_file, pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
    return pack


def _compile_pack(path: str, data: bytes) -> Pack:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PolicyError(f"policy pack is not valid UTF-8 (offset {error.start})", path) from None
    try:
        document = load_yaml(path, text)
    except YamlError as error:
        raise PolicyError(error.message, path, error.line, error.column) from None
    return _PackReader(path, text).read(document)


class _PackReader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")

    def error(self, message: str, position: tuple[int, int]) -> PolicyError:
        return PolicyError(message, self.path, *position)

    def read(self, document) -> Pack:
        if not isinstance(document, dict):
            raise self.error("a policy pack is a mapping with the keys pack, description and rules", (1, 1))
        self.check_keys(document, PACK_KEYS, "the pack")
        name = self.string(document, "pack", required=True)
        description = self.string(document, "description") or ""
        rules = document.get("rules")
        if not isinstance(rules, list):
            position = value_position(document, "rules") if "rules" in document else (1, 1)
            raise self.error("'rules' must be a list of rules", position)
        if len(rules) > MAX_RULES:  # refused before its expressions are compiled
            raise self.error(
                f"pack '{name}' has {len(rules):,} rules, more than the {MAX_RULES:,} slalint runs at once; "
                "split it, and check the parts in separate runs",
                item_position(rules, MAX_RULES),
            )
        return Pack(name, description, self.path, [self.rule(rules, i, name) for i in range(len(rules))])

    def check_keys(self, mapping, allowed: tuple[str, ...], owner: str) -> None:
        for key in mapping:
            if key not in allowed:
                raise self.error(
                    f"unknown key '{key}' in {owner}{closest(str(key), allowed)}", key_position(mapping, key)
                )

    def string(self, mapping, key: str, *, required: bool = False) -> str | None:
        if key not in mapping:
            if required:
                raise self.error(f"missing key '{key}'", node_position(mapping))
            return None
        value = mapping[key]
        if not isinstance(value, str) or isinstance(value, bool):
            raise self.error(f"'{key}' must be a string, not {format_value(value)!r}", value_position(mapping, key))
        return str(value)

    def rule(self, rules, index: int, pack: str) -> Rule:
        entry = rules[index]
        position = item_position(rules, index)
        if not isinstance(entry, dict):
            raise self.error("each rule is a mapping with code, name, severity, scope, ...", position)
        self.check_keys(entry, RULE_KEYS, f"rule {entry.get('code', index + 1)}")
        code = self.string(entry, "code", required=True)
        if not _CODE.match(code):
            raise self.error(
                f"code '{code}' must be capital letters followed by digits, e.g. ACME001", value_position(entry, "code")
            )
        name = self.string(entry, "name", required=True)
        if not _NAME.match(name):
            raise self.error(
                f"name '{name}' must be kebab-case, e.g. gold-needs-four-nines", value_position(entry, "name")
            )
        severity = self.string(entry, "severity", required=True)
        if severity not in SEVERITIES:
            raise self.error(
                f"severity must be error, warning or info, not '{severity}'", value_position(entry, "severity")
            )
        scope = self.string(entry, "scope", required=True)
        if scope not in SCOPES:
            raise self.error(
                f"unknown scope '{scope}': expected one of {', '.join(SCOPES)}{closest(scope, SCOPES)}",
                value_position(entry, "scope"),
            )
        docs = self.string(entry, "docs") or ""
        summary = self.string(entry, "summary") or _first_sentence(docs) or name.replace("-", " ")
        line = position[0]
        rule = Rule(code, name, severity, scope, summary, docs, pack, self.path, line)
        if ("assert" in entry) == ("check" in entry):
            raise self.error(
                f"rule {code} needs exactly one of 'assert' (an expression) or 'check' (a named check)", position
            )
        rule.where = self.expression(entry, "where", scope)
        rule.severity_when = self.severity_conditions(entry, scope)
        rule.assertion = self.expression(entry, "assert", scope)
        if "check" in entry:
            rule.check = self.check_name(entry, scope)
        if "message" in entry:
            rule.message = self.template(entry, scope)
        elif rule.check is None:
            raise self.error(f"rule {code} needs a 'message'", position)
        if "at" in entry:
            rule.at = self.field_name(entry, "at", scope)
        rule.fix = read_fix(self, entry) if "fix" in entry else None
        rule.involves = self.nodes_expression(entry, "involves", scope)
        rule.examples = self.examples(entry)
        return rule

    def check_name(self, entry, scope: str) -> str:
        """The registered Python check that `check` names, which must visit the rule's scope."""
        name = self.string(entry, "check")
        known = CHECKS.get(name)
        if known is None:
            raise self.error(
                f"unknown check '{name}'{closest(name, CHECKS)}; known checks: {', '.join(sorted(CHECKS))}",
                value_position(entry, "check"),
            )
        if known.scope != scope:
            raise self.error(
                f"check '{name}' visits {known.scope} nodes, so the rule's scope must be {known.scope}, not {scope}",
                value_position(entry, "scope"),
            )
        return name

    def field_name(self, entry, key: str, scope: str) -> str:
        name = self.string(entry, key)
        if name not in FIELD_TYPES[scope]:
            raise self.error(
                f"'{key}' must name a field of {scope}, and '{name}' is none{closest(name, FIELD_TYPES[scope])}",
                value_position(entry, key),
            )
        return name

    def _compiled(self, entry, key: str, scope: str) -> Compiled | None:
        """The expression under `key`, compiled for `scope`; None when there is none."""
        text = self.string(entry, key)
        if text is None:
            return None
        try:
            return compile_text(text, scope)
        except ExpressionError as error:
            raise self.error(f"in '{key}': {error.message}", self.position_in(entry, key, error)) from None

    def nodes_expression(self, entry, key: str, scope: str) -> Compiled | None:
        """An expression that gives a node or a list of nodes (`supports`)."""
        compiled = self._compiled(entry, key, scope)
        if compiled is None:
            return None
        if not (compiled.type.startswith(("node:", "list:node:")) or compiled.type in ("any", "null")):
            raise self.error(
                f"'{key}' must give the nodes a finding involves (e.g. supports), but it gives a {compiled.type}",
                value_position(entry, key),
            )
        return compiled

    def expression(self, entry, key: str, scope: str) -> Compiled | None:
        compiled = self._compiled(entry, key, scope)
        if compiled is None:
            return None
        if compiled.type not in ("bool", "any", "null"):
            raise self.error(
                f"'{key}' must be a condition (true or false), but it gives a {compiled.type}",
                value_position(entry, key),
            )
        return compiled

    def severity_conditions(self, entry, scope: str) -> list[tuple[str, Compiled]]:
        conditions = entry.get("severity-when")
        if conditions is None:
            return []
        if not isinstance(conditions, dict):
            raise self.error(
                "'severity-when' maps a severity to a condition, e.g. warning: 'metric.unit != \"percent\"'",
                value_position(entry, "severity-when"),
            )
        compiled = []
        for level in conditions:
            if level not in SEVERITIES:
                raise self.error(
                    f"severity must be error, warning or info, not '{level}'", key_position(conditions, level)
                )
            compiled.append((str(level), self.expression(conditions, level, scope)))
        return compiled

    def template(self, entry, scope: str) -> Template:
        text = self.string(entry, "message")
        try:
            pieces = parse_template(text)
        except ExpressionError as error:
            raise self.error(f"in 'message': {error.message}", self.position_in(entry, "message", error)) from None
        parts: list = []
        for is_expression, piece, offset in pieces:
            if not is_expression:
                parts.append(piece)
                continue
            expression = piece.strip()
            try:
                parts.append(compile_text(expression, scope))
            except ExpressionError as error:
                start = offset + len(piece) - len(piece.lstrip())
                raise self.error(
                    f"in 'message', placeholder {{{piece}}}: {error.message}",
                    self.position_in(entry, "message", error, expression, start),
                ) from None
        return Template(text, parts)

    def examples(self, entry) -> list[Example]:
        return read_examples(self, entry)

    def position_in(
        self, mapping, key: str, error: ExpressionError, text: str | None = None, start: int = 0
    ) -> tuple[int, int]:
        """Where, in the file, the error's line and column inside an expression lie. The
        expression is `text` (default: the whole value of `key`), `start` characters into it."""
        from .scalar_position import position_in_value  # only for an error

        rows = (text if text is not None else str(mapping[key])).split("\n")
        index = start + sum(len(row) + 1 for row in rows[: error.line - 1]) + error.column - 1
        return position_in_value(self.lines, value_position(mapping, key), index)


def _first_sentence(docs: str) -> str:
    for paragraph in docs.strip().split("\n\n"):
        text = " ".join(line.strip() for line in paragraph.splitlines() if not line.startswith("#")).strip()
        if text:
            end = text.find(". ")
            return text if end == -1 else text[: end + 1]
    return ""
