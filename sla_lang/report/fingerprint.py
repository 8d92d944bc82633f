"""Fingerprints that CI services use to recognise a finding from one run to
the next (SARIF `partialFingerprints`, GitLab Code Quality `fingerprint`).

The base is `Finding.fingerprint` (the code and what the finding is about,
never the line, the file's name or the wording), so inserting lines above a
finding, renaming its file or rewording its message keeps its fingerprint.
GitLab shows findings with the same fingerprint as one entry, so identical
findings are told apart by their order: the first keeps the base fingerprint, the
next ones get the base hashed with their ordinal. Adding a duplicate after an
existing finding therefore leaves the existing fingerprint unchanged.
"""

from __future__ import annotations

import hashlib
from collections import Counter


def unique_fingerprints(findings):
    """One fingerprint per finding, in the same order, all distinct (yielded as they are made)."""
    seen: Counter[str] = Counter()
    taken: set[str] = set()
    for finding in findings:
        base = finding.fingerprint
        fingerprint = base
        while fingerprint in taken:
            seen[base] += 1
            fingerprint = hashlib.sha256(f"{base}:{seen[base]}".encode()).hexdigest()[:32]
        taken.add(fingerprint)
        yield fingerprint
