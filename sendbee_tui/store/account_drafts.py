"""Drafts of one account: kept on every keystroke, written at most ``debounce`` s later.

The composer saves on every keystroke, so drafts (alone of the account's state)
are throttled: a timer thread writes them at most ``debounce`` seconds after
the first unsaved change, one flush at a time.  ``close()`` writes what is
pending and makes later changes synchronous.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from .account_sync import AccountSync

logger = logging.getLogger(__name__)


class AccountDrafts(AccountSync):
    """Draft text per conversation, saved in the background (part of ``AccountState``)."""

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
