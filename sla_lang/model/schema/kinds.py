"""The words and value kinds of the agreement language: the one list of each.

The grammars (grammar/agreement.lark, grammar/expression.lark) spell the words
out in their terminals, and tests/test_schema.py holds them to these lists;
everything else (the values, the schema, syntax errors, the docs) reads them
from here.
"""

from __future__ import annotations

from ...slotted import Plain

DECLARATION_KINDS = ("party", "metric", "sla", "ola", "contract")
AGREEMENT_KINDS = ("sla", "ola", "contract")

# A duration's units: its length in seconds (calendar units are fixed: a month
# is 30 days, a quarter 91, a year 365), what it is called, and that length as
# the docs show it.
DURATION_UNITS: dict[str, tuple[str, str, str]] = {
    "ms": ("0.001", "millisecond", "0.001 s"),
    "s": ("1", "second", "1 s"),
    "min": ("60", "minute", "60 s"),
    "h": ("3600", "hour", "3600 s"),
    "d": ("86400", "day", "24 h"),
    "w": ("604800", "week", "7 d"),
    "mo": ("2592000", "calendar month", "30 d"),
    "q": ("7862400", "calendar quarter", "91 d"),
    "y": ("31536000", "calendar year", "365 d"),
}
# Business units: counted on a service's clock, so they have no
# fixed length; what each is called, and how its length is counted.
BUSINESS_UNITS: dict[str, tuple[str, str]] = {
    "bh": ("business hour", "an hour of the service's open time"),
    "bd": ("business day", "to the same time on the next business day; a whole number"),
}
# Where a business unit may stand, as SL003 names it.
BUSINESS_PLACES = (
    "an objective's target on a duration metric, a credit's 'when' on such an objective and a maintenance 'notice'"
)
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BOOLEAN_WORDS = {"yes": True, "no": False, "true": True, "false": False}
COMPARATORS = (">=", "<=", ">", "<", "==")  # of targets and credit conditions
ALWAYS = "24x7"  # service hours around the clock
# Credit amounts and caps: what a value of each kind is called, and the
# duration units that count days of free service (a month is 30 days).
CREDIT_KINDS = {"percent": "a percent of the fee", "days": "days of free service", "money": "money"}
DAY_UNITS = ("d", "w", "mo")


def words(choices, last: str = "or") -> str:
    """`ms, s, min or h`: a list of words as a message names them."""
    choices = list(choices)
    return ", ".join(choices[:-1]) + f" {last} " + choices[-1] if len(choices) > 1 else "".join(choices)


class ValueKind(Plain):
    """What a field's value may be. `expected` is how an SL003 message names it;
    `doc_name`, `written_as` and `example` are its row in docs/language.md;
    `seen_as` its type in the model that packs see (see model_view.py).
    `{choices}` and `{target}` stand for the field's words and what it names."""

    __slots__ = ("name", "expected", "doc_name", "written_as", "example", "seen_as")

    def __init__(self, name: str, expected: str, doc_name: str, written_as: str, example: str, seen_as: str) -> None:
        self.name = name
        self.expected = expected
        self.doc_name = doc_name
        self.written_as = written_as
        self.example = example
        self.seen_as = seen_as


VALUE_KINDS: dict[str, ValueKind] = {
    kind.name: kind
    for kind in (
        ValueKind(
            "string",
            'a string in double quotes, e.g. "Jane Doe"',
            "string",
            "a plain or triple-quoted string",
            '`"Jane Doe"`',
            "string",
        ),
        ValueKind("number", "a number, e.g. 99", "number", "a number", "`99`", "number"),
        ValueKind("percent", "a percent, e.g. 99.9%", "percent", "a percent", "`10%`", "percent"),
        ValueKind(
            "duration",
            f"a duration, e.g. 30d or 1mo (units {', '.join(DURATION_UNITS)})",
            "duration",
            "a duration",
            "`30d`",
            "duration",
        ),
        ValueKind(
            "notice",
            f"a duration, e.g. 5bd or 48h (units {', '.join([*DURATION_UNITS, *BUSINESS_UNITS])})",
            "duration or business duration",
            "a duration, or a number of `bh` or `bd`",
            "`5bd`",
            "duration",
        ),
        ValueKind("date", "a date, e.g. 2026-01-01", "date", "a date", "`2026-01-01`", "date"),
        ValueKind("boolean", "yes or no", "boolean", words((f"`{w}`" for w in BOOLEAN_WORDS), "or"), "`yes`", "bool"),
        ValueKind(
            "enum",
            "one of {choices}",
            "one of {choices}",
            "one of the listed words, bare (a quoted word is accepted too)",
            "`customer`",
            "string",
        ),
        ValueKind(
            "identifier", "a name, e.g. P1", "name", "an identifier (a quoted string is accepted too)", "`P1`", "string"
        ),
        ValueKind(
            "reference",
            "a reference to {target}",
            "reference to {target}",
            "a reference that names an X (see [References](#references))",
            "`it_org`",
            "node:{target}",
        ),
        ValueKind(
            "references",
            "a reference or a list of references to {target}",
            "reference, or list of references, to {target}",
            "a reference, or references in `[...]` separated by commas",
            "`[payments_gold, crm.desk]`",
            "list:node:{target}",
        ),
        ValueKind(
            "strings",
            'a list of strings in double quotes, e.g. ["payments", "tier-1"]',
            "list of strings",
            "strings in `[...]` separated by commas",
            '`["payments", "tier-1"]`',
            "list:string",
        ),
        ValueKind(
            "comparison",
            "a comparison, e.g. >= 99.95% or <= 300ms",
            "comparison",
            "a comparator and a number, percent or duration",
            "`>= 99.95%`",
            "node:target",
        ),
        ValueKind(
            "condition",
            "a condition on an objective, e.g. payments_api.availability < 99.9%",
            "condition",
            "a reference to an objective, a comparator and a number, percent or duration",
            "`payments_api.availability < 99.95%`",
            "",  # packs see its parts: the field says which
        ),
        ValueKind(
            "schedule",
            "service hours: 24x7, or days and times such as mon-fri 08:00-18:00, sat 09:00-13:00",
            "schedule",
            f"`{ALWAYS}` or day windows",
            "`mon-fri 08:00-18:00, sat 09:00-13:00`",
            "node:hours",
        ),
        ValueKind(
            "date_or_boolean",
            "a date (when it was agreed) or yes/no",
            "date or boolean",
            "a date, or a boolean",
            "`2025-12-10`, `no`",
            "any",
        ),
        ValueKind(
            "timezone",
            'an IANA timezone name in quotes, e.g. "Europe/Berlin"',
            "timezone",
            "a string holding an IANA time zone name",
            '`"Europe/Berlin"`',
            "string",
        ),
        ValueKind(
            "holidays",
            'a list of dates and holiday calendar codes, e.g. ["DE-BY", 2026-12-24]',
            "list of dates and calendar codes",
            "dates and strings holding ISO 3166 codes in `[...]` separated by commas",
            '`["DE-BY", 2026-12-24]`',
            "list:any",
        ),
        ValueKind(
            "attainment",
            "a percent above 0% and up to 100%, e.g. 90%",
            "attainment",
            "a percent above 0% and up to 100%",
            "`90%`",
            "number",
        ),
        ValueKind(
            "credit_value",
            "a percent of the fee (50%), days of free service (10d, 2w or 1mo) or money (5000)",
            "credit value",
            "a percent, a duration in `d`, `w` or `mo`, or a plain number",
            "`50%`, `10d`, `5000`",
            "quantity",
        ),
        ValueKind(
            "amount",
            "a credit amount: a percent of the fee (10%), days of free service (3d, 1w or 1mo) or money (500), "
            "alone or per unit of shortfall (2% per 1h, 1% per started 0.1%)",
            "credit amount",
            "a credit value, alone or followed by `per` (or `per started`) and a calendar duration or a percent",
            "`10%`, `3d`, `500`, `2% per 1h`",
            "quantity",
        ),
        ValueKind(
            "currency",
            "an ISO 4217 currency code of three capital letters, e.g. EUR",
            "currency code",
            'three capital letters, bare or in quotes (`EUR`, `"USD"`)',
            "`EUR`",
            "string",
        ),
        ValueKind(
            "count",
            "a whole number of 2 or more, e.g. 2 (leave it out for 1)",
            "whole number",
            "a whole number, at least 2",
            "`2`",
            "number",
        ),
        ValueKind(
            "percentile",
            "a percentile: a number above 0 and up to 100, e.g. 99",
            "percentile",
            "a number above 0 and up to 100",
            "`99`",
            "number",
        ),
    )
}

# What a reference names, as messages and docs say it.
TARGETS = {
    "party": "a party",
    "metric": "a metric",
    "objective": "an objective",
    "supported": "an agreement or a service of one",
}
