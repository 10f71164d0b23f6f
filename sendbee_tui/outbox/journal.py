"""The outbox's memory: durable rows, an in-memory mirror, and change notifications.

Every state change goes to the database first (its own committed transaction)
and only then into the mirror and to listeners, so what the UI shows is never
ahead of what survives a crash.  Changes made by *another* process on the same
database (a second app instance) are picked up by :meth:`Journal.sync`, which
costs one pragma when nothing changed.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from typing import Any

from sendbee_tui.store import LocalStore, OutboxRow

from .entry import OutboxEntry, State

__all__ = ["Journal", "Listener", "Signal", "wait_for"]

logger = logging.getLogger("sendbee_tui.outbox")

#: Called with the new entry after every change (``entry.removed`` when it is gone).
Listener = Callable[[OutboxEntry], object]


class Signal:
    """A one-shot event that is replaced when fired, so any number of waiters can use it.

    A waiter takes :attr:`current` *before* checking its condition; a
    :meth:`fire` after that wakes it even if it was not waiting yet.
    """

    def __init__(self) -> None:
        self.current = asyncio.Event()

    def fire(self) -> None:
        event, self.current = self.current, asyncio.Event()
        event.set()


async def wait_for(event: asyncio.Event, timeout: float | None) -> bool:
    """Wait until ``event`` is set or ``timeout`` passed; True when it was set."""
    if timeout is not None and timeout <= 0:
        return event.is_set()
    try:
        await asyncio.wait_for(event.wait(), timeout)
    except asyncio.TimeoutError:
        return False
    return True


class Journal:
    """One account's outbox rows, mirrored in memory in creation order."""

    def __init__(self, store: LocalStore, account: str) -> None:
        self.store = store
        self.account = account
        self.table = store.outbox_table(account)
        self.entries: dict[str, OutboxEntry] = {}
        #: The entries still being worked on (queued, sending, checking), in
        #: creation order: the loop scans these, not the whole history.
        self.active: dict[str, OutboxEntry] = {}
        self.listeners: list[Listener] = []
        self.changed = Signal()
        self._data_version = -1
        self._revision = -1
        self.sync(force=True)

    def __iter__(self) -> Iterator[OutboxEntry]:
        return iter(list(self.entries.values()))

    # ------------------------------------------------------------------ notifications

    def notify(self, entry: OutboxEntry) -> None:
        """Tell every listener; a failing listener is logged and does not stop the others."""
        logger.debug("outbox %s -> %s", entry.id, "removed" if entry.removed else entry.state)
        for listener in list(self.listeners):
            try:
                listener(entry)
            except Exception:
                logger.exception("outbox listener failed")
        try:
            self.changed.fire()
        except RuntimeError:  # no event loop (a sync caller outside asyncio): nobody waits
            pass

    @staticmethod
    def _place(index: dict[str, OutboxEntry], entry: OutboxEntry) -> dict[str, OutboxEntry]:
        """Put ``entry`` into ``index`` keeping creation order; the (maybe new) index."""
        if entry.id in index:
            index[entry.id] = entry  # an update keeps its place
            return index
        last = next(reversed(index.values()), None)
        index[entry.id] = entry
        if last is not None and entry.seq < last.seq:  # inserted elsewhere, or active again
            return dict(sorted(index.items(), key=lambda item: item[1].seq))
        return index

    def _put(self, row: OutboxRow) -> OutboxEntry:
        entry = OutboxEntry.from_row(row)
        self.entries = self._place(self.entries, entry)
        if entry.active:
            self.active = self._place(self.active, entry)
        else:
            self.active.pop(entry.id, None)
        self.notify(entry)
        return entry

    def _drop(self, entry_id: str) -> None:
        self.entries.pop(entry_id, None)
        self.active.pop(entry_id, None)

    # ------------------------------------------------------------------ writes

    def insert(self, **fields: Any) -> OutboxEntry:
        return self._put(self.table.insert(**fields))

    def move(
        self,
        entry_id: str,
        from_states: Collection[State],
        *,
        lease: tuple[str, str] | None = None,
        durable: bool = True,
        **changes: Any,
    ) -> OutboxEntry | None:
        """Compare-and-set a change; the new entry, or None (the mirror is refreshed then).

        ``durable=False`` for a change whose loss on a power cut costs a
        re-check, never a resend (``sent``).  ``sqlite3.IntegrityError`` (a
        server message id already claimed) propagates.
        """
        if isinstance(changes.get("state"), State):
            changes["state"] = changes["state"].value
        row = self.table.transition(
            entry_id, [s.value for s in from_states], lease=lease, durable=durable, **changes
        )
        if row is None:
            self.refresh_one(entry_id)
            return None
        return self._put(row)

    def remove(self, entry_id: str, from_states: Collection[State]) -> OutboxEntry | None:
        """Delete if in ``from_states``; the entry as it was (``removed=True``), else None."""
        row = self.table.delete(entry_id, [s.value for s in from_states])
        if row is None:
            self.refresh_one(entry_id)
            return None
        self._drop(entry_id)
        gone = replace(OutboxEntry.from_row(row), removed=True)
        self.notify(gone)
        return gone

    def claimed(self) -> set[str]:
        return self.table.claimed_ids()

    # ------------------------------------------------------------------ reads

    def refresh_one(self, entry_id: str) -> OutboxEntry | None:
        """Re-read one entry after a compare-and-set lost (someone else changed it)."""
        row = self.table.get(entry_id)
        old = self.entries.get(entry_id)
        if row is None:
            if old is not None:
                self._drop(entry_id)
                self.notify(replace(old, removed=True))
            return None
        entry = OutboxEntry.from_row(row)
        if entry != old:
            return self._put(row)
        return entry

    def sync(self, *, force: bool = False) -> bool:
        """Reload when another connection committed; notify what changed.  True if reloaded."""
        try:
            version = self.store.data_version()
        except sqlite3.Error as exc:
            logger.warning("outbox: cannot read the local database: %s", exc)
            return False
        if version == self._data_version and not force:
            return False
        self._data_version = version
        revision = self.table.revision()
        if revision == self._revision and not force:
            return False  # another account, or drafts and read marks: not ours
        self._revision = revision
        fresh = {row["id"]: OutboxEntry.from_row(row) for row in self.table.rows()}
        old, self.entries = self.entries, fresh
        self.active = {k: e for k, e in fresh.items() if e.active}
        if not force:
            for entry_id, entry in fresh.items():
                if old.get(entry_id) != entry:
                    self.notify(entry)
            for entry_id, entry in old.items():
                if entry_id not in fresh:
                    self.notify(replace(entry, removed=True))
        return True

    def first(self, state: State, key: str | None = None) -> OutboxEntry | None:
        """The oldest active entry in ``state`` (of conversation ``key``)."""
        for entry in list(self.active.values()):
            if entry.state is state and (key is None or entry.key == key):
                return entry
        return None
