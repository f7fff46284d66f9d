"""How personal values are shown wherever Python prints or writes them."""

from __future__ import annotations

import hashlib
from typing import Any

# Identifier types whose values are personal data (as macros/identity/identifier_types.sql).
PERSONAL_IDENTIFIER_TYPES = ("email", "phone")


def mask_value(value: Any) -> str:
    """'md5:' and the first 16 hex digits of the value's md5 (as the SQL masking macro)."""
    return "md5:" + hashlib.md5(str(value).encode("utf-8")).hexdigest()[:16]


def mask_identifier(identifier_type: str | None, value: str | None, show: bool = False) -> str:
    """An identifier for display: personal types masked unless asked to show them."""
    if value is None:
        return "-"
    if show or identifier_type not in PERSONAL_IDENTIFIER_TYPES:
        return value
    return mask_value(value)
