"""What every resource shares: the store, the domain clock, webhook events, paging.

Each resource module (contacts, tags, …) holds one :class:`Resource` subclass;
:class:`Domain` is the state they share, and :class:`~.sandbox.Sandbox`, the
object the HTTP layer and the tests hold, is a ``Domain`` that owns one
instance of every resource. Webhook events are collected during a write and
fired only after its transaction commits, so a receiver never hears about a
rolled-back change.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sendbee_tui.sandbox.store import Store

log = logging.getLogger("sendbee_tui.sandbox.domain")

Emit = Callable[[str, dict[str, Any]], None]
#: A webhook event: its name and its ``data`` object.
Event = tuple[str, dict[str, Any]]


def new_id() -> str:
    return str(uuid.uuid4())


def fmt_ts(ts: float | None) -> str | None:
    """Unix seconds -> the contract's ``YYYY-MM-DD HH:MM:SS`` (UTC) string."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def count_and_offset(
    conn: sqlite3.Connection, where_sql: str, params: list[Any], base: str, page: int, limit: int
) -> tuple[int, int]:
    """Count the matches of a list query; return (total, offset of ``page``)."""
    total: int = conn.execute(f"SELECT COUNT(*) {base} {where_sql}", params).fetchone()[0]
    return total, (page - 1) * limit


def add_name_or_phone_search(where: list[str], params: list[Any], query: str | None) -> None:
    """Name (Unicode case-insensitive) or phone digits contain the query (alias ``c``)."""
    if not query or not query.strip():
        return
    q = query.strip()
    digits = "".join(ch for ch in q if ch.isdigit())
    # Digits-only queries also match phones; '+' may arrive as ' ' from unencoded URLs.
    if digits and re.fullmatch(r"[\s+\d\-()]+", q):
        where.append("(instr(fold(c.name), ?) > 0 OR instr(digits(c.phone), ?) > 0)")
        params.extend([q.casefold(), digits])
    else:
        where.append("instr(fold(c.name), ?) > 0")
        params.append(q.casefold())


class Domain:
    """The state every resource shares."""

    def __init__(self, store: Store, *, delivery_delay: float, read_delay: float) -> None:
        self.store = store
        self.delivery_delay = delivery_delay
        self.read_delay = read_delay
        self._emit: Emit = lambda event, data: None

    @property
    def clock(self) -> Callable[[], float]:
        return self.store.clock

    def set_emitter(self, emit: Emit) -> None:
        """Route webhook events (to the dispatcher, once the server loop runs)."""
        self._emit = emit

    def fire(self, events: list[Event]) -> None:
        """Hand committed events to the emitter; a broken emitter never fails the API call."""
        for event, data in events:
            try:
                self._emit(event, data)
            except Exception:
                log.exception("webhook emit failed for %s", event)


class Resource:
    """One resource's operations; reaches the store, clock and events through its domain."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain

    @property
    def store(self) -> Store:
        return self.domain.store

    @property
    def clock(self) -> Callable[[], float]:
        return self.domain.store.clock

    def fire(self, events: list[Event]) -> None:
        self.domain.fire(events)
