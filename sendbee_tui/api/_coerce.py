"""Tolerant readers for JSON values of uncertain shape.

The real API, older servers and the sandbox disagree on details (a number sent
as a string, a list sent as ``null``, a timestamp as seconds or as text). Models
read every field through these helpers so one odd value degrades to ``None`` or
an empty tuple instead of breaking a whole page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

__all__ = [
    "as_bool",
    "as_dict",
    "as_dicts",
    "as_int",
    "as_str",
    "as_strs",
    "parse_timestamp",
]

_NUMERIC = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f", ""}
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
)


def as_str(value: Any) -> str | None:
    """A string, or None. Numbers become their decimal text (ids are sometimes ints)."""
    if type(value) is str:  # the common case first: this runs for every field
        return value
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def as_int(value: Any) -> int | None:
    """An int from an int, a whole float or a numeric string; otherwise None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str) and _NUMERIC.fullmatch(value.strip()):
        try:
            return int(float(value))
        except (OverflowError, ValueError):
            return None
    return None


def as_bool(value: Any, default: bool | None = None) -> bool | None:
    """A bool from true/false, 1/0 or their string spellings; ``default`` when unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return default


def as_dict(value: Any) -> Mapping[str, Any]:
    """A mapping; a one-element list holding a mapping is unwrapped; anything else is ``{}``."""
    # ``type(...) is dict`` first: isinstance() against the Mapping ABC is slow.
    if type(value) is dict or isinstance(value, Mapping):
        return value
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return value[0]
    return {}


def as_dicts(value: Any) -> list[Mapping[str, Any]]:
    """A list of mappings; a lone mapping becomes a one-element list, junk is skipped."""
    if type(value) is list:
        return [item for item in value if type(item) is dict or isinstance(item, Mapping)]
    if isinstance(value, Mapping):
        return [value]
    if not isinstance(value, tuple):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def as_strs(value: Any) -> tuple[str, ...]:
    """A tuple of strings from a list (or a comma-separated string)."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(s for s in (as_str(v) for v in value) if s is not None)


def _from_number(number: float) -> datetime | None:
    # Milliseconds (13 digits) are common in JavaScript-backed services.
    if abs(number) >= 1e11:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def parse_timestamp(value: Any) -> datetime | None:
    """A timezone-aware datetime from any timestamp shape, or None.

    Accepts Unix seconds (or milliseconds) as a number or numeric string,
    ``"YYYY-MM-DD HH:MM:SS"`` (UTC per the contract), ISO-8601 with or without an
    offset or ``Z``, and a bare date. Naive values are taken as UTC.
    """
    if type(value) is str and len(value) == 19 and value[10] == " ":
        # Fast path for the contract's "YYYY-MM-DD HH:MM:SS" (UTC).
        try:
            return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, (int, float)):
        return _from_number(float(value)) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _NUMERIC.fullmatch(text):
        return _from_number(float(text))
    parsed: datetime | None = None
    iso = text[:-1] + "+00:00" if text[-1:] in "Zz" else text
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        # Python 3.10's fromisoformat wants exactly 3 or 6 fraction digits.
        trimmed = re.sub(r"(\.\d{6})\d+", r"\1", iso)
        try:
            parsed = datetime.fromisoformat(trimmed)
        except ValueError:
            for fmt in _FORMATS:
                try:
                    parsed = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
