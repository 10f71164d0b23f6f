"""What goes onto the wire and what comes off it: query and body encoding, JSON decoding,
and the server's error text.

Kept apart from :mod:`.transport` (connections, retries, logging) because these are pure
functions over values, tested on their own and shared by every request.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import httpx
import msgspec

__all__ = ["display_text", "encode_body", "encode_query", "error_details", "parse_json"]


def _query_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return str(int(aware.timestamp()))
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = [_query_value(v) for v in value]
        return ",".join(p for p in parts if p is not None)
    if isinstance(value, Mapping):
        raise TypeError("a mapping cannot be sent as a query parameter")
    return str(value)


def encode_query(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Query pairs as the API wants them: lists comma-joined, booleans 1/0, None dropped."""
    pairs: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        encoded = _query_value(value)
        if encoded is not None:
            pairs.append((key, encoded))
    return pairs


def encode_body(body: Mapping[str, Any] | None) -> dict[str, Any]:
    """A JSON body without None values (the server treats absent and null alike, mostly)."""
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in (body or {}).items()
        if v is not None
    }


def display_text(value: Any) -> str:
    """``str(value)`` for server-sent text that may be a list or object, bounded in depth."""
    try:
        return str(value)
    except RecursionError:
        return "(a value nested too deeply to show)"


def parse_json(content: bytes) -> Any:
    """Decode a response body; ``{}`` when empty. Raises ValueError saying what is wrong.

    msgspec decodes straight from the bytes, about twice as fast as :mod:`json`;
    :mod:`json` is the fallback for what msgspec refuses but Python reads (``NaN``,
    UTF-16). A body nested thousands of levels deep would otherwise escape as
    :class:`RecursionError` from every call; it becomes a ValueError here.
    """
    if not content or content.isspace():
        return {}
    try:
        return msgspec.json.decode(content)
    except msgspec.DecodeError:
        pass
    except RecursionError:
        raise ValueError("the response is nested too deeply to decode") from None
    try:
        return jsonlib.loads(content)
    except RecursionError:
        raise ValueError("the response is nested too deeply to decode") from None
    except ValueError:
        raise ValueError("the response is not valid JSON") from None


def error_details(body: Any, response: httpx.Response) -> tuple[str, str | None]:
    detail: Any = None
    kind: Any = None
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            detail, kind = error.get("detail") or error.get("message"), error.get("type")
        elif isinstance(error, str):
            detail = error
        data = body.get("data")
        if detail is None and isinstance(data, Mapping):
            detail, kind = data.get("detail"), data.get("type")
        detail = detail or body.get("detail") or body.get("message")
        kind = kind or body.get("type")
    if not detail:
        detail = response.reason_phrase or f"HTTP {response.status_code}"
    return display_text(detail), (display_text(kind) if kind else None)
