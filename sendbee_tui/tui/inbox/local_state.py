"""What the inbox keeps on this machine: the :class:`LocalStore` interface and its stand-ins.

The Sendbee API has no drafts, no per-agent read marks and no UI settings, so
the inbox keeps them locally.  The service depends on the :class:`LocalStore`
protocol only; :class:`sendbee_tui.state.LocalState` (one JSON file per
profile) satisfies it, and :class:`MemoryState` is the in-memory stand-in for
tests and for when the state file cannot be opened.  A new store (say SQLite
with an outbox) is a drop-in as long as it has these methods.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sendbee_tui.state import LocalState

__all__ = ["LocalStore", "MemoryState", "open_local_state"]

log = logging.getLogger(__name__)


class LocalStore(Protocol):
    """Drafts, read marks and remembered settings of one profile.

    Parameters are positional-only so that implementations may name them as
    they like.  Timestamps are epoch seconds.
    """

    def get_draft(self, conversation_id: str, /) -> str:
        """The saved composer text of a conversation ("" when none)."""
        ...

    def set_draft(self, conversation_id: str, text: str, /) -> None:
        """Remember the composer text ("" forgets it); called on every keystroke."""
        ...

    def mark_read(self, conversation_id: str, upto: float, /) -> None:
        """The agent has seen the conversation up to ``upto``."""
        ...

    def mark_unread(self, conversation_id: str, /) -> None:
        """Show the conversation unread until it is opened again."""
        ...

    def mark_all_read(self, upto: float, /) -> None:
        """Everything up to ``upto`` is read, also conversations not loaded yet."""
        ...

    def is_unread(self, conversation_id: str, last_inbound_at: float, /) -> bool:
        """True when the customer wrote after the read mark, or it was marked unread."""
        ...

    def get_setting(self, key: str, default: object = None, /) -> object:
        """A remembered UI setting (a JSON value), or ``default``."""
        ...

    def set_setting(self, key: str, value: object, /) -> None:
        """Remember a small JSON-serialisable UI setting."""
        ...

    def flush(self) -> None:
        """Write pending changes now."""
        ...

    def close(self) -> None:
        """Flush and release resources; the app calls it once, on exit."""
        ...


class MemoryState:
    """In-memory :class:`LocalStore` (tests, or when the state file fails to open).

    A conversation never opened counts as read up to the moment this state was
    created, so a first start does not flag every old conversation unread.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._baseline = clock()
        self._read: dict[str, float] = {}
        self._unread: set[str] = set()
        self._drafts: dict[str, str] = {}
        self._settings: dict[str, object] = {}

    def get_draft(self, conversation_id: str) -> str:
        return self._drafts.get(conversation_id, "")

    def set_draft(self, conversation_id: str, text: str) -> None:
        if text:
            self._drafts[conversation_id] = text
        else:
            self._drafts.pop(conversation_id, None)

    def mark_read(self, conversation_id: str, upto: float) -> None:
        self._unread.discard(conversation_id)
        self._read[conversation_id] = max(self._read.get(conversation_id, 0.0), upto)

    def mark_unread(self, conversation_id: str) -> None:
        self._unread.add(conversation_id)

    def mark_all_read(self, upto: float) -> None:
        # The same rule as LocalState: move the baseline, forget what it covers.
        self._baseline = max(self._baseline, upto)
        self._read = {k: v for k, v in self._read.items() if v > self._baseline}
        self._unread.clear()

    def is_unread(self, conversation_id: str, last_inbound_at: float) -> bool:
        if conversation_id in self._unread:
            return True
        return last_inbound_at > self._read.get(conversation_id, self._baseline)

    def get_setting(self, key: str, default: object = None) -> object:
        return self._settings.get(key, default)

    def set_setting(self, key: str, value: object) -> None:
        self._settings[key] = value

    def flush(self) -> None:
        """Nothing to write."""

    def close(self) -> None:
        """Nothing to release."""


def open_local_state(data_dir: Path, profile_name: str, clock: Callable[[], float]) -> LocalStore:
    """The profile's :class:`~sendbee_tui.state.LocalState`, or memory if it cannot be opened."""
    try:
        return LocalState(data_dir, profile_name, clock=clock)
    except Exception:  # a broken state file must not keep the inbox from starting
        log.exception("could not open local state in %s; using memory", data_dir)
        return MemoryState(clock)
