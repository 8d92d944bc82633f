"""The rules built into the language itself (SL0xx) and the suppression
rules (SL9xx). Every other rule lives in a policy pack under policies/."""

from __future__ import annotations

from .findings import Finding, RuleInfo
from .source import SourceFile, Span, bidi_controls

_RULES = [
    RuleInfo(
        "SL001",
        "syntax-error",
        "error",
        "The file does not parse.",
        """\
## What it checks
The file must follow the grammar of the agreement language: declarations
`party`, `metric`, `sla`, `ola` and `contract`, blocks in `{ }`, attributes
`key: value`. The message says what was found and what was expected there.

## Why it matters
A file that does not parse cannot be checked at all: every rule is silent
about it. Declarations that parsed completely before the error still count,
so references to them resolve.

## How to fix
Look at the marked position: a missing `}` is reported at the end of the
last line with content, a missing `:` at the value that follows the key.

## Example
```
party acme { role customer }      # expected ':' after the field name
```
Use instead:
```
party acme { role: customer }
```""",
    ),
    RuleInfo(
        "SL002",
        "unknown-field",
        "error",
        "A key or nested block that is not valid where it is written.",
        """\
## What it checks
Each block accepts a fixed set of fields ([docs/language.md](language.md)): an objective has
`target`, `window`, `measurement` and so on. Anything else is reported, with
the closest valid name when there is one.

## Why it matters
A misspelt field is silently lost: `mesurement: "..."` leaves the objective
without a measurement, and the rules that look for one will misfire.

## How to fix
Rename it as the message suggests. When exactly one valid name is close,
`slalint check --fix` renames it (a safe fix).

## Example
```
objective availability { targt: >= 99.9% }    # did you mean 'target'?
```""",
    ),
    RuleInfo(
        "SL003",
        "invalid-value",
        "error",
        "A value of the wrong type or out of range.",
        """\
## What it checks
Values must have the type of their field and make sense: an enum word from
its list (`role: customer`), a date that exists (not 2026-02-30), a percent
between 0% and 100%, a time of day no later than 24:00, and a target whose
unit fits its metric (availability is a percent, latency a duration).

## Why it matters
An impossible value makes an agreement unenforceable and confuses every rule
that reads it.

## Example
```
objective availability { target: >= 250ms }   # availability is a percent
```""",
    ),
    RuleInfo(
        "SL004",
        "missing-field",
        "error",
        "A required field is missing.",
        """\
## What it checks
Required fields ([docs/language.md](language.md)): a party's `role`; an agreement's `provider`,
`customer`, `version`, at least one `service`, and `effective` unless it is a
draft; an objective's `target` (and `metric` when its id is not a metric);
a signature's `by` and `date`; a credit's `when` and `amount`.

## Why it matters
Without them the agreement does not say who promises what to whom, from when.

## How to fix
Add the field; the message shows an example.""",
    ),
    RuleInfo(
        "SL005",
        "duplicate-field",
        "error",
        "An attribute appears twice in one block.",
        """\
## What it checks
A field may be set once per block. Every occurrence after the first is
reported.

## Why it matters
Two values for one field leave the reader guessing which one was agreed.

## How to fix
Keep the value that was agreed. When both say the same, `slalint check
--fix` removes the later one (a safe fix).

## Example
```
objective availability { target: >= 99.9%  target: >= 99.95% }
```""",
    ),
    RuleInfo(
        "SL006",
        "duplicate-id",
        "error",
        "Two declarations share an id.",
        """\
## What it checks
All `.sla` files of a workspace form one namespace: two parties, metrics or
agreements may not share an id, and a metric may not reuse the id of a
built-in metric. Within an agreement, services need distinct ids, and within
a service, objectives do. Every occurrence after the first is reported.

## Why it matters
A reference to a duplicated id is ambiguous, so rules could compare the
wrong agreements.""",
    ),
    RuleInfo(
        "SL007",
        "unresolved-reference",
        "error",
        "A reference names nothing, or something of the wrong sort.",
        """\
## What it checks
Every reference must name something that exists in the workspace: a party
for `provider`, `customer`, `organization`, `responsibilities` and
`signature`; a metric for `metric`; an agreement, or a service of one, for
`supports`; an objective of the agreement for a credit's `when`.

## Why it matters
An unresolved reference usually means a typo or a file that was not
committed; the rules that follow the link cannot check anything.

## How to fix
Correct the name, or add the missing declaration. When exactly one declared
name is close, `slalint check --fix --unsafe-fixes` writes it (unsafe: it
decides what the reference means). When checking single files
in a repository, make sure slalint finds the workspace root (a
`.slalint.yaml` file) so that declarations in other files are loaded.""",
    ),
    RuleInfo(
        "SL008",
        "unreadable-file",
        "error",
        "The file cannot be read.",
        """\
## What it checks
The file can be opened and read, is valid UTF-8, holds no NUL bytes, and is
no larger than `max-file-size` (5 MiB by default).

## Why it matters
A file slalint cannot read is a file nobody has checked.""",
    ),
    RuleInfo(
        "SL009",
        "bidi-control-character",
        "error",
        "A Unicode bidirectional control character in the file.",
        """\
## What it checks
The file holds no Unicode bidirectional control character: the embeddings
and overrides U+202A to U+202E and the isolates U+2066 to U+2069. Each one
is reported at its line and column; the rest of the file is checked as usual.

## Why it matters
These invisible characters change the order in which text is displayed, not
the order in which it is read. A comment or string holding them can make a
reviewer see one agreement while slalint checks another, or hide part of a
line from view: the "Trojan Source" attack (CVE-2021-42574), which compilers
and code hosts also reject. Like every language rule it is always on, and no
inline suppression can hide it.

## How to fix
Delete the character. Right-to-left text such as Arabic or Hebrew needs no
control characters: Unicode's bidirectional algorithm orders it by itself.
`grep -nP '[\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]' FILE` shows the lines
that hold one.

## Example
A right-to-left override (U+202E, written `<RLO>` here; the file holds the
invisible character itself) in a comment:
```
objective availability { target: >= 99.9% }  # <RLO> reviewed, see below
```""",
    ),
    RuleInfo(
        "SL901",
        "unused-suppression",
        "warning",
        "An inline suppression matched no finding.",
        """\
## What it checks
A `# slalint: ignore[CODE]` comment whose code suppressed nothing.

## Why it matters
Stale suppressions hide future problems on that line. Remove the code from
the comment.""",
    ),
    RuleInfo(
        "SL902",
        "invalid-suppression",
        "warning",
        "A suppression names no rule or an unknown rule.",
        """\
## What it checks
`# slalint: ignore[...]` must name known codes or code prefixes, e.g.
`ignore[SL502, SL5]`.

## Why it matters
A suppression with a typo suppresses nothing, silently.""",
    ),
]

LANGUAGE_RULES: dict[str, RuleInfo] = {rule.code: rule for rule in _RULES}


def language_finding(code: str, message: str, span: Span, anchor: str = "", fix=None) -> Finding:
    rule = LANGUAGE_RULES[code]
    return Finding(code, rule.name, rule.severity, message, span, anchor, fix)


def bidi_control_findings(source: SourceFile, limit: int) -> list[Finding]:
    """SL009 at each of the first `limit` bidi controls of `source` (none: one
    scan of the text, no finding)."""
    import unicodedata

    return [
        language_finding(
            "SL009",
            f"bidirectional control character U+{ord(char):04X} ({unicodedata.name(char)}): it makes the "
            "text display in another order than the one slalint reads (Trojan Source); delete it",
            Span(source.path, line, column, line, column + 1),
        )
        for line, column, char in bidi_controls(source.text, limit)
    ]
