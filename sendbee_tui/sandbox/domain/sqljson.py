"""Rendering API objects as JSON inside SQLite, so a page costs two queries, not 2n.

A list page of 50 contacts built as Python dicts costs a query per nested
collection, 100 datetime formats and a JSON encode of ~25 KB; rendered by
SQLite's JSON functions it is one query whose rows are finished JSON text,
joined into the ``data`` array as is (see ``web/envelope.py``). Single objects
(a sent message, a webhook event) go through the same SQL and ``json.loads``,
so every object has exactly one definition of its shape.

Conventions for the view snippets in the resource modules: they reference the
clock as ``?1``, so the statement's first parameter must be "now" and the
snippet must come before any other ``?`` in the statement text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

#: The domain clock in a view snippet (see the module docstring).
NOW = "?1"


@dataclass(frozen=True)
class JsonArray:
    """API objects already rendered as one JSON array: embedded in a response as is."""

    text: str
    count: int

    @classmethod
    def of(cls, rows: list[Any]) -> JsonArray:
        """From rows whose first column is one object's JSON text."""
        return cls("[" + ",".join(r[0] for r in rows) + "]", len(rows))

    def __len__(self) -> int:
        return self.count

    def loads(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = json.loads(self.text)
        return items


def ts(column: str) -> str:
    """Unix seconds -> the contract's ``YYYY-MM-DD HH:MM:SS`` (UTC), whole seconds, or null."""
    return f"strftime('%Y-%m-%d %H:%M:%S', CAST({column} AS INTEGER), 'unixepoch')"


def boolean(expr: str) -> str:
    """A JSON ``true``/``false`` from an integer column."""
    return f"json(CASE WHEN {expr} THEN 'true' ELSE 'false' END)"


def message_status(alias: str) -> str:
    """An outbound message's status *as of now* (``?1``).

    Progress (sent -> delivered -> read, or -> failed) is stored as the times at
    which it happens, so a read at any moment is correct even when the
    background ticker that fires the status webhooks has not caught up, and a
    test with an injected clock sees the progression without sleeping. A null
    status (no message) stays null.
    """
    a = alias
    return (
        f"CASE WHEN {a}.status NOT IN ('sent', 'delivered') THEN {a}.status"
        f" WHEN {a}.failed_at <= {NOW} THEN 'failed'"
        f" WHEN {a}.read_at <= {NOW} THEN 'read'"
        f" WHEN {a}.delivered_at <= {NOW} THEN 'delivered'"
        f" ELSE {a}.status END"
    )


def array_of(object_sql: str, rows_sql: str) -> str:
    """A JSON array of ``object_sql`` over the ordered subquery ``rows_sql`` (alias ``x``).

    SQLite keeps the subquery's order when it aggregates (a subquery with ORDER BY
    is not flattened into an aggregate); ``json()`` keeps the value JSON, not text.
    """
    return f"json((SELECT json_group_array({object_sql}) FROM ({rows_sql}) x))"
