"""One account's rows held in memory and kept in step with the shared database.

The base of :class:`~sendbee_tui.store.account.AccountState`: it loads every
row of the account (drafts, read marks, settings, flags), notices when another
connection changed them (the account's ``revision``, checked behind SQLite's
cheap ``data_version`` pragma) and runs each write as one small transaction that
bumps the revision.  How each kind of row is read and changed is added by the
subclasses; reads are served from memory because ``is_unread`` runs for every
rendered row.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .database import LocalStore

logger = logging.getLogger(__name__)


class AccountSync:
    """The in-memory copy of one account and how it is loaded, refreshed and written."""

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
