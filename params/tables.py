"""Plain-text tables and JSON for the command lines."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

__all__ = ["JSON_HELP", "format_json", "format_table"]

#: The help of a ``--json`` flag: what it prints, and how a number JSON cannot hold is written.
JSON_HELP = "print JSON records instead (strict JSON: an infinite or NaN number is null)"


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Right-aligned columns two spaces apart, the header first."""
    lines = [list(header), *(list(row) for row in rows)]
    widths = [max(len(cell) for cell in column) for column in zip(*lines, strict=True)]
    return "\n".join(
        "  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    )


def format_json(value: object) -> str:
    """``value`` as strict JSON, indented by two: an infinite or NaN float (which ``json``
    would write as ``Infinity`` or ``NaN``, refused by strict parsers) is ``null``.

    Raises
    ------
    TypeError
        If ``value`` holds an object JSON has no form for.
    """
    return json.dumps(_finite(value), indent=2, allow_nan=False)


def _finite(value: object) -> object:
    """``value`` with every non-finite float, in dicts, lists and tuples, replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
