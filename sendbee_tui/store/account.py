"""Drafts, read marks, settings and conversation flags of one account, in the shared database.

Same API as the per-profile JSON state it replaced (``state/<profile>.json``),
so the UI switches by changing one constructor call.  What differs:

* Several app instances on one account share the state.  Every write is a
  small transaction; a read is served from memory (``is_unread`` runs for every
  rendered row) and the memory is reloaded when another connection changed
  this account — checked by :meth:`AccountState.refresh_if_changed` (one
  pragma when nothing changed), which reads also call at most once per
  ``auto_refresh`` seconds.
* Only drafts are throttled (the composer saves on every keystroke): they reach
  the database at most ``debounce`` seconds after the first unsaved change, in
  a timer thread.  Read marks, settings and flags are written at once — they
  change on a deliberate action, not per keystroke.
* Per-conversation flags (``prevent_bot_off`` and the like) are new.

Two instances editing the *same* draft: the last save wins for that one
conversation (the composer of each shows its own text until it reloads).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .database import LocalStore

__all__ = ["AccountState"]

logger = logging.getLogger(__name__)


def _timestamp(value: datetime | float | None) -> float | None:
    """Seconds since the epoch; naive datetimes are taken as UTC (the API's zone)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    return float(value)


class AccountState:
    """Local state of one account (get it from :meth:`LocalStore.account`)."""

    def __init__(
        self,
        store: LocalStore,
        account: str,
        *,
        debounce: float = 0.5,
        auto_refresh: float | None = 1.0,
    ) -> None:
        self.store = store
        self.account = account
        self.debounce = debounce
        self.auto_refresh = auto_refresh
        self._clock = store.clock
        self._lock = threading.RLock()
        #: One flush at a time, snapshot to commit: a later flush holds newer text and
        #: must not be overtaken by an earlier one still writing.
        self._flush_lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._closed = False
        self._dirty: dict[str, str] = {}  # conversation id -> draft text ("" = delete)
        self._drafts: dict[str, str] = {}
        self._read_upto: dict[str, float] = {}
        self._marked_unread: set[str] = set()
        self._settings: dict[str, Any] = {}
        self._flags: dict[tuple[str, str], Any] = {}
        self._baseline = 0.0
        self._revision = -1
        self._data_version = -1
        self._next_check = 0.0
        with store.transaction() as conn:
            now = self._clock()
            conn.execute(
                "INSERT OR IGNORE INTO accounts(account, baseline, created_at) VALUES (?, ?, ?)",
                (account, now, now),
            )
        self._reload()

    def __repr__(self) -> str:
        return f"AccountState(account={self.account!r})"

    # ------------------------------------------------------------------ loading

    def _reload(self) -> None:
        """Read this account's rows into memory, keeping drafts not saved yet."""
        self._data_version = self.store.data_version()
        with self.store.reading() as conn:
            account = (self.account,)
            baseline, revision = conn.execute(
                "SELECT baseline, revision FROM accounts WHERE account = ?", account
            ).fetchone()
            drafts = dict(
                conn.execute("SELECT conversation_id, text FROM drafts WHERE account = ?", account)
            )
            read = dict(
                conn.execute(
                    "SELECT conversation_id, read_upto FROM read_marks WHERE account = ?", account
                )
            )
            unread = {
                r[0]
                for r in conn.execute(
                    "SELECT conversation_id FROM manual_unread WHERE account = ?", account
                )
            }
            settings = {
                k: json.loads(v)
                for k, v in conn.execute(
                    "SELECT key, value FROM settings WHERE account = ?", account
                )
            }
            flags = {
                (c, f): json.loads(v)
                for c, f, v in conn.execute(
                    "SELECT conversation_id, flag, value FROM conversation_flags WHERE account = ?",
                    account,
                )
            }
        with self._lock:
            for conversation_id, text in self._dirty.items():
                if text:
                    drafts[conversation_id] = text
                else:
                    drafts.pop(conversation_id, None)
            self._baseline, self._revision = float(baseline), int(revision)
            self._drafts, self._read_upto, self._marked_unread = drafts, read, unread
            self._settings, self._flags = settings, flags

    def refresh_if_changed(self) -> bool:
        """Reload from the database if another connection changed this account; True if so.

        Cheap when nothing changed (one pragma); call it on every poll tick.
        """
        version = self.store.data_version()
        if version == self._data_version:
            return False
        self._data_version = version
        with self.store.reading() as conn:
            row = conn.execute(
                "SELECT revision FROM accounts WHERE account = ?", (self.account,)
            ).fetchone()
        if row is None or int(row[0]) == self._revision:
            return False
        self._reload()
        return True

    def _maybe_refresh(self) -> None:
        if self.auto_refresh is None:
            return
        now = time.monotonic()
        if now < self._next_check:
            return
        self._next_check = now + self.auto_refresh
        try:
            self.refresh_if_changed()
        except sqlite3.Error as exc:
            logger.warning("could not refresh local state: %s", exc)

    def _write(
        self, sql: str, params: Iterable[Any] = (), *more: tuple[str, Iterable[Any]]
    ) -> None:
        """Run statements in one transaction and bump the account's revision.

        A failing disk is logged, not raised: the change stays in memory for
        this session, as the JSON state did when it could not save.
        """
        try:
            with self.store.transaction() as conn:
                conn.execute(sql, tuple(params))
                for statement, args in more:
                    conn.execute(statement, tuple(args))
                self._bump(conn)
        except sqlite3.OperationalError as exc:
            logger.warning("could not save local state: %s", exc)

    def _bump(self, conn: sqlite3.Connection) -> None:
        """Record a change; notice when someone else changed the account since our last look."""
        conn.execute(
            "UPDATE accounts SET revision = revision + 1 WHERE account = ?", (self.account,)
        )
        new = int(
            conn.execute(
                "SELECT revision FROM accounts WHERE account = ?", (self.account,)
            ).fetchone()[0]
        )
        if new - 1 == self._revision:
            self._revision = new
        else:
            # Someone else wrote since our last load: make the next refresh reload.
            self._revision = -1
            self._data_version = -1

    # ------------------------------------------------------------------ persistence

    def flush(self) -> None:
        """Write unsaved drafts now (no-op when nothing is pending).

        Flushes run one at a time (the debounce timer's, a save after a send, the
        exit's): two at once could commit the older snapshot last, and a draft
        already sent would come back from disk.
        """
        with self._flush_lock:
            self._flush()

    def _flush(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            dirty, self._dirty = self._dirty, {}
        if not dirty:
            return
        now = self._clock()
        try:
            with self.store.transaction() as conn:
                for conversation_id, text in dirty.items():
                    if text:
                        conn.execute(
                            "INSERT INTO drafts(account, conversation_id, text, updated_at)"
                            " VALUES (?, ?, ?, ?) ON CONFLICT(account, conversation_id)"
                            " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                            (self.account, conversation_id, text, now),
                        )
                    else:
                        conn.execute(
                            "DELETE FROM drafts WHERE account = ? AND conversation_id = ?",
                            (self.account, conversation_id),
                        )
                self._bump(conn)
        except sqlite3.Error as exc:
            # Kept pending: the next change, flush() or close() tries again.
            logger.warning("could not save drafts: %s", exc)
            with self._lock:
                for conversation_id, text in dirty.items():
                    self._dirty.setdefault(conversation_id, text)

    def close(self) -> None:
        """Flush and stop the timer; later draft changes are saved synchronously."""
        with self._lock:
            self._closed = True
        self.flush()

    def __enter__(self) -> AccountState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pending(self) -> bool:
        """True when a draft change has not reached the database yet."""
        with self._lock:
            return bool(self._dirty)

    # ------------------------------------------------------------------ drafts

    def get_draft(self, conversation_id: str) -> str:
        self._maybe_refresh()
        with self._lock:
            return self._drafts.get(conversation_id, "")

    def set_draft(self, conversation_id: str, text: str) -> None:
        """Remember the composer's text; cheap enough for every keystroke."""
        with self._lock:
            if text:
                if self._drafts.get(conversation_id) == text:
                    return
                self._drafts[conversation_id] = text
            elif self._drafts.pop(conversation_id, None) is None:
                return
            self._dirty[conversation_id] = text
            sync = self._closed or self.debounce <= 0
            if not sync and self._timer is None:
                timer = threading.Timer(self.debounce, self.flush)
                timer.daemon = True
                self._timer = timer
                timer.start()
        if sync:
            self.flush()

    def clear_draft(self, conversation_id: str) -> None:
        self.set_draft(conversation_id, "")

    def draft_ids(self) -> set[str]:
        """Conversations with a non-empty draft (for a "draft" mark in the list)."""
        self._maybe_refresh()
        with self._lock:
            return set(self._drafts)

    # ------------------------------------------------------------------ read marks

    @property
    def baseline(self) -> datetime:
        """Inbound messages older than this count as read for never-opened conversations."""
        return datetime.fromtimestamp(self._baseline, tz=timezone.utc)

    def mark_read(self, conversation_id: str, upto: datetime | float | None = None) -> None:
        """The agent has seen ``conversation_id`` up to ``upto`` (default: now).

        Read marks only move forward (also in SQL, so a slower instance cannot
        move one back); an explicit :meth:`mark_unread` is undone.
        """
        ts = _timestamp(upto)
        if ts is None:
            ts = self._clock()
        with self._lock:
            old = self._read_upto.get(conversation_id)
            if conversation_id not in self._marked_unread and old is not None and ts <= old:
                return
            self._marked_unread.discard(conversation_id)
            if old is None or ts > old:
                self._read_upto[conversation_id] = ts
        key = (self.account, conversation_id)
        self._write(
            "INSERT INTO read_marks(account, conversation_id, read_upto) VALUES (?, ?, ?)"
            " ON CONFLICT(account, conversation_id)"
            " DO UPDATE SET read_upto = max(read_upto, excluded.read_upto)",
            (*key, ts),
            ("DELETE FROM manual_unread WHERE account = ? AND conversation_id = ?", key),
        )

    def mark_unread(self, conversation_id: str) -> None:
        """Show ``conversation_id`` as unread until it is opened (``u`` in the inbox)."""
        with self._lock:
            if conversation_id in self._marked_unread:
                return
            self._marked_unread.add(conversation_id)
        self._write(
            "INSERT OR IGNORE INTO manual_unread(account, conversation_id) VALUES (?, ?)",
            (self.account, conversation_id),
        )

    def mark_all_read(self, upto: datetime | float | None = None) -> None:
        """Everything up to ``upto`` (default now) is read: moves the baseline, drops marks."""
        ts = _timestamp(upto)
        if ts is None:
            ts = self._clock()
        with self._lock:
            self._baseline = max(self._baseline, ts)
            self._read_upto = {k: v for k, v in self._read_upto.items() if v > self._baseline}
            self._marked_unread.clear()
        account = (self.account,)
        self._write(
            "UPDATE accounts SET baseline = max(baseline, ?) WHERE account = ?",
            (ts, self.account),
            (
                "DELETE FROM read_marks WHERE account = ? AND read_upto <= "
                "(SELECT baseline FROM accounts WHERE account = ?)",
                account * 2,
            ),
            ("DELETE FROM manual_unread WHERE account = ?", account),
        )

    def shift_times(self, delta: float) -> None:
        """Move every read mark and the baseline ``delta`` seconds later.

        For the demo: when its saved sandbox database is shifted to "now" at
        start, read marks shifted alike keep read conversations read.
        """
        if not delta:
            return
        with self._lock:
            self._baseline += delta
            self._read_upto = {k: v + delta for k, v in self._read_upto.items()}
        self._write(
            "UPDATE accounts SET baseline = baseline + ? WHERE account = ?",
            (delta, self.account),
            (
                "UPDATE read_marks SET read_upto = read_upto + ? WHERE account = ?",
                (delta, self.account),
            ),
        )

    def is_unread(self, conversation_id: str, last_inbound_at: datetime | float | None) -> bool:
        """True when the customer wrote after the agent last read, or it was marked unread."""
        self._maybe_refresh()
        with self._lock:
            if conversation_id in self._marked_unread:
                return True
            ts = _timestamp(last_inbound_at)
            if ts is None:
                return False
            return ts > self._read_upto.get(conversation_id, self._baseline)

    def unread_ids(
        self, last_inbound: Mapping[str, datetime | float | None] | Iterable[tuple[str, Any]] = ()
    ) -> set[str]:
        """Ids among ``last_inbound`` (conversation id -> last inbound time) that are unread,
        plus every conversation marked unread by hand."""
        items = last_inbound.items() if isinstance(last_inbound, Mapping) else last_inbound
        self._maybe_refresh()
        with self._lock:
            result = set(self._marked_unread)
            for conversation_id, ts in items:
                if self.is_unread(conversation_id, ts):
                    result.add(conversation_id)
            return result

    # ------------------------------------------------------------------ settings and flags

    def get_setting(self, key: str, default: Any = None) -> Any:
        self._maybe_refresh()
        with self._lock:
            return self._settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Remember a small JSON-serialisable value (last folder, sort order, ...)."""
        encoded = json.dumps(value)  # fails here, in the caller
        with self._lock:
            if self._settings.get(key, object()) == value:
                return
            self._settings[key] = json.loads(encoded)
        self._write(
            "INSERT INTO settings(account, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT(account, key) DO UPDATE SET value = excluded.value",
            (self.account, key, encoded),
        )

    def get_flag(self, conversation_id: str, flag: str, default: Any = None) -> Any:
        """A per-conversation value (e.g. ``prevent_bot_off``), ``default`` when unset."""
        self._maybe_refresh()
        with self._lock:
            return self._flags.get((conversation_id, flag), default)

    def set_flag(self, conversation_id: str, flag: str, value: Any) -> None:
        """Set a JSON-serialisable per-conversation value; ``None`` removes it."""
        key = (conversation_id, flag)
        if value is None:
            with self._lock:
                if self._flags.pop(key, None) is None:
                    return
            self._write(
                "DELETE FROM conversation_flags WHERE account = ? AND conversation_id = ?"
                " AND flag = ?",
                (self.account, *key),
            )
            return
        encoded = json.dumps(value)
        with self._lock:
            if self._flags.get(key, object()) == value:
                return
            self._flags[key] = json.loads(encoded)
        self._write(
            "INSERT INTO conversation_flags(account, conversation_id, flag, value)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(account, conversation_id, flag)"
            " DO UPDATE SET value = excluded.value",
            (self.account, *key, encoded),
        )

    def flagged(self, flag: str) -> set[str]:
        """Conversations whose ``flag`` is set to a truthy value."""
        self._maybe_refresh()
        with self._lock:
            return {c for (c, f), v in self._flags.items() if f == flag and v}

    # ------------------------------------------------------------------ migration

    def import_legacy_json(self, path: Path | str) -> bool:
        """Carry an old ``state/<profile>.json`` into this account once; see :mod:`.legacy`."""
        from .legacy import import_legacy_json

        imported = import_legacy_json(self, Path(path))
        if imported:
            self._reload()
        return imported
