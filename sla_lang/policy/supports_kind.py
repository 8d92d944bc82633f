"""SL401's check, supports-wrong-kind (see checks.py for the API): `supports`
points up the chain (an OLA or contract holds up an SLA or an OLA), and
`redundancy` belongs to an agreement that supports something."""

from __future__ import annotations

from ..model.nodes import Agreement
from .checks import Violation, register
from .cost import pay
from .support_graph import owner


@register(
    "supports-wrong-kind",
    scope="agreement",
    summary="`supports` on an SLA or naming a contract; `redundancy` on an SLA or without `supports`",
)
def supports_wrong_kind(agreement: Agreement, ctx):
    supports = agreement.supports
    pay(ctx, len(supports) + 1)
    if supports:
        files = tuple(dict.fromkeys(owner(item).file for item in supports))
        contract = next((owner(item) for item in supports if owner(item).kind == "contract"), None)
        if agreement.kind == "sla":
            yield Violation(
                f"{agreement.label} has 'supports', but an SLA is what others support: only an OLA or a contract "
                "underpins another agreement",
                agreement.position("supports"),
                related=files,
            )
        elif contract is not None:
            yield Violation(
                f"{agreement.label} supports {contract.label}, but a contract is underpinned by nothing: support the "
                "SLA or OLA it serves",
                agreement.position("supports"),
                related=files,
            )
    if agreement.redundancy is None:
        return
    if agreement.kind == "sla":
        message = (
            f"{agreement.label} has 'redundancy', but an SLA is what others support: only an OLA or a contract is "
            "one of several redundant supporters; remove 'redundancy'"
        )
    elif not supports:
        message = (
            f"{agreement.label} has 'redundancy' but supports nothing: a redundancy group is of the supporters of "
            "one service; add 'supports' or remove 'redundancy'"
        )
    else:
        return
    yield Violation(message, agreement.position("redundancy"), about="redundancy")
