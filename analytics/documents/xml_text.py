"""Text a Word document can hold: XML 1.0 has no place for most control characters.

The import refuses them, but a database written before that rule (or by hand) may
still hold a township or unit name with U+000B or U+0001; python-docx would then
raise and the download would fail. Every document is built from cleaned values.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

# Characters XML 1.0 forbids (tab, line feed and carriage return are allowed).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(value: Any) -> Any:
    """The value with forbidden characters removed from every string in it (dataclasses, dicts, lists too)."""
    if isinstance(value, str):
        return _FORBIDDEN.sub("", value)
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value
