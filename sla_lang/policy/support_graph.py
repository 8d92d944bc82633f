"""The `supports` links as the Python checks walk them."""

from __future__ import annotations

from ..model.nodes import Agreement


def links(agreement: Agreement) -> list:
    """What `agreement` supports, each service once: a service is left out when
    its whole agreement is named too."""
    whole = {item for item in agreement.supports if isinstance(item, Agreement)}
    return [item for item in agreement.supports if isinstance(item, Agreement) or item.agreement not in whole]


def owner(item) -> Agreement:
    """The agreement a `supports` link leads to: itself, or the agreement of a service."""
    return item if isinstance(item, Agreement) else item.agreement
