"""The Python checks of the built-in packs (see checks.py for the API)."""

from __future__ import annotations
