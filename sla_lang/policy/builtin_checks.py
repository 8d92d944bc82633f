"""The Python checks slalint ships: importing this module registers every one
of them in checks.CHECKS. A new check module is listed here."""

from __future__ import annotations

# The order of registration is the order "did you mean" tries the names in.
# isort: off
from . import underpinning_targets  # noqa: F401 - SL402, SL411
from . import hours_coverage  # noqa: F401 - SL403
from . import business_time  # noqa: F401 - SL311, SL312
from . import underpinning_gaps  # noqa: F401 - SL408, SL409
from . import composite_availability  # noqa: F401 - SL405
from . import support_cycle  # noqa: F401 - SL406
from . import agreement_checks  # noqa: F401 - SL204, SL205, SL307
from . import credit_checks  # noqa: F401 - SL509, SL510
from . import supports_kind  # noqa: F401 - SL401
from . import redundancy  # noqa: F401 - SL410
from . import slo_checks  # noqa: F401 - SL701-SL705
# isort: on
