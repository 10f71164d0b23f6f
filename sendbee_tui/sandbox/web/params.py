"""Typed access to request parameters, raising precise 400s."""

from __future__ import annotations

import math
import re
from typing import Any

from sendbee_tui.sandbox.errors import bad_request

#: ``Params.raw`` for a parameter that was not sent at all (as opposed to ``null``).
MISSING = object()


class Params:
    """Typed access to request parameters, raising precise 400s.

    GET parameters arrive as strings (lists comma-joined, booleans ``1``/``0``),
    JSON bodies as real types; both are accepted where the meaning is clear.
    """

    def __init__(self, data: dict[str, Any], from_query: bool) -> None:
        self.data = data
        self.from_query = from_query

    def raw(self, name: str) -> Any:
        return self.data.get(name, MISSING)

    def text(
        self, name: str, *, required: bool = False, max_len: int = 1000, allow_empty: bool = False
    ) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise bad_request(f"Missing required parameter '{name}'", "missing_parameter")
            return None
        if not isinstance(value, str):
            raise bad_request(
                f"'{name}' must be a string, got {type(value).__name__}", "invalid_type"
            )
        if not value.strip() and not allow_empty:
            if required:
                raise bad_request(f"'{name}' must not be empty", "missing_parameter")
            return None
        if len(value) > max_len:
            raise bad_request(f"'{name}' is too long (max {max_len} characters)", "too_long")
        return value

    def enum(self, name: str, choices: tuple[str, ...], *, required: bool = False) -> str | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        if value not in choices:
            raise bad_request(
                f"'{name}' must be one of {', '.join(choices)}; got {value!r}", "invalid_enum"
            )
        return value

    def integer(
        self, name: str, default: int, *, minimum: int = 1, maximum: int | None = 1_000_000_000
    ) -> int:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f"'{name}' must be an integer", "invalid_type")
        if isinstance(value, str):
            if not re.fullmatch(r"\s*-?[0-9]{1,30}\s*", value):
                raise bad_request(f"'{name}' must be an integer, got {value!r}", "invalid_type")
            value = int(value.strip())
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise bad_request(f"'{name}' must be an integer", "invalid_type")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            raise bad_request(f"'{name}' must be {bound}, got {value}", "out_of_range")
        return value

    def fraction(self, name: str, default: float) -> float:
        """A number between 0 and 1 (a rate); ``null`` or absent keeps ``default``."""
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise bad_request(f"'{name}' must be a number between 0 and 1", "out_of_range")
        return float(value)

    def number(self, name: str) -> float | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f"'{name}' must be a Unix timestamp", "invalid_type")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise bad_request(
                f"'{name}' must be a Unix timestamp (seconds), got {value!r}", "invalid_type"
            ) from None
        if not math.isfinite(number) or not 0 <= number < 1e11:
            raise bad_request(f"'{name}' must be a non-negative Unix timestamp", "out_of_range")
        return number

    def flag(self, name: str, default: bool = False, *, required: bool = False) -> bool:
        value = self.data.get(name)
        if value is None:
            if required:
                raise bad_request(f"Missing required parameter '{name}'", "missing_parameter")
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in ("1", "0", "true", "false"):
            return value.lower() in ("1", "true")
        raise bad_request(f"'{name}' must be a boolean (true/false), got {value!r}", "invalid_type")

    def str_list(self, name: str, *, max_items: int = 100) -> list[str] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            items = [part.strip() for part in value.split(",") if part.strip()]
        elif isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise bad_request(f"'{name}' must be a list of strings", "invalid_type")
            items = [v.strip() for v in value if v.strip()]
        else:
            raise bad_request(f"'{name}' must be a list of strings", "invalid_type")
        if len(items) > max_items:
            raise bad_request(f"'{name}' has too many items (max {max_items})", "too_long")
        if any(len(item) > 1000 for item in items):
            raise bad_request(f"an item of '{name}' is too long (max 1000 characters)", "too_long")
        return items

    def mapping(self, name: str) -> dict[str, Any] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise bad_request(f"'{name}' must be an object", "invalid_type")
        return value

    def placeholders(self, name: str) -> dict[str, str]:
        """``{"1": "John"}``; a list fills ``{{1}}``, ``{{2}}``… in order."""
        value = self.data.get(name)
        if value is None:
            return {}
        if isinstance(value, list):
            value = {str(i + 1): v for i, v in enumerate(value)}
        if not isinstance(value, dict):
            raise bad_request(f'\'{name}\' must be an object like {{"1": "John"}}', "invalid_type")
        out = {}
        for key, item in value.items():
            if isinstance(item, (dict, list)) or item is None:
                raise bad_request(f"'{name}[{key}]' must be a string", "invalid_type")
            out[str(key).strip("{} ")] = str(item)
        return out
